import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
@testable import JunkaiStore
import NIOCore
import PostgresNIO
import Testing
@testable import JunkaiServer

@Suite("Delivery report", .needsDatabase)
struct DeliveryReportTests {
    /// A month of fiscal 2026 at 奈良市 and 大和郡山市 (天理市 has no posts): published days (one cancelled), accepted,
    /// submitted and declined requests, and records in every status and mode, one of them in the previous fiscal year.
    static func october(_ h: TestHelper) async throws -> DeliveryWorld {
        let w = try await DeliveryWorld.make(closed: ["2026-10-21"])
        let s = w.base
        for date in ["2026-09-01", "2026-10-06", "2026-10-08", "2026-10-13"] { try await s.assign(s.staffA, s.naraPost, date) }
        try await s.assign(s.staffA, s.naraPost, "2026-10-15", cancelled: true, sequence: 1)
        try await s.assign(s.staffB, s.koriyamaPost, "2026-10-07")
        try await s.assign(s.staffB, w.wednesdayPost, "2026-10-14")
        try await ScheduleWorld.sql("""
            INSERT INTO requests (consortium_id, post_id, date, kind, status) VALUES
              (\(w.cid), \(s.naraPost), '2026-10-06', 'required', 'accepted'),
              (\(w.cid), \(s.naraPost), '2026-10-20', 'preferred', 'accepted'),
              (\(w.cid), \(s.koriyamaPost), '2026-10-09', 'required', 'submitted'),
              (\(w.cid), \(s.naraPost), '2026-10-27', 'required', 'declined')
            """)
        func record(_ token: String, _ staff: UUID, _ post: UUID, _ date: String, _ mode: String,
                    then action: String?, by decider: String? = nil) async throws {
            let r = try await w.record(h, token: token, staff: staff, post: post, date: date, mode: mode,
                                       minutes: mode == "absent" ? 0 : 240)
            guard let action, let id = r["id"] as? String else { return }
            let body: [String: Any]? = action == "return" ? ["reason": "要修正"] : nil
            let done = try await h.call(.post, "\(w.root)/work-records/\(id)/\(action)", token: decider ?? s.coordinator, json: body)
            #expect(done.status == .ok, "\(done.text)")
        }
        try await record(s.staffAToken, s.staffA, s.naraPost, "2026-10-06", "onsite", then: "confirm", by: s.naraToken)
        try await record(s.staffAToken, s.staffA, s.naraPost, "2026-10-08", "remote", then: "confirm")
        try await record(s.staffAToken, s.staffA, s.naraPost, "2026-10-13", "absent", then: "confirm", by: s.naraToken)
        try await record(s.staffAToken, s.staffA, s.naraPost, "2026-10-15", "onsite", then: nil)
        try await record(s.staffBToken, s.staffB, s.koriyamaPost, "2026-10-07", "remote", then: "return", by: s.koriyamaToken)
        try await record(s.staffBToken, s.staffB, w.wednesdayPost, "2026-10-14", "onsite", then: nil)
        try await record(s.staffBToken, s.staffB, s.koriyamaPost, "2026-03-31", "onsite", then: "confirm")
        return w
    }

    @Test("every column of the contract for one member and month, worked out by hand")
    func columns() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.october(h)
            let r = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026", token: w.base.coordinator)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["fiscalYear"] as? Int == 2026)
            let rows = r.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 36, "3 members × 12 months")
            #expect(rows.map { $0["municipality"] as? String ?? "" } == Array(repeating: ScheduleWorld.nara, count: 12)
                    + Array(repeating: ScheduleWorld.koriyama, count: 12) + Array(repeating: DeliveryWorld.tenri, count: 12))
            #expect(rows.prefix(12).map { $0["month"] as? String ?? "" }
                    == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12",
                        "2027-01", "2027-02", "2027-03"])
            func row(_ code: String, _ month: String) -> [String: Int] {
                let found = rows.first { $0["municipality"] as? String == code && $0["month"] as? String == month } ?? [:]
                return found.compactMapValues { $0 as? Int }
            }
            // 奈良市, October: weeks with their Thursday in October are 9/28, 10/5, 10/12 (スポーツの日 on Monday: 4 days
            // left), 10/19 and 10/26, each with at least 2 working days: 5 × min(2, …) = 10. Published: 10/6, 10/8,
            // 10/13 (10/15 was cancelled). Requests accepted 10/6 (met) and 10/20 (not): the submitted and the declined
            // ones do not count. Records: 10/15 onsite reported; confirmed 10/6 onsite, 10/8 remote; 10/13 absent.
            #expect(row(ScheduleWorld.nara, "2026-10") == [
                "demandedDays": 10, "plannedDays": 3, "requestsAccepted": 2, "requestsMet": 1, "reportedDays": 1,
                "confirmedDays": 2, "onsiteDays": 1, "remoteDays": 1, "absentDays": 1,
            ])
            // 大和郡山市, October: its 1-day post 5 × 1; the Wednesday post 9/30, 10/7, 10/14, (10/21 closed), 10/28: 4.
            // Published 10/7 and 10/14. Reported: the returned remote day and the reported onsite one.
            #expect(row(ScheduleWorld.koriyama, "2026-10") == [
                "demandedDays": 9, "plannedDays": 2, "requestsAccepted": 0, "requestsMet": 0, "reportedDays": 2,
                "confirmedDays": 0, "onsiteDays": 0, "remoteDays": 0, "absentDays": 0,
            ])
            // September: Thursdays 9/3, 9/10, 9/17, 9/24; the week of 敬老の日, 国民の休日 and 秋分の日 (9/21–23) keeps two
            // working days. 奈良市: 4 × 2 = 8. 大和郡山市: 4 × 1, plus Wednesdays 9/2, 9/9, 9/16 (9/23 a holiday) = 7.
            #expect(row(ScheduleWorld.nara, "2026-09")["demandedDays"] == 8)
            #expect(row(ScheduleWorld.nara, "2026-09")["plannedDays"] == 1)
            #expect(row(ScheduleWorld.koriyama, "2026-09")["demandedDays"] == 7)
            // A member without posts has a row of zeros every month; the record of 2026-03-31 is fiscal 2025's.
            #expect(rows.suffix(12).allSatisfy { r in
                ["demandedDays", "plannedDays", "requestsAccepted", "reportedDays", "confirmedDays", "absentDays"]
                    .allSatisfy { r[$0] as? Int == 0 }
            })
            let march = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2025", token: w.base.coordinator)
            let previous = (march.json["rows"] as? [[String: Any]] ?? []).first {
                $0["municipality"] as? String == ScheduleWorld.koriyama && $0["month"] as? String == "2026-03"
            }
            #expect(previous?["confirmedDays"] as? Int == 1)
            #expect(previous?["onsiteDays"] as? Int == 1)
        }
    }

    @Test("the JSON body is byte for byte the encoder's, names with quotes, slashes and control characters included")
    func jsonBodyIsTheEncoders() throws {
        let names = ["奈良市", "a\"b\\c/d", "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}", "😀\u{2028}", "", "<script>&"]
        for count in [0, 1, 480] {
            let rows = (0..<count).map { i in
                DeliveryReportRow(municipality: String(290_000 + i), municipalityName: names[i % names.count],
                                  month: DeliveryCalendar.label(year: 2027 + i / 12, month: i % 12 + 1),
                                  demandedDays: Int.random(in: 0...100_000), plannedDays: Int.random(in: 0...9),
                                  requestsAccepted: Int.random(in: 10...99), requestsMet: Int.random(in: -1_000_000...0),
                                  reportedDays: Int.random(in: Int.min...Int.max), confirmedDays: i, onsiteDays: 0,
                                  remoteDays: Int.random(in: 0...1), absentDays: Int.random(in: 0...1_000_000_000_000))
            }
            let report = DeliveryReport(fiscalYear: 2027, rows: rows)
            let encoded = try AppRequestContext.encoder.encode(ReportsController.DeliveryResponse(fiscalYear: 2027, rows: rows))
            #expect(Array(DeliveryExports.deliveryReportBody(report).readableBytesView) == Array(encoded))
            #expect(try DeliveryExports.deliveryReportJSON(report) == encoded)
        }
    }

    @Test("demandedDays is the rotation model's demand: the scorer's unmetDemand of an empty plan over the same weeks")
    func demandMatchesTheScorer() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.october(h)
            let s = w.base
            let r = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026", token: s.coordinator)
            let rows = r.json["rows"] as? [[String: Any]] ?? []
            let posts = [
                Post(id: "nara", municipality: ScheduleWorld.nara, title: "n", requirements: [:], daysPerWeek: 2),
                Post(id: "koriyama", municipality: ScheduleWorld.koriyama, title: "k", requirements: [:], daysPerWeek: 1),
                Post(id: "wed", municipality: ScheduleWorld.koriyama, title: "w", requirements: [:], daysPerWeek: 2,
                     allowedWeekdays: [3]),
            ]
            let fy = FiscalYear(2026)
            for (i, ym) in DeliveryCalendar.months(of: fy).enumerated() {
                // The ISO weeks whose Thursday falls in the month, as one period from Monday to Sunday.
                let first = try #require(CivilDate(year: ym.year, month: ym.month, day: 1))
                let thursdays = (0..<31).map { first.adding(days: $0) }.filter { $0.month == ym.month && $0.weekday == 4 }
                let period = Period(start: thursdays.first!.adding(days: -3), end: thursdays.last!.adding(days: 3))
                for code in [ScheduleWorld.nara, ScheduleWorld.koriyama] {
                    let instance = Instance(
                        name: "demand", period: period, closedDates: [CivilDate(iso: "2026-10-21")!], skills: [],
                        municipalities: [Municipality(code: code, name: code, lat: 34.6, lon: 135.8)],
                        posts: posts.filter { $0.municipality == code }, staff: [])
                    let unmet = Scorer.score(instance, []).terms["unmetDemand"]?.count
                    let reported = rows.first { $0["municipality"] as? String == code && $0["month"] as? String == DeliveryCalendar.label(year: ym.year, month: ym.month) }?["demandedDays"] as? Int
                    #expect(reported == unmet, "\(code) \(ym) (month \(i))")
                }
            }
        }
    }

    @Test("the monthly counts the database keeps equal a recount after records and requests move, change status and go")
    func countsMatchARecount() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.october(h)
            let s = w.base
            let listed = try await h.call(.get, "\(w.root)/work-records?status=reported", token: s.coordinator)
            let reported = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(reported.count == 2)
            // Move one to another post and month, delete the other; reopen a confirmed one; republish a day.
            let moved = try await h.call(.patch, "\(w.root)/work-records/\(reported[0])", token: s.coordinator,
                                         json: ["post": s.koriyamaPost.uuidString, "date": "2026-09-30", "mode": "remote"])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try await h.call(.delete, "\(w.root)/work-records/\(reported[1])", token: s.coordinator).status == .noContent)
            let confirmed = try await h.call(.get, "\(w.root)/work-records?status=confirmed&from=2026-10-01", token: s.coordinator)
            let first = try #require((confirmed.json["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await h.call(.post, "\(w.root)/work-records/\(first)/reopen", token: s.coordinator).status == .ok)
            // Requests: one accepted on the cancelled day before it is republished, the submitted one accepted and then
            // met by a new published day, the met one withdrawn, the unmet one moved into November.
            try await ScheduleWorld.sql("""
                INSERT INTO requests (consortium_id, post_id, date, kind, status)
                VALUES (\(w.cid), \(s.naraPost), '2026-10-15', 'preferred', 'accepted')
                """)
            try await ScheduleWorld.sql("UPDATE published_assignments SET status = 'confirmed' WHERE post_id = \(s.naraPost) AND date = '2026-10-15'")
            try await ScheduleWorld.sql("DELETE FROM published_assignments WHERE post_id = \(s.naraPost) AND date = '2026-09-01'")
            try await ScheduleWorld.sql("UPDATE requests SET status = 'accepted' WHERE post_id = \(s.koriyamaPost) AND date = '2026-10-09'")
            try await s.assign(s.staffB, s.koriyamaPost, "2026-10-09")
            try await ScheduleWorld.sql("UPDATE requests SET status = 'withdrawn' WHERE post_id = \(s.naraPost) AND date = '2026-10-06'")
            try await ScheduleWorld.sql("UPDATE requests SET date = '2026-11-02' WHERE post_id = \(s.naraPost) AND date = '2026-10-20'")
            let drift = try await withStore { store in
                let rows = try await store.client.query("""
                    WITH truth AS (
                        SELECT post_id, date_trunc('month', date)::date AS month, count(*) AS planned, 0 AS accepted,
                               0 AS met, 0 AS reported, 0 AS onsite, 0 AS remote, 0 AS absent
                        FROM published_assignments WHERE consortium_id = \(w.cid) AND status = 'confirmed' GROUP BY 1, 2
                        UNION ALL
                        SELECT r.post_id, date_trunc('month', r.date)::date, 0, count(*), count(pa.post_id), 0, 0, 0, 0
                        FROM requests r
                        LEFT JOIN published_assignments pa ON pa.post_id = r.post_id AND pa.date = r.date AND pa.status = 'confirmed'
                        WHERE r.consortium_id = \(w.cid) AND r.status = 'accepted' GROUP BY 1, 2
                        UNION ALL
                        SELECT post_id, date_trunc('month', date)::date, 0, 0, 0,
                               count(*) FILTER (WHERE status <> 'confirmed' AND mode <> 'absent'),
                               count(*) FILTER (WHERE status = 'confirmed' AND mode = 'onsite'),
                               count(*) FILTER (WHERE status = 'confirmed' AND mode = 'remote'),
                               count(*) FILTER (WHERE status = 'confirmed' AND mode = 'absent')
                        FROM work_records WHERE consortium_id = \(w.cid) GROUP BY 1, 2
                    ), expected AS (
                        SELECT post_id, month, sum(planned)::int AS planned, sum(accepted)::int AS accepted,
                               sum(met)::int AS met, sum(reported)::int AS reported,
                               sum(onsite)::int AS onsite, sum(remote)::int AS remote, sum(absent)::int AS absent
                        FROM truth GROUP BY 1, 2
                    )
                    SELECT count(*)::int FROM expected e
                    FULL JOIN (SELECT * FROM delivery_month_counts WHERE consortium_id = \(w.cid)) c
                           ON c.post_id = e.post_id AND c.month = e.month
                    WHERE (COALESCE(e.planned, 0), COALESCE(e.accepted, 0), COALESCE(e.met, 0), COALESCE(e.reported, 0),
                           COALESCE(e.onsite, 0), COALESCE(e.remote, 0), COALESCE(e.absent, 0))
                       IS DISTINCT FROM (COALESCE(c.planned, 0), COALESCE(c.requests_accepted, 0), COALESCE(c.requests_met, 0),
                                         COALESCE(c.reported, 0), COALESCE(c.onsite, 0), COALESCE(c.remote, 0),
                                         COALESCE(c.absent, 0))
                    """, logger: store.logger)
                for try await n in rows.decode(Int.self) { return n }
                return -1
            }
            #expect(drift == 0)
            let r = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&municipality=\(ScheduleWorld.koriyama)",
                                     token: s.coordinator)
            let september = (r.json["rows"] as? [[String: Any]] ?? []).first { $0["month"] as? String == "2026-09" }
            #expect(september?["reportedDays"] as? Int == 1, "the moved record now counts at 大和郡山市 in September")
            let october = (r.json["rows"] as? [[String: Any]] ?? []).first { $0["month"] as? String == "2026-10" }
            #expect(october?["requestsAccepted"] as? Int == 1 && october?["requestsMet"] as? Int == 1,
                    "大和郡山市's request of 10/9, accepted and then met")
            let nara = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&municipality=\(ScheduleWorld.nara)",
                                        token: s.coordinator)
            let naraRows = nara.json["rows"] as? [[String: Any]] ?? []
            let naraOctober = naraRows.first { $0["month"] as? String == "2026-10" }
            let naraNovember = naraRows.first { $0["month"] as? String == "2026-11" }
            #expect(naraOctober?["requestsAccepted"] as? Int == 1 && naraOctober?["requestsMet"] as? Int == 1,
                    "奈良市 in October: 10/6 withdrawn, 10/20 moved away, 10/15 accepted and republished")
            #expect(naraNovember?["requestsAccepted"] as? Int == 1 && naraNovember?["requestsMet"] as? Int == 0)
        }
    }

    @Test("a municipality reads its own rows only; the coordinator may filter; bad parameters name themselves")
    func scopeAndParameters() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await DeliveryWorld.make()
            let s = w.base
            let own = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026", token: s.naraToken)
            #expect(own.status == .ok)
            let codes = Set((own.json["rows"] as? [[String: Any]] ?? []).compactMap { $0["municipality"] as? String })
            #expect(codes == [ScheduleWorld.nara])
            #expect(try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&municipality=\(ScheduleWorld.koriyama)",
                                     token: s.naraToken).status == .notFound)
            let filtered = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&municipality=\(DeliveryWorld.tenri)",
                                            token: s.coordinator)
            #expect((filtered.json["rows"] as? [[String: Any]])?.count == 12)
            #expect(try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&municipality=292052",
                                     token: s.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026", token: s.staffAToken).status == .forbidden)
            for (query, pointer) in [("", "/fiscalYear"), ("fiscalYear=abc", "/fiscalYear"), ("fiscalYear=1999", "/fiscalYear"),
                                     ("fiscalYear=2026.5", "/fiscalYear"), ("fiscalYear=-1", "/fiscalYear"),
                                     ("fiscalYear=99999999999999999999", "/fiscalYear"),
                                     ("fiscalYear=2026&municipality=abc", "/municipality"),
                                     ("fiscalYear=2026&format=pdf", "/format")] {
                let r = try await h.call(.get, "\(w.root)/reports/delivery?\(query)", token: s.coordinator)
                #expect(r.status == .unprocessableContent, "\(query): \(r.text)")
                #expect(r.firstPointer == pointer, "\(query)")
            }
        }
    }

    @Test("as CSV: the Japanese header, then the same rows as the JSON; the store and the API agree")
    func csv() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await Self.october(h)
            let r = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026&format=csv", token: w.base.coordinator)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(r.headers[.contentDisposition]?.hasSuffix("''" + CSVResponse.percentEncoded("実績報告_2026年度.csv")) == true)
            let parsed = try #require(ExcelCSV.parse(Array(r.body)))
            #expect(parsed.first == ["市町村コード", "市町村名", "年月", "需要日数", "計画日数", "依頼承認数", "依頼充足数", "報告日数",
                                     "確認日数", "来庁日数", "リモート日数", "不実施日数"])
            let report = try await withStore { store in
                try await store.deliveryReport(consortium: w.cid, fiscalYear: FiscalYear(2026), municipality: nil)
            }
            #expect(parsed.count == report.rows.count + 1)
            for (line, row) in zip(parsed.dropFirst(), report.rows) {
                #expect(line == [row.municipality, row.municipalityName, row.month] + [
                    row.demandedDays, row.plannedDays, row.requestsAccepted, row.requestsMet, row.reportedDays,
                    row.confirmedDays, row.onsiteDays, row.remoteDays, row.absentDays].map(String.init))
            }
            let json = try await h.call(.get, "\(w.root)/reports/delivery?fiscalYear=2026", token: w.base.coordinator)
            let decoded = try JSONDecoder().decode(DeliveryReport.self, from: json.body)
            #expect(decoded == report)
        }
    }
}
