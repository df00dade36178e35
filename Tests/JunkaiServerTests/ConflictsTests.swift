import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import Testing

@testable import JunkaiServer

extension TestHelper {
    /// Publishes a hand-made plan over the first week of April 2027: 佐藤 at 奈良市 on Tue 6 and Thu 8,
    /// 鈴木 at 大和郡山市 on Mon 5, 田中 at 天理市 on Wed 7. Returns the plan id.
    func publishFirstWeek(_ w: NaraWorld) async throws -> String {
        let pid = try await createPlan(w, start: "2027-04-05", end: "2027-04-11", name: "first week")
        for (post, date, staff) in [(w.posts[0], "2027-04-06", w.staff[1]), (w.posts[0], "2027-04-08", w.staff[1]),
                                    (w.posts[1], "2027-04-05", w.staff[2]), (w.posts[2], "2027-04-07", w.staff[0])] {
            let r = try await assign(w, pid, post: post, date: date, staff: staff, pinned: false)
            try #require(r.status == .ok, "\(r.text)")
        }
        let published = try await publish(w, pid, version: 5)
        try #require(published.status == .ok, "\(published.text)")
        return pid
    }
}

/// `rule change staff-index post-index date` for each conflict of an answer, to compare whole lists at once.
func conflictLines(_ items: Any?, _ w: NaraWorld) -> [String] {
    ((items as? [[String: Any]]) ?? []).map { c in
        let s = (c["staff"] as? String).flatMap(UUID.init(uuidString:)).flatMap { w.staff.firstIndex(of: $0) }.map(String.init) ?? "?"
        let p = (c["post"] as? String).flatMap(UUID.init(uuidString:)).flatMap { w.posts.firstIndex(of: $0) }.map(String.init) ?? "?"
        return "\(c["rule"] as? String ?? "") \(c["change"] as? String ?? "") s\(s) p\(p) \(c["date"] as? String ?? "")"
    }
}

@Suite("Conflicts")
struct ConflictsTests {
    @Test("a later change that breaks a published day still succeeds, says so, is listed and marked in schedules and the feed")
    func changesReportConflicts() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            _ = try await h.publishFirstWeek(w)
            let none = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(none.status == .ok)
            #expect(conflictLines(none.json["items"], w).isEmpty, "\(none.text)")

            let away = try await h.call(.post, "\(w.root)/staff/\(w.staff[1])/unavailability", token: w.coordinator,
                                        json: ["date": "2027-04-06", "kind": "unavailable"])
            #expect(away.status == .created, "the write succeeds: \(away.text)")
            #expect(conflictLines(away.json["conflicts"], w) == ["H4 unavailability s1 p0 2027-04-06"])
            let undesired = try await h.call(.post, "\(w.root)/staff/\(w.staff[1])/unavailability", token: w.coordinator,
                                             json: ["date": "2027-04-08", "kind": "undesired"])
            #expect(undesired.status == .created)
            #expect(conflictLines(undesired.json["conflicts"], w).isEmpty, "an undesired date is a preference, not a rule")

            let closed = try await h.call(.patch, w.root, token: w.coordinator, json: ["closedDates": ["2027-04-05"]])
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(conflictLines(closed.json["conflicts"], w) == ["H4 closedDates s2 p1 2027-04-05"])

            let all = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(all.json["items"], w) == ["H4 closedDates s2 p1 2027-04-05", "H4 unavailability s1 p0 2027-04-06"])
            let first = try #require((all.json["items"] as? [[String: Any]])?.first)
            #expect(first["postTitle"] as? String == "データ利活用支援")
            #expect(first["municipality"] as? String == NaraWorld.koriyama)
            #expect((first["detail"] as? String)?.contains("closed date") == true)
            #expect((first["detailJa"] as? String)?.contains("閉庁日") == true)

            // A desk sees the conflicts at its own posts only; a staff member their own days.
            let nara = try await h.call(.get, "\(w.root)/conflicts", token: try #require(w.municipalityTokens[NaraWorld.nara]))
            #expect(conflictLines(nara.json["items"], w) == ["H4 unavailability s1 p0 2027-04-06"])
            let sato = try await h.call(.post, "\(w.root)/tokens", token: w.coordinator, json: ["role": "staff", "staff": w.staff[1].uuidString])
            let satoToken = try #require(sato.json["token"] as? String)
            let own = try await h.call(.get, "\(w.root)/conflicts", token: satoToken)
            #expect(conflictLines(own.json["items"], w) == ["H4 unavailability s1 p0 2027-04-06"])

            // The schedules mark the day.
            let schedule = try await h.call(.get, "\(w.root)/staff/\(w.staff[1])/schedule?from=2027-04-01&to=2027-04-30", token: satoToken)
            #expect(schedule.status == .ok)
            #expect((schedule.json["assignments"] as? [Any])?.count == 2)
            #expect(conflictLines(schedule.json["conflicts"], w) == ["H4 unavailability s1 p0 2027-04-06"])
            let desk = try await h.call(.get, "\(w.root)/municipalities/\(NaraWorld.koriyama)/schedule?from=2027-04-01&to=2027-04-30",
                                        token: try #require(w.municipalityTokens[NaraWorld.koriyama]))
            #expect(conflictLines(desk.json["conflicts"], w) == ["H4 closedDates s2 p1 2027-04-05"])
            let tanaka = try await h.call(.get, "\(w.root)/staff/\(w.staff[0])/schedule?from=2027-04-01&to=2027-04-30", token: w.coordinator)
            #expect(conflictLines(tanaka.json["conflicts"], w).isEmpty)

            // And so does the feed, on that day's event only.
            let feed = try await h.call(.post, "\(w.root)/staff/\(w.staff[1])/calendar-feed", token: satoToken)
            let url = try #require(feed.json["url"] as? String)
            let ics = try await h.call(.get, String(url.dropFirst("http://junkai.test".count)))
            #expect(ics.status == .ok)
            let events = ics.text.components(separatedBy: "BEGIN:VEVENT").dropFirst()
            #expect(events.count == 2)
            #expect(events.filter { $0.contains("X-JUNKAI-CONFLICT:H4 unavailability") }.count == 1)
            #expect(events.first { $0.contains("X-JUNKAI-CONFLICT") }?.contains("DTSTART;VALUE=DATE:20270406") == true)

            // The member's feed marks the day at its post too.
            let memberFeed = try await h.call(.post, "\(w.root)/municipalities/\(NaraWorld.koriyama)/calendar-feed",
                                              token: w.coordinator)
            let memberURL = try #require(memberFeed.json["url"] as? String, "\(memberFeed.text)")
            let memberICS = try await h.call(.get, String(memberURL.dropFirst("http://junkai.test".count)))
            #expect(memberICS.status == .ok)
            let memberEvents = memberICS.text.components(separatedBy: "BEGIN:VEVENT").dropFirst()
            #expect(memberEvents.filter { $0.contains("X-JUNKAI-CONFLICT:H4 closedDates") }.count == 1)
            #expect(memberEvents.first { $0.contains("X-JUNKAI-CONFLICT") }?.contains("DTSTART;VALUE=DATE:20270405") == true)

            // Undoing the cause undoes the conflict: nothing is stored that could go stale.
            let reopened = try await h.call(.patch, w.root, token: w.coordinator, json: ["closedDates": [String]()])
            #expect(conflictLines(reopened.json["conflicts"], w).isEmpty)
            let after = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(after.json["items"], w) == ["H4 unavailability s1 p0 2027-04-06"])
        }
    }

    @Test("edits of skills, weekdays and travel are blamed on the staff member or the post that changed")
    func editsReportConflicts() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            _ = try await h.publishFirstWeek(w)
            let skills = try await h.call(.patch, "\(w.root)/staff/\(w.staff[1])", token: w.coordinator, json: ["skills": ["pm": 2]])
            #expect(skills.status == .ok, "\(skills.text)")
            #expect(conflictLines(skills.json["conflicts"], w) == ["H1 staffSkills s1 p0 2027-04-06", "H1 staffSkills s1 p0 2027-04-08"])

            let requirements = try await h.call(.patch, "\(w.root)/posts/\(w.posts[1])", token: w.coordinator,
                                                json: ["requirements": ["data": 4]])
            #expect(requirements.status == .ok, "\(requirements.text)")
            #expect(conflictLines(requirements.json["conflicts"], w) == ["H1 postRequirements s2 p1 2027-04-05"])

            let weekdays = try await h.call(.patch, "\(w.root)/posts/\(w.posts[2])", token: w.coordinator,
                                            json: ["allowedWeekdays": [1, 5]])
            #expect(conflictLines(weekdays.json["conflicts"], w) == ["H4 postWeekdays s0 p2 2027-04-07"])

            let travel = try await h.call(.patch, "\(w.root)/staff/\(w.staff[0])", token: w.coordinator, json: ["maxTravelKm": 1])
            #expect(conflictLines(travel.json["conflicts"], w) == ["H4 postWeekdays s0 p2 2027-04-07", "H7 staffTravel s0 p2 2027-04-07"])

            let unrelated = try await h.call(.patch, "\(w.root)/staff/\(w.staff[2])", token: w.coordinator, json: ["name": "鈴木 花子"])
            #expect(conflictLines(unrelated.json["conflicts"], w).map { $0.prefix(3) } == ["H1 "],
                    "a rename neither causes nor settles a conflict")
            let list = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(list.json["items"], w).count == 5)
        }
    }

    @Test("removing a person or a post succeeds, answers with the days it leaves open, and a covering publish settles them")
    func removalsAreConflictsUntilRepublished() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            _ = try await h.publishFirstWeek(w)
            let gone = try await h.call(.delete, "\(w.root)/staff/\(w.staff[0])", token: w.coordinator)
            #expect(gone.status == .ok, "\(gone.text)")
            #expect(conflictLines(gone.json["conflicts"], w) == ["removed staffRemoved s0 p2 2027-04-07"])
            let audited = try await withStore { store in
                let rows = try await store.client.query("""
                    SELECT detail::text FROM audit_log
                    WHERE consortium_id = \(w.cid) AND action = 'delete' AND resource_id = \(w.staff[0].uuidString)
                    """, logger: store.logger)
                return try await rows.decode(String.self).first(where: { _ in true })
            }
            #expect(audited?.contains("\"publishedDaysRemoved\": 1") == true, "the audit row counts the days, naming nobody: \(audited ?? "none")")
            let post = try await h.call(.delete, "\(w.root)/posts/\(w.posts[1])", token: w.coordinator)
            #expect(post.status == .ok, "\(post.text)")
            #expect(conflictLines(post.json["conflicts"], w) == ["removed postRemoved s2 p1 2027-04-05"])
            let quiet = try await h.call(.delete, "\(w.root)/posts/\(try await h.newPost(w))", token: w.coordinator)
            #expect(quiet.status == .noContent, "a removal that leaves nothing open answers 204")

            let list = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(list.json["items"], w) == ["removed postRemoved s2 p1 2027-04-05", "removed staffRemoved s0 p2 2027-04-07"])
            let desk = try await h.call(.get, "\(w.root)/municipalities/\(NaraWorld.koriyama)/schedule?from=2027-04-01&to=2027-04-30",
                                        token: try #require(w.municipalityTokens[NaraWorld.koriyama]))
            #expect(conflictLines(desk.json["conflicts"], w) == ["removed postRemoved s2 p1 2027-04-05"])

            // A plan published over those dates settles them.
            let pid = try await h.createPlan(w, start: "2027-04-05", end: "2027-04-11")
            _ = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-06", staff: w.staff[1])
            #expect(try await h.publish(w, pid, version: 2).status == .ok)
            let settled = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(settled.json["items"], w).isEmpty, "\(settled.text)")
        }
    }

    @Test("a replan is a draft over the affected weeks that keeps every unaffected day pinned and fixes the rest")
    func replanResolvesConflicts() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            _ = try await h.publishFirstWeek(w)
            let nothing = try await h.call(.post, "\(w.root)/conflicts/replan", token: w.coordinator)
            #expect(nothing.status == .conflict, "no conflicts, nothing to replan: \(nothing.text)")
            let desk = try #require(w.municipalityTokens[NaraWorld.nara])
            #expect(try await h.call(.post, "\(w.root)/conflicts/replan", token: desk).status == .forbidden)

            try await w.markStaff(w.staff[1], "2027-04-06")
            let bad = try await h.call(.post, "\(w.root)/conflicts/replan", token: w.coordinator, json: ["seconds": 0])
            #expect(bad.status == .unprocessableContent)
            let plansBefore = try await h.planCount(w)

            let replan = try await h.call(.post, "\(w.root)/conflicts/replan", token: w.coordinator, json: ["seconds": 1])
            #expect(replan.status == .accepted, "\(replan.text)")
            #expect(try await h.planCount(w) == plansBefore + 1,
                    "the refused replan left no plan behind")
            #expect(conflictLines(replan.json["conflicts"], w) == ["H4 unavailability s1 p0 2027-04-06"])
            #expect(replan.json["diagnostics"] is [String: Any])
            let draft = try #require(replan.json["plan"] as? [String: Any])
            let pid = try #require(draft["id"] as? String)
            #expect(replan.headers[.location] == "\(w.root)/plans/\(pid)")
            #expect((draft["period"] as? [String: String]) == ["start": "2027-04-05", "end": "2027-04-11"])
            let pinned = ((draft["assignments"] as? [[String: Any]]) ?? []).filter { $0["pinned"] as? Bool == true }
            #expect(pinned.count == 3, "the three unaffected published days are kept: \(pinned)")

            let solved = try await h.waitForSolve(w, pid)
            #expect(solved["status"] as? String == "solved", "\(solved)")
            let assignments = solverAssignments(solved)
            #expect(!assignments.contains { $0.staff == w.staff[1].uuidString && $0.date.iso == "2027-04-06" })
            for a in [("2027-04-08", w.staff[1], w.posts[0]), ("2027-04-05", w.staff[2], w.posts[1]), ("2027-04-07", w.staff[0], w.posts[2])] {
                #expect(assignments.contains(Assignment(staff: a.1.uuidString, post: a.2.uuidString, date: CivilDate(iso: a.0)!)))
            }
            #expect(Scorer.score(try await h.exportedInstance(w, pid), assignments).feasible)

            let version = try #require(solved["version"] as? Int)
            #expect(try await h.publish(w, pid, version: version).status == .ok)
            let after = try await h.call(.get, "\(w.root)/conflicts", token: w.coordinator)
            #expect(conflictLines(after.json["items"], w).isEmpty, "\(after.text)")
        }
    }
}

extension TestHelper {
    /// How many plans the consortium has (a bare list or `{items}`).
    func planCount(_ w: NaraWorld) async throws -> Int {
        let r = try await call(.get, "\(w.root)/plans", token: w.coordinator)
        return (r.json["items"] as? [Any])?.count ?? 0
    }

    /// A post at 天理市 that nobody is published on.
    func newPost(_ w: NaraWorld) async throws -> UUID {
        let r = try await call(.post, "\(w.root)/posts", token: w.coordinator,
                               json: ["municipality": NaraWorld.tenri, "title": "予備", "requirements": ["pm": 1], "daysPerWeek": 1])
        return try #require(UUID(uuidString: r.json["id"] as? String ?? ""))
    }
}
