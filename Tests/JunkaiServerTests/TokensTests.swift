import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiStore
import Testing

@Suite("Tokens", .needsDatabase)
struct TokensTests {
    @Test("who may issue which token, and which role/field combinations are refused with the field named")
    func issuing() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: tokens")
            try await c.addBasics(h)
            let staffId = try await c.staff(h)
            func issue(_ token: String, _ body: [String: Any]) async throws -> TestHelper.Reply {
                try await h.call(.post, "\(c.root)/tokens", token: token, json: body)
            }

            // The admin may create coordinators; a coordinator only desk and staff tokens.
            let second = try await issue(c.admin, ["role": "coordinator", "label": "副担当"])
            #expect(second.status == .created)
            #expect(second.json["role"] as? String == "coordinator")
            #expect((second.json["token"] as? String)?.hasPrefix("jk_") == true)
            #expect(((second.json["token"] as? String)?.count ?? 0) >= 40, "at least 128 random bits")
            #expect(try await issue(c.coordinator, ["role": "coordinator"]).status == .forbidden)
            let desk = try await issue(c.coordinator, ["role": "municipality", "municipality": "292010", "label": "奈良市 DX推進課"])
            #expect(desk.status == .created, "\(desk.text)")
            #expect(desk.json["municipality"] as? String == "292010")
            let person = try await issue(c.coordinator, ["role": "staff", "staff": staffId])
            #expect(person.status == .created, "\(person.text)")
            #expect((person.json["staff"] as? String)?.lowercased() == staffId.lowercased())

            // Each new token works at once, with its own scope.
            let deskToken = try #require(desk.json["token"] as? String)
            #expect(try await h.call(.get, "\(c.root)/posts", token: deskToken).status == .ok)
            let personToken = try #require(person.json["token"] as? String)
            #expect(try await h.call(.get, "\(c.root)/staff/\(staffId)", token: personToken).status == .ok)
            let secondToken = try #require(second.json["token"] as? String)
            #expect(try await h.call(.get, "\(c.root)/tokens", token: secondToken).status == .ok)

            // Role and field combinations.
            for token in [c.admin, c.coordinator] {
                #expect(isInvalid(try await issue(token, ["role": "root"]), at: "/role"))
                #expect(isInvalid(try await issue(token, ["role": 3]), at: "/role"))
                #expect(isInvalid(try await issue(token, ["municipality": "292010"]), at: "/role"))
                #expect(isInvalid(try await issue(token, ["role": "municipality"]), at: "/municipality"))
                #expect(isInvalid(try await issue(token, ["role": "municipality", "municipality": "292010", "staff": staffId]),
                                  at: "/staff"))
                #expect(isInvalid(try await issue(token, ["role": "municipality", "municipality": "292044"]), at: "/municipality"),
                        "not a member")
                #expect(isInvalid(try await issue(token, ["role": "staff"]), at: "/staff"))
                #expect(isInvalid(try await issue(token, ["role": "staff", "staff": "tanaka"]), at: "/staff"))
                #expect(isInvalid(try await issue(token, ["role": "staff", "staff": UUID().uuidString]), at: "/staff"),
                        "no such staff member")
                #expect(isInvalid(try await issue(token, ["role": "staff", "staff": staffId, "municipality": "292010"]),
                                  at: "/municipality"))
                #expect(isInvalid(try await issue(token, ["role": "municipality", "municipality": "292010",
                                                          "label": String(repeating: "x", count: 201)]), at: "/label"))
            }
            #expect(isInvalid(try await issue(c.admin, ["role": "admin"]), at: "/role"), "admin tokens come from the command line")
            #expect(isInvalid(try await issue(c.admin, ["role": "coordinator", "municipality": "292010"]), at: "/municipality"))
            #expect(try await issue(c.coordinator, ["role": "admin"]).status == .forbidden)

            // A staff member of another consortium does not exist here.
            let other = try await APIConsortium.create(h, admin: c.admin, name: "test: tokens other")
            try await other.addBasics(h, codes: [])
            let foreignStaff = try await other.staff(h)
            #expect(isInvalid(try await issue(c.admin, ["role": "staff", "staff": foreignStaff]), at: "/staff"))
            // An admin naming a consortium that does not exist gets 404, not a half-made token.
            #expect(try await h.call(.post, "/v1/consortia/\(UUID())/tokens", token: c.admin, json: ["role": "coordinator"]).status
                    == .notFound)
        }
    }

    @Test("revoking: 204, the token answers 401 from then on, and the list shows when, never the secret")
    func revoking() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: revoke")
            try await c.addBasics(h)
            let desk = try await c.token(h, ["role": "municipality", "municipality": "292010", "label": "窓口"])
            #expect(try await h.call(.get, "\(c.root)/skills", token: desk.token).status == .ok)

            #expect(try await h.call(.delete, "\(c.root)/tokens/\(desk.id)", token: c.coordinator).status == .noContent)
            let after = try await h.call(.get, "\(c.root)/skills", token: desk.token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.contentType] == "application/problem+json")
            #expect(try await h.call(.delete, "\(c.root)/tokens/\(desk.id)", token: c.coordinator).status == .notFound,
                    "already revoked")
            #expect(try await h.call(.delete, "\(c.root)/tokens/\(UUID())", token: c.coordinator).status == .notFound)
            #expect(try await h.call(.delete, "\(c.root)/tokens/nonsense", token: c.coordinator).status == .notFound)

            // A coordinator sees coordinator tokens in the list but may not revoke them (its own included): 403; the admin can.
            let refused = try await h.call(.delete, "\(c.root)/tokens/\(c.coordinatorTokenId)", token: c.coordinator)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try await h.call(.get, c.root, token: c.coordinator).status == .ok, "a refused revocation changes nothing")
            let spare = try await h.call(.post, "\(c.root)/tokens", token: c.admin, json: ["role": "coordinator"])
            let spareId = try #require(spare.json["id"] as? String), spareToken = try #require(spare.json["token"] as? String)
            #expect(try await h.call(.delete, "\(c.root)/tokens/\(spareId)", token: c.admin).status == .noContent)
            #expect(try await h.call(.get, c.root, token: spareToken).status == .unauthorized)

            // A token of another consortium cannot be revoked through this one.
            let other = try await APIConsortium.create(h, admin: c.admin, name: "test: revoke other")
            try await other.addBasics(h, codes: ["292010"])
            let foreignDesk = try await other.token(h, ["role": "municipality", "municipality": "292010"])
            #expect(try await h.call(.delete, "\(c.root)/tokens/\(foreignDesk.id)", token: c.admin).status == .notFound)
            #expect(try await h.call(.get, "\(other.root)/skills", token: foreignDesk.token).status == .ok)

            let list = try await h.call(.get, "\(c.root)/tokens", token: c.coordinator)
            #expect(list.status == .ok)
            let rows = list.items.compactMap { $0 as? [String: Any] }
            let revoked = try #require(rows.first { $0["id"] as? String == desk.id })
            #expect(revoked["revokedAt"] is String)
            #expect(revoked["role"] as? String == "municipality")
            #expect(revoked["municipality"] as? String == "292010")
            #expect(revoked["label"] as? String == "窓口")
            #expect(revoked["createdAt"] is String)
            #expect(rows.contains { $0["id"] as? String == c.coordinatorTokenId && $0["revokedAt"] == nil })
            #expect(!list.text.contains(desk.token) && !list.text.contains(c.coordinator), "secrets are shown once only")
            #expect(rows.allSatisfy { $0["token"] == nil && $0["tokenHash"] == nil && $0["hash"] == nil })
            #expect(!rows.contains { $0["id"] as? String == foreignDesk.id })
        }
    }

    @Test("a token of a removed member or staff member stops working")
    func tokensFollowTheirSubject() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: token subjects")
            try await c.addBasics(h)
            let staffId = try await c.staff(h)
            let desk = try await c.token(h, ["role": "municipality", "municipality": "292036"])
            let person = try await c.token(h, ["role": "staff", "staff": staffId])
            #expect(try await h.call(.delete, "\(c.root)/municipalities/292036", token: c.coordinator).status == .noContent)
            #expect(try await h.call(.delete, "\(c.root)/staff/\(staffId)", token: c.coordinator).status == .noContent)
            #expect(try await h.call(.get, "\(c.root)/skills", token: desk.token).status == .unauthorized)
            #expect(try await h.call(.get, "\(c.root)/skills", token: person.token).status == .unauthorized)
        }
    }
}
