import Foundation
import HummingbirdTesting
import JunkaiCore
@testable import JunkaiServer
import JunkaiStore
import Testing

/// Issue 9, point 5: what the OpenAPI document does not name is refused, every wrong field is reported, and the
/// messages say what is wrong and where.
@Suite("Strict input")
struct StrictInputTests {
    static func pointers(_ r: TestHelper.Reply) -> [String] {
        (r.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }

    static func detail(_ r: TestHelper.Reply, at pointer: String) -> String? {
        (r.json["errors"] as? [[String: Any]] ?? []).first { $0["pointer"] as? String == pointer }?["detail"] as? String
    }

    @Test("an unknown body field is a 422 naming it, and nothing is created")
    func unknownBodyFields() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let typo: [String: Any] = ["name": "高橋", "home": ["lat": 34.6, "lon": 135.8, "alt": 10], "skills": ["pm": 2],
                                       "maxDaysPerWeek": 2, "maxTravelkm": 30]
            let r = try await h.call(.post, "\(w.root)/staff", token: w.coordinator, json: typo)
            #expect(r.status == .unprocessableContent)
            #expect(r.headers[.contentType] == "application/problem+json")
            #expect(Set(Self.pointers(r)) == ["/maxTravelkm", "/home/alt"])
            #expect(Self.detail(r, at: "/maxTravelkm")?.contains("unknown field \"maxTravelkm\"") == true)
            #expect(Self.detail(r, at: "/maxTravelkm")?.contains("maxTravelKm") == true, "the known names help spot the typo")
            #expect(try await h.call(.get, "\(w.root)/staff", token: w.coordinator).items.count == 3)
        }
    }

    @Test("every wrong field is reported in one answer, with ranges and impossible dates said so")
    func everyIssueAtOnce() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let r = try await h.call(.post, "\(w.root)/staff", token: w.coordinator, rawBody: """
                {"name": 5, "home": {"lat": 34.6}, "skills": {"pm": 9}, "maxDaysPerWeek": "3", "maxTravelKm": 99999999999999999999999}
                """)
            #expect(r.status == .unprocessableContent)
            #expect(Set(Self.pointers(r)) == ["/name", "/home/lon", "/skills/pm", "/maxDaysPerWeek", "/maxTravelKm"], "\(r.text)")
            #expect(Self.detail(r, at: "/name") == "must be a string, not an integer")
            #expect(Self.detail(r, at: "/maxDaysPerWeek") == "must be an integer, not a string")
            #expect(Self.detail(r, at: "/maxTravelKm")?.contains("out of range") == true, "\(r.text)")
            #expect(Self.detail(r, at: "/skills/pm")?.contains("between 1 and 5") == true, "\(r.text)")

            let nara = try #require(w.municipalityTokens[NaraWorld.nara])
            let feb30 = try await h.call(.post, "\(w.root)/requests", token: nara,
                                         json: ["post": w.posts[0].uuidString, "date": "2027-02-30", "kind": "urgent"])
            #expect(Set(Self.pointers(feb30)) == ["/date", "/kind"])
            #expect(Self.detail(feb30, at: "/date") == "2027-02-30 is not a date: 2027-02 has 28 days")
            let query = try await h.call(.get, "\(w.root)/requests?from=2027-02-30", token: nara)
            #expect(Self.detail(query, at: "/from") == "2027-02-30 is not a date: 2027-02 has 28 days")
        }
    }

    @Test("malformed JSON says where: line, column and byte")
    func malformedJSONSaysWhere() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let r = try await h.call(.post, "\(w.root)/staff", token: w.coordinator, rawBody: "{\n  \"name\": ,\n}")
            #expect(r.status == .badRequest)
            #expect(r.headers[.contentType] == "application/problem+json")
            let detail = try #require(r.json["detail"] as? String)
            #expect(detail.contains("line 2, column 11"), "\(detail)")
            #expect(detail.contains("byte 12"), "\(detail)")
            let cut = try await h.call(.post, "\(w.root)/staff", token: w.coordinator, rawBody: "{\"name\": \"a")
            #expect((cut.json["detail"] as? String)?.contains("ends before") == true, "\(cut.text)")
        }
    }

    @Test("unknown query parameters and a query that is not percent-encoded UTF-8 are refused")
    func strictQueries() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let unknown = try await h.call(.get, "\(w.root)/requests?municipality=292010&status=accepted", token: w.coordinator)
            #expect(unknown.status == .unprocessableContent)
            #expect(Self.pointers(unknown) == ["/municipality"])
            #expect(Self.detail(unknown, at: "/municipality")?.contains("accepted: status, from, to, post") == true, "\(unknown.text)")
            let none = try await h.call(.get, "\(w.root)/skills?sort=name", token: w.coordinator)
            #expect(none.status == .unprocessableContent)
            #expect(Self.detail(none, at: "/sort")?.contains("takes no query parameters") == true)
            let twice = try await h.call(.get, "\(w.root)/requests?status=accepted&status=submitted", token: w.coordinator)
            #expect(twice.status == .unprocessableContent)
            for bad in ["q=%E3%81", "q=%ZZ", "q=%"] {
                let r = try await h.call(.get, "/v1/register/municipalities?\(bad)", token: w.coordinator)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.headers[.contentType] == "application/problem+json", "\(bad)")
            }
            let encoded = try await h.call(.get, "/v1/register/municipalities?q=%E3%81%AA%E3%82%89", token: w.coordinator)
            #expect(encoded.status == .ok)
        }
    }

    @Test("a wrong method is a 405 with Allow; every 201 says where the new resource is")
    func methodsAndLocations() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let wrong = try await h.call(.post, "\(w.root)/skills/pm", token: w.coordinator, json: ["name": "x"])
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET, HEAD, PUT, DELETE")
            #expect(wrong.headers[.contentType] == "application/problem+json")
            #expect(try await h.call(.patch, "\(w.root)/requests", token: w.coordinator, json: [:]).headers[.allow] == "GET, HEAD, POST")
            #expect(try await h.call(.get, "\(w.root)/nothing-here", token: w.coordinator).status == .notFound)

            let skill = try await h.call(.put, "\(w.root)/skills/gov", token: w.coordinator, json: ["name": "行政実務"])
            #expect(skill.status == .created)
            #expect(skill.headers[.location] == "\(w.root)/skills/gov")
            let staff = try await h.call(.post, "\(w.root)/staff", token: w.coordinator,
                                         json: ["name": "高橋", "home": ["lat": 34.6, "lon": 135.8], "skills": [:], "maxDaysPerWeek": 1])
            #expect(staff.headers[.location] == "\(w.root)/staff/\(try #require(staff.json["id"] as? String))")
            let member = try await h.call(.post, "\(w.root)/municipalities", token: w.coordinator, json: ["code": "292095"])
            #expect(member.headers[.location] == "\(w.root)/municipalities/292095")
            let feed = try await h.call(.post, "\(w.root)/staff/\(w.staff[0])/calendar-feed", token: w.coordinator)
            #expect(feed.headers[.location] == feed.json["url"] as? String)
        }
    }

    @Test("a request for a past date is refused; lists answer {items}")
    func pastRequestsAndListShape() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let nara = try #require(w.municipalityTokens[NaraWorld.nara])
            let past = try await h.call(.post, "\(w.root)/requests", token: nara,
                                        json: ["post": w.posts[0].uuidString, "date": "2020-04-07", "kind": "required"])
            #expect(past.status == .unprocessableContent)
            #expect(Self.detail(past, at: "/date")?.contains("in the past") == true, "\(past.text)")
            let ok = try await h.call(.post, "\(w.root)/requests", token: nara,
                                      json: ["post": w.posts[0].uuidString, "date": "2027-04-06", "kind": "required"])
            #expect(ok.status == .created)
            #expect(ok.headers[.location] == "\(w.root)/requests/\(try #require(ok.json["id"] as? String))")
            let list = try await h.call(.get, "\(w.root)/requests", token: nara)
            #expect(list.json.keys.sorted() == ["items"])
            #expect(list.items.count == 1)
            // Proof-read: the article follows the status.
            let rid = try #require(ok.json["id"] as? String)
            _ = try await h.call(.post, "\(w.root)/requests/\(rid)/accept", token: w.coordinator)
            let again = try await h.call(.post, "\(w.root)/requests/\(rid)/accept", token: w.coordinator)
            #expect(again.status == .conflict)
            #expect(again.json["detail"] as? String == "an accepted request cannot be accepted")
        }
    }

    @Test("query names are decoded strictly", arguments: [("a=1&b=%20", ["a", "b"]), ("q=%E3%81%AA", ["q"]), ("x+y=1", ["x y"])])
    func queryNames(query: String, names: [String]) throws {
        #expect(try QueryCheckMiddleware<AppRequestContext>.parameterNames(query) == names)
    }

    @Test("impossible dates are told from malformed ones")
    func dateTexts() {
        #expect(DateText.problem("2027-02-28") == nil)
        #expect(DateText.problem("2028-02-29") == nil)
        #expect(DateText.problem("2027-02-29") == "2027-02-29 is not a date: 2027-02 has 28 days")
        #expect(DateText.problem("2027-13-01") == "2027-13-01 is not a date: there is no month 13")
        #expect(DateText.problem("27-1-1") == "\"27-1-1\" is not a date: expected YYYY-MM-DD")
    }
}
