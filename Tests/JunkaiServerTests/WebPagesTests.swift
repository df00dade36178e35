import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import Testing

@testable import JunkaiServer

extension Browser {
    /// A coordinator browser signed in with a pasted token.
    static func coordinator(_ client: any TestClientProtocol, _ w: NaraWorld) async throws -> Browser {
        let b = Browser(client)
        let form = try await b.get("/sign-in")
        let r = try await b.post("/sign-in", form: [("token", w.coordinator)], token: form.formToken)
        #expect(r.status == .seeOther)
        return b
    }
}

@Suite("Web pages", .needsDatabase)
struct WebPagesTests {
    @Test("a coordinator creates, solves, edits and publishes a plan through the pages; desk and staff see the result")
    func planJourney() async throws {
        try await withApp(worker: true) { client, h in
            let w = try await NaraWorld.build(h)
            let b = try await Browser.coordinator(client, w)
            let c = "/consortia/\(w.cid)"

            // A reversed period is refused in place, keeping what was typed.
            let plans = try await b.get("\(c)/plans")
            let bad = try await b.post("\(c)/plans", form: [("name", "四月の計画"), ("start", "2027-04-30"), ("end", "2027-04-01")],
                                       token: plans.formToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("value=\"四月の計画\""))
            #expect(bad.contains("id=\"end-error\""))
            let made = try await b.post("\(c)/plans", form: [("name", "四月の計画"), ("start", "2027-04-01"), ("end", "2027-04-30")],
                                        token: plans.formToken)
            #expect(made.status == .seeOther)
            let planPath = try #require(made.location)
            let pid = String(planPath.split(separator: "/").last!)

            let overview = try await b.get(planPath)
            #expect(overview.contains(">最適化</button>"))
            #expect(overview.contains("計画「四月の計画」を作成しました"))
            #expect(overview.contains("name=\"seconds\" type=\"number\" min=\"1\" max=\"600\" step=\"1\" value=\"30\""))
            #expect(!overview.contains("いまの割当から再計算"))
            let solving = try await b.post("\(planPath)/solve", form: [("seconds", "1")], token: overview.formToken)
            #expect(solving.status == .seeOther)
            let progress = try await b.get("\(planPath)/progress")
            #expect(progress.headers[.contentType]?.hasPrefix("application/json") == true)
            _ = try await h.waitForSolve(w, pid, timeout: 300)
            let solved = try await b.get(planPath)
            #expect(solved.contains("最適化済み"))
            #expect(solved.contains("需要未充足"))
            #expect(solved.contains(">公開</button>"))
            #expect(solved.contains("この期間に公開済みの予定はありません"))
            // Solved once, the plan is re-solved from its assignments: the form suggests a short limit.
            #expect(solved.contains("name=\"seconds\" type=\"number\" min=\"1\" max=\"600\" step=\"1\" value=\"5\""))
            #expect(solved.contains("いまの割当から再計算するので、小さな変更なら数秒で足ります。"))

            let grid = try await b.get("\(planPath)/grid")
            #expect(grid.status == .ok)
            #expect(grid.contains("<time datetime=\"2027-04-01\">4/1</time>"))
            #expect(grid.contains("田中") && grid.contains("佐藤") && grid.contains("鈴木"))
            #expect(grid.contains("昭和の日"))
            let coverage = try await b.get("\(planPath)/coverage")
            #expect(coverage.status == .ok)
            #expect(coverage.contains("奈良市 DX推進アドバイザー"))

            // 鈴木 has no pm skill: putting them on 奈良市's post breaks H1, shown on the form with the choices kept.
            let refused = try await b.post("\(planPath)/assignments",
                                           form: [("post", w.posts[0].uuidString), ("date", "2027-04-13"),
                                                  ("staff", w.staff[2].uuidString), ("pinned", "1"), ("action", "assign")],
                                           token: grid.formToken)
            #expect(refused.status == .conflict)
            #expect(refused.contains("H1"))
            #expect(refused.contains("<option value=\"\(w.staff[2].uuidString)\" selected>"))
            #expect(refused.contains("value=\"2027-04-13\""))
            // Hand 大和郡山市's day of one week to 鈴木, pinned: free the seat, then assign.
            let plan = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            let seat = try #require((plan.json["assignments"] as? [[String: Any]])?.first { a in
                a["post"] as? String == w.posts[1].uuidString && (CivilDate(iso: a["date"] as? String ?? "")?.weekday ?? 9) <= 4
            })
            let day = try #require(seat["date"] as? String)
            let freed = try await b.post("\(planPath)/assignments",
                                         form: [("post", w.posts[1].uuidString), ("date", day), ("action", "unassign")],
                                         token: grid.formToken)
            #expect(freed.status == .seeOther)
            #expect(try await b.get(freed.location ?? "").contains("割当を外しました"))
            let pinned = try await b.post("\(planPath)/assignments",
                                          form: [("post", w.posts[1].uuidString), ("date", day),
                                                 ("staff", w.staff[2].uuidString), ("pinned", "1"), ("action", "assign")],
                                          token: grid.formToken)
            #expect(pinned.status == .seeOther, "\(pinned.status) \(Browser.first(#"error-summary[^>]*><p>([^<]*)"#, in: pinned.html) ?? "")")
            let after = try await b.get(pinned.location ?? "\(planPath)/grid")
            #expect(after.contains("鈴木さんを割り当てました（固定）"))
            #expect(after.contains(" pin\""))

            let ready = try await b.get(planPath)
            let published = try await b.post("\(planPath)/publish", form: [("version", Browser.first(#"name="version" value="(\d+)""#, in: ready.html) ?? "")],
                                             token: ready.formToken)
            #expect(published.status == .seeOther)
            let done = try await b.get(planPath)
            #expect(done.contains("公開しました。新しい割当"))
            #expect(done.contains("公開済み"))

            // A stale version is refused with a clear message, and nothing changes.
            let stale = try await b.post("\(planPath)/publish", form: [("version", "1")], token: ready.formToken)
            #expect(stale.status == .conflict || stale.status == .preconditionFailed)

            let staff = try await w.browser(client, ["role": "staff", "staff": w.staff[2].uuidString])
            let mine = try await staff.get("\(c)/staff/\(w.staff[2])/schedule?month=2027-04")
            #expect(mine.contains("<time class=\"dn\" datetime=\"\(day)\">"))
            #expect(mine.contains("大和郡山市 データ利活用支援"))
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.koriyama])
            let calendar = try await desk.get("\(c)/municipalities/\(NaraWorld.koriyama)/schedule?month=2027-04")
            #expect(calendar.contains("鈴木（データ利活用支援）"))
        }
    }

    @Test("requests: a desk asks through the page, the coordinator accepts one and declines one with a reason")
    func requestsJourney() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let c = "/consortia/\(w.cid)"
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let mine = "\(c)/municipalities/\(NaraWorld.nara)/requests"
            let page = try await desk.get(mine)
            for name in ["依頼", "予定", "実績"] { #expect(page.contains(">\(name)</a>")) }
            #expect(page.contains("<label for=\"post\">ポスト</label>"))
            #expect(page.contains("<option value=\"required\" selected>必須</option>"))
            for date in ["2027-04-06", "2027-04-08"] {
                let r = try await desk.post(mine, form: [("post", w.posts[0].uuidString), ("date", date), ("kind", "required"),
                                                         ("note", "庁内会議")], token: page.formToken)
                #expect(r.status == .seeOther)
            }
            // A duplicate is refused in place.
            let dup = try await desk.post(mine, form: [("post", w.posts[0].uuidString), ("date", "2027-04-06"), ("kind", "preferred"),
                                                       ("note", "二回目")], token: page.formToken)
            #expect(dup.status == .conflict)
            #expect(dup.contains("二回目"))
            #expect(dup.contains("<option value=\"preferred\" selected>希望</option>"))

            let b = try await Browser.coordinator(client, w)
            let inbox = try await b.get("\(c)/requests")
            #expect(inbox.contains(">承認</button>"))
            #expect(inbox.contains(">却下</button>"))
            #expect(inbox.contains("奈良市"))
            let ids = try NSRegularExpression(pattern: #"/requests/([0-9A-F-]{36})/accept"#)
                .matches(in: inbox.html, range: NSRange(inbox.html.startIndex..., in: inbox.html))
                .map { String(inbox.html[Range($0.range(at: 1), in: inbox.html)!]) }
            #expect(ids.count == 2)
            let accepted = try await b.post("\(c)/requests/\(ids[0])/accept", form: [], token: inbox.formToken)
            #expect(accepted.status == .seeOther)
            let declinePage = try await b.get("\(c)/requests/\(ids[1])/decline")
            #expect(declinePage.contains("<label for=\"reason\">理由</label>"))
            let blank = try await b.post("\(c)/requests/\(ids[1])/decline", form: [("reason", "  ")], token: declinePage.formToken)
            #expect(blank.status == .unprocessableContent)
            #expect(blank.contains("id=\"reason-error\""))
            let declined = try await b.post("\(c)/requests/\(ids[1])/decline", form: [("reason", "研修と重なるため")],
                                            token: declinePage.formToken)
            #expect(declined.status == .seeOther)

            let listed = try await desk.get(mine)
            #expect(listed.contains("承認済み"))
            #expect(listed.contains("理由: 研修と重なるため"))
            let withdraw = try #require(Browser.first(#"action="([^"]+/withdraw)""#, in: listed.html))
            let gone = try await desk.post(withdraw, form: [], token: listed.formToken)
            #expect(gone.status == .seeOther)
            #expect(try await desk.get(mine).contains("取り下げ"))
        }
    }

    @Test("staff: unavailable dates added and removed through the page; a calendar-feed URL with instructions")
    func staffJourney() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let root = "/consortia/\(w.cid)/staff/\(w.staff[0])"
            let b = try await w.browser(client, ["role": "staff", "staff": w.staff[0].uuidString])
            let page = try await b.get("\(root)/unavailability")
            for name in ["予定", "実績", "不在日"] { #expect(page.contains(">\(name)</a>")) }
            let bad = try await b.post("\(root)/unavailability", form: [("date", "2027-02-30"), ("kind", "unavailable"), ("note", "通院")],
                                       token: page.formToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains(">通院</textarea>"))
            let ok = try await b.post("\(root)/unavailability", form: [("date", "2027-04-09"), ("kind", "undesired"), ("note", "通院")],
                                      token: page.formToken)
            #expect(ok.status == .seeOther)
            let listed = try await b.get("\(root)/unavailability")
            #expect(listed.contains("<time datetime=\"2027-04-09\">"))
            #expect(listed.contains("できれば避けたい日"))
            let delete = try #require(Browser.first(#"action="([^"]+/delete)""#, in: listed.html))
            #expect(try await b.post(delete, form: [], token: listed.formToken).status == .seeOther)
            #expect(!(try await b.get("\(root)/unavailability").contains("<time datetime=\"2027-04-09\">")))

            let schedule = try await b.get("\(root)/schedule")
            let feed = try await b.post("\(root)/calendar-feed", form: [], token: schedule.formToken)
            #expect(feed.status == .ok)
            let url = try #require(Browser.first(#"id="feed-url" type="text" readonly value="([^"]+)""#, in: feed.html))
            #expect(url.hasPrefix("http://junkai.test/calendars/"))
            #expect(feed.contains("Google カレンダー"))
            #expect(feed.contains("Outlook"))
            #expect(feed.contains(">コピー</button>"))
            let ics = try await b.get(String(url.dropFirst("http://junkai.test".count)))
            #expect(ics.status == .ok)
            #expect(ics.html.hasPrefix("BEGIN:VCALENDAR"))
        }
    }

    @Test("pages are gzip-compressed when the client accepts it")
    func compression() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let b = try await Browser.coordinator(client, w)
            let plain = try await b.get("/consortia/\(w.cid)/posts")
            #expect(plain.headers[.contentEncoding] == nil)
            let zipped = try await b.get("/consortia/\(w.cid)/posts", headers: [.acceptEncoding: "gzip, deflate"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            let css = try await b.get("/static/app.css", headers: [.acceptEncoding: "gzip"])
            #expect(css.headers[.contentEncoding] == "gzip")
        }
    }
}

@Suite("Web page logic", .needsDatabase)
struct WebLogicTests {
    static func d(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test("the publish difference: gains, losses, moves within the week and post changes on a date")
    func scheduleDiff() {
        let tanaka = UUID(), sato = UUID(), nara = UUID(), tenri = UUID()
        let current = [
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-05")),
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-06")),
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-12")),
            PublishedAssignment(staff: sato, post: tenri, date: Self.d("2027-04-07")),
        ]
        let proposed = [
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-05")),  // unchanged
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-08")),  // 04-06 moved to 04-08
            PublishedAssignment(staff: tanaka, post: nara, date: Self.d("2027-04-20")),  // gained (04-12 lost: other week)
            PublishedAssignment(staff: sato, post: nara, date: Self.d("2027-04-07")),    // same date, other post
        ]
        let diff = ScheduleDiff.compute(current: current, proposed: proposed, staffOrder: [sato, tanaka])
        #expect(diff.people.map(\.staff) == [sato, tanaka])
        #expect(diff.unchanged == 1)
        let t = diff.people[1]
        #expect(t.moved == [.init(from: Self.d("2027-04-06"), to: Self.d("2027-04-08"), fromPost: nara, toPost: nara)])
        #expect(t.lost.map(\.date) == [Self.d("2027-04-12")])
        #expect(t.gained.map(\.date) == [Self.d("2027-04-20")])
        #expect(diff.people[0].moved == [.init(from: Self.d("2027-04-07"), to: Self.d("2027-04-07"), fromPost: tenri, toPost: nara)])
        #expect((diff.gained, diff.lost, diff.moved) == (1, 1, 2))
        #expect(ScheduleDiff.compute(current: current, proposed: current).people.isEmpty)
    }

    @Test("the month calendar: Monday-first weeks covering the month, holidays named")
    func monthCalendar() {
        let may = MonthCalendar(parameter: "2027-05")!
        #expect(may.first == Self.d("2027-05-01"))
        #expect(may.last == Self.d("2027-05-31"))
        #expect(may.previous.parameter == "2027-04")
        #expect(may.next.parameter == "2027-06")
        let weeks = may.weeks(calendar: WorkingDayCalendar(), items: [Self.d("2027-05-06"): [["text": "x"]]])
        let days = weeks.flatMap { $0["days"] as! [[String: Any]] }
        #expect(days.count % 7 == 0)
        #expect(days.first?["iso"] as? String == "2027-04-26")
        #expect(days.last?["iso"] as? String == "2027-06-06")
        let may3 = days.first { $0["iso"] as? String == "2027-05-03" }!
        #expect(may3["holiday"] as? String == "憲法記念日")
        let may6 = days.first { $0["iso"] as? String == "2027-05-06" }!
        #expect(may6["empty"] as? Bool == false)
        #expect(MonthCalendar(parameter: "2027-13") == nil)
        #expect(MonthCalendar(parameter: "x") == nil)
    }

    @Test("forms: urlencoded values with + and percent escapes, trimmed fields, raw text kept")
    func formData() {
        let f = FormData(urlEncoded: "a=1&b=%E5%BF%85%E9%A0%88+x&c=&note=+%0Aline%0A&d=1&d=2")
        #expect(f["a"] == "1")
        #expect(f["b"] == "必須 x")
        #expect(f["c"] == nil)
        #expect(f.raw("note") == " \nline\n")
        #expect(f["note"] == "line")
        #expect(f.all("d") == ["1", "2"])
    }

    @Test("grid labels: the shortest prefix no other member shares")
    func shortNames() {
        let s = PlanPages.shortNames([("292010", "奈良市"), ("292028", "大和高田市"), ("292036", "大和郡山市"), ("293628", "三宅町")])
        #expect(s == ["292010": "奈良", "292028": "大和高", "292036": "大和郡", "293628": "三宅"])
    }

    @Test("HTML written in Swift escapes the five characters mustache escapes, and leaves other text alone")
    func htmlEscape() {
        #expect(HTML.escape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
        #expect(HTML.escape("奈良市 DX推進") == "奈良市 DX推進")
    }

    @Test("sign-in redirects only lead inside the site")
    func localPaths() {
        #expect(WebResponse.localPath("/consortia/x/plans?a=1") == "/consortia/x/plans?a=1")
        #expect(WebResponse.localPath("//evil.example/") == nil)
        #expect(WebResponse.localPath("https://evil.example/") == nil)
        #expect(WebResponse.localPath("/\\evil.example") == nil)
        #expect(WebResponse.localPath(nil) == nil)
    }
}

@Suite("Web coverage cache", .needsDatabase)
struct WebCoverageCacheTests {
    @Test("the coverage page is kept in memory, and a change made behind the server's back shows within moments")
    func coverageFollowsChanges() async throws {
        try await withApp(worker: true) { client, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            _ = try await h.solve(w, pid)
            let b = try await Browser.coordinator(client, w)
            let path = "/consortia/\(w.cid)/plans/\(pid)/coverage"
            let before = try await b.get(path)
            let rate = { (p: Browser.Page) in Browser.first(#"充足率 <strong>([^<]+)</strong>"#, in: p.html) }
            let first = try #require(rate(before))
            #expect(try await rate(b.get(path)) == first)
            // Another server (here: the test's own connection) empties the plan: the page follows.
            try await withStore { store in
                try await store.client.query("DELETE FROM plan_assignments WHERE plan_id = \(UUID(uuidString: pid)!)",
                                             logger: TestDatabase.logger)
            }
            var now = first
            for _ in 0..<50 where now == first {
                try await Task.sleep(for: .milliseconds(100))
                now = try await rate(b.get(path)) ?? first
            }
            #expect(now == "0.0%", "still \(now)")
        }
    }
}

@Suite("Web delivery pages", .needsDatabase)
struct WebDeliveryPagesTests {
    @Test("work records: staff record days through the page, the desk confirms one and returns one, CSVs download")
    func workRecords() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let c = "/consortia/\(w.cid)"
            let today = JapanClock.today()
            let staff = try await w.browser(client, ["role": "staff", "staff": w.staff[0].uuidString])
            let mine = "\(c)/staff/\(w.staff[0])/work-records"
            let form = try await staff.get(mine)
            for label in ["ポスト", "日付", "形態", "時間（分）", "区分", "活動内容"] {
                #expect(form.contains(">\(label)</label>"), "\(label)")
            }
            #expect(form.contains(">記録する</button>"))
            #expect(form.contains(">中止</option>"))
            // A day after today is refused in place, with what was typed kept.
            let future = try await staff.post(mine, form: [("post", w.posts[0].uuidString), ("date", today.adding(days: 3).iso),
                                                           ("mode", "onsite"), ("minutes", "240"), ("category", "meeting"),
                                                           ("summary", "庁内DX会議の準備")], token: form.formToken)
            #expect(future.status == .unprocessableContent)
            #expect(future.contains(">庁内DX会議の準備</textarea>"))
            #expect(future.contains("id=\"date-error\""))
            for (days, summary) in [(1, "窓口システムの相談"), (2, "研修の講師")] {
                let r = try await staff.post(mine, form: [("post", w.posts[0].uuidString), ("date", today.adding(days: -days).iso),
                                                          ("mode", "onsite"), ("minutes", "300"), ("category", "consultation"),
                                                          ("summary", summary)], token: form.formToken)
                #expect(r.status == .seeOther, "\(r)")
            }
            #expect(try await staff.get(mine).contains("窓口システムの相談"))

            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let records = "\(c)/municipalities/\(NaraWorld.nara)/work-records"
            let list = try await desk.get(records)
            #expect(list.contains(">確認</button>"))
            #expect(list.contains(">差戻し</button>"))
            let confirm = try #require(Browser.first(#"action="([^"]+/confirm)""#, in: list.html))
            #expect(try await desk.post(confirm, form: [], token: list.formToken).status == .seeOther)
            let returnPath = try #require(Browser.first(#"action="([^"]+/return)""#, in: try await desk.get(records).html))
            let returnForm = try await desk.get(returnPath)
            #expect(returnForm.contains("<label for=\"reason\">理由</label>"))
            let returned = try await desk.post(returnPath, form: [("reason", "時間を確認してください")], token: returnForm.formToken)
            #expect(returned.status == .seeOther)
            let mineAfter = try await staff.get(mine)
            #expect(mineAfter.contains("確認済み"))
            #expect(mineAfter.contains("理由: 時間を確認してください"))
            // Another desk's records are out of scope; a staff member never confirms.
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.koriyama)/work-records").status == .notFound)
            #expect(try await staff.post(confirm, form: [], token: mineAfter.formToken).status == .forbidden)

            let csv = try await desk.get("\(records)?fiscalYear=\(today.fiscalYear)&status=all&csv=records")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.contains("窓口システムの相談") || csv.html.contains("研修の講師"))
            let report = try await desk.get("\(records)?fiscalYear=\(today.fiscalYear)&csv=report")
            #expect(report.headers[.contentType]?.hasPrefix("text/csv") == true)
        }
    }

    @Test("cost share: set through the form (errors in place), fixed and reopened; CSV download")
    func costShare() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let b = try await Browser.coordinator(client, w)
            let page = try await b.get("/consortia/\(w.cid)/cost-share?fiscalYear=2027")
            #expect(page.contains("まだ設定されていません"))
            var form: [(String, String)] = [("fiscalYear", "2027"), ("label0", "人件費"), ("yen0", "10,000,000"), ("label1", "旅費"),
                                            ("yen1", "500000"), ("equal", "50"), ("population", "30"), ("days", "10"), ("basis", "")]
            let bad = try await b.post("/consortia/\(w.cid)/cost-share", form: form, token: page.formToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("value=\"10,000,000\""))
            form = form.map { $0.0 == "days" ? ("days", "20") : $0 }
            form += [("pop_\(NaraWorld.nara)", "354630"), ("pop_\(NaraWorld.koriyama)", "83965"), ("pop_\(NaraWorld.tenri)", "62089")]
            let ok = try await b.post("/consortia/\(w.cid)/cost-share", form: form, token: page.formToken)
            #expect(ok.status == .seeOther, "\(ok)")
            let shown = try await b.get("/consortia/\(w.cid)/cost-share?fiscalYear=2027")
            #expect(shown.contains("総額 <strong>10,500,000円</strong>"))
            #expect(shown.contains("奈良市"))
            let fixed = try await b.post("/consortia/\(w.cid)/cost-share/fix", form: [("fiscalYear", "2027")], token: shown.formToken)
            #expect(fixed.status == .seeOther)
            #expect(try await b.get("/consortia/\(w.cid)/cost-share?fiscalYear=2027").contains("確定を解除する"))
            let csv = try await b.get("/consortia/\(w.cid)/cost-share?fiscalYear=2027&csv=1")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.contains("合計"))
        }
    }
}
