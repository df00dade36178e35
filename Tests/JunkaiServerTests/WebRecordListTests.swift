import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import Testing

@testable import JunkaiServer

@Suite("Web work-record lists: pages, places named once", .needsDatabase)
struct WebRecordListTests {
    /// FY2025 (a past year, whatever today is): 田中 130 days and 佐藤 130 days at 奈良市's post, 鈴木 90 days at
    /// 大和郡山市's post, written straight in SQL (the API refuses nothing about them; it would only be slower).
    static let fiscalYear = 2025

    static func records(_ w: NaraWorld) async throws {
        for (staff, post, days) in [(w.staff[0], w.posts[0], 130), (w.staff[1], w.posts[0], 130), (w.staff[2], w.posts[1], 90)] {
            try await ScheduleWorld.sql("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary)
                SELECT \(w.cid), \(staff), \(post), date '2025-04-01' + g::int, 'onsite', 300, 'meeting', '定例会議'
                FROM generate_series(0, \(days - 1)) AS g
                """)
        }
    }

    /// The rows of a list page, each as its text without tags (date, person, place, …).
    static func rows(_ html: String) -> [String] {
        guard let table = html.range(of: "<table class=\"responsive\">"),
              let body = html.range(of: "<tbody>", range: table.upperBound..<html.endIndex), let end = html.range(of: "</tbody>", range: body.upperBound..<html.endIndex)
        else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr>").dropFirst().map {
            $0.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
    }

    /// The address of the link with `rel`, unescaped, or nil.
    static func link(_ rel: String, _ html: String) -> String? {
        Browser.first(#"<a href="([^"]+)" rel="\#(rel)""#, in: html)?.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Every row of a list, by following its next links from `start`; fails when a page is not within bounds.
    static func walk(_ b: Browser, _ start: String) async throws -> (rows: [String], pages: Int) {
        var seen: [String] = []
        var next: String? = start
        var pages = 0
        while let path = next, pages < 20 {
            let page = try await b.get(path)
            #expect(page.status == .ok, "\(path): \(page)")
            let these = rows(page.html)
            #expect(these.count <= DeliveryPages.pageSize)
            seen += these
            pages += 1
            next = link("next", page.html)
            if let next { #expect(next.contains("fiscalYear=\(fiscalYear)") && next.contains("status=all"), "\(next)") }
        }
        return (seen, pages)
    }

    @Test("the coordinator's and a desk's lists come a hundred rows a page, with working links that keep the filters")
    func paging() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            try await Self.records(w)
            let c = "/consortia/\(w.cid)"
            let coordinator = try await Browser.coordinator(client, w)
            let all = "\(c)/work-records?fiscalYear=\(Self.fiscalYear)&status=all"

            let first = try await coordinator.get(all)
            #expect(Self.rows(first.html).count == 100)
            #expect(first.contains("350件中 1–100件"))
            #expect(first.contains("1 / 4ページ"))
            #expect(Self.link("prev", first.html) == nil)
            #expect(Self.link("next", first.html) == "\(all)&page=2")
            // Without JavaScript the links are the whole pager: every record once, in the list's order, over 4 pages.
            let walked = try await Self.walk(coordinator, all)
            #expect(walked.pages == 4)
            #expect(walked.rows.count == 350)
            #expect(Set(walked.rows).count == 350)
            #expect(walked.rows.first?.hasPrefix(JapaneseFormat.fullDay(CivilDate(iso: "2025-04-01")!)) == true)
            #expect(walked.rows.last?.hasPrefix(JapaneseFormat.fullDay(CivilDate(iso: "2025-08-08")!)) == true)

            // Bounds: the last page has the rest; past it shows the last; 0, negative or not a number is the first.
            let last = try await coordinator.get("\(all)&page=4")
            #expect(Self.rows(last.html).count == 50)
            #expect(last.contains("350件中 301–350件"))
            #expect(Self.link("next", last.html) == nil)
            #expect(Self.link("prev", last.html) == "\(all)&page=3")
            #expect(Self.rows(try await coordinator.get("\(all)&page=99").html) == Self.rows(last.html))
            for asked in ["0", "-3", "x"] {
                #expect(Self.rows(try await coordinator.get("\(all)&page=\(asked)").html) == Self.rows(first.html), "\(asked)")
            }
            // Another filter keeps itself in the links; a filter with nothing in it has no pager.
            let reported = try await coordinator.get("\(c)/work-records?fiscalYear=\(Self.fiscalYear)&status=reported")
            #expect(Self.link("next", reported.html)?.contains("status=reported&page=2") == true)
            let confirmed = try await coordinator.get("\(c)/work-records?fiscalYear=\(Self.fiscalYear)&status=confirmed")
            #expect(Self.rows(confirmed.html).isEmpty)
            #expect(!confirmed.contains("rel=\"next\""))

            // A desk pages through its own posts' records only, whatever page it asks for.
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let mine = "\(c)/municipalities/\(NaraWorld.nara)/work-records?fiscalYear=\(Self.fiscalYear)&status=all"
            let deskWalk = try await Self.walk(desk, mine)
            #expect(deskWalk.pages == 3)
            #expect(deskWalk.rows.count == 260)
            #expect(deskWalk.rows.allSatisfy { $0.contains("奈良市 DX推進アドバイザー") && !$0.contains("鈴木") })
            for asked in ["3", "50"] {
                let page = try await desk.get("\(mine)&page=\(asked)")
                #expect(Self.rows(page.html).count == 60)
                #expect(!Self.rows(page.html).contains { $0.contains("大和郡山市") })
            }
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.koriyama)/work-records?page=2").status == .notFound)
        }
    }

    @Test("the coordinator's year by member is the report's twelve months added up")
    func yearTotals() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            try await Self.records(w)
            // Remote days first: a confirmed record is locked.
            try await ScheduleWorld.sql("""
                UPDATE work_records SET mode = 'remote' WHERE consortium_id = \(w.cid) AND date BETWEEN '2025-05-01' AND '2025-05-10'
                """)
            try await ScheduleWorld.sql("""
                UPDATE work_records SET status = 'confirmed', confirmed_at = now()
                WHERE consortium_id = \(w.cid) AND date < '2025-06-15'
                """)
            try await withStore { store in
                let fy = FiscalYear(Self.fiscalYear)
                let report = try await store.deliveryReport(consortium: w.cid, fiscalYear: fy, municipality: nil)
                let totals = try await store.deliveryYearTotals(consortium: w.cid, fiscalYear: fy)
                #expect(totals == DeliveryPages.yearTotals(report))
                #expect(totals.rows.map(\.municipality) == [NaraWorld.nara, NaraWorld.koriyama, NaraWorld.tenri])
                #expect(totals.rows.reduce(0) { $0 + $1.confirmedDays + $1.reportedDays } == 350)
                #expect(totals.rows.contains { $0.remoteDays > 0 })
            }
        }
    }

    @Test("a post whose title begins with its municipality is named once on the pages")
    func placeNamedOnce() async throws {
        #expect(PlaceName.of(municipality: "橿原市", post: "橿原市 DX推進アドバイザー") == "橿原市 DX推進アドバイザー")
        #expect(PlaceName.of(municipality: "橿原市", post: "DX推進アドバイザー") == "橿原市 DX推進アドバイザー")
        #expect(PlaceName.of(municipality: "", post: "DX推進アドバイザー") == "DX推進アドバイザー")
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let created = try await h.call(.post, "\(w.root)/posts", token: w.coordinator,
                                           json: ["municipality": NaraWorld.nara, "title": "奈良市 CIO補佐官", "requirements": ["pm": 1],
                                                  "daysPerWeek": 1])
            #expect(created.status == .created, "\(created.text)")
            let post = try #require((created.json["id"] as? String).flatMap(UUID.init(uuidString:)))
            try await ScheduleWorld.sql("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary)
                VALUES (\(w.cid), \(w.staff[0]), \(post), '2025-04-01', 'onsite', 300, 'meeting', '定例会議'),
                       (\(w.cid), \(w.staff[0]), \(w.posts[0]), '2025-04-02', 'onsite', 300, 'meeting', '定例会議')
                """)
            // The staff member's month shows a published day at each post.
            let plan = try #require(UUID(uuidString: try await h.createPlan(w)))
            try await ScheduleWorld.sql("""
                INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id)
                VALUES (\(w.cid), \(w.staff[0]), \(post), '2027-04-05', \(plan)),
                       (\(w.cid), \(w.staff[0]), \(w.posts[0]), '2027-04-06', \(plan))
                """)
            let c = "/consortia/\(w.cid)"
            let coordinator = try await Browser.coordinator(client, w)
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let staff = try await w.browser(client, ["role": "staff", "staff": w.staff[0].uuidString])
            let pages = [
                try await staff.get("\(c)/staff/\(w.staff[0])/schedule?month=2027-04"),
                try await coordinator.get("\(c)/posts"),
                try await coordinator.get("\(c)/work-records?fiscalYear=\(Self.fiscalYear)&status=all"),
                try await desk.get("\(c)/municipalities/\(NaraWorld.nara)/work-records?fiscalYear=\(Self.fiscalYear)&status=all"),
                try await staff.get("\(c)/staff/\(w.staff[0])/work-records"),
            ]
            for page in pages {
                #expect(page.status == .ok)
                #expect(page.contains("奈良市 CIO補佐官"), "\(page)")
                #expect(!page.contains("奈良市 奈良市"), "\(page)")
                // A title without the name still says where it is.
                #expect(page.contains("奈良市 DX推進アドバイザー"), "\(page)")
            }
        }
    }
}

@Suite("Web delivery report: the 合計 row")
struct WebReportTotalsTests {
    @Test func theTotalsRowAddsUpEveryColumnIncludingOnSiteAndRemoteDays() throws {
        func row(_ month: String, onsite: Int, remote: Int, absent: Int) -> String {
            """
            {"municipality":"292010","municipalityName":"奈良市","month":"\(month)","demandedDays":8,"plannedDays":7,
             "requestsAccepted":2,"requestsMet":1,"reportedDays":1,"confirmedDays":\(onsite + remote),
             "onsiteDays":\(onsite),"remoteDays":\(remote),"absentDays":\(absent)}
            """
        }
        let json = #"{"fiscalYear":2025,"rows":["# + row("2025-04", onsite: 3, remote: 2, absent: 1) + ","
            + row("2025-05", onsite: 4, remote: 0, absent: 0) + "]}"
        let report = try JSONDecoder().decode(DeliveryReport.self, from: Data(json.utf8))
        let model = DeliveryPages.listModel(records: [], decide: "", status: nil, fy: 2025, root: "/records", report: report)
        let totals = try #require(model["totals"] as? [String: Int])
        #expect(totals == ["demanded": 16, "planned": 14, "accepted": 4, "met": 2, "reported": 2, "confirmed": 9,
                           "onsite": 7, "remote": 2, "absent": 1])
    }
}
