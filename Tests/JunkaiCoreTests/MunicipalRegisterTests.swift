import Foundation
@testable import JunkaiCore
import Testing

private func code(_ s: String) -> LocalGovCode {
    guard let c = LocalGovCode(s) else { preconditionFailure("bad fixture code \(s)") }
    return c
}

@Suite("Municipal register")
struct MunicipalRegisterTests {
    let register = MunicipalRegister.shared

    @Test("the bundled register: counts by kind, unique codes, positions in Japan")
    func bundledData() {
        let kinds = Dictionary(grouping: register.entries, by: \.kind).mapValues(\.count)
        #expect(kinds == ["prefecture": 47, "city": 792, "town": 743, "village": 183, "special-ward": 23, "ward": 171])
        #expect(Set(register.entries.map(\.code)).count == register.entries.count)
        #expect(Set(register.entries.filter { $0.kind == "prefecture" }.map(\.code.prefectureNumber)) == Set(1...47))
        for e in register.entries {
            #expect((20.0...46.0).contains(e.lat) && (122.0...154.0).contains(e.lon), "\(e.code)")
            #expect(e.url.isEmpty || e.url.hasPrefix("http"), "\(e.code)")
            #expect(e.location == GeoPoint(lat: e.lat, lon: e.lon))
            #expect(e.code.isPrefecture == (e.kind == "prefecture"), "\(e.code)")
            #expect(e.isMunicipality == ["city", "town", "village", "special-ward"].contains(e.kind))
        }
    }

    @Test("names and readings are NFKC-stable and readings are hiragana, so byte search is exact")
    func normalisedText() {
        for e in register.entries {
            for text in [e.prefecture, e.name, e.kana] {
                #expect(text == text.precomposedStringWithCompatibilityMapping, "\(e.code) \(text)")
            }
            #expect(e.kana.unicodeScalars.allSatisfy { (0x3041...0x3096).contains($0.value) || $0 == "ー" || $0 == " " },
                    "\(e.code) \(e.kana)")
        }
    }

    @Test("look-up by code")
    func lookup() {
        #expect(register.entry(code("292010"))?.name == "奈良市")
        #expect(register.entry(code("011011"))?.name == "札幌市 中央区")
        #expect(register.entry(code("221384"))?.name == "浜松市 中央区")
        #expect(register.entry(code("999997")) == nil)
    }

    @Test("search by name, prefecture + name, reading in either kana, code prefix", arguments: [
        ("奈良市", "292010"), ("奈良県奈良市", "292010"), ("奈良県 奈良市", "292010"), ("ならし", "292010"),
        ("ナラシ", "292010"), ("ﾅﾗｼ", "292010"), ("292010", "292010"), ("２９２０１０", "292010"), ("29201", "292010"),
        ("札幌市中央区", "011011"), ("札幌市　中央区", "011011"), ("さっぽろし ちゅうおうく", "011011"),
        ("千代田区", "131016"), ("奈良", "290009"), ("ヤマトコオリヤマ", "292036"),
    ])
    func searchFirstHit(query: String, expected: String) {
        #expect(register.search(query).first?.code.value == expected)
    }

    @Test("a bare place name finds its own city and prefecture before places that merely start with it")
    func searchByStem() {
        let nara = register.search("なら").map(\.name)
        #expect(Set(nara.prefix(2)) == ["奈良県", "奈良市"], "\(nara.prefix(5))")
        #expect(nara.contains("楢葉町") && nara.contains("習志野市"), "prefix matches still follow")
        #expect(register.search("奈良").prefix(2).map(\.name) == ["奈良県", "奈良市"])
        #expect(register.search("ナラ").prefix(2).map(\.name) == ["奈良県", "奈良市"], "katakana reads the same")
        #expect(register.search("おおさか").prefix(2).map(\.name).sorted() == ["大阪市", "大阪府"])
        #expect(RegisterStemProbe.stems("奈良市", "ならし") == ("奈良", "なら"))
        #expect(RegisterStemProbe.stems("大阪市 北区", "おおさかしきたく") == (nil, nil), "a ward keeps its city's name")
    }

    @Test("search ranks exact, then suffix-less, then prefix, then substring matches, in code order, up to the limit")
    func searchRanking() {
        let nara = register.search("奈良").map(\.code.value)
        #expect(nara.prefix(2) == ["290009", "292010"])
        #expect(nara.count == 40)  // 奈良県 and its 39 municipalities, all containing 奈良県 in the full name
        let prefix = register.search("2920").map(\.code.value)
        #expect(!prefix.isEmpty && prefix.allSatisfy { $0.hasPrefix("2920") } && prefix == prefix.sorted())
        #expect(register.search("奈良", limit: 3).count == 3)
        // 大阪市 itself, its 24 wards (prefix matches), then 東大阪市 (a substring match).
        let osaka = register.search("大阪市")
        #expect(osaka.first?.name == "大阪市" && osaka.last?.name == "東大阪市" && osaka.count == 26)
        #expect(osaka.dropFirst().dropLast().allSatisfy { $0.kind == "ward" && $0.name.hasPrefix("大阪市 ") })
        #expect(register.search("").isEmpty && register.search("  ").isEmpty)
        #expect(register.search("奈良", limit: 0).isEmpty)
        #expect(register.search("zzz").isEmpty)
    }

    @Test("neighbours of 奈良市 within 15 km: municipalities only, nearest first, the limit uses rounded km")
    func neighbours() throws {
        let nara = code("292010")
        let near = register.neighbours(of: nara, withinKm: 15)
        #expect(near.contains { $0.entry.name == "大和郡山市" })
        #expect(!near.contains { $0.entry.code == nara })
        #expect(near.allSatisfy { $0.entry.isMunicipality && $0.km <= 15 })
        #expect(zip(near, near.dropFirst()).allSatisfy { $0.km <= $1.km })
        let origin = try #require(register.entry(nara)).location
        for n in near { #expect(n.km == GeoDistance.roundedKm(origin, n.entry.location)) }
        let nearest = try #require(near.first)
        #expect(register.neighbours(of: nara, withinKm: Double(nearest.km)).first?.entry == nearest.entry)
        #expect(register.neighbours(of: nara, withinKm: Double(nearest.km) - 0.5).first?.entry != nearest.entry)
        #expect(register.neighbours(of: nara, withinKm: -1).isEmpty)
        #expect(register.neighbours(of: nara, withinKm: .nan).isEmpty)
        #expect(register.neighbours(of: code("999997"), withinKm: 100).isEmpty)
        // Nothing left out: every municipality not returned is further than 15 km.
        let returned = Set(near.map(\.entry.code))
        for e in register.entries where e.isMunicipality && e.code != nara && !returned.contains(e.code) {
            #expect(GeoDistance.roundedKm(origin, e.location) > 15, "\(e.code)")
        }
    }

    @Test("CSV parsing: quotes, CRLF and a byte-order mark; bad rows are skipped and named")
    func parsing() {
        let csv = "\u{FEFF}code,prefecture,name,kana,kind,lat,lon,url\r\n"
            + "292010,奈良県,奈良市,ならし,city,34.685,135.8047222,\"https://example.jp/?a=1,b=\"\"2\"\"\"\r\n"
            + "292036,奈良県,大和郡山市,やまとこおりやまし,city,,135.78,\r\n"
            + "292011,奈良県,誤り,あやまり,city,34.6,135.7,\r\n"
            + "292044,奈良県,天理市,てんりし,hamlet,34.6,135.8,\r\n"
            + "292010,奈良県,奈良市,ならし,city,34.685,135.8,\r\n"
            + "292044,奈良県,天理市,てんりし,city,34.596,135.837,\n"
        let r = MunicipalRegister(csv: csv)
        #expect(r.entries.map(\.code.value) == ["292010", "292044"])
        #expect(r.entries.first?.url == "https://example.jp/?a=1,b=\"2\"")
        #expect(r.entries.last?.url == "")
        #expect(r.problems.count == 4)
        #expect(r.problems.contains { $0.hasPrefix("line 3: lat:") })
        #expect(r.problems.contains { $0.hasPrefix("line 4: code:") && $0.contains("expected 0") })
        #expect(r.problems.contains { $0.hasPrefix("line 5: kind:") })
        #expect(r.problems.contains { $0.hasPrefix("line 6: code:") && $0.contains("repeated") })
        let headerless = MunicipalRegister(csv: "code,name\n292010,奈良市\n")
        #expect(headerless.entries.isEmpty && headerless.problems.first?.contains("prefecture") == true)
        #expect(MunicipalRegister(csv: "").entries.isEmpty)
    }

    @Test("entries round-trip through JSON")
    func codable() throws {
        let e = try #require(register.entry(code("292010")))
        #expect(try JSONDecoder().decode(RegisterEntry.self, from: JSONEncoder().encode(e)) == e)
    }
}

/// `MunicipalRegister.stems` with a tuple of optionals that `#expect` can compare.
enum RegisterStemProbe {
    static func stems(_ name: String, _ kana: String) -> (String?, String?) {
        let s = MunicipalRegister.stems(name: name, kana: kana)
        return (s.name, s.kana)
    }
}
