import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import PostgresNIO
import Testing
@testable import JunkaiServer

@Suite("Cost share (負担金)")
struct CostSharesTests {
    static var populations: [String: Any] { [ScheduleWorld.nara: 354_630, ScheduleWorld.koriyama: 83_285, DeliveryWorld.tenri: 63_889] }

    static func body(total: Int = 1_000_001, rule: (Int, Int, Int) = (20, 30, 50),
                     populations: [String: Any] = populations) -> [String: Any] {
        ["costs": [["label": "人件費", "yen": total - 1], ["label": "旅費、交通費", "yen": 1]],
         "rule": ["equal": rule.0, "population": rule.1, "days": rule.2],
         "populations": populations, "populationBasis": "令和2年国勢調査"]
    }

    /// Confirmed days in fiscal 2026: 奈良市 2 onsite + 1 remote; 大和郡山市 1 remote; plus what must not count: an
    /// absent day, a reported day, and a day of fiscal 2025. 天理市 has no posts.
    static func world(_ h: TestHelper) async throws -> DeliveryWorld {
        let w = try await DeliveryWorld.make()
        let s = w.base
        func day(_ token: String, _ staff: UUID, _ post: UUID, _ date: String, _ mode: String, confirm: Bool) async throws {
            let r = try await w.record(h, token: token, staff: staff, post: post, date: date, mode: mode,
                                       minutes: mode == "absent" ? 0 : 300)
            if confirm, let id = r["id"] as? String {
                #expect(try await h.call(.post, "\(w.root)/work-records/\(id)/confirm", token: s.coordinator).status == .ok)
            }
        }
        try await day(s.staffAToken, s.staffA, s.naraPost, "2026-10-05", "onsite", confirm: true)
        try await day(s.staffAToken, s.staffA, s.naraPost, "2026-10-06", "onsite", confirm: true)
        try await day(s.staffBToken, s.staffB, s.naraPost, "2026-10-06", "remote", confirm: true)
        try await day(s.staffBToken, s.staffB, s.koriyamaPost, "2026-10-07", "remote", confirm: true)
        try await day(s.staffBToken, s.staffB, s.koriyamaPost, "2026-10-08", "absent", confirm: true)
        try await day(s.staffBToken, s.staffB, w.wednesdayPost, "2026-10-14", "onsite", confirm: false)
        try await day(s.staffAToken, s.staffA, s.naraPost, "2026-03-31", "onsite", confirm: true)
        return w
    }

    @Test("the shares follow the contract's arithmetic from the year's confirmed days, and add up to the total")
    func shares() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.world(h)
            let path = "\(w.root)/cost-shares/2026"
            let put = try await h.call(.put, path, token: w.base.coordinator, json: Self.body())
            #expect(put.status == .created, "\(put.text)")
            #expect(try await h.call(.put, path, token: w.base.coordinator, json: Self.body()).status == .ok)
            let r = try await h.call(.get, path, token: w.base.naraToken)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["status"] as? String == "open")
            #expect(r.json["totalYen"] as? Int == 1_000_001)
            #expect(r.json["populationBasis"] as? String == "令和2年国勢調査")
            #expect((r.json["costs"] as? [[String: Any]])?.map { $0["label"] as? String ?? "" } == ["人件費", "旅費、交通費"])
            let shares = r.json["shares"] as? [[String: Any]] ?? []
            #expect(shares.map { $0["municipality"] as? String ?? "" } == [ScheduleWorld.nara, ScheduleWorld.koriyama, DeliveryWorld.tenri])
            #expect(shares.map { $0["days"] as? Int ?? -1 } == [3, 1, 0])
            // By hand: pools 200,000 / 300,000 / 500,001 (the leftover yen to days, fraction .5).
            // Equal: 66,666 r 2 → 66,667, 66,667, 66,666 (ties by code).
            // Population (W = 501,804): 212,013 r 28,548; 49,791 r 177,036; 38,195 r 296,220 → the yen to 天理市.
            // Days (W = 4): 500,001 × 3/4 = 375,000 r 3; × 1/4 = 125,000 r 1; 0 → the yen to 奈良市.
            #expect(shares.map { $0["equalYen"] as? Int ?? -1 } == [66_667, 66_667, 66_666])
            #expect(shares.map { $0["populationYen"] as? Int ?? -1 } == [212_013, 49_791, 38_196])
            #expect(shares.map { $0["daysYen"] as? Int ?? -1 } == [375_001, 125_000, 0])
            #expect(shares.map { $0["totalYen"] as? Int ?? -1 } == [653_681, 241_458, 104_862])
            #expect(shares.reduce(0) { $0 + ($1["totalYen"] as? Int ?? 0) } == 1_000_001)
            #expect(r.json["problems"] as? [Any] == nil || (r.json["problems"] as? [Any])?.isEmpty == true)
            // Municipalities read every member's row but may not write; staff neither.
            #expect(try await h.call(.put, path, token: w.base.naraToken, json: Self.body()).status == .forbidden)
            #expect(try await h.call(.get, path, token: w.base.staffAToken).status == .forbidden)
            #expect(try await h.call(.get, "\(w.root)/cost-shares/2025", token: w.base.coordinator).status == .notFound)
        }
    }

    @Test("fix freezes the year: later records and edits do not move it; reopen unfreezes; every change audited")
    func fixAndReopen() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.world(h)
            let s = w.base
            let path = "\(w.root)/cost-shares/2026"
            #expect(try await h.call(.post, "\(path)/fix", token: s.coordinator).status == .notFound, "nothing set yet")
            _ = try await h.call(.put, path, token: s.coordinator, json: Self.body())
            #expect(try await h.call(.post, "\(path)/fix", token: s.naraToken).status == .forbidden)
            let fixed = try await h.call(.post, "\(path)/fix", token: s.coordinator)
            #expect(fixed.status == .ok, "\(fixed.text)")
            #expect(fixed.json["status"] as? String == "fixed")
            #expect(fixed.json["fixedAt"] is String)
            let before = try await h.call(.get, path, token: s.coordinator)
            let frozen = before.json["shares"] as? [[String: Any]] ?? []

            // A fixed year cannot be edited or fixed again.
            let edit = try await h.call(.put, path, token: s.coordinator, json: Self.body(total: 5))
            #expect(edit.status == .conflict)
            #expect(edit.headers[.contentType] == "application/problem+json")
            #expect(try await h.call(.post, "\(path)/fix", token: s.coordinator).status == .conflict)
            // Later records, a renamed member and a new member do not move the frozen figures.
            let late = try await w.record(h, token: s.staffBToken, staff: s.staffB, post: s.koriyamaPost, date: "2026-11-02")
            _ = try await h.call(.post, "\(w.root)/work-records/\(late["id"] as? String ?? "")/confirm", token: s.koriyamaToken)
            try await ScheduleWorld.sql("UPDATE municipalities SET name = '奈良市（改）' WHERE consortium_id = \(w.cid) AND code = '292010'")
            _ = try await h.call(.post, "\(w.root)/municipalities", token: s.coordinator, json: ["code": "292052"])
            let after = try await h.call(.get, path, token: s.coordinator)
            #expect(after.body == before.body, "the fixed year reads byte for byte the same")
            #expect((after.json["shares"] as? [[String: Any]])?.count == frozen.count)
            // Nor can anyone change it behind the API's back.
            for statement: PostgresQuery in [
                "UPDATE cost_share_costs SET yen = 0 WHERE consortium_id = \(w.cid) AND fiscal_year = 2026",
                "UPDATE cost_share_results SET total_yen = 0, equal_yen = 0, population_yen = 0, days_yen = 0 WHERE consortium_id = \(w.cid)",
                "UPDATE cost_shares SET total_yen = 5 WHERE consortium_id = \(w.cid) AND fiscal_year = 2026",
                "DELETE FROM cost_share_populations WHERE consortium_id = \(w.cid)",
            ] {
                var state: String?
                do { try await ScheduleWorld.sql(statement) } catch { state = (error as? PSQLError)?.serverInfo?[.sqlState] }
                #expect(state == "55000")
            }

            let reopened = try await h.call(.post, "\(path)/reopen", token: s.coordinator)
            #expect(reopened.status == .ok, "\(reopened.text)")
            #expect(reopened.json["status"] as? String == "open")
            #expect(try await h.call(.post, "\(path)/reopen", token: s.coordinator).status == .conflict)
            // Open again: computed from today's members and records. 橿原市 joined without a population, so the year
            // cannot be fixed until the populations name it.
            let live = reopened.json["shares"] as? [[String: Any]] ?? []
            #expect(live.count == 4)
            #expect(live.first { $0["municipality"] as? String == ScheduleWorld.koriyama }?["days"] as? Int == 2)
            #expect(live.first?["municipalityName"] as? String == "奈良市（改）")
            let problems = reopened.json["problems"] as? [[String: Any]] ?? []
            #expect(problems.first?["pointer"] as? String == "/populations/292052")
            #expect(try await h.call(.post, "\(path)/fix", token: s.coordinator).status == .conflict)
            var populations = Self.populations
            populations["292052"] = 120_548
            #expect(try await h.call(.put, path, token: s.coordinator, json: Self.body(populations: populations)).status == .ok)
            #expect(try await h.call(.post, "\(path)/fix", token: s.coordinator).status == .ok)

            let actions = try await w.audit("2026").map(\.0)
            #expect(actions == ["create", "fix", "reopen", "update", "fix"])
            let fixDetail = try #require(try await w.audit("2026").first { $0.0 == "fix" }?.1)
            #expect(fixDetail.contains("\"totalYen\": 1000001"))
            #expect(!fixDetail.contains("人件費"), "cost labels are free text and stay out of the audit log")
        }
    }

    @Test("bad input names the field: rule not adding up, populations missing, unknown or not > 0, costs, the year")
    func validation() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let path = "\(w.root)/cost-shares/2026"
            func put(_ body: [String: Any], at p: String? = nil) async throws -> TestHelper.Reply {
                try await h.call(.put, p ?? path, token: w.base.coordinator, json: body)
            }
            var missing = Self.populations
            missing.removeValue(forKey: DeliveryWorld.tenri)
            var unknown = Self.populations
            unknown["999999"] = 5
            var zero = Self.populations
            zero[ScheduleWorld.koriyama] = 0
            var negativeCost = Self.body()
            negativeCost["costs"] = [["label": "人件費", "yen": -1]]
            var blankLabel = Self.body()
            blankLabel["costs"] = [["label": " ", "yen": 1]]
            var tooMuch = Self.body()
            tooMuch["costs"] = [["label": "a", "yen": 600_000_000_000], ["label": "b", "yen": 600_000_000_000]]
            var noCosts = Self.body()
            noCosts["costs"] = [] as [Any]
            var fractional = Self.body()
            fractional["rule"] = ["equal": 20.5, "population": 30, "days": 50]
            var noRule = Self.body()
            noRule.removeValue(forKey: "rule")
            let cases: [([String: Any], String)] = [
                (Self.body(rule: (20, 30, 40)), "/rule"),
                (Self.body(rule: (-10, 60, 50)), "/rule/equal"),
                (Self.body(populations: missing), "/populations/\(DeliveryWorld.tenri)"),
                (Self.body(populations: unknown), "/populations/999999"),
                (Self.body(populations: zero), "/populations/\(ScheduleWorld.koriyama)"),
                (negativeCost, "/costs/0/yen"),
                (blankLabel, "/costs/0/label"),
                (tooMuch, "/costs"),
                (noCosts, "/costs"),
                (fractional, "/rule/equal"),
                (noRule, "/rule"),
            ]
            for (body, pointer) in cases {
                let r = try await put(body)
                #expect(r.status == .unprocessableContent, "\(pointer): \(r.text)")
                #expect(r.firstPointer == pointer, "\(pointer): \(r.text)")
            }
            // Without a population component the populations may be left out.
            #expect(try await put(Self.body(rule: (50, 0, 50), populations: [:])).status == .created)
            for year in ["1999", "abc", "2101"] {
                let r = try await put(Self.body(), at: "\(w.root)/cost-shares/\(year)")
                #expect(r.status == .unprocessableContent)
                #expect(r.firstPointer == "/fy")
            }
            #expect(try await h.call(.put, path, token: w.base.coordinator, rawBody: "[").status == .badRequest)
        }
    }

    @Test("as CSV: one row per member and a 合計 row; a Japanese filename per RFC 6266")
    func csv() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.world(h)
            _ = try await h.call(.put, "\(w.root)/cost-shares/2026", token: w.base.coordinator, json: Self.body())
            let r = try await h.call(.get, "\(w.root)/cost-shares/2026?format=csv", token: w.base.koriyamaToken)
            #expect(r.status == .ok)
            #expect(r.headers[.contentDisposition]
                    == "attachment; filename=\"cost-share_FY2026.csv\"; filename*=UTF-8''%E8%B2%A0%E6%8B%85%E9%87%91_2026%E5%B9%B4%E5%BA%A6.csv")
            let parsed = try #require(ExcelCSV.parse(Array(r.body)))
            #expect(parsed.first == ["市町村コード", "市町村名", "人口", "実績日数", "均等割（円）", "人口割（円）", "実績割（円）", "負担金（円）"])
            #expect(parsed.count == 5)
            #expect(parsed[1] == ["292010", "奈良市", "354630", "3", "66667", "212013", "375001", "653681"])
            #expect(parsed.last == ["合計", "", "501804", "4", "200000", "300000", "500001", "1000001"])
        }
    }
}
