import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import PostgresNIO
import Testing

// MARK: - Fixtures shared by the registry, token and authorization tests

/// A consortium made through the API the way an operator makes one: admin → consortium → coordinator token.
struct APIConsortium: Sendable {
    let cid: String
    let admin: String
    let coordinator: String
    let coordinatorTokenId: String
    var root: String { "/v1/consortia/\(cid)" }

    static func create(_ h: TestHelper, admin: String? = nil, name: String = "test: 奈良DX共同任用") async throws -> APIConsortium {
        let admin = if let admin { admin } else { try await adminToken() }
        let c = try await h.call(.post, "/v1/consortia", token: admin, json: ["name": name])
        try #require(c.status == .created, "\(c.text)")
        let cid = try #require(c.json["id"] as? String)
        let t = try await h.call(.post, "/v1/consortia/\(cid)/tokens", token: admin, json: ["role": "coordinator", "label": "test"])
        try #require(t.status == .created, "\(t.text)")
        return APIConsortium(cid: cid, admin: admin, coordinator: try #require(t.json["token"] as? String),
                             coordinatorTokenId: try #require(t.json["id"] as? String))
    }

    /// POSTs as the coordinator and requires a 201; returns the body.
    @discardableResult
    func created(_ h: TestHelper, _ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        let r = try await h.call(.post, root + path, token: coordinator, json: body)
        try #require(r.status == .created, "POST \(path): \(r.status) \(r.text)")
        return r.json
    }

    /// Adds members, the skills `pm` and `data`, and returns nothing; the usual start of a test.
    func addBasics(_ h: TestHelper, codes: [String] = ["292010", "292036"]) async throws {
        for code in codes { try await created(h, "/municipalities", ["code": code]) }
        for (id, name) in [("pm", "プロジェクトマネジメント"), ("data", "データ利活用")] {
            let r = try await h.call(.put, "\(root)/skills/\(id)", token: coordinator, json: ["name": name])
            try #require(r.status == .created, "\(r.text)")
        }
    }

    func post(_ h: TestHelper, municipality: String = "292010", title: String = "DX推進アドバイザー") async throws -> String {
        let p = try await created(h, "/posts", ["municipality": municipality, "title": title, "requirements": ["pm": 2], "daysPerWeek": 2])
        return try #require(p["id"] as? String)
    }

    func staff(_ h: TestHelper, name: String = "田中") async throws -> String {
        let s = try await created(h, "/staff", ["name": name, "home": ["lat": 34.68, "lon": 135.80], "skills": ["pm": 3],
                                                "maxDaysPerWeek": 3])
        return try #require(s["id"] as? String)
    }

    func token(_ h: TestHelper, _ body: [String: Any]) async throws -> (id: String, token: String) {
        let t = try await created(h, "/tokens", body)
        return (try #require(t["id"] as? String), try #require(t["token"] as? String))
    }
}

/// Every pointer of a problem answer's `errors`.
func problemPointers(_ r: TestHelper.Reply) -> [String] {
    ((r.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String }
}

/// Whether a reply is a 422 problem naming exactly `pointer` (among possibly others).
func isInvalid(_ r: TestHelper.Reply, at pointer: String) -> Bool {
    r.status == .unprocessableContent && problemPointers(r).contains(pointer)
        && r.headers[.contentType] == "application/problem+json"
}

// MARK: - Tests

@Suite("Registry", .needsDatabase)
struct RegistryTests {
    @Test("the registry journey: consortium, members, skills, posts, staff and dates, every status as documented")
    func journey() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: journey")
            let coordinator = c.coordinator

            let listed = try await h.call(.get, "/v1/consortia", token: coordinator)
            #expect(listed.status == .ok)
            #expect(listed.items.count == 1, "a coordinator lists only its own consortium")
            let closed = try await h.call(.patch, c.root, token: coordinator,
                                          json: ["closedDates": ["2027-05-06", "2027-04-30", "2027-05-06"]])
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.json["closedDates"] as? [String] == ["2027-04-30", "2027-05-06"], "sorted, without repeats")
            #expect(closed.json["name"] as? String == "test: journey", "a partial update keeps the name")

            // Members: filled from the register; each field may be overridden.
            let nara = try await h.call(.post, "\(c.root)/municipalities", token: coordinator, json: ["code": "292010"])
            #expect(nara.status == .created, "\(nara.text)")
            #expect(nara.json["name"] as? String == "奈良市")
            #expect(nara.json["prefecture"] as? String == "奈良県")
            #expect(nara.json["kana"] as? String == "ならし")
            #expect(abs((nara.json["lat"] as? Double ?? 0) - 34.685) < 1e-9)
            let koriyama = try await h.call(.post, "\(c.root)/municipalities", token: coordinator,
                                            json: ["code": "292036", "name": "大和郡山市役所", "lat": 34.65])
            #expect(koriyama.status == .created)
            #expect(koriyama.json["name"] as? String == "大和郡山市役所")
            #expect(koriyama.json["lat"] as? Double == 34.65)
            #expect(koriyama.json["kana"] as? String == "やまとこおりやまし")
            let members = try await h.call(.get, "\(c.root)/municipalities", token: coordinator)
            #expect(members.status == .ok)
            #expect(members.items.compactMap { ($0 as? [String: Any])?["code"] as? String } == ["292010", "292036"])
            #expect(try await h.call(.get, "\(c.root)/municipalities/292010", token: coordinator).status == .ok)
            #expect(try await h.call(.get, "\(c.root)/municipalities/292044", token: coordinator).status == .notFound)

            // Skills: PUT creates (201) then renames (200).
            let pm = try await h.call(.put, "\(c.root)/skills/pm", token: coordinator, json: ["name": "PM"])
            #expect(pm.status == .created)
            let renamed = try await h.call(.put, "\(c.root)/skills/pm", token: coordinator, json: ["name": "プロジェクトマネジメント"])
            #expect(renamed.status == .ok)
            #expect(renamed.json["name"] as? String == "プロジェクトマネジメント")
            #expect(try await h.call(.put, "\(c.root)/skills/data", token: coordinator, json: ["name": "データ"]).status == .created)
            let skills = try await h.call(.get, "\(c.root)/skills", token: coordinator)
            #expect(skills.items.compactMap { ($0 as? [String: Any])?["id"] as? String } == ["data", "pm"])

            // Posts: the full post comes back, defaults applied.
            let post = try await h.call(.post, "\(c.root)/posts", token: coordinator, json: [
                "municipality": "292010", "title": "DX推進アドバイザー", "requirements": ["pm": 3, "data": 1], "daysPerWeek": 2,
                "preferredWeekdays": [4, 2, 4],
            ])
            #expect(post.status == .created, "\(post.text)")
            let postId = try #require(post.json["id"] as? String)
            #expect(post.json["municipality"] as? String == "292010")
            #expect(post.json["requirements"] as? [String: Int] == ["pm": 3, "data": 1])
            #expect(post.json["daysPerWeek"] as? Int == 2)
            #expect(post.json["allowedWeekdays"] as? [Int] == [1, 2, 3, 4, 5])
            #expect(post.json["preferredWeekdays"] as? [Int] == [2, 4])
            let patched = try await h.call(.patch, "\(c.root)/posts/\(postId)", token: coordinator,
                                           json: ["title": "DX推進アドバイザー（週3）", "requirements": ["data": 2], "daysPerWeek": 3])
            #expect(patched.status == .ok, "\(patched.text)")
            #expect(patched.json["requirements"] as? [String: Int] == ["data": 2], "requirements are replaced as a whole")
            #expect(patched.json["daysPerWeek"] as? Int == 3)
            #expect(patched.json["preferredWeekdays"] as? [Int] == [2, 4], "fields not in the patch stay")
            let got = try await h.call(.get, "\(c.root)/posts/\(postId)", token: coordinator)
            #expect(got.status == .ok)
            #expect(got.json["title"] as? String == "DX推進アドバイザー（週3）")
            #expect(try await h.call(.get, "\(c.root)/posts", token: coordinator).items.count == 1)

            // Staff: the target follows the maximum until it is set; no travel limit is an explicit null.
            let staff = try await h.call(.post, "\(c.root)/staff", token: coordinator, json: [
                "name": "田中", "home": ["lat": 34.68, "lon": 135.80], "skills": ["pm": 4], "maxDaysPerWeek": 3,
                "availableWeekdays": [5, 1, 2],
            ])
            #expect(staff.status == .created, "\(staff.text)")
            let staffId = try #require(staff.json["id"] as? String)
            #expect(staff.json["targetDaysPerWeek"] as? Int == 3)
            #expect(staff.json["maxTravelKm"] is NSNull)
            #expect(staff.json["availableWeekdays"] as? [Int] == [1, 2, 5])
            #expect((staff.json["home"] as? [String: Double])?["lat"] == 34.68)
            let limited = try await h.call(.patch, "\(c.root)/staff/\(staffId)", token: coordinator,
                                           json: ["maxTravelKm": 40, "targetDaysPerWeek": 2])
            #expect(limited.status == .ok, "\(limited.text)")
            #expect(limited.json["maxTravelKm"] as? Int == 40)
            #expect(limited.json["targetDaysPerWeek"] as? Int == 2)
            let unlimited = try await h.call(.patch, "\(c.root)/staff/\(staffId)", token: coordinator,
                                             json: ["maxTravelKm": NSNull(), "maxDaysPerWeek": 4])
            #expect(unlimited.status == .ok)
            #expect(unlimited.json["maxTravelKm"] is NSNull, "null clears the limit")
            #expect(unlimited.json["targetDaysPerWeek"] as? Int == 2, "a set target stays")
            #expect(try await h.call(.get, "\(c.root)/staff/\(staffId)", token: coordinator).status == .ok)
            #expect(try await h.call(.get, "\(c.root)/staff", token: coordinator).items.count == 1)

            // Unavailability: add, list by range, remove.
            let day = try await h.call(.post, "\(c.root)/staff/\(staffId)/unavailability", token: coordinator,
                                       json: ["date": "2027-04-12", "kind": "unavailable", "note": "研修"])
            #expect(day.status == .created, "\(day.text)")
            #expect(day.json["date"] as? String == "2027-04-12")
            #expect(day.json["kind"] as? String == "unavailable")
            #expect(day.json["note"] as? String == "研修")
            let dayId = try #require(day.json["id"] as? String)
            #expect(try await h.call(.post, "\(c.root)/staff/\(staffId)/unavailability", token: coordinator,
                                     json: ["date": "2027-04-12", "kind": "undesired"]).status == .created,
                    "the same date may be both unavailable and undesired")
            #expect(try await h.call(.post, "\(c.root)/staff/\(staffId)/unavailability", token: coordinator,
                                     json: ["date": "2027-05-10", "kind": "undesired"]).status == .created)
            let april = try await h.call(.get, "\(c.root)/staff/\(staffId)/unavailability?from=2027-04-01&to=2027-04-30",
                                         token: coordinator)
            #expect(april.status == .ok)
            #expect(april.items.count == 2)
            #expect(try await h.call(.get, "\(c.root)/staff/\(staffId)/unavailability", token: coordinator).items.count == 3)
            #expect(try await h.call(.delete, "\(c.root)/staff/\(staffId)/unavailability/\(dayId)", token: coordinator).status
                    == .noContent)
            #expect(try await h.call(.delete, "\(c.root)/staff/\(staffId)/unavailability/\(dayId)", token: coordinator).status
                    == .notFound)

            // Deletions: a member with posts stays (409) until its posts are gone.
            let busy = try await h.call(.delete, "\(c.root)/municipalities/292010", token: coordinator)
            #expect(busy.status == .conflict)
            #expect(try await h.call(.delete, "\(c.root)/posts/\(postId)", token: coordinator).status == .noContent)
            #expect(try await h.call(.get, "\(c.root)/posts/\(postId)", token: coordinator).status == .notFound)
            #expect(try await h.call(.delete, "\(c.root)/municipalities/292010", token: coordinator).status == .noContent)
            #expect(try await h.call(.delete, "\(c.root)/staff/\(staffId)", token: coordinator).status == .noContent)
            #expect(try await h.call(.get, "\(c.root)/staff/\(staffId)", token: coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(c.root)/municipalities", token: coordinator).items.count == 1)
        }
    }

    @Test("bad input is a problem naming the field: 400, 413, 422 with pointers, 409 for duplicates")
    func badInput() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: bad input")
            try await c.addBasics(h)
            let token = c.coordinator
            func post(_ path: String, _ body: [String: Any]) async throws -> TestHelper.Reply {
                try await h.call(.post, c.root + path, token: token, json: body)
            }
            let goodPost: [String: Any] = ["municipality": "292010", "title": "DX", "requirements": ["pm": 2], "daysPerWeek": 2]
            func postWith(_ changes: [String: Any]) async throws -> TestHelper.Reply {
                try await post("/posts", goodPost.merging(changes) { _, new in new })
            }

            let malformed = try await h.call(.post, "\(c.root)/posts", token: token, rawBody: "{\"municipality\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            let huge = try await h.call(.post, "\(c.root)/posts", token: token,
                                        rawBody: "{\"title\": \"" + String(repeating: "x", count: 2 << 20) + "\"}")
            #expect(huge.status == .contentTooLarge)

            // Municipality codes: the check digit, the register, membership.
            #expect(isInvalid(try await post("/municipalities", ["code": "292011"]), at: "/code"))
            #expect(isInvalid(try await post("/municipalities", ["code": "29201"]), at: "/code"))
            let unlisted = try #require(LocalGovCode(fiveDigit: "29999"))
            #expect(MunicipalRegister.shared.entry(unlisted) == nil)
            #expect(isInvalid(try await post("/municipalities", ["code": unlisted.value]), at: "/code"))
            #expect(isInvalid(try await post("/municipalities", ["code": "011011"]), at: "/code"), "a ward of 札幌市")
            #expect(isInvalid(try await post("/municipalities", ["code": "292044", "lat": 91]), at: "/lat"))
            #expect(isInvalid(try await post("/municipalities", ["code": 292044]), at: "/code"), "a number is the wrong type")
            let duplicate = try await post("/municipalities", ["code": "292010"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.headers[.contentType] == "application/problem+json")

            // Skills.
            let badSkill = try await h.call(.put, "\(c.root)/skills/-pm", token: token, json: ["name": "x"])
            #expect(isInvalid(badSkill, at: "/skillId"))
            #expect(isInvalid(try await h.call(.put, "\(c.root)/skills/ok", token: token, json: ["name": ""]), at: "/name"))

            // Posts.
            #expect(isInvalid(try await postWith(["requirements": ["cobol": 2]]), at: "/requirements/cobol"))
            #expect(isInvalid(try await postWith(["requirements": ["pm": 0]]), at: "/requirements/pm"))
            #expect(isInvalid(try await postWith(["requirements": ["pm": 6]]), at: "/requirements/pm"))
            #expect(isInvalid(try await postWith(["requirements": ["pm": "high"]]), at: "/requirements/pm"))
            #expect(isInvalid(try await postWith(["requirements": ["pm", 2]]), at: "/requirements"))
            #expect(isInvalid(try await postWith(["daysPerWeek": 0]), at: "/daysPerWeek"))
            #expect(isInvalid(try await postWith(["daysPerWeek": 6]), at: "/daysPerWeek"))
            #expect(isInvalid(try await postWith(["daysPerWeek": "2"]), at: "/daysPerWeek"))
            #expect(try await postWith(["daysPerWeek": 2.5]).status == .unprocessableContent)
            #expect(isInvalid(try await postWith(["allowedWeekdays": [1, 8]]), at: "/allowedWeekdays/1"))
            #expect(isInvalid(try await postWith(["allowedWeekdays": []]), at: "/allowedWeekdays"))
            #expect(isInvalid(try await postWith(["preferredWeekdays": [0]]), at: "/preferredWeekdays/0"))
            #expect(isInvalid(try await postWith(["municipality": "292044"]), at: "/municipality"), "not a member")
            #expect(isInvalid(try await postWith(["municipality": "292011"]), at: "/municipality"), "bad check digit")
            #expect(isInvalid(try await postWith(["title": " "]), at: "/title"))
            #expect(isInvalid(try await post("/posts", ["municipality": "292010", "requirements": [:], "daysPerWeek": 1]), at: "/title"))
            let several = try await postWith(["daysPerWeek": 9, "requirements": ["pm": 7]])
            #expect(Set(problemPointers(several)) == ["/daysPerWeek", "/requirements/pm"], "every problem is reported at once")

            let postId = try await c.post(h)
            let move = try await h.call(.patch, "\(c.root)/posts/\(postId)", token: token, json: ["municipality": "292036"])
            #expect(isInvalid(move, at: "/municipality"))
            #expect(isInvalid(try await h.call(.patch, "\(c.root)/posts/\(postId)", token: token, json: ["daysPerWeek": 6]),
                              at: "/daysPerWeek"))
            #expect(isInvalid(try await h.call(.patch, "\(c.root)/posts/\(postId)", token: token,
                                               json: ["requirements": ["nope": 1]]), at: "/requirements/nope"))
            #expect(try await h.call(.patch, "\(c.root)/posts/\(UUID())", token: token, json: ["title": "x"]).status == .notFound)
            #expect(try await h.call(.get, "\(c.root)/posts/not-a-uuid", token: token).status == .notFound)
            let unchanged = try await h.call(.get, "\(c.root)/posts/\(postId)", token: token)
            #expect(unchanged.json["daysPerWeek"] as? Int == 2, "a refused patch changes nothing")

            // Staff.
            let goodStaff: [String: Any] = ["name": "佐藤", "home": ["lat": 34.6, "lon": 135.8], "skills": ["pm": 3], "maxDaysPerWeek": 3]
            func staffWith(_ changes: [String: Any]) async throws -> TestHelper.Reply {
                try await post("/staff", goodStaff.merging(changes) { _, new in new })
            }
            #expect(isInvalid(try await staffWith(["maxDaysPerWeek": 0]), at: "/maxDaysPerWeek"))
            #expect(isInvalid(try await staffWith(["maxDaysPerWeek": 6]), at: "/maxDaysPerWeek"))
            #expect(isInvalid(try await staffWith(["targetDaysPerWeek": 4]), at: "/targetDaysPerWeek"))
            #expect(isInvalid(try await staffWith(["targetDaysPerWeek": -1]), at: "/targetDaysPerWeek"))
            #expect(isInvalid(try await staffWith(["maxTravelKm": -5]), at: "/maxTravelKm"))
            #expect(isInvalid(try await staffWith(["maxTravelKm": 1 << 40]), at: "/maxTravelKm"), "beyond the column, not a 500")
            #expect(isInvalid(try await staffWith(["name": "田\u{0}中"]), at: "/name"), "PostgreSQL text holds no NUL")
            // 100 family emoji are 100 characters but 700 code points, which is what the database counts.
            #expect(isInvalid(try await staffWith(["name": String(repeating: "👨‍👩‍👧‍👦", count: 100)]), at: "/name"))
            #expect(try await staffWith(["name": String(repeating: "あ", count: 200)]).status == .created)
            #expect(isInvalid(try await staffWith(["availableWeekdays": [8]]), at: "/availableWeekdays/0"))
            #expect(isInvalid(try await staffWith(["skills": ["pm": 6]]), at: "/skills/pm"))
            #expect(isInvalid(try await staffWith(["skills": ["ghost": 1]]), at: "/skills/ghost"))
            #expect(isInvalid(try await staffWith(["home": ["lat": "34.6", "lon": 135.8]]), at: "/home/lat"))
            #expect(isInvalid(try await staffWith(["home": ["lat": 34.6]]), at: "/home/lon"))
            #expect(isInvalid(try await staffWith(["home": ["lat": 95, "lon": 135.8]]), at: "/home/lat"))
            let staffId = try await c.staff(h)
            let lowered = try await h.call(.patch, "\(c.root)/staff/\(staffId)", token: token,
                                           json: ["targetDaysPerWeek": 3, "maxDaysPerWeek": 2])
            #expect(isInvalid(lowered, at: "/targetDaysPerWeek"), "the merged staff member is checked as a whole")
            #expect(isInvalid(try await h.call(.patch, "\(c.root)/staff/\(staffId)", token: token, json: ["maxTravelKm": "far"]),
                              at: "/maxTravelKm"))

            // Unavailability.
            let days = "/staff/\(staffId)/unavailability"
            #expect(isInvalid(try await post(days, ["date": "2027-02-30", "kind": "unavailable"]), at: "/date"))
            #expect(isInvalid(try await post(days, ["date": "2027-04-12", "kind": "busy"]), at: "/kind"))
            #expect(isInvalid(try await post(days, ["date": "2027-04-12", "kind": "undesired",
                                                    "note": String(repeating: "あ", count: 1001)]), at: "/note"))
            #expect(try await post(days, ["date": "2027-04-12", "kind": "unavailable"]).status == .created)
            #expect(try await post(days, ["date": "2027-04-12", "kind": "unavailable"]).status == .conflict)
            #expect(try await post("/staff/\(UUID())/unavailability", ["date": "2027-04-12", "kind": "unavailable"]).status
                    == .notFound)
            let backwards = try await h.call(.get, "\(c.root)\(days)?from=2027-05-01&to=2027-04-01", token: token)
            #expect(isInvalid(backwards, at: "/to"))
            #expect(isInvalid(try await h.call(.get, "\(c.root)\(days)?from=May", token: token), at: "/from"))

            // Consortia and tokens.
            #expect(isInvalid(try await h.call(.post, "/v1/consortia", token: c.admin, json: ["name": ""]), at: "/name"))
            #expect(isInvalid(try await h.call(.post, "/v1/consortia", token: c.admin, json: [:] as [String: Any]), at: "/name"))
            #expect(isInvalid(try await h.call(.patch, c.root, token: token, json: ["closedDates": ["2027-13-01"]]),
                              at: "/closedDates/0"))
        }
    }

    @Test("a post or staff member with past published days (the delivery record) cannot be deleted; a skill in use neither")
    func deletionsThatWouldLoseHistory() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: deletions")
            try await c.addBasics(h)
            let postId = try await c.post(h)
            let staffId = try await c.staff(h)
            let cid = try #require(UUID(uuidString: c.cid)), post = try #require(UUID(uuidString: postId))
            let staff = try #require(UUID(uuidString: staffId))
            try await withStore { store in
                try await store.transaction { conn in
                    let plan = UUID()
                    try await conn.query("""
                        INSERT INTO plans (id, consortium_id, name, period_start, period_end, status)
                        VALUES (\(plan), \(cid), 'test', '2026-04-01', '2026-04-30', 'published')
                        """, logger: store.logger)
                    // Past: future days may go with their post or person (they become conflicts, see ConflictsTests).
                    try await conn.query("""
                        INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id)
                        VALUES (\(cid), \(staff), \(post), '2026-04-06', \(plan))
                        """, logger: store.logger)
                }
            }
            #expect(try await h.call(.delete, "\(c.root)/posts/\(postId)", token: c.coordinator).status == .conflict)
            #expect(try await h.call(.delete, "\(c.root)/staff/\(staffId)", token: c.coordinator).status == .conflict)
            #expect(try await h.call(.get, "\(c.root)/posts/\(postId)", token: c.coordinator).status == .ok)
            #expect(try await h.call(.delete, "\(c.root)/skills/pm", token: c.coordinator).status == .conflict)
            #expect(try await h.call(.delete, "\(c.root)/skills/data", token: c.coordinator).status == .noContent)
            #expect(try await h.call(.delete, "\(c.root)/skills/data", token: c.coordinator).status == .notFound)
        }
    }

    @Test("seeding imports an instance in one go, scoped tokens included")
    func seedImportsTheDemo() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/demo/nara-consortium.instance.json")
        let instance = try InstanceLoader.load(json: try Data(contentsOf: url))
        // Inside withApp, whose start applies the migrations.
        try await withApp(worker: false) { _, h in
            let result = try await withStore { store in try await store.importInstance(instance, name: "test: seeded demo") }
            #expect(result.name == "test: seeded demo")
            #expect(result.municipalities.count == instance.municipalities.count)
            #expect(result.staff.count == instance.staff.count)
            #expect(result.posts.count == instance.posts.count)
            #expect(result.requests == Store.openRequests(instance.requests).count)
            #expect(result.requests + result.requestsMerged == instance.requests.count)
            #expect(result.municipalities.allSatisfy {
                LocalGovCode($0.code).flatMap { MunicipalRegister.shared.entry($0) }?.prefecture == "奈良県"
            })
            let root = "/v1/consortia/\(result.consortium.uuidString)"
            let posts = try await h.call(.get, "\(root)/posts", token: result.coordinatorToken)
            #expect(posts.items.count == instance.posts.count)
            // The demo's twin titles (橿原市 DX推進アドバイザー twice, …) are told apart by their instance ids as codes.
            let labels = posts.items.compactMap { ($0 as? [String: Any])?["label"] as? String }
            #expect(Set(labels).count == labels.count, "every post's label is distinct")
            #expect(posts.items.contains { ($0 as? [String: Any])?["code"] is String })
            let staff = try await h.call(.get, "\(root)/staff", token: result.coordinatorToken)
            #expect(staff.items.count == instance.staff.count)
            #expect(try await h.call(.get, "\(root)/skills", token: result.coordinatorToken).items.count == instance.skills.count)

            // Every municipality token sees exactly the posts the instance gives it.
            for member in result.municipalities.prefix(4) {
                let own = try await h.call(.get, "\(root)/posts", token: member.token)
                let codes = Set(own.items.compactMap { ($0 as? [String: Any])?["municipality"] as? String })
                #expect(own.items.count == instance.posts.filter { $0.municipality == member.code }.count)
                #expect(codes.isSubset(of: [member.code]))
            }
            // A staff token reads itself, with the file's skills, dates and limits.
            let first = try #require(result.staff.first)
            let source = try #require(instance.staff.first { $0.id == first.instanceId })
            let me = try await h.call(.get, "\(root)/staff/\(first.id.uuidString)", token: first.token)
            #expect(me.status == .ok)
            #expect(me.json["skills"] as? [String: Int] == source.skills)
            #expect(me.json["maxTravelKm"] as? Int == source.maxTravelKm)
            let dates = try await h.call(.get, "\(root)/staff/\(first.id.uuidString)/unavailability", token: first.token)
            #expect(dates.items.count == Set(source.unavailableDates).count + Set(source.undesiredDates).count)
        }
    }

    @Test("seeding refuses what the database would refuse, naming the field in the instance")
    func seedValidation() throws {
        var instance = Instance(
            name: "bad", period: Period(start: CivilDate(iso: "2027-04-01")!, end: CivilDate(iso: "2027-04-30")!),
            skills: [Skill(id: "pm", name: "PM"), Skill(id: "a b", name: "x")],
            municipalities: [Municipality(code: "292010", name: "奈良市", lat: 34.685, lon: 135.8),
                             Municipality(code: "011011", name: "中央区", lat: 43, lon: 141)],
            posts: [Post(id: "p", municipality: "292010", title: "", requirements: ["pm": 1], daysPerWeek: 1, allowedWeekdays: [])],
            staff: [Staff(id: "s", name: "田中", home: GeoPoint(lat: 34.6, lon: 135.8), skills: [:], maxDaysPerWeek: 7)])
        #expect(throws: InvalidInput.self) { try Store.importPlan(instance) }
        do {
            _ = try Store.importPlan(instance)
        } catch {
            #expect(Set(error.issues.map(\.pointer)) == [
                "/skills/1/id", "/municipalities/1/code", "/posts/0/title", "/posts/0/allowedWeekdays", "/staff/0/maxDaysPerWeek",
            ])
        }
        instance.skills.removeLast()
        instance.municipalities.removeLast()
        instance.posts[0].title = "DX"
        instance.posts[0].allowedWeekdays = [2]
        instance.staff[0].maxDaysPerWeek = 3
        let plan = try Store.importPlan(instance, name: "named")
        #expect(plan.name == "named")
        #expect(plan.municipalities.first?.kana == "ならし", "filled from the register")
        #expect(plan.municipalities.first?.lat == 34.685, "the instance's own position wins")
    }

    @Test("register filling and the pure rules: overrides win, wards and unknown codes are refused")
    func pureRules() throws {
        let tenri = try MunicipalityRecord.resolve(code: "292044", name: "天理市役所")
        #expect(tenri.name == "天理市役所")
        #expect(tenri.prefecture == "奈良県")
        #expect(tenri.kana == "てんりし")
        #expect(throws: InvalidInput.self) { try MunicipalityRecord.resolve(code: "011011") }
        #expect(throws: InvalidInput.self) { try MunicipalityRecord.resolve(code: "292044", kana: "") }
        #expect(InputRules.skillIdProblem("gov-cloud") == nil)
        #expect(InputRules.skillIdProblem("a.b_c-1") == nil)
        #expect(InputRules.skillIdProblem("") != nil)
        #expect(InputRules.skillIdProblem("_x") != nil)
        #expect(InputRules.skillIdProblem("データ") != nil)
        #expect(InputRules.skillIdProblem(String(repeating: "a", count: 65)) != nil)
        #expect(InputRules.levelIssues(["a/b": 9], at: "/requirements").map(\.pointer) == ["/requirements/a~1b", "/requirements/a~1b"])
        #expect(InputRules.weekdayIssues([1, 0, 7, 8], at: "/w").map(\.pointer) == ["/w/1", "/w/3"])
        let patched = StaffPatch(maxDaysPerWeek: 2, targetDaysPerWeek: .clear, maxTravelKm: .set(10))
            .applied(to: StaffDraft(name: "n", home: GeoPoint(lat: 0, lon: 0), skills: [:], maxDaysPerWeek: 4, targetDaysPerWeek: 3))
        #expect(patched.targetDaysPerWeek == nil)
        #expect(patched.maxTravelKm == 10)
        #expect(patched.issues().isEmpty)

        let day = try #require(CivilDate(iso: "2027-04-06"))
        typealias Ask = JunkaiSolver.Request
        let open = Store.openRequests([Ask(post: "a", date: day, kind: .preferred), Ask(post: "b", date: day, kind: .preferred),
                                       Ask(post: "a", date: day, kind: .required), Ask(post: "a", date: day.adding(days: 1), kind: .preferred)])
        #expect(open == [Ask(post: "a", date: day, kind: .required), Ask(post: "b", date: day, kind: .preferred),
                         Ask(post: "a", date: day.adding(days: 1), kind: .preferred)], "a required repeat wins, order is kept")
    }
}

