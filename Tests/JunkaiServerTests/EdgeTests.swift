import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import Logging
import NIOCore
import Testing

@testable import JunkaiServer

/// The API's edges against its contract: media types, duplicate keys, bounded error lists, oversized
/// headers, HEAD, and what failed authentication and token changes leave behind.
@Suite("API edges", .needsDatabase)
struct EdgeTests {
    /// Sends `body` with exactly the given headers (no JSON content type added).
    static func raw(_ h: TestHelper, _ method: HTTPRequest.Method, _ uri: String, token: String, body: String?,
                    headers extra: HTTPFields = [:]) async throws -> TestHelper.Reply {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        return try await h.client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            TestHelper.Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
        }
    }

    @Test("a body that is not declared JSON is 415 problem+json and creates nothing")
    func unsupportedMediaType() async throws {
        try await withApp(worker: false) { _, h in
            let admin = try await adminToken()
            let name = "test: media type \(UUID())"
            let json = #"{"name": "\#(name)"}"#
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x"] {
                let r = try await Self.raw(h, .post, "/v1/consortia", token: admin, body: json, headers: [.contentType: type])
                #expect(r.status == .unsupportedMediaType, "\(type): \(r.status)")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            let none = try await Self.raw(h, .post, "/v1/consortia", token: admin, body: json)
            #expect(none.status == .unsupportedMediaType)
            #expect(none.json["detail"] as? String == "the body must be JSON, sent with Content-Type: application/json")
            let named = try await h.call(.get, "/v1/consortia", token: admin).items
                .compactMap { ($0 as? [String: Any])?["name"] as? String }.filter { $0 == name }
            #expect(named.isEmpty, "nothing was created")

            let charset = try await Self.raw(h, .post, "/v1/consortia", token: admin, body: json,
                                             headers: [.contentType: "Application/JSON; charset=utf-8"])
            #expect(charset.status == .created, "a JSON type with parameters is JSON")
        }
    }

    @Test("the media type rule: application/json and +json types, with parameters, nothing else")
    func mediaTypeRule() throws {
        for ok in ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json"] {
            #expect(throws: Never.self) { try Request.requireJSONMediaType(ok) }
        }
        for bad in [nil, "", "text/json", "text/plain", "application/jsonx", "application/xml", "json"] as [String?] {
            #expect(throws: Problem.self) { try Request.requireJSONMediaType(bad) }
        }
    }

    @Test("duplicate keys are refused with 400 naming the key, at any depth")
    func duplicateKeys() async throws {
        try await withApp(worker: false) { _, h in
            let admin = try await adminToken()
            let top = try await h.call(.post, "/v1/consortia", token: admin, rawBody: #"{"name":"first","name":"second"}"#)
            #expect(top.status == .badRequest)
            #expect(problemPointers(top) == ["/name"])
            #expect((top.json["detail"] as? String)?.contains("\"name\" appears twice") == true)

            let c = try await APIConsortium.create(h, name: "test: duplicate keys")
            try await c.addBasics(h)
            let nested = try await h.call(.post, "\(c.root)/staff", token: c.coordinator, rawBody: """
                {"name": "田中", "home": {"lat": 34.6, "lon": 135.8}, "skills": {"pm": 1, "data": 2, "pm": 5}, "maxDaysPerWeek": 2}
                """)
            #expect(nested.status == .badRequest)
            #expect(problemPointers(nested) == ["/skills/pm"])
            #expect(try await h.call(.get, "\(c.root)/staff", token: c.coordinator).items.isEmpty, "nothing was created")
        }
    }

    @Test("the duplicate-key scanner: pointers, escapes, arrays, strings that look like keys")
    func duplicateKeyScanner() {
        func first(_ s: String) -> String? { JSONDuplicateKeys.first(in: Data(s.utf8)) }
        #expect(first(#"{"a": 1, "b": {"a": 2}}"#) == nil, "the same key in two objects is fine")
        #expect(first(#"{"a": 1, "a": 2}"#) == "/a")
        #expect(first(#"{"x": [{"k": 1}, {"k": 1, "k": 2}]}"#) == "/x/1/k")
        #expect(first(#"{"a": "\"a\": 1, \"a\"", "b": ["a", "a"]}"#) == nil, "keys inside strings and array values are not keys")
        #expect(first(#"{"\u0061": 1, "a": 2}"#) == "/a", "an escaped key is the same key")
        #expect(first(#"{"a/b~c": 1, "a/b~c": 1}"#) == "/a~1b~0c")
        #expect(first(#"[1, 2, {"": 0, "": 1}]"#) == "/2/")
    }

    @Test("a body with thousands of wrong fields lists 100 errors and counts the rest")
    func boundedErrors() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: bounded errors")
            try await c.addBasics(h)
            var skills: [String: Int] = [:]
            for i in 0..<5_000 { skills["unknown\(i)"] = 9 }
            let r = try await h.call(.post, "\(c.root)/staff", token: c.coordinator, json: [
                "name": "田中", "home": ["lat": 34.6, "lon": 135.8], "skills": skills, "maxDaysPerWeek": 2,
            ])
            #expect(r.status == .unprocessableContent)
            let errors = r.json["errors"] as? [[String: Any]] ?? []
            let omitted = r.json["omittedErrors"] as? Int ?? 0
            #expect(errors.count == Problem.maxListedErrors)
            #expect(omitted > 0 && errors.count + omitted >= 5_000, "every wrong field is counted")
            #expect(r.body.count < 20_000, "the answer stays small: \(r.body.count) bytes")
        }
    }

    @Test("HEAD is answered wherever GET is, the calendar feed included")
    func head() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: head")
            try await c.addBasics(h)
            let staff = try await c.staff(h)
            let feed = try await h.call(.post, "\(c.root)/staff/\(staff)/calendar-feed", token: c.coordinator)
            let url = try #require(feed.json["url"] as? String)
            let path = try #require(URL(string: url)?.path)
            let get = try await h.call(.get, path)
            let head = try await h.call(.head, path)
            #expect(get.status == .ok)
            #expect(head.status == .ok)
            #expect(head.body.isEmpty)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(try await h.call(.head, "\(c.root)/staff", token: c.coordinator).status == .ok)
            #expect(try await h.call(.head, "/openapi.json").status == .ok)
        }
    }

    @Test("header fields over the limit get 431 problem+json on a real connection, which then closes")
    func oversizedHeaders() async throws {
        let config = AppConfig(port: 0, database: TestDatabase.url, migrateOnStart: true, runSolveWorker: false)
        let app = try await buildApplication(config, logger: TestDatabase.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for size in [100_000, 400_000] {
                let request = "GET /healthz HTTP/1.1\r\nHost: junkai.test\r\nX-Big: \(String(repeating: "x", count: size))\r\n\r\n"
                let answer = try RawSocket.exchange(port: port, Array(request.utf8))
                #expect(answer.hasPrefix("HTTP/1.1 431 "), "\(answer.prefix(80))")
                #expect(answer.contains("Content-Type: application/problem+json"))
                #expect(answer.contains("Connection: close"))
                #expect(answer.contains(#""status":431"#))
            }
            let garbage = try RawSocket.exchange(port: port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            #expect(garbage.hasPrefix("HTTP/1.1 400 "))
            #expect(garbage.contains("application/problem+json"))
            // The server goes on serving.
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test("failed authentications: a burst from one address is reported once per window")
    func burstCounting() {
        let monitor = AuthFailureMonitor(threshold: 3, window: 60)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(monitor.count("198.51.100.7", now: t0) == false)
        #expect(monitor.count("198.51.100.7", now: t0 + 1) == false)
        #expect(monitor.count("203.0.113.9", now: t0 + 1) == false, "another address counts apart")
        #expect(monitor.count("198.51.100.7", now: t0 + 2) == true, "the third failure in the window is the burst")
        #expect(monitor.count("198.51.100.7", now: t0 + 3) == false, "reported once per window")
        #expect(monitor.count("198.51.100.7", now: t0 + 70) == false, "a new window starts counting again")
    }

    @Test("a burst of failed authentications leaves an audit row without the tokens tried")
    func burstAudited() async throws {
        let count: @Sendable () async throws -> Int = {
            try await withStore { store in
                try await store.connection { conn in
                    let rows = try await conn.query("SELECT count(*)::int FROM audit_log WHERE action = 'auth-failure-burst'",
                                                    logger: store.logger)
                    return try await rows.decode(Int.self).first(where: { _ in true }) ?? 0
                }
            }
        }
        // Counted inside the app, whose start applies the migrations on a new database.
        try await withApp(worker: false) { _, h in
            let before = try await count()
            for i in 0..<10 {
                let r = try await h.call(.get, "/v1/consortia", token: "jk_wrong\(i)")
                #expect(r.status == .unauthorized)
            }
            // At least one: a test running beside this one may have had its own burst audited meanwhile.
            #expect(try await count() >= before + 1)
        }
        let detail = try await withStore { store in
            try await store.connection { conn in
                let rows = try await conn.query("""
                    SELECT detail::text FROM audit_log WHERE action = 'auth-failure-burst' ORDER BY id DESC LIMIT 1
                    """, logger: store.logger)
                return try await rows.decode(String.self).first(where: { _ in true }) ?? ""
            }
        }
        #expect(!detail.contains("jk_wrong"))
        #expect(detail.contains("\"failures\": 10"))
    }

    @Test("token issue and revocation are audited with the token id, never the secret")
    func tokenAudit() async throws {
        try await withApp(worker: false) { _, h in
            let c = try await APIConsortium.create(h, name: "test: token audit")
            try await c.addBasics(h)
            let desk = try await c.token(h, ["role": "municipality", "municipality": "292010"])
            #expect(try await h.call(.delete, "\(c.root)/tokens/\(desk.id)", token: c.coordinator).status == .noContent)
            let rows = try await withStore { store in
                try await store.connection { conn in
                    let rows = try await conn.query("""
                        SELECT action, detail::text FROM audit_log WHERE resource = 'token' AND resource_id = \(desk.id)
                        ORDER BY id
                        """, logger: store.logger)
                    var out: [String] = []
                    for try await (action, detail) in rows.decode((String, String).self) { out.append("\(action) \(detail)") }
                    return out
                }
            }
            #expect(rows.count == 2)
            #expect(rows.first?.hasPrefix("issue") == true)
            #expect(rows.last?.hasPrefix("revoke") == true)
            #expect(!rows.joined().contains(desk.token))
        }
    }

    @Test("the document's numeric and length limits are the server's")
    func documentLimitsAreTheServers() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func limit(_ schema: String, _ property: String?, _ keyword: String) -> Double? {
            var s = schemas[schema]
            if let property { s = (s?["properties"] as? [String: Any])?[property] as? [String: Any] }
            return (s?[keyword] as? NSNumber)?.doubleValue
        }
        typealias Row = (schema: String, property: String?, keyword: String, server: Double)
        let r = InputRules.self
        let table: [Row] = [
            ("Weekday", nil, "minimum", Double(r.weekdays.lowerBound)), ("Weekday", nil, "maximum", Double(r.weekdays.upperBound)),
            ("Level", nil, "minimum", Double(r.levels.lowerBound)), ("Level", nil, "maximum", Double(r.levels.upperBound)),
            ("GeoPoint", "lat", "minimum", r.latitude.lowerBound), ("GeoPoint", "lat", "maximum", r.latitude.upperBound),
            ("GeoPoint", "lon", "minimum", r.longitude.lowerBound), ("GeoPoint", "lon", "maximum", r.longitude.upperBound),
            ("MunicipalityCreate", "lat", "minimum", r.latitude.lowerBound), ("MunicipalityCreate", "lat", "maximum", r.latitude.upperBound),
            ("MunicipalityCreate", "lon", "minimum", r.longitude.lowerBound), ("MunicipalityCreate", "lon", "maximum", r.longitude.upperBound),
            ("Name", nil, "maxLength", Double(r.maxNameLength)),
            ("TokenCreate", "label", "maxLength", Double(r.maxNameLength)),
            ("PlanCreate", "name", "maxLength", Double(r.maxNameLength)),
            ("UnavailabilityCreate", "note", "maxLength", Double(r.maxNoteLength)),
            ("RequestCreate", "note", "maxLength", Double(RequestsController.maxTextLength)),
            ("RequestDecline", "reason", "maxLength", Double(RequestsController.maxTextLength)),
            ("ConsortiumPatch", "closedDates", "maxItems", Double(ConsortiaController.maxClosedDates)),
            ("ConsortiumPatch", "contact", "maxLength", Double(ConsortiaController.maxContactLength)),
            ("MunicipalityCreate", "address", "maxLength", Double(MunicipalityRecord.maxAddressLength)),
            ("SolveOptions", "seconds", "minimum", InputRules.solveSeconds.lowerBound),
            ("SolveOptions", "seconds", "maximum", InputRules.solveSeconds.upperBound),
            ("WorkRecordSummary", nil, "maxLength", Double(WorkRecordRules.maxSummaryLength)),
            ("WorkRecordReturn", "reason", "maxLength", Double(WorkRecordRules.maxReasonLength)),
            ("CostLine", "label", "maxLength", Double(CostShareRules.maxLabelLength)),
            ("CostLine", "yen", "minimum", 0), ("CostLine", "yen", "maximum", Double(CostShare.maxTotalYen)),
            ("CostSharePut", "costs", "maxItems", Double(CostShareRules.maxCostLines)),
            ("CostSharePut", "populationBasis", "maxLength", Double(CostShareRules.maxBasisLength)),
        ] + ["equal", "population", "days"].flatMap { p -> [Row] in [
            ("CostShareRule", p, "minimum", Double(CostShareRules.percentages.lowerBound)),
            ("CostShareRule", p, "maximum", Double(CostShareRules.percentages.upperBound)),
        ] } + ["WorkRecordCreate", "WorkRecordPatch"].flatMap { s -> [Row] in [
            (s, "minutes", "minimum", 0), (s, "minutes", "maximum", Double(WorkRecordRules.maxMinutes)),
        ] } + ["PostCreate", "PostPatch"].flatMap { s -> [Row] in [
            (s, "daysPerWeek", "minimum", Double(r.daysPerWeek.lowerBound)), (s, "daysPerWeek", "maximum", Double(r.daysPerWeek.upperBound)),
            (s, "code", "maxLength", Double(PostLabel.maxCodeLength)),
        ] } + ["StaffCreate", "StaffPatch"].flatMap { s -> [Row] in [
            (s, "maxDaysPerWeek", "minimum", Double(r.daysPerWeek.lowerBound)), (s, "maxDaysPerWeek", "maximum", Double(r.daysPerWeek.upperBound)),
            (s, "targetDaysPerWeek", "minimum", Double(r.targetDaysPerWeek.lowerBound)),
            (s, "targetDaysPerWeek", "maximum", Double(r.targetDaysPerWeek.upperBound)),
            (s, "maxTravelKm", "minimum", Double(r.travelKm.lowerBound)), (s, "maxTravelKm", "maximum", Double(r.travelKm.upperBound)),
        ] }
        for row in table {
            #expect(limit(row.schema, row.property, row.keyword) == row.server,
                    "\(row.schema).\(row.property ?? "") \(row.keyword): document \(String(describing: limit(row.schema, row.property, row.keyword))), server \(row.server)")
        }
        // Every limit a request body can run into is in the table, so a new one cannot drift unchecked.
        let requestSchemas = schemas.keys.filter { name in
            ["Create", "Patch", "Decline", "Return", "Put", "Options"].contains { name.hasSuffix($0) }
                || ["Weekday", "Level", "GeoPoint", "Name", "WorkRecordSummary", "CostShareRule", "CostLine"].contains(name)
        }
        let keywords = ["minimum", "maximum", "maxLength", "maxItems"]
        for name in requestSchemas {
            let schema = schemas[name] ?? [:]
            var found: [(String?, String)] = keywords.filter { schema[$0] is NSNumber }.map { (nil, $0) }
            for (property, value) in (schema["properties"] as? [String: [String: Any]]) ?? [:] {
                found += keywords.filter { value[$0] is NSNumber }.map { (property, $0) }
            }
            // The seed is any non-negative 64-bit integer: the type's own range, not a rule of ours.
            for (property, keyword) in found where property != "seed" {
                #expect(table.contains { $0.schema == name && $0.property == property && $0.keyword == keyword },
                        "\(name).\(property ?? "") \(keyword) is in the document but not compared with the server")
            }
        }
    }
}
