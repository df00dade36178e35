import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiStore
import PostgresNIO
import Testing

extension NaraWorld {
    /// Issues a personal sign-in link through the API (as the coordinator, or `token`).
    func signInLink(_ body: [String: Any], token: String? = nil) async throws -> String {
        let r = try await h.call(.post, "\(root)/sign-in-links", token: token ?? coordinator, json: body)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json["url"] as? String)
    }

    /// A browser signed in through a fresh link.
    func browser(_ client: any TestClientProtocol, _ body: [String: Any]) async throws -> Browser {
        let b = Browser(client)
        let landed = try await b.signIn(link: try await signInLink(body))
        #expect(landed.status == .seeOther, "\(landed.html)")
        return b
    }
}

@Suite("Web sign-in and sessions")
struct WebSignInTests {
    @Test("sign-in links: 201 with url and expiresAt; the roles and checks of tokens")
    func issueLinks() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let r = try await h.call(.post, "\(w.root)/sign-in-links", token: w.coordinator,
                                     json: ["role": "staff", "staff": w.staff[0].uuidString])
            #expect(r.status == .created)
            let url = try #require(r.json["url"] as? String)
            #expect(url.hasPrefix("http://junkai.test/sign-in/"))
            let expires = try #require((r.json["expiresAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expires.timeIntervalSinceNow - 7 * 86_400) < 120)
            #expect(r.headers[.cacheControl] == "no-store")

            // A coordinator hands out desk and staff links only; an admin any of the consortium's roles.
            let coordinator = try await h.call(.post, "\(w.root)/sign-in-links", token: w.coordinator, json: ["role": "coordinator"])
            #expect(coordinator.status == .forbidden)
            let admin = try await adminToken()
            #expect(try await h.call(.post, "\(w.root)/sign-in-links", token: admin, json: ["role": "coordinator"]).status == .created)
            let adminRole = try await h.call(.post, "\(w.root)/sign-in-links", token: admin, json: ["role": "admin"])
            #expect(adminRole.status == .unprocessableContent)
            #expect(firstError(adminRole).pointer == "/role")

            let unknownStaff = try await h.call(.post, "\(w.root)/sign-in-links", token: w.coordinator,
                                                json: ["role": "staff", "staff": UUID().uuidString])
            #expect(unknownStaff.status == .unprocessableContent)
            #expect(firstError(unknownStaff).pointer == "/staff")
            let notMember = try await h.call(.post, "\(w.root)/sign-in-links", token: w.coordinator,
                                             json: ["role": "municipality", "municipality": "131016"])
            #expect(firstError(notMember).pointer == "/municipality")
            let desk = try #require(w.municipalityTokens[NaraWorld.nara])
            #expect(try await h.call(.post, "\(w.root)/sign-in-links", token: desk,
                                     json: ["role": "staff", "staff": w.staff[0].uuidString]).status == .forbidden)
            #expect(try await h.call(.post, "/v1/consortia/\(UUID())/sign-in-links", token: w.coordinator,
                                     json: ["role": "staff", "staff": w.staff[0].uuidString]).status == .notFound)
        }
    }

    @Test("a link signs in once with an HttpOnly, SameSite=Lax session cookie; used or unknown links are refused")
    func linkSignsInOnce() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let url = try await w.signInLink(["role": "staff", "staff": w.staff[1].uuidString])
            let path = String(url.dropFirst("http://junkai.test".count))
            let b = Browser(client)
            let page = try await b.get(path)
            #expect(page.status == .ok)
            #expect(page.contains("佐藤"))
            #expect(page.contains(">サインイン</button>"))
            let landed = try await b.post(path, form: [], token: page.formToken)
            #expect(landed.status == .seeOther)
            #expect(landed.location == "/consortia/\(w.cid)/staff/\(w.staff[1])/schedule")
            let cookie = try #require(b.setCookie("junkai_session"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
            let home = try await b.get(landed.location!)
            #expect(home.status == .ok)
            #expect(home.contains(">サインアウト</button>"))
            #expect(home.contains("<nav"))

            // Used: a clear page and no session, for this browser or any other.
            let again = Browser(client)
            let usedPage = try await again.get(path)
            #expect(usedPage.status == .gone)
            #expect(usedPage.contains("使用済み"))
            let usedPost = try await again.post(path, form: [], token: try await again.get("/sign-in").formToken)
            #expect(usedPost.status == .gone)
            #expect(again.cookies["junkai_session"] == nil)
            let unknown = try await again.get("/sign-in/jks_nothing")
            #expect(unknown.status == .notFound)

            // Behind an HTTPS proxy the cookie is Secure.
            let secure = Browser(client)
            let url2 = try await w.signInLink(["role": "municipality", "municipality": NaraWorld.nara])
            let path2 = String(url2.dropFirst("http://junkai.test".count))
            let p2 = try await secure.get(path2, headers: [.init("X-Forwarded-Proto")!: "https"])
            _ = try await secure.post(path2, form: [], token: p2.formToken, headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(secure.setCookie("junkai_session")?.contains("Secure") == true)
        }
    }

    @Test("an expired link shows a clear page (410) and signs no one in")
    func expiredLink() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let url = try await w.signInLink(["role": "staff", "staff": w.staff[0].uuidString])
            let secret = String(url.split(separator: "/").last!)
            try await withStore { store in
                try await store.client.query("""
                    UPDATE sign_in_links SET created_at = now() - interval '8 days', expires_at = now() - interval '1 day'
                    WHERE link_hash = \(Secret.hash(secret))
                    """, logger: TestDatabase.logger)
            }
            let b = Browser(client)
            let page = try await b.get("/sign-in/\(secret)")
            #expect(page.status == .gone)
            #expect(page.contains("有効期限"))
        }
    }

    @Test("a pasted token signs in admins and coordinators; desk and staff tokens are sent to their link")
    func pastedToken() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let b = Browser(client)
            let form = try await b.get("/sign-in")
            #expect(form.status == .ok)
            let ok = try await b.post("/sign-in", form: [("token", w.coordinator)], token: form.formToken)
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/consortia/\(w.cid)")
            let home = try await b.get("/consortia/\(w.cid)")
            #expect(home.status == .ok)
            for name in ["計画", "依頼", "人材", "ポスト", "団体", "実績", "負担金"] { #expect(home.contains(">\(name)</a>")) }

            let desk = Browser(client)
            let f2 = try await desk.get("/sign-in")
            let refused = try await desk.post("/sign-in", form: [("token", try #require(w.municipalityTokens[NaraWorld.nara]))],
                                              token: f2.formToken)
            #expect(refused.status == .forbidden)
            #expect(refused.contains("サインインリンク"))
            #expect(desk.cookies["junkai_session"] == nil)
            let wrong = try await desk.post("/sign-in", form: [("token", "jk_wrong")], token: f2.formToken)
            #expect(wrong.status == .unauthorized)
            #expect(!wrong.contains("jk_wrong"))

            // Signing out ends the session, and the pasted API token keeps working.
            let out = try await b.post("/sign-out", form: [], token: home.formToken)
            #expect(out.status == .seeOther)
            let after = try await b.get("/consortia/\(w.cid)")
            #expect(after.status == .seeOther)
            #expect(after.location?.hasPrefix("/sign-in") == true)
            #expect(try await h.call(.get, "\(w.root)/plans", token: w.coordinator).status == .ok)
        }
    }

    @Test("sessions end after 12 idle hours, when the token is revoked and when the person is removed")
    func sessionsEnd() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let schedule = "/consortia/\(w.cid)/staff/\(w.staff[2])/schedule"

            let idle = try await w.browser(client, ["role": "staff", "staff": w.staff[2].uuidString])
            #expect(try await idle.get(schedule).status == .ok)
            let secret = try #require(idle.cookies["junkai_session"])
            try await withStore { store in
                try await store.client.query("""
                    UPDATE web_sessions SET last_used_at = now() - interval '12 hours 1 minute'
                    WHERE session_hash = \(Secret.hash(secret))
                    """, logger: TestDatabase.logger)
            }
            let expired = try await idle.get(schedule)
            #expect(expired.status == .seeOther)
            #expect(expired.location?.contains("ended=1") == true)

            // 11 hours without use is still a session.
            let awake = try await w.browser(client, ["role": "staff", "staff": w.staff[2].uuidString])
            let awakeSecret = try #require(awake.cookies["junkai_session"])
            try await withStore { store in
                try await store.client.query("""
                    UPDATE web_sessions SET last_used_at = now() - interval '11 hours' WHERE session_hash = \(Secret.hash(awakeSecret))
                    """, logger: TestDatabase.logger)
            }
            #expect(try await awake.get(schedule).status == .ok)

            // A pasted token's session ends when the token is revoked.
            let issued = try await h.call(.post, "\(w.root)/tokens", token: w.coordinator,
                                          json: ["role": "municipality", "municipality": NaraWorld.tenri])
            let deskToken = try #require(issued.json["token"] as? String)
            let admin = try await adminToken()
            let coordIssued = try await h.call(.post, "\(w.root)/tokens", token: admin, json: ["role": "coordinator"])
            let coordToken = try #require(coordIssued.json["token"] as? String)
            let coordId = try #require(coordIssued.json["id"] as? String)
            let pasted = Browser(client)
            let form = try await pasted.get("/sign-in")
            _ = try await pasted.post("/sign-in", form: [("token", coordToken)], token: form.formToken)
            #expect(try await pasted.get("/consortia/\(w.cid)/plans").status == .ok)
            #expect(try await h.call(.delete, "\(w.root)/tokens/\(coordId)", token: admin).status == .noContent)
            #expect(try await pasted.get("/consortia/\(w.cid)/plans").status == .seeOther)
            _ = deskToken

            // Removing a staff member removes their sessions with them.
            let removed = try await h.call(.post, "\(w.root)/staff", token: w.coordinator,
                                           json: ["name": "山田", "home": ["lat": 34.6, "lon": 135.8], "skills": ["pm": 2],
                                                  "maxDaysPerWeek": 2])
            let sid = try #require(removed.json["id"] as? String)
            let gone = try await w.browser(client, ["role": "staff", "staff": sid])
            let goneSecret = try #require(gone.cookies["junkai_session"])
            #expect(try await gone.get("/consortia/\(w.cid)/staff/\(sid)/schedule").status == .ok)
            #expect(try await h.call(.delete, "\(w.root)/staff/\(sid)", token: w.coordinator).status == .noContent)
            #expect(try await gone.get("/consortia/\(w.cid)/staff/\(sid)/schedule").status == .seeOther)
            let left = try await withStore { store in
                try await store.client.query("""
                    SELECT count(*)::int FROM web_sessions WHERE session_hash = \(Secret.hash(goneSecret))
                    """, logger: TestDatabase.logger).decode(Int.self).first(where: { _ in true }) ?? -1
            }
            #expect(left == 0)
        }
    }
}
