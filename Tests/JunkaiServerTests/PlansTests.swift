import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import Logging
import PostgresNIO
import Testing

// MARK: - A small consortium for planning tests

/// Runs `body` with a store on its own pool (for setting up and inspecting rows the API does not expose).
func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: TestDatabase.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(Store(client: client, logger: TestDatabase.logger))
    }
}

/// Three Nara municipalities, two skills, three posts and three staff members, planned over April 2027.
///
/// Rows are inserted with SQL so these tests do not depend on the registry endpoints.
struct NaraWorld: Sendable {
    static let nara = "292010", koriyama = "292036", tenri = "292044"
    static let april = (start: "2027-04-01", end: "2027-04-30")

    let cid: UUID
    let coordinator: String
    /// Municipality tokens by code (奈良市 and 大和郡山市 have one).
    let municipalityTokens: [String: String]
    /// [奈良市 DX推進 (pm ≥ 3, 2 days), 大和郡山市 データ (data ≥ 2, 1 day), 天理市 DX推進 (pm ≥ 2, 2 days, Mon/Wed/Fri)].
    let posts: [UUID]
    /// [田中 (pm 4, data 2, max 3), 佐藤 (pm 3, max 3), 鈴木 (data 3, max 2, Mon–Thu)].
    let staff: [UUID]

    var root: String { "/v1/consortia/\(cid)" }

    /// Builds the world; `closed` are the consortium's closed dates.
    static func build(closed: [String] = []) async throws -> NaraWorld {
        try await withStore { store in
            let (cid, posts, staff) = try await store.transaction { conn in
                let cid = UUID()
                try await conn.query("""
                    INSERT INTO consortia (id, name, closed_dates)
                    VALUES (\(cid), 'test: 奈良DX共同任用', \(closed)::text[]::date[])
                    """, logger: store.logger)
                for (code, name, kana, lat, lon) in [(nara, "奈良市", "ならし", 34.685, 135.8047222),
                                                     (koriyama, "大和郡山市", "やまとこおりやまし", 34.64944444, 135.7827778),
                                                     (tenri, "天理市", "てんりし", 34.59666667, 135.8372222)] {
                    try await conn.query("""
                        INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon)
                        VALUES (\(cid), \(code), \(name), '奈良県', \(kana), \(lat), \(lon))
                        """, logger: store.logger)
                }
                try await conn.query("""
                    INSERT INTO skills (consortium_id, id, name)
                    VALUES (\(cid), 'pm', 'プロジェクトマネジメント'), (\(cid), 'data', 'データ利活用')
                    """, logger: store.logger)
                var posts: [UUID] = []
                for (i, (code, title, skill, level, days, allowed, preferred)) in [
                    (nara, "DX推進アドバイザー", "pm", 3, 2, [1, 2, 3, 4, 5], [2, 4]),
                    (koriyama, "データ利活用支援", "data", 2, 1, [1, 2, 3, 4, 5], [Int]()),
                    (tenri, "DX推進", "pm", 2, 2, [1, 3, 5], [Int]()),
                ].enumerated() {
                    let id = UUID()
                    try await conn.query("""
                        INSERT INTO posts (id, consortium_id, municipality_code, title, days_per_week, allowed_weekdays,
                                           preferred_weekdays, created_at)
                        VALUES (\(id), \(cid), \(code), \(title), \(days), \(allowed), \(preferred),
                                now() + make_interval(secs => \(Double(i))))
                        """, logger: store.logger)
                    try await conn.query("""
                        INSERT INTO post_requirements (consortium_id, post_id, skill_id, min_level)
                        VALUES (\(cid), \(id), \(skill), \(level))
                        """, logger: store.logger)
                    posts.append(id)
                }
                var staff: [UUID] = []
                for (i, (name, lat, lon, skills, maxDays, target, available)) in [
                    ("田中", 34.68, 135.80, [("pm", 4), ("data", 2)], 3, 2 as Int?, [1, 2, 3, 4, 5]),
                    ("佐藤", 34.60, 135.83, [("pm", 3)], 3, nil, [1, 2, 3, 4, 5]),
                    ("鈴木", 34.65, 135.78, [("data", 3)], 2, nil, [1, 2, 3, 4]),
                ].enumerated() {
                    let id = UUID()
                    try await conn.query("""
                        INSERT INTO staff (id, consortium_id, name, home_lat, home_lon, max_days_per_week,
                                           target_days_per_week, available_weekdays, max_travel_km, created_at)
                        VALUES (\(id), \(cid), \(name), \(lat), \(lon), \(maxDays), \(target), \(available), 40,
                                now() + make_interval(secs => \(Double(i))))
                        """, logger: store.logger)
                    for (skill, level) in skills {
                        try await conn.query("""
                            INSERT INTO staff_skills (consortium_id, staff_id, skill_id, level)
                            VALUES (\(cid), \(id), \(skill), \(level))
                            """, logger: store.logger)
                    }
                    staff.append(id)
                }
                return (cid, posts, staff)
            }
            let coordinator = try await store.issueToken(role: .coordinator, consortium: cid, municipality: nil, staff: nil,
                                                         label: "test coordinator", by: nil).token
            var tokens: [String: String] = [:]
            for code in [nara, koriyama] {
                tokens[code] = try await store.issueToken(role: .municipality, consortium: cid, municipality: code, staff: nil,
                                                          label: "test \(code)", by: nil).token
            }
            return NaraWorld(cid: cid, coordinator: coordinator, municipalityTokens: tokens, posts: posts, staff: staff)
        }
    }

    /// Declares a staff member unavailable (or undesired) on a date.
    func markStaff(_ staff: UUID, _ date: String, kind: String = "unavailable") async throws {
        try await withStore { store in
            _ = try await store.client.query("""
                INSERT INTO staff_unavailability (consortium_id, staff_id, date, kind)
                VALUES (\(cid), \(staff), \(date)::date, \(kind))
                """, logger: store.logger)
        }
    }
}

extension TestHelper {
    /// Creates a plan over April 2027 (or `period`) and returns its id.
    func createPlan(_ w: NaraWorld, start: String = NaraWorld.april.start, end: String = NaraWorld.april.end,
                    name: String? = nil) async throws -> String {
        var body: [String: Any] = ["period": ["start": start, "end": end]]
        if let name { body["name"] = name }
        let r = try await call(.post, "\(w.root)/plans", token: w.coordinator, json: body)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["id"] as? String)
    }

    /// Polls the plan until its solve has ended; returns the plan.
    func waitForSolve(_ w: NaraWorld, _ pid: String, timeout: Double = 90) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let r = try await call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            let status = r.json["status"] as? String
            if status != "solving" { return r.json }
            if Date() > deadline {
                Issue.record("plan \(pid) still solving after \(timeout) s: \(r.text)")
                return r.json
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Solves a plan for `seconds` and waits for the result.
    func solve(_ w: NaraWorld, _ pid: String, seconds: Double = 1) async throws -> [String: Any] {
        let r = try await call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": seconds])
        #expect(r.status == .accepted, "\(r.text)")
        return try await waitForSolve(w, pid)
    }

    /// The plan's exported instance, loaded and validated exactly as `junkai solve` loads a file.
    func exportedInstance(_ w: NaraWorld, _ pid: String) async throws -> Instance {
        let r = try await call(.get, "\(w.root)/plans/\(pid)/instance", token: w.coordinator)
        #expect(r.status == .ok, "\(r.text)")
        return try InstanceLoader.load(json: r.body)
    }

    /// Sets who works a post on a date.
    func assign(_ w: NaraWorld, _ pid: String, post: UUID, date: String, staff: UUID, pinned: Bool? = nil) async throws -> Reply {
        var body: [String: Any] = ["staff": staff.uuidString]
        if let pinned { body["pinned"] = pinned }
        return try await call(.put, "\(w.root)/plans/\(pid)/assignments/\(post)/\(date)", token: w.coordinator, json: body)
    }
}

/// A plan answer's assignments in solver terms.
func solverAssignments(_ plan: [String: Any]) -> [Assignment] {
    ((plan["assignments"] as? [[String: Any]]) ?? []).compactMap { a in
        guard let s = a["staff"] as? String, let p = a["post"] as? String, let iso = a["date"] as? String,
              let d = CivilDate(iso: iso) else { return nil }
        return Assignment(staff: s, post: p, date: d)
    }
}

// MARK: - Plans

@Suite("Plans")
struct PlansTests {
    @Test("a plan is created as a draft; the period is checked; only the coordinator sees plans")
    func createAndValidate() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build()
            let created = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                           json: ["period": ["start": "2027-04-01", "end": "2027-06-30"], "name": "2027年度 第1四半期"])
            #expect(created.status == .created)
            #expect(created.json["status"] as? String == "draft")
            #expect(created.json["version"] as? Int == 1)
            #expect(created.json["name"] as? String == "2027年度 第1四半期")
            #expect((created.json["period"] as? [String: String])?["end"] == "2027-06-30")
            let pid = try #require(created.json["id"] as? String)

            let backwards = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                             json: ["period": ["start": "2027-04-30", "end": "2027-04-01"]])
            #expect(backwards.status == .unprocessableContent)
            #expect((backwards.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/period/end")

            let tooLong = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                           json: ["period": ["start": "2027-04-01", "end": "2028-04-06"]])
            #expect(tooLong.status == .unprocessableContent)
            #expect((tooLong.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/period/end")
            let yearAndWeek = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                               json: ["period": ["start": "2027-04-01", "end": "2028-04-05"]])
            #expect(yearAndWeek.status == .created, "53 weeks exactly are allowed: \(yearAndWeek.text)")

            let badDate = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                           json: ["period": ["start": "2027-02-30", "end": "2027-04-01"]])
            #expect(badDate.status == .unprocessableContent)
            #expect((badDate.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/period/start")

            let municipality = try #require(w.municipalityTokens[NaraWorld.nara])
            let forbidden = try await h.call(.post, "\(w.root)/plans", token: municipality,
                                             json: ["period": ["start": "2027-04-01", "end": "2027-04-30"]])
            #expect(forbidden.status == .forbidden)
            #expect(try await h.call(.get, "\(w.root)/plans/\(pid)", token: municipality).status == .forbidden)

            let got = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            #expect(got.status == .ok)
            #expect(got.headers[.eTag] == "\"1\"")
            #expect((got.json["assignments"] as? [Any])?.isEmpty == true)
            #expect(got.json["solve"] is NSNull)

            let list = try await h.call(.get, "\(w.root)/plans", token: w.coordinator)
            #expect(list.jsonArray.count == 2)

            // Another consortium's coordinator sees nothing of this one.
            let other = try await NaraWorld.build()
            #expect(try await h.call(.get, "\(w.root)/plans/\(pid)", token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(other.root)/plans/\(pid)", token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.root)/plans/not-a-uuid", token: w.coordinator).status == .notFound)
        }
    }

    @Test("the exported instance is junkai.instance/1 with the consortium's data in the plan's period")
    func exportedInstance() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(closed: ["2027-04-16", "2027-07-01"])
            try await w.markStaff(w.staff[1], "2027-04-14")
            try await w.markStaff(w.staff[1], "2027-05-14")
            try await w.markStaff(w.staff[0], "2027-04-20", kind: "undesired")
            let pid = try await h.createPlan(w)
            let pinned = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-06", staff: w.staff[0])
            #expect(pinned.status == .ok, "\(pinned.text)")
            let loose = try await h.assign(w, pid, post: w.posts[1], date: "2027-04-06", staff: w.staff[2], pinned: false)
            #expect(loose.status == .ok, "\(loose.text)")

            let raw = try await h.call(.get, "\(w.root)/plans/\(pid)/instance", token: w.coordinator)
            #expect(raw.json["format"] as? String == "junkai.instance/1")
            let inst = try await h.exportedInstance(w, pid)
            #expect(inst.period == Period(start: CivilDate(iso: "2027-04-01")!, end: CivilDate(iso: "2027-04-30")!))
            #expect(inst.closedDates == [CivilDate(iso: "2027-04-16")!])
            #expect(inst.skills.map(\.id) == ["data", "pm"])
            #expect(inst.municipalities.map(\.code) == [NaraWorld.nara, NaraWorld.koriyama, NaraWorld.tenri])
            #expect(inst.posts.map(\.id) == w.posts.map(\.uuidString))
            #expect(inst.posts[0].requirements == ["pm": 3])
            #expect(inst.posts[2].allowedWeekdays == [1, 3, 5])
            #expect(inst.staff.map(\.id) == w.staff.map(\.uuidString))
            #expect(inst.staff[1].unavailableDates == [CivilDate(iso: "2027-04-14")!])
            #expect(inst.staff[0].undesiredDates == [CivilDate(iso: "2027-04-20")!])
            #expect(inst.staff[0].effectiveTarget == 2 && inst.staff[1].effectiveTarget == 3)
            #expect(inst.pinned == [Assignment(staff: w.staff[0].uuidString, post: w.posts[0].uuidString, date: CivilDate(iso: "2027-04-06")!)])
            #expect(inst.baseline.isEmpty && inst.requests.isEmpty)
        }
    }

    @Test("manual edits keep the hard rules, bump the version and rescore exactly")
    func manualEdits() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build()
            let pid = try await h.createPlan(w)
            let tue = "2027-04-06", wed = "2027-04-07"

            let ok = try await h.assign(w, pid, post: w.posts[0], date: tue, staff: w.staff[0])
            #expect(ok.status == .ok, "\(ok.text)")
            #expect(ok.json["version"] as? Int == 2)
            #expect(ok.headers[.eTag] == "\"2\"")
            let first = try #require((ok.json["assignments"] as? [[String: Any]])?.first)
            #expect(first["pinned"] as? Bool == true)
            #expect(first["municipality"] as? String == NaraWorld.nara)
            let inst = try await h.exportedInstance(w, pid)
            #expect(ok.json["objective"] as? Int == Scorer.score(inst, solverAssignments(ok.json)).objective)
            let terms = try #require(ok.json["terms"] as? [String: [String: Int]])
            #expect(terms["unmetDemand"]?["count"] == Scorer.score(inst, solverAssignments(ok.json)).terms["unmetDemand"]?.count)

            // H1: 鈴木 has no pm skill.
            let h1 = try await h.assign(w, pid, post: w.posts[2], date: wed, staff: w.staff[2])
            #expect(h1.status == .conflict)
            #expect(detail(h1).contains("H1"))
            // H2: 田中 already works at 奈良市 that Tuesday.
            let h2 = try await h.assign(w, pid, post: w.posts[1], date: tue, staff: w.staff[0])
            #expect(h2.status == .conflict)
            #expect(detail(h2).contains("H2"))
            // H4: 昭和の日 is no working day; 天理市 does not take Tuesdays.
            let h4 = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-29", staff: w.staff[1])
            #expect(h4.status == .conflict)
            #expect(detail(h4).contains("H4"))
            let h4b = try await h.assign(w, pid, post: w.posts[2], date: tue, staff: w.staff[1])
            #expect(detail(h4b).contains("H4"))
            // H6: 奈良市 needs 2 days a week, a third is above the ceiling.
            #expect(try await h.assign(w, pid, post: w.posts[0], date: wed, staff: w.staff[1]).status == .ok)
            let h6 = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-08", staff: w.staff[1])
            #expect(h6.status == .conflict)
            #expect(detail(h6).contains("H6"))

            // Refused edits changed nothing.
            let after = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            #expect(after.json["version"] as? Int == 3)
            #expect(solverAssignments(after.json).count == 2)

            // Replacing who works a seat is one edit; outside the period is 422; stale If-Match is 412.
            let swap = try await h.assign(w, pid, post: w.posts[0], date: wed, staff: w.staff[0])
            #expect(swap.status == .ok)
            #expect(solverAssignments(swap.json).filter { $0.date == CivilDate(iso: wed) }.map(\.staff) == [w.staff[0].uuidString])
            let outside = try await h.assign(w, pid, post: w.posts[0], date: "2027-05-06", staff: w.staff[0])
            #expect(outside.status == .unprocessableContent)
            let unknownStaff = try await h.call(.put, "\(w.root)/plans/\(pid)/assignments/\(w.posts[0])/\(tue)",
                                                token: w.coordinator, json: ["staff": UUID().uuidString])
            #expect(unknownStaff.status == .unprocessableContent)
            #expect((unknownStaff.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/staff")
            let unknownPost = try await h.assign(w, pid, post: UUID(), date: tue, staff: w.staff[0])
            #expect(unknownPost.status == .notFound)
            let stale = try await h.call(.put, "\(w.root)/plans/\(pid)/assignments/\(w.posts[1])/\(tue)", token: w.coordinator,
                                         json: ["staff": w.staff[2].uuidString], headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)

            // Removing an assignment.
            let removed = try await h.call(.delete, "\(w.root)/plans/\(pid)/assignments/\(w.posts[0])/\(tue)", token: w.coordinator)
            #expect(removed.status == .ok)
            #expect(removed.json["version"] as? Int == 5)
            #expect(solverAssignments(removed.json).count == 1)
            let again = try await h.call(.delete, "\(w.root)/plans/\(pid)/assignments/\(w.posts[0])/\(tue)", token: w.coordinator)
            #expect(again.status == .notFound)
            let rescored = try await h.exportedInstance(w, pid)
            #expect(removed.json["objective"] as? Int == Scorer.score(rescored, solverAssignments(removed.json)).objective)
        }
    }
}

/// A problem answer's detail text.
func detail(_ r: TestHelper.Reply) -> String { r.json["detail"] as? String ?? "" }
