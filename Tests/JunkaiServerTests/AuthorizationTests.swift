import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiStore
import Testing

/// The callers of the matrix: the four roles of consortium A, no token, a revoked token and a coordinator of consortium B.
enum Caller: String, CaseIterable, Sendable {
    case admin, coordinator, municipality, staff, anonymous, revoked, foreign
}

/// Consortium A with two members, two posts and two staff members, and a token for every caller.
struct MatrixWorld: Sendable {
    let a: APIConsortium
    let tokens: [Caller: String]
    /// P1 at 奈良市 (the municipality caller's), P2 at 大和郡山市.
    let p1: String, p2: String
    /// S1 is the staff caller, S2 someone else.
    let s1: String, s2: String
    let foreignStaffToken: String

    static func build(_ h: TestHelper) async throws -> MatrixWorld {
        let a = try await APIConsortium.create(h, name: "test: matrix A")
        try await a.addBasics(h)
        let p1 = try await a.post(h, municipality: "292010"), p2 = try await a.post(h, municipality: "292036")
        let s1 = try await a.staff(h, name: "田中"), s2 = try await a.staff(h, name: "佐藤")
        let desk = try await a.token(h, ["role": "municipality", "municipality": "292010"])
        let person = try await a.token(h, ["role": "staff", "staff": s1])
        let gone = try await a.token(h, ["role": "municipality", "municipality": "292010"])
        let revoke = try await h.call(.delete, "\(a.root)/tokens/\(gone.id)", token: a.coordinator)
        try #require(revoke.status == .noContent)
        let b = try await APIConsortium.create(h, admin: a.admin, name: "test: matrix B")
        try await b.addBasics(h, codes: ["292010"])
        let bStaff = try await b.staff(h)
        let foreignStaff = try await b.token(h, ["role": "staff", "staff": bStaff])
        let tokens: [Caller: String] = [.admin: a.admin, .coordinator: a.coordinator, .municipality: desk.token,
                                        .staff: person.token, .revoked: gone.token, .foreign: b.coordinator]
        return MatrixWorld(a: a, tokens: tokens, p1: p1, p2: p2, s1: s1, s2: s2, foreignStaffToken: foreignStaff.token)
    }
}

/// One endpoint of the matrix: how to call it as each caller, and the exact status each caller gets.
struct MatrixCase: Sendable {
    let method: HTTPRequest.Method
    let name: String
    /// The path and body for a caller; may create a fresh resource so that every successful call has its own.
    let prepare: @Sendable (Caller) async throws -> (path: String, body: [String: any Sendable]?)
    let expected: [Caller: HTTPResponse.Status]

    /// Statuses for the four roles of A; no token and a revoked one are 401, another consortium's token 404.
    static func scoped(_ admin: HTTPResponse.Status, _ coordinator: HTTPResponse.Status, _ municipality: HTTPResponse.Status,
                       _ staff: HTTPResponse.Status) -> [Caller: HTTPResponse.Status] {
        [.admin: admin, .coordinator: coordinator, .municipality: municipality, .staff: staff,
         .anonymous: .unauthorized, .revoked: .unauthorized, .foreign: .notFound]
    }
}

@Suite("Authorization", .needsDatabase)
struct AuthorizationTests {
    @Test("every caller against every registry endpoint: 401, 403, 404 or success, exactly")
    func matrix() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await MatrixWorld.build(h)
            let a = w.a, root = w.a.root
            let ok = HTTPResponse.Status.ok, created = HTTPResponse.Status.created, gone = HTTPResponse.Status.noContent
            let no = HTTPResponse.Status.forbidden
            let postBody: [String: any Sendable] = ["municipality": "292010", "title": "新ポスト", "requirements": ["pm": 1],
                                                    "daysPerWeek": 1]
            let staffBody: [String: any Sendable] = ["name": "鈴木", "home": ["lat": 34.6, "lon": 135.8], "skills": [String: Int](),
                                                     "maxDaysPerWeek": 2]
            let memberCode: [Caller: String] = [.admin: "292044", .coordinator: "292052"]
            let removableCode: [Caller: String] = [.admin: "292061", .coordinator: "292079"]
            let dayOf: [Caller: String] = [.admin: "2027-04-05", .coordinator: "2027-04-06", .staff: "2027-04-07"]
            let succeeds: Set<Caller> = [.admin, .coordinator]
            @Sendable func fixed(_ path: String, _ body: [String: any Sendable]? = nil) -> @Sendable (Caller) async throws
                -> (path: String, body: [String: any Sendable]?) {
                { _ in (path, body) }
            }
            let freshPost: @Sendable (Caller) async throws -> (path: String, body: [String: any Sendable]?) = { _ in
                ("\(root)/posts/\(try await a.post(h, title: "削除用"))", nil)
            }

            let cases: [MatrixCase] = [
                MatrixCase(method: .post, name: "create consortium", prepare: fixed("/v1/consortia", ["name": "test: matrix new"]),
                           expected: [.admin: created, .coordinator: no, .municipality: no, .staff: no,
                                      .anonymous: .unauthorized, .revoked: .unauthorized, .foreign: no]),
                MatrixCase(method: .get, name: "list consortia", prepare: fixed("/v1/consortia"),
                           expected: [.admin: ok, .coordinator: ok, .municipality: ok, .staff: ok,
                                      .anonymous: .unauthorized, .revoked: .unauthorized, .foreign: ok]),
                MatrixCase(method: .get, name: "read consortium", prepare: fixed(root), expected: MatrixCase.scoped(ok, ok, ok, ok)),
                MatrixCase(method: .patch, name: "update consortium", prepare: fixed(root, ["closedDates": [String]()]),
                           expected: MatrixCase.scoped(ok, ok, no, no)),

                MatrixCase(method: .post, name: "issue token",
                           prepare: fixed("\(root)/tokens", ["role": "municipality", "municipality": "292010"]),
                           expected: MatrixCase.scoped(created, created, no, no)),
                MatrixCase(method: .get, name: "list tokens", prepare: fixed("\(root)/tokens"), expected: MatrixCase.scoped(ok, ok, no, no)),
                MatrixCase(method: .delete, name: "revoke token", prepare: { _ in
                    ("\(root)/tokens/\(try await a.token(h, ["role": "municipality", "municipality": "292036"]).id)", nil)
                }, expected: MatrixCase.scoped(gone, gone, no, no)),

                MatrixCase(method: .post, name: "add municipality", prepare: { caller in
                    ("\(root)/municipalities", ["code": memberCode[caller] ?? "292087"])
                }, expected: MatrixCase.scoped(created, created, no, no)),
                MatrixCase(method: .get, name: "list municipalities", prepare: fixed("\(root)/municipalities"),
                           expected: MatrixCase.scoped(ok, ok, ok, no)),
                MatrixCase(method: .get, name: "read municipality", prepare: fixed("\(root)/municipalities/292010"),
                           expected: MatrixCase.scoped(ok, ok, ok, no)),
                MatrixCase(method: .delete, name: "remove municipality", prepare: { caller in
                    guard succeeds.contains(caller), let code = removableCode[caller] else {
                        return ("\(root)/municipalities/292010", nil)
                    }
                    try await a.created(h, "/municipalities", ["code": code])
                    return ("\(root)/municipalities/\(code)", nil)
                }, expected: MatrixCase.scoped(gone, gone, no, no)),

                MatrixCase(method: .put, name: "put skill", prepare: { caller in
                    ("\(root)/skills/x-\(caller.rawValue)", ["name": "スキル"])
                }, expected: MatrixCase.scoped(created, created, no, no)),
                MatrixCase(method: .get, name: "list skills", prepare: fixed("\(root)/skills"), expected: MatrixCase.scoped(ok, ok, ok, ok)),
                MatrixCase(method: .get, name: "read skill", prepare: fixed("\(root)/skills/pm"), expected: MatrixCase.scoped(ok, ok, ok, ok)),

                MatrixCase(method: .post, name: "create post", prepare: fixed("\(root)/posts", postBody),
                           expected: MatrixCase.scoped(created, created, no, no)),
                MatrixCase(method: .get, name: "list posts", prepare: fixed("\(root)/posts"), expected: MatrixCase.scoped(ok, ok, ok, no)),
                MatrixCase(method: .get, name: "read own post", prepare: fixed("\(root)/posts/\(w.p1)"), expected: MatrixCase.scoped(ok, ok, ok, no)),
                MatrixCase(method: .get, name: "read another municipality's post", prepare: fixed("\(root)/posts/\(w.p2)"),
                           expected: MatrixCase.scoped(ok, ok, .notFound, no)),
                MatrixCase(method: .patch, name: "update post", prepare: fixed("\(root)/posts/\(w.p1)", ["title": "DX推進アドバイザー"]),
                           expected: MatrixCase.scoped(ok, ok, no, no)),
                MatrixCase(method: .delete, name: "delete post", prepare: freshPost, expected: MatrixCase.scoped(gone, gone, no, no)),

                MatrixCase(method: .post, name: "create staff", prepare: fixed("\(root)/staff", staffBody),
                           expected: MatrixCase.scoped(created, created, no, no)),
                MatrixCase(method: .get, name: "list staff", prepare: fixed("\(root)/staff"), expected: MatrixCase.scoped(ok, ok, no, no)),
                MatrixCase(method: .get, name: "read own staff record", prepare: fixed("\(root)/staff/\(w.s1)"),
                           expected: MatrixCase.scoped(ok, ok, no, ok)),
                MatrixCase(method: .get, name: "read another staff member", prepare: fixed("\(root)/staff/\(w.s2)"),
                           expected: MatrixCase.scoped(ok, ok, no, .notFound)),
                MatrixCase(method: .patch, name: "update staff", prepare: fixed("\(root)/staff/\(w.s1)", ["name": "田中"]),
                           expected: MatrixCase.scoped(ok, ok, no, no)),
                MatrixCase(method: .delete, name: "delete staff", prepare: { _ in
                    ("\(root)/staff/\(try await a.staff(h, name: "削除用"))", nil)
                }, expected: MatrixCase.scoped(gone, gone, no, no)),

                MatrixCase(method: .post, name: "declare own date", prepare: { caller in
                    ("\(root)/staff/\(w.s1)/unavailability", ["date": dayOf[caller] ?? "2027-04-08", "kind": "unavailable"])
                }, expected: MatrixCase.scoped(created, created, no, created)),
                MatrixCase(method: .post, name: "declare another's date", prepare: { caller in
                    ("\(root)/staff/\(w.s2)/unavailability", ["date": dayOf[caller] ?? "2027-04-08", "kind": "undesired"])
                }, expected: MatrixCase.scoped(created, created, no, .notFound)),
                MatrixCase(method: .get, name: "list own dates", prepare: fixed("\(root)/staff/\(w.s1)/unavailability"),
                           expected: MatrixCase.scoped(ok, ok, no, ok)),
                MatrixCase(method: .get, name: "list another's dates", prepare: fixed("\(root)/staff/\(w.s2)/unavailability"),
                           expected: MatrixCase.scoped(ok, ok, no, .notFound)),
                MatrixCase(method: .delete, name: "remove own date", prepare: { caller in
                    let d = try await a.created(h, "/staff/\(w.s1)/unavailability",
                                                ["date": "2027-05-1\(Caller.allCases.firstIndex(of: caller) ?? 0)", "kind": "undesired"])
                    return ("\(root)/staff/\(w.s1)/unavailability/\(d["id"] as? String ?? "")", nil)
                }, expected: MatrixCase.scoped(gone, gone, no, gone)),
                MatrixCase(method: .delete, name: "remove another's date", prepare: { caller in
                    let d = try await a.created(h, "/staff/\(w.s2)/unavailability",
                                                ["date": "2027-05-2\(Caller.allCases.firstIndex(of: caller) ?? 0)", "kind": "undesired"])
                    return ("\(root)/staff/\(w.s2)/unavailability/\(d["id"] as? String ?? "")", nil)
                }, expected: MatrixCase.scoped(gone, gone, no, .notFound)),
            ]

            var checked = 0
            for c in cases {
                for caller in Caller.allCases {
                    let expected = try #require(c.expected[caller], "\(c.name): no expectation for \(caller)")
                    let (path, body) = try await c.prepare(caller)
                    let r = try await h.call(c.method, path, token: w.tokens[caller], json: body)
                    #expect(r.status == expected, "\(c.name) as \(caller.rawValue): \(r.text)")
                    if r.status.code >= 400 {
                        #expect(r.headers[.contentType] == "application/problem+json", "\(c.name) as \(caller.rawValue)")
                    }
                    checked += 1
                }
            }
            #expect(checked == cases.count * Caller.allCases.count)
        }
    }

    @Test("scope inside the consortium: a desk sees its own posts only, a staff member only itself")
    func scopeWithinConsortium() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await MatrixWorld.build(h)
            let root = w.a.root
            let desk = try #require(w.tokens[.municipality]), person = try #require(w.tokens[.staff])

            let posts = try await h.call(.get, "\(root)/posts", token: desk)
            let ids = posts.items.compactMap { ($0 as? [String: Any])?["id"] as? String }.map { $0.lowercased() }
            #expect(ids == [w.p1.lowercased()], "only 奈良市's post, not 大和郡山市's")
            #expect(!posts.text.lowercased().contains(w.p2.lowercased()))
            let all = try await h.call(.get, "\(root)/posts", token: w.a.coordinator)
            #expect(all.items.count == 2)

            let me = try await h.call(.get, "\(root)/staff/\(w.s1)", token: person)
            #expect(me.status == .ok)
            #expect(me.json["name"] as? String == "田中")
            let other = try await h.call(.get, "\(root)/staff/\(w.s2)", token: person)
            #expect(other.status == .notFound)
            #expect(!other.text.contains("佐藤"))
            #expect(try await h.call(.get, "\(root)/staff/\(UUID())", token: person).status == .notFound)

            // A token of consortium B, whatever its role, finds nothing of A.
            #expect(try await h.call(.get, "\(root)/staff/\(w.s1)", token: w.foreignStaffToken).status == .notFound)
            #expect(try await h.call(.get, "\(root)/skills", token: w.foreignStaffToken).status == .notFound)
            let foreignList = try await h.call(.get, "/v1/consortia", token: w.tokens[.foreign])
            #expect(!foreignList.text.lowercased().contains(w.a.cid.lowercased()))

            // The admin passes every role check, but a consortium that does not exist is still not found.
            let nowhere = "/v1/consortia/\(UUID())"
            #expect(try await h.call(.get, nowhere, token: w.a.admin).status == .notFound)
            #expect(try await h.call(.get, "\(nowhere)/posts", token: w.a.admin).status == .notFound)
            #expect(try await h.call(.put, "\(nowhere)/skills/pm", token: w.a.admin, json: ["name": "PM"]).status == .notFound)
            #expect(try await h.call(.post, "\(nowhere)/municipalities", token: w.a.admin, json: ["code": "292010"]).status == .notFound)
            #expect(try await h.call(.get, "/v1/consortia/not-a-uuid", token: w.a.admin).status == .notFound)

            // 401 says how to authenticate; a malformed header is no token at all.
            let anonymous = try await h.call(.get, "\(root)/skills")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await h.call(.get, "\(root)/skills", headers: [.authorization: "Basic \(desk)"]).status == .unauthorized)
            #expect(try await h.call(.get, "\(root)/skills", token: "jk_" + String(repeating: "A", count: 43)).status == .unauthorized)
        }
    }
}
