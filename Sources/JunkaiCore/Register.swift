import Foundation

/// One row of the built-in 全国地方公共団体コード register: a prefecture, municipality or 政令市の区.
public struct RegisterEntry: Sendable, Codable, Hashable {
    public var code: LocalGovCode
    public var prefecture: String
    /// The name; a 政令市の区 is "札幌市 中央区".
    public var name: String
    /// Reading in hiragana, spaced like `name`.
    public var kana: String
    /// prefecture, city, town, village, special-ward (東京23区) or ward (政令市の区).
    public var kind: String
    /// The official web site; may be empty.
    public var url: String
    /// The office position, WGS84 degrees.
    public var lat: Double
    public var lon: Double

    public init(code: LocalGovCode, prefecture: String, name: String, kana: String, kind: String,
                url: String, lat: Double, lon: Double) {
        self.code = code; self.prefecture = prefecture; self.name = name; self.kana = kana
        self.kind = kind; self.url = url; self.lat = lat; self.lon = lon
    }

    /// The office position.
    public var location: GeoPoint {
        get { GeoPoint(lat: lat, lon: lon) }
        set { lat = newValue.lat; lon = newValue.lon }
    }

    /// Whether this is a 市区町村 that can join a consortium (not a prefecture, not a 政令市の区).
    public var isMunicipality: Bool { RegisterEntry.municipalityKinds.contains(kind) }

    public static let kinds: Set<String> = ["prefecture", "city", "town", "village", "special-ward", "ward"]
    public static let municipalityKinds: Set<String> = ["city", "town", "village", "special-ward"]
}

/// The built-in register, loaded once from the bundled lg_register.csv and searchable by code, name or kana.
public final class MunicipalRegister: Sendable {
    /// The bundled register, parsed on first use.
    public static let shared: MunicipalRegister = {
        guard let url = Bundle.module.url(forResource: "lg_register", withExtension: "csv"),
              let data = try? Data(contentsOf: url) else {
            return MunicipalRegister(entries: [], problems: ["lg_register.csv: the bundled resource cannot be read"])
        }
        return MunicipalRegister(csv: data)
    }()

    /// Every entry in code order as the file lists them (prefectures first).
    public let entries: [RegisterEntry]
    /// Rows that were skipped, each naming its line and field; empty for the bundled file.
    public let problems: [String]

    private let index: [LocalGovCode: Int]
    // Search keys as UTF-8 bytes, with spaces removed so "札幌市中央区" finds "札幌市 中央区".
    private let nameKeys: [[UInt8]]
    private let fullKeys: [[UInt8]]
    private let kanaKeys: [[UInt8]]
    /// Name and reading without the kind's suffix (奈良市 → 奈良, ならし → なら), so a bare place name ranks its
    /// own city and prefecture above places whose names merely start with it.
    private let nameStems: [[UInt8]?]
    private let kanaStems: [[UInt8]?]

    /// Parses register CSV text with the header `code,prefecture,name,kana,kind,lat,lon,url`; bad rows land in `problems`.
    public convenience init(csv: String) { self.init(csv: Data(csv.utf8)) }

    /// Parses register CSV bytes (UTF-8); bad rows land in `problems`.
    public convenience init(csv: Data) {
        var entries: [RegisterEntry] = []
        var problems: [String] = []
        let rows = CSV.rows(csv)
        let header = rows.first?.fields ?? []
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let missing = RowField.allCases.filter { column[$0.rawValue] == nil }
        if rows.isEmpty || !missing.isEmpty {
            problems.append("header: missing column(s) \(missing.map(\.rawValue).joined(separator: ", "))")
        } else {
            let positions = RowField.allCases.map { column[$0.rawValue] ?? 0 }
            entries.reserveCapacity(rows.count - 1)
            var seen = Set<LocalGovCode>()
            for row in rows.dropFirst() {
                let values = positions.map { $0 < row.fields.count ? row.fields[$0] : "" }
                switch Self.entry(values) {
                case .success(let entry):
                    if seen.insert(entry.code).inserted { entries.append(entry) } else {
                        problems.append("line \(row.line): code: \(entry.code) is repeated")
                    }
                case .failure(let why):
                    problems.append("line \(row.line): \(why.message)")
                }
            }
        }
        self.init(entries: entries, problems: problems)
    }

    /// A register holding exactly these entries (later duplicates of a code are ignored by `entry(_:)`).
    public init(entries: [RegisterEntry], problems: [String] = []) {
        self.entries = entries
        self.problems = problems
        var index: [LocalGovCode: Int] = [:]
        index.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() where index[e.code] == nil { index[e.code] = i }
        self.index = index
        nameKeys = entries.map { Self.key($0.name) }
        fullKeys = entries.map { $0.kind == "prefecture" ? Self.key($0.name) : Self.key($0.prefecture + $0.name) }
        kanaKeys = entries.map { Self.key($0.kana) }
        let stems = entries.map { Self.stems(name: $0.name, kana: $0.kana) }
        nameStems = stems.map { $0.name.map(Self.key) }
        kanaStems = stems.map { $0.kana.map(Self.key) }
    }

    private struct RowProblem: Error { let message: String }

    /// The register's columns, in the order `entry(_:)` receives them.
    private enum RowField: String, CaseIterable { case code, prefecture, name, kana, kind, lat, lon, url }

    private static func entry(_ v: [String]) -> Result<RegisterEntry, RowProblem> {
        let (codeText, prefecture, name, kana, kind) = (v[0], v[1], v[2], v[3], v[4])
        let code: LocalGovCode
        do { code = try LocalGovCode(validating: codeText) } catch {
            return .failure(RowProblem(message: "code: \"\(codeText)\" \(error)"))
        }
        if prefecture.isEmpty { return .failure(RowProblem(message: "prefecture: empty for \(code)")) }
        if name.isEmpty { return .failure(RowProblem(message: "name: empty for \(code)")) }
        if kana.isEmpty { return .failure(RowProblem(message: "kana: empty for \(code)")) }
        guard RegisterEntry.kinds.contains(kind) else {
            return .failure(RowProblem(message: "kind: \"\(kind)\" is not one of \(RegisterEntry.kinds.sorted())"))
        }
        guard let lat = Double(v[5]), (-90...90).contains(lat) else {
            return .failure(RowProblem(message: "lat: \"\(v[5])\" is not a latitude for \(code)"))
        }
        guard let lon = Double(v[6]), (-180...180).contains(lon) else {
            return .failure(RowProblem(message: "lon: \"\(v[6])\" is not a longitude for \(code)"))
        }
        return .success(RegisterEntry(code: code, prefecture: prefecture, name: name, kana: kana, kind: kind,
                                      url: v[7], lat: lat, lon: lon))
    }

    /// The entry with this code, or nil.
    public func entry(_ code: LocalGovCode) -> RegisterEntry? { index[code].map { entries[$0] } }

    /// Entries matching a code prefix, a name ("奈良市", "奈良県奈良市", "札幌市中央区") or a reading in
    /// hiragana or katakana, best first: exact matches, then prefixes, then substrings, each in code order.
    public func search(_ query: String, limit: Int = 50) -> [RegisterEntry] {
        guard limit > 0 else { return [] }
        // NFKC folds full-width digits and half-width katakana; spaces never matter.
        let q = Self.key(query.precomposedStringWithCompatibilityMapping)
        guard !q.isEmpty else { return [] }
        var ranked: [(rank: Int, index: Int)] = []
        if q.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            for (i, e) in entries.enumerated() {
                let code = Array(e.code.value.utf8)
                if code.starts(with: q) { ranked.append((q.count >= 5 ? 0 : 1, i)) }
            }
        } else {
            let reading = Self.hiragana(q)
            for i in entries.indices {
                let name = nameKeys[i], full = fullKeys[i], kana = kanaKeys[i]
                let rank: Int
                if name == q || full == q || kana == reading { rank = 0 }
                else if nameStems[i] == q || kanaStems[i] == reading { rank = 1 }
                else if name.starts(with: q) || kana.starts(with: reading) { rank = 2 }
                else if Self.contains(full, q) || Self.contains(kana, reading) { rank = 3 }
                else { continue }
                ranked.append((rank, i))
            }
        }
        ranked.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.index < $1.index }
        return ranked.prefix(limit).map { entries[$0.index] }
    }

    /// Municipalities (city, town, village, 特別区) whose office is within `withinKm` of this one's,
    /// nearest first, with the model's rounded km (so `km <= withinKm` holds as in rule H7); itself excluded.
    public func neighbours(of code: LocalGovCode, withinKm: Double) -> [(entry: RegisterEntry, km: Int)] {
        guard let origin = index[code] else { return [] }
        let here = entries[origin].location
        var found: [(exact: Double, index: Int, km: Int)] = []
        for (i, e) in entries.enumerated() where e.isMunicipality && e.code != code {
            let exact = GeoDistance.haversineKm(here, e.location)
            let km = GeoDistance.roundedKm(exact)
            if Double(km) <= withinKm { found.append((exact, i, km)) }
        }
        found.sort { $0.exact != $1.exact ? $0.exact < $1.exact : $0.index < $1.index }
        return found.map { (entries[$0.index], $0.km) }
    }

    // MARK: - Keys

    /// UTF-8 bytes of the text without ASCII white space or U+3000 IDEOGRAPHIC SPACE (E3 80 80).
    /// The kinds' suffixes and their readings: 市 し, 区 く, 町 まち/ちょう, 村 むら/そん, 都 と, 道 どう, 府 ふ, 県 けん.
    static let suffixes: [(kanji: String, readings: [String])] = [
        ("市", ["し"]), ("区", ["く"]), ("町", ["まち", "ちょう"]), ("村", ["むら", "そん"]),
        ("都", ["と"]), ("道", ["どう"]), ("府", ["ふ"]), ("県", ["けん"]),
    ]

    /// The name and reading without the kind's suffix; nil where there is none to strip.
    static func stems(name: String, kana: String) -> (name: String?, kana: String?) {
        let last = name.split(separator: " ").last.map(String.init) ?? name
        guard last == name, let (kanji, readings) = suffixes.first(where: { name.hasSuffix($0.kanji) }), name.count > 1 else {
            return (nil, nil)
        }
        let reading = readings.first { kana.hasSuffix($0) && kana.count > $0.count }
        return (String(name.dropLast(kanji.count)), reading.map { String(kana.dropLast($0.count)) })
    }

    static func key(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var u = text.utf8.makeIterator()
        var held: [UInt8] = []
        while let b = u.next() {
            if !held.isEmpty {
                held.append(b)
                if held == [0xE3, 0x80, 0x80] { held.removeAll(keepingCapacity: true); continue }
                if held.count == 3 || held[1] != 0x80 { out += held; held.removeAll(keepingCapacity: true) }
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case 0xE3: held.append(b)
            default: out.append(b)
            }
        }
        out += held
        return out
    }

    /// Katakana ァ–ヶ (U+30A1–U+30F6) moved to hiragana ぁ–ゖ, in UTF-8.
    static func hiragana(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if (0x30A1...0x30F6).contains(s.value), let h = Unicode.Scalar(s.value - 0x60) {
                scalars.append(h)
            } else {
                scalars.append(s)
            }
        }
        return Array(String(scalars).utf8)
    }

    /// Whether `needle` occurs in `haystack`; byte search is exact for UTF-8, which is self-synchronising.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        guard n <= h else { return false }
        guard let first = needle.first else { return true }
        var i = 0
        while i <= h - n {
            if haystack[i] == first {
                var j = 1
                while j < n && haystack[i + j] == needle[j] { j += 1 }
                if j == n { return true }
            }
            i += 1
        }
        return false
    }
}

/// A minimal RFC 4180 reader: commas, double-quoted fields with "" escapes, LF or CRLF line ends.
enum CSV {
    struct Row {
        /// 1-based line number where the row starts.
        let line: Int
        let fields: [String]
    }

    /// The rows of UTF-8 CSV bytes (a leading byte-order mark is skipped; blank lines are dropped).
    static func rows(_ data: Data) -> [Row] {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Row] in
            var bytes = raw[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            var rows: [Row] = []
            var fields: [String] = []
            var field: [UInt8] = []
            var inQuotes = false, quoted = false
            var line = 1, rowLine = 1
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let b = bytes[i]
                i += 1
                if inQuotes {
                    if b != 0x22 {
                        if b == 0x0A { line += 1 }
                        field.append(b)
                    } else if i < bytes.endIndex && bytes[i] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                    continue
                }
                switch b {
                case 0x2C:
                    endField(&field, &fields, &quoted)
                case 0x0A:
                    endField(&field, &fields, &quoted)
                    endRow(&fields, line: rowLine, into: &rows)
                    line += 1
                    rowLine = line
                case 0x0D where i < bytes.endIndex && bytes[i] == 0x0A:
                    continue
                case 0x22 where field.isEmpty && !quoted:
                    inQuotes = true
                    quoted = true
                default:
                    field.append(b)
                }
            }
            if !field.isEmpty || !fields.isEmpty || quoted {
                endField(&field, &fields, &quoted)
                endRow(&fields, line: rowLine, into: &rows)
            }
            return rows
        }
    }

    private static func endField(_ field: inout [UInt8], _ fields: inout [String], _ quoted: inout Bool) {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        quoted = false
    }

    private static func endRow(_ fields: inout [String], line: Int, into rows: inout [Row]) {
        if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: line, fields: fields)) }
        fields.removeAll(keepingCapacity: true)
    }
}
