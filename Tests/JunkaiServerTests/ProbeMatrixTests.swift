import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import JunkaiServer

/// The black-box probe as a test: every operation of the served OpenAPI document under `/v1/consortia/{cid}`,
/// called as every role with ids of the caller's own, another member's, another consortium's and random
/// resources, must answer as the operation's `x-roles` say (api.md: 404 out of scope, 403 for a role that may
/// not act). The operations come from the document, so a new endpoint cannot ship without being probed.
@Suite("Probe matrix", .needsDatabase)
struct ProbeMatrixTests {
    struct Operation: CustomStringConvertible, Sendable {
        var method: HTTPRequest.Method
        var path: String
        /// Role → "all" or "own"; admin is implicitly "all"; a role not listed may not call the operation.
        var roles: [String: String]
        var description: String { "\(method.rawValue) \(path)" }
        var idParameters: [String] {
            path.split(separator: "/").filter { $0.hasPrefix("{") && $0 != "{cid}" }.map { String($0.dropFirst().dropLast()) }
        }
    }

    enum Variant: String, CaseIterable, Sendable {
        /// Ids of resources in the caller's own scope.
        case own
        /// Ids of another member's (another person's) resources in the same consortium.
        case otherMember
        /// Another consortium's id and resources.
        case otherConsortium
        /// Random ids in the caller's consortium.
        case random
        /// A consortium that does not exist.
        case unknownConsortium
    }

    /// Every operation under a consortium in the served document, with its `x-roles`.
    static func operations() throws -> (operations: [Operation], missingRoles: [String]) {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var ops: [Operation] = [], missing: [String] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) where path.hasPrefix("/v1/consortia/{cid}") {
            for (method, value) in item.sorted(by: { $0.key < $1.key }) where method != "parameters" {
                guard let op = value as? [String: Any] else { continue }
                guard let roles = op["x-roles"] as? [String: String] else { missing.append("\(method) \(path)"); continue }
                ops.append(Operation(method: HTTPRequest.Method(method.uppercased())!, path: path, roles: roles))
            }
        }
        return (ops, missing)
    }

    /// One consortium with two members and, for each, a post, a staff member, a declared date and a request; a
    /// plan with a queued solve job; tokens for a desk of the first member, the first staff member and a spare.
    struct Side: Sendable {
        var cid: String
        var coordinator: String, desk: String, person: String
        var spareTokens: [String]
        var members: [String], posts: [String], staff: [String], dates: [String], requests: [String], records: [String]
        var plan: String, job: String

        static let date = "2027-06-01"

        static func build(_ h: TestHelper, admin: String, name: String) async throws -> Side {
            let c = try await APIConsortium.create(h, admin: admin, name: name)
            try await c.addBasics(h)
            let members = ["292010", "292036"]
            var posts: [String] = [], staff: [String] = [], dates: [String] = [], requests: [String] = []
            for (i, code) in members.enumerated() {
                posts.append(try await c.post(h, municipality: code))
                staff.append(try await c.staff(h, name: "職員\(i)"))
            }
            for (i, s) in staff.enumerated() {
                let u = try await c.created(h, "/staff/\(s)/unavailability", ["date": "2027-06-0\(2 + i)", "kind": "unavailable"])
                dates.append(try #require(u["id"] as? String))
            }
            for p in posts {
                let r = try await c.created(h, "/requests", ["post": p, "date": date, "kind": "preferred"])
                requests.append(try #require(r["id"] as? String))
            }
            var records: [String] = []
            for (p, s) in zip(posts, staff) {
                let w = try await c.created(h, "/work-records", ["staff": s, "post": p, "date": "2026-11-02", "mode": "onsite",
                                                                  "minutes": 240, "category": "consultation", "summary": "相談対応"])
                records.append(try #require(w["id"] as? String))
            }
            let share = try await h.call(.put, "\(c.root)/cost-shares/2026", token: c.coordinator, json: [
                "costs": [["label": "人件費", "yen": 1_000_000]], "rule": ["equal": 100, "population": 0, "days": 0],
                "populations": [String: Int](),
            ])
            try #require(share.status == .ok || share.status == .created, "\(share.text)")
            let plan = try #require(try await c.created(h, "/plans", ["period": ["start": "2027-06-01", "end": "2027-06-30"]])["id"] as? String)
            let solve = try await h.call(.post, "\(c.root)/plans/\(plan)/solve", token: c.coordinator, json: ["seconds": 1])
            try #require(solve.status == .accepted, "\(solve.text)")
            let job = try #require((solve.json["job"] as? [String: Any])?["id"] as? String ?? solve.json["id"] as? String)
            // The job only needs to exist: cancelled at once, so no worker sharing this database spends time on it.
            try await cancelJobs(of: try #require(UUID(uuidString: plan)))
            let desk = try await c.token(h, ["role": "municipality", "municipality": members[0]])
            let person = try await c.token(h, ["role": "staff", "staff": staff[0]])
            var spareTokens: [String] = []
            for s in staff {
                spareTokens.append(try await c.token(h, ["role": "staff", "staff": s, "label": "spare"]).id)
                let feed = try await h.call(.post, "\(c.root)/staff/\(s)/calendar-feed", token: c.coordinator)
                try #require(feed.status == .created, "\(feed.text)")
            }
            for m in members {
                let feed = try await h.call(.post, "\(c.root)/municipalities/\(m)/calendar-feed", token: c.coordinator)
                try #require(feed.status == .created, "\(feed.text)")
            }
            return Side(cid: c.cid, coordinator: c.coordinator, desk: desk.token, person: person.token,
                        spareTokens: spareTokens, members: members, posts: posts, staff: staff, dates: dates,
                        requests: requests, records: records, plan: plan, job: job)
        }

        /// The value of a path parameter; `index` 0 is the callers' own member/person, 1 the other one.
        func value(of parameter: String, index: Int) -> String? {
            switch parameter {
            case "code": return members[index]
            case "postId": return posts[index]
            case "staffId": return staff[index]
            case "unavailabilityId": return dates[index]
            case "rid": return requests[index]
            case "wid": return records[index]
            case "fy": return "2026"
            case "pid": return plan
            case "jobId": return job
            case "tokenId": return spareTokens[index]
            case "skillId": return ["pm", "data"][index]
            case "date": return Side.date
            default: return nil
            }
        }
    }

    struct World: Sendable {
        var admin: String
        var a: Side, b: Side

        static func build(_ h: TestHelper) async throws -> World {
            let admin = try await adminToken()
            return World(admin: admin, a: try await Side.build(h, admin: admin, name: "test: probe A"),
                         b: try await Side.build(h, admin: admin, name: "test: probe B"))
        }

        func token(_ role: String) -> String {
            switch role {
            case "admin": return admin
            case "coordinator": return a.coordinator
            case "municipality": return a.desk
            default: return a.person
            }
        }
    }

    static func randomValue(of parameter: String) -> String {
        switch parameter {
        case "code": return "131016"  // 千代田区: a real code, never a member here
        case "skillId": return "no-such-skill"
        case "date": return Side.date
        default: return UUID().uuidString.lowercased()
        }
    }

    /// The concrete path of an operation for a variant.
    static func path(_ op: Operation, _ w: World, _ variant: Variant) throws -> String {
        var out = op.path
        func put(_ name: String, _ value: String) { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        switch variant {
        case .unknownConsortium: put("cid", UUID().uuidString.lowercased())
        case .otherConsortium: put("cid", w.b.cid)
        default: put("cid", w.a.cid)
        }
        for p in op.idParameters {
            let value: String? = switch variant {
            case .own: w.a.value(of: p, index: 0)
            case .otherMember: w.a.value(of: p, index: 1)
            case .otherConsortium, .unknownConsortium: w.b.value(of: p, index: 0)
            case .random: randomValue(of: p)
            }
            put(p, try #require(value, "no value for {\(p)} in \(op)"))
        }
        return out
    }

    /// What a call may answer: exactly one status, any status that shows the caller got past authorization,
    /// or — for an id that names nothing — 404 or a refusal of the request itself (400, 422, 428), which a
    /// handler may check first and which says nothing about whether the id exists.
    enum Expectation: Equatable, CustomStringConvertible {
        case status(HTTPResponse.Status)
        case permitted
        case missing
        func admits(_ s: HTTPResponse.Status) -> Bool {
            switch self {
            case .status(let e): return s == e
            case .permitted: return s.code < 500 && ![401, 403, 404].contains(s.code)
            case .missing: return [404, 400, 422, 428].contains(s.code)
            }
        }
        var description: String {
            switch self {
            case .status(let s): return "\(s.code)"
            case .permitted: return "a permitted answer (not 401/403/404/5xx)"
            case .missing: return "404 (or 400/422/428 for the request itself)"
            }
        }
    }

    /// The contract's rule for one cell of the matrix.
    static func expectation(_ op: Operation, role: String, variant: Variant) -> Expectation {
        if variant == .unknownConsortium { return .status(.notFound) }
        let scope = role == "admin" ? "all" : op.roles[role]
        if variant == .otherConsortium { return role == "admin" ? .permitted : .status(.notFound) }
        guard let scope else { return .status(.forbidden) }
        switch variant {
        case .random: return .missing
        // Out of scope is answered like a missing id: 404, or the same refusal of the request itself (the probe
        // sends an empty body) that a missing id gets, which says nothing about what exists.
        case .otherMember: return scope == "own" ? .missing : .permitted
        default: return .permitted
        }
    }

    /// The variants worth calling: without ids beyond the consortium, the id variants are the own path again;
    /// a PUT that creates its resource (a skill) has no "random" resource to miss.
    static func variants(for op: Operation) -> [Variant] {
        var out: [Variant] = [.unknownConsortium, .otherConsortium]
        if !op.idParameters.isEmpty {
            if !(op.method == .put && op.path.hasSuffix("{skillId}")) { out.append(.random) }
            out.append(.otherMember)
        }
        out.append(.own)  // last: it may change or delete what the other variants look at
        return out
    }

    @Test("the document gives every operation under a consortium its x-roles")
    func everyOperationHasRoles() throws {
        let (ops, missing) = try Self.operations()
        #expect(missing.isEmpty, "operations without x-roles: \(missing)")
        #expect(ops.count >= 45)
    }

    @Test("every operation × role × id variant answers 401/403/404 as the contract says")
    func matrix() async throws {
        let ops = try Self.operations().operations
        let roles = ["admin", "coordinator", "municipality", "staff"]
        try await withApp(worker: false) { _, h in
            var failures: [String] = []
            var calls = 0
            for op in ops {
                // A delete may remove what the next role's call needs: each role gets a world of its own.
                let perRole = op.method == .delete
                let shared: World? = perRole ? nil : try await World.build(h)
                for role in roles {
                    let world: World
                    if let shared { world = shared } else { world = try await World.build(h) }
                    for variant in Self.variants(for: op) {
                        let path = try Self.path(op, world, variant)
                        let body: Any? = [.post, .put, .patch].contains(op.method) ? [String: Any]() : nil
                        let reply = try await h.call(op.method, path, token: world.token(role), json: body)
                        calls += 1
                        let expected = Self.expectation(op, role: role, variant: variant)
                        if !expected.admits(reply.status) {
                            failures.append("\(op) as \(role), \(variant.rawValue): \(reply.status.code), expected \(expected) — \(reply.text.prefix(160))")
                        }
                        if reply.status.code >= 400 && reply.headers[.contentType] != "application/problem+json" {
                            failures.append("\(op) as \(role), \(variant.rawValue): \(reply.status.code) is not problem+json")
                        }
                    }
                }
            }
            let report = failures.joined(separator: "\n")
            #expect(failures.isEmpty, "\(failures.count) of \(calls) calls broke the contract:\n\(report)")
            #expect(calls > 600)
        }
    }
}
