import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import Logging
import PostgresNIO
import Testing

// MARK: - A small consortium for planning tests

/// Three Nara municipalities, two skills, three posts and three staff members, planned over April 2027,
/// built through the registry endpoints as a coordinator would.
struct NaraWorld: Sendable {
    static let nara = "292010", koriyama = "292036", tenri = "292044"
    static let april = (start: "2027-04-01", end: "2027-04-30")

    let h: TestHelper
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
    static func build(_ h: TestHelper, closed: [String] = []) async throws -> NaraWorld {
        let admin = try await adminToken()
        func must(_ r: TestHelper.Reply, _ what: String) throws -> [String: Any] {
            guard r.status == .created || r.status == .ok else {
                throw WorldError(message: "\(what): \(r.status.code) \(r.text)")
            }
            return r.json
        }
        func id(_ json: [String: Any]) throws -> UUID {
            guard let raw = json["id"] as? String, let id = UUID(uuidString: raw) else { throw WorldError(message: "no id in \(json)") }
            return id
        }
        let cid = try id(try must(try await h.call(.post, "/v1/consortia", token: admin, json: ["name": "test: 奈良DX共同任用"]), "consortium"))
        let root = "/v1/consortia/\(cid)"
        let issued = try must(try await h.call(.post, "\(root)/tokens", token: admin, json: ["role": "coordinator", "label": "test"]), "coordinator token")
        guard let coordinator = issued["token"] as? String else { throw WorldError(message: "no token in \(issued)") }
        if !closed.isEmpty {
            _ = try must(try await h.call(.patch, root, token: coordinator, json: ["closedDates": closed]), "closed dates")
        }
        for code in [nara, koriyama, tenri] {
            _ = try must(try await h.call(.post, "\(root)/municipalities", token: coordinator, json: ["code": code]), "member \(code)")
        }
        _ = try must(try await h.call(.put, "\(root)/skills/pm", token: coordinator, json: ["name": "プロジェクトマネジメント"]), "skill pm")
        _ = try must(try await h.call(.put, "\(root)/skills/data", token: coordinator, json: ["name": "データ利活用"]), "skill data")
        var posts: [UUID] = []
        for body in [
            ["municipality": nara, "title": "DX推進アドバイザー", "requirements": ["pm": 3], "daysPerWeek": 2, "preferredWeekdays": [2, 4]],
            ["municipality": koriyama, "title": "データ利活用支援", "requirements": ["data": 2], "daysPerWeek": 1],
            ["municipality": tenri, "title": "DX推進", "requirements": ["pm": 2], "daysPerWeek": 2, "allowedWeekdays": [1, 3, 5]],
        ] as [[String: Any]] {
            posts.append(try id(try must(try await h.call(.post, "\(root)/posts", token: coordinator, json: body), "post")))
        }
        var staff: [UUID] = []
        for body in [
            ["name": "田中", "home": ["lat": 34.68, "lon": 135.80], "skills": ["pm": 4, "data": 2], "maxDaysPerWeek": 3,
             "targetDaysPerWeek": 2, "maxTravelKm": 40],
            ["name": "佐藤", "home": ["lat": 34.60, "lon": 135.83], "skills": ["pm": 3], "maxDaysPerWeek": 3, "maxTravelKm": 40],
            ["name": "鈴木", "home": ["lat": 34.65, "lon": 135.78], "skills": ["data": 3], "maxDaysPerWeek": 2,
             "availableWeekdays": [1, 2, 3, 4], "maxTravelKm": 40],
        ] as [[String: Any]] {
            staff.append(try id(try must(try await h.call(.post, "\(root)/staff", token: coordinator, json: body), "staff")))
        }
        var tokens: [String: String] = [:]
        for code in [nara, koriyama] {
            let t = try must(try await h.call(.post, "\(root)/tokens", token: coordinator,
                                              json: ["role": "municipality", "municipality": code]), "municipality token")
            tokens[code] = t["token"] as? String
        }
        return NaraWorld(h: h, cid: cid, coordinator: coordinator, municipalityTokens: tokens, posts: posts, staff: staff)
    }

    struct WorldError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Declares a staff member unavailable (or undesired) on a date.
    func markStaff(_ staff: UUID, _ date: String, kind: String = "unavailable") async throws {
        let r = try await h.call(.post, "\(root)/staff/\(staff)/unavailability", token: coordinator,
                                 json: ["date": date, "kind": kind])
        #expect(r.status == .created, "\(r.text)")
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

@Suite("Plans", .needsDatabase)
struct PlansTests {
    @Test("a plan is created as a draft; the period is checked; only the coordinator sees plans")
    func createAndValidate() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
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

            let nulName = try await h.call(.post, "\(w.root)/plans", token: w.coordinator,
                                           json: ["period": ["start": "2027-04-01", "end": "2027-04-30"], "name": "a\u{0}"])
            #expect((nulName.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/name")

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
            #expect(list.items.count == 2)

            // Another consortium's coordinator sees nothing of this one.
            let other = try await NaraWorld.build(h)
            #expect(try await h.call(.get, "\(w.root)/plans/\(pid)", token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(other.root)/plans/\(pid)", token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.root)/plans/not-a-uuid", token: w.coordinator).status == .notFound)
        }
    }

    @Test("the exported instance is junkai.instance/1 with the consortium's data in the plan's period")
    func exportedInstance() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h, closed: ["2027-04-16", "2027-07-01"])
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
            let w = try await NaraWorld.build(h)
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
