import Foundation
import HTTPTypes
import HummingbirdTesting
import JunkaiStore
import PostgresNIO
import Testing

/// How many requests the consortium holds (any status), read behind the server's back.
func requestCount(_ w: NaraWorld) async throws -> Int {
    try await withStore { store in
        try await store.client.query("SELECT count(*)::int FROM requests WHERE consortium_id = \(w.cid)",
                                     logger: TestDatabase.logger).decode(Int.self).first(where: { _ in true }) ?? -1
    }
}

@Suite("Web security")
struct WebSecurityTests {
    @Test("a form post with a foreign Origin, no form token or a wrong one answers 403 and changes nothing")
    func crossSiteForgery() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let root = "/consortia/\(w.cid)/municipalities/\(NaraWorld.nara)/requests"
            let page = try await desk.get(root)
            let token = try #require(page.formToken)
            let form = [("post", w.posts[0].uuidString), ("date", "2027-04-06"), ("kind", "required"), ("note", "")]
            let before = try await requestCount(w)

            let missing = try await desk.post(root, form: form, token: nil)
            #expect(missing.status == .forbidden)
            let wrong = try await desk.post(root, form: form, token: "not-the-token")
            #expect(wrong.status == .forbidden)
            let foreign = try await desk.post(root, form: form, token: token, headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden)
            let crossSite = try await desk.post(root, form: form, token: token, headers: [.init("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            // Another browser's token is no good either.
            let other = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let otherToken = try #require(try await other.get(root).formToken)
            #expect(otherToken != token)
            #expect(try await desk.post(root, form: form, token: otherToken).status == .forbidden)
            #expect(try await requestCount(w) == before)

            // Sign-out is a state change too.
            #expect(try await desk.post("/sign-out", form: [], token: nil).status == .forbidden)
            #expect(try await desk.get(root).status == .ok)

            let ok = try await desk.post(root, form: form, token: token, headers: [.origin: "http://junkai.test"])
            #expect(ok.status == .seeOther)
            #expect(try await requestCount(w) == before + 1)
        }
    }

    @Test("every page carries a Content-Security-Policy of the app's own scripts and styles, and nothing inline")
    func contentSecurityPolicy() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let b = Browser(client)
            let form = try await b.get("/sign-in")
            _ = try await b.post("/sign-in", form: [("token", w.coordinator)], token: form.formToken)
            let pid = try await h.createPlan(w)
            for path in ["/sign-in", "/consortia/\(w.cid)", "/consortia/\(w.cid)/plans", "/consortia/\(w.cid)/plans/\(pid)",
                         "/consortia/\(w.cid)/plans/\(pid)/grid", "/consortia/\(w.cid)/requests", "/consortia/\(w.cid)/nothing"] {
                let page = try await b.get(path)
                let csp = try #require(page.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("default-src 'self'"))
                #expect(csp.contains("script-src 'self'"))
                #expect(csp.contains("style-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(!page.html.contains("<script>"), "\(path): inline script")
                #expect(!page.html.contains(" style="), "\(path): inline style")
                #expect(!page.html.contains("<style"), "\(path): inline style")
            }
            let css = try await b.get("/static/app.css")
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
        }
    }

    @Test("names, notes and reasons are shown as text: <script> never reaches the page as markup")
    func escaping() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let evil = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
            let r = try await h.call(.post, "\(w.root)/staff", token: w.coordinator,
                                     json: ["name": evil, "home": ["lat": 34.6, "lon": 135.8], "skills": ["pm": 2], "maxDaysPerWeek": 2])
            #expect(r.status == .created)
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let root = "/consortia/\(w.cid)/municipalities/\(NaraWorld.nara)/requests"
            let page = try await desk.get(root)
            let made = try await desk.post(root, form: [("post", w.posts[0].uuidString), ("date", "2027-04-06"), ("kind", "required"),
                                                        ("note", evil)], token: page.formToken)
            #expect(made.status == .seeOther)
            let listed = try await desk.get(root)
            #expect(listed.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!listed.contains("<script>alert"))
            #expect(!listed.contains("<img src=x"))

            let coordinator = Browser(client)
            let form = try await coordinator.get("/sign-in")
            _ = try await coordinator.post("/sign-in", form: [("token", w.coordinator)], token: form.formToken)
            let pid = try await h.createPlan(w)
            for path in ["/consortia/\(w.cid)/staff", "/consortia/\(w.cid)/requests", "/consortia/\(w.cid)/plans/\(pid)/grid"] {
                let p = try await coordinator.get(path)
                #expect(p.contains("&lt;script&gt;alert("), "\(path)")
                #expect(!p.contains("<script>alert"), "\(path)")
            }
            // What was typed comes back escaped on an error, too.
            let bad = try await desk.post(root, form: [("post", w.posts[0].uuidString), ("date", "2027-04-29"), ("kind", "required"),
                                                       ("note", evil)], token: page.formToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.contains("昭和の日"))
            #expect(bad.contains("&lt;script&gt;alert("))
            #expect(!bad.contains("<script>alert"))
        }
    }

    @Test("pages out of the session's scope answer 404, as the API does")
    func scope() async throws {
        try await withApp(worker: false) { client, h in
            let w = try await NaraWorld.build(h)
            let other = try await NaraWorld.build(h)
            let desk = try await w.browser(client, ["role": "municipality", "municipality": NaraWorld.nara])
            let c = "/consortia/\(w.cid)"
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.nara)/requests").status == .ok)
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.nara)/schedule").status == .ok)
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.koriyama)/requests").status == .notFound)
            #expect(try await desk.get("\(c)/municipalities/\(NaraWorld.koriyama)/schedule").status == .notFound)
            #expect(try await desk.get("/consortia/\(other.cid)/municipalities/\(NaraWorld.nara)/requests").status == .notFound)
            #expect(try await desk.get("\(c)/staff/\(w.staff[0])/schedule").status == .forbidden)
            #expect(try await desk.get("\(c)/plans").status == .forbidden)

            let staff = try await w.browser(client, ["role": "staff", "staff": w.staff[0].uuidString])
            #expect(try await staff.get("\(c)/staff/\(w.staff[0])/schedule").status == .ok)
            #expect(try await staff.get("\(c)/staff/\(w.staff[1])/schedule").status == .notFound)
            #expect(try await staff.get("\(c)/staff/\(w.staff[1])/unavailability").status == .notFound)
            #expect(try await staff.get("/consortia/\(other.cid)/staff/\(other.staff[0])/schedule").status == .notFound)

            let coordinator = Browser(client)
            let form = try await coordinator.get("/sign-in")
            _ = try await coordinator.post("/sign-in", form: [("token", w.coordinator)], token: form.formToken)
            #expect(try await coordinator.get("\(c)/plans").status == .ok)
            #expect(try await coordinator.get("/consortia/\(other.cid)/plans").status == .notFound)
            #expect(try await coordinator.get("/consortia/\(other.cid)/municipalities/\(NaraWorld.nara)/requests").status == .notFound)
            let otherPlan = try await h.createPlan(other)
            #expect(try await coordinator.get("\(c)/plans/\(otherPlan)").status == .notFound)

            // A desk withdrawing another municipality's request: not found, and the request stays.
            let koriyama = try #require(other.municipalityTokens[NaraWorld.koriyama])
            _ = koriyama
            let theirs = try await h.call(.post, "\(w.root)/requests", token: try #require(w.municipalityTokens[NaraWorld.koriyama]),
                                          json: ["post": w.posts[1].uuidString, "date": "2027-04-06", "kind": "required"])
            let rid = try #require(theirs.json["id"] as? String)
            let page = try await desk.get("\(c)/municipalities/\(NaraWorld.nara)/requests")
            let withdraw = try await desk.post("\(c)/municipalities/\(NaraWorld.nara)/requests/\(rid)/withdraw", form: [],
                                               token: page.formToken)
            #expect(withdraw.status == .notFound)
            let still = try await h.call(.get, "\(w.root)/requests/\(rid)", token: w.coordinator)
            #expect(still.json["status"] as? String == "submitted")
        }
    }
}
