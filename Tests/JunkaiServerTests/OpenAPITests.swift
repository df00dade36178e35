import Foundation
import Hummingbird
import HummingbirdTesting
import JunkaiStore
import PostgresNIO
import Testing

@testable import JunkaiServer

/// The served OpenAPI document: public, OpenAPI 3.1 JSON, and covering every path of docs/api.md.
@Suite("OpenAPI document")
struct OpenAPITests {
    /// Every method and path of docs/api.md's resource table, in the document's templated form.
    static let contractOperations: [(method: String, path: String)] = [
        ("post", "/v1/consortia"),
        ("post", "/v1/consortia/{cid}/tokens"),
        ("delete", "/v1/consortia/{cid}/tokens/{tokenId}"),
        ("post", "/v1/consortia/{cid}/municipalities"),
        ("get", "/v1/consortia/{cid}/municipalities"),
        ("put", "/v1/consortia/{cid}/skills/{skillId}"),
        ("get", "/v1/consortia/{cid}/skills"),
        ("post", "/v1/consortia/{cid}/posts"),
        ("get", "/v1/consortia/{cid}/posts"),
        ("get", "/v1/consortia/{cid}/posts/{postId}"),
        ("patch", "/v1/consortia/{cid}/posts/{postId}"),
        ("delete", "/v1/consortia/{cid}/posts/{postId}"),
        ("post", "/v1/consortia/{cid}/staff"),
        ("get", "/v1/consortia/{cid}/staff"),
        ("get", "/v1/consortia/{cid}/staff/{staffId}"),
        ("patch", "/v1/consortia/{cid}/staff/{staffId}"),
        ("delete", "/v1/consortia/{cid}/staff/{staffId}"),
        ("post", "/v1/consortia/{cid}/staff/{staffId}/unavailability"),
        ("get", "/v1/consortia/{cid}/staff/{staffId}/unavailability"),
        ("delete", "/v1/consortia/{cid}/staff/{staffId}/unavailability/{unavailabilityId}"),
        ("post", "/v1/consortia/{cid}/requests"),
        ("get", "/v1/consortia/{cid}/requests"),
        ("post", "/v1/consortia/{cid}/requests/{rid}/accept"),
        ("post", "/v1/consortia/{cid}/requests/{rid}/decline"),
        ("delete", "/v1/consortia/{cid}/requests/{rid}"),
        ("post", "/v1/consortia/{cid}/plans"),
        ("post", "/v1/consortia/{cid}/plans/{pid}/solve"),
        ("get", "/v1/consortia/{cid}/plans/{pid}"),
        ("get", "/v1/consortia/{cid}/plans/{pid}/instance"),
        ("post", "/v1/consortia/{cid}/plans/{pid}/publish"),
        ("get", "/v1/consortia/{cid}/staff/{staffId}/schedule"),
        ("get", "/v1/consortia/{cid}/municipalities/{code}/schedule"),
        ("post", "/v1/consortia/{cid}/staff/{staffId}/calendar-feed"),
        ("get", "/calendars/{feedToken}.ics"),
        ("get", "/v1/register/municipalities/{code}"),
        ("get", "/v1/register/municipalities"),
        ("get", "/v1/calendar/working-days"),
        ("get", "/healthz"),
        ("get", "/readyz"),
        ("get", "/openapi.json"),
        ("get", "/openapi.yaml"),
    ]

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The document as the router serves it, without a token.
    static func served(_ uri: String) async throws -> (status: HTTPResponse.Status, contentType: String?, body: String) {
        let router = Router(context: AppRequestContext.self)
        OpenAPIController().addRoutes(to: router)
        let app = Application(router: router)
        return try await app.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { r in
                (r.status, r.headers[.contentType], String(buffer: r.body))
            }
        }
    }

    static func document() async throws -> [String: Any] {
        let (status, contentType, body) = try await served("/openapi.json")
        #expect(status == .ok)
        #expect(contentType?.hasPrefix("application/json") == true)
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8))
        return try #require(object as? [String: Any], "the document is not a JSON object")
    }

    @Test("served without a token as OpenAPI 3.1 JSON")
    func isOpenAPI31() async throws {
        let doc = try await Self.document()
        let version = try #require(doc["openapi"] as? String)
        #expect(version.hasPrefix("3.1."))
        let info = try #require(doc["info"] as? [String: Any])
        #expect(info["title"] as? String == "Junkai")
        let schemes = (doc["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        let bearer = try #require(schemes?["bearerAuth"] as? [String: Any])
        #expect(bearer["type"] as? String == "http")
        #expect(bearer["scheme"] as? String == "bearer")
    }

    @Test("lists every method and path of docs/api.md")
    func coversTheContract() async throws {
        let paths = try #require(try await Self.document()["paths"] as? [String: Any])
        for (method, path) in Self.contractOperations {
            let item = paths[path] as? [String: Any]
            #expect(item?[method] != nil, "\(method.uppercased()) \(path) is not in the document")
        }
    }

    @Test("the router's routes and the document's operations are the same set, both ways")
    func routesAreTheDocument() async throws {
        let client = PostgresClient(configuration: TestDatabase.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
        let router = buildRouter(store: Store(client: client, logger: TestDatabase.logger), migrator: nil,
                                 config: AppConfig(database: TestDatabase.url), caches: ReadCaches(tracker: ChangeTracker()))
        // HEAD is generated for every GET (and documented once, in the description), so it is left out here.
        // The web pages are HTML, not part of the documented API.
        let routes = Set(router.routes.filter { $0.method != .head && !WebNotFoundMiddleware.isPage($0.path.description) }.map { "\($0.method.rawValue.lowercased()) \($0.path.description)" })
        let paths = try #require(try await Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in item.keys.filter(Self.methods.contains).map { "\($0) \(path)" } })
        #expect(routes.subtracting(documented).isEmpty, "served but not documented: \(routes.subtracting(documented).sorted())")
        #expect(documented.subtracting(routes).isEmpty, "documented but not served: \(documented.subtracting(routes).sorted())")
    }

    @Test("every operation has an id, responses, and every $ref resolves")
    func isWellFormed() async throws {
        let doc = try await Self.document()
        let paths = try #require(doc["paths"] as? [String: Any])
        var operationIds: [String] = []
        for (path, value) in paths {
            let item = try #require(value as? [String: Any], "\(path) is not an object")
            let templated = Set(Self.templateNames(path))
            for (method, op) in item where Self.methods.contains(method) {
                let operation = try #require(op as? [String: Any])
                let id = operation["operationId"] as? String
                #expect(id != nil, "\(method) \(path) has no operationId")
                operationIds.append(id ?? "")
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(!responses.isEmpty, "\(method) \(path) documents no response")
                // Every template name is declared as a path parameter (on the item or the operation).
                let declared = Self.pathParameterNames(item["parameters"], in: doc) + Self.pathParameterNames(operation["parameters"], in: doc)
                #expect(Set(declared) == templated, "\(method) \(path) declares path parameters \(declared.sorted())")
                // Protected operations document 401; public ones say so with an empty security list.
                let isPublic = (operation["security"] as? [Any])?.isEmpty == true
                #expect(isPublic != path.hasPrefix("/v1/"), "\(method) \(path): only /v1 is behind bearer authentication")
                if !isPublic { #expect(responses["401"] != nil, "\(method) \(path) does not document 401") }
                // A body means 400, 413, 415 and 422 are possible.
                if operation["requestBody"] != nil {
                    for code in ["400", "413", "415", "422"] {
                        #expect(responses[code] != nil, "\(method) \(path) takes a body but does not document \(code)")
                    }
                }
            }
        }
        #expect(Set(operationIds).count == operationIds.count, "operationIds repeat")
        var refs: [String] = []
        Self.collectRefs(doc, into: &refs)
        for ref in Set(refs) {
            #expect(Self.resolve(ref, in: doc) != nil, "\(ref) does not resolve")
        }
    }

    @Test("the YAML rendering holds the same document")
    func yamlMatchesJSON() async throws {
        let (status, contentType, body) = try await Self.served("/openapi.yaml")
        #expect(status == .ok)
        #expect(contentType?.hasPrefix("application/yaml") == true)
        #expect(body.hasPrefix("\"openapi\": \"3.1."))
        // Every path of the document appears as a YAML key at the paths level.
        let paths = try #require(try await Self.document()["paths"] as? [String: Any])
        for path in paths.keys {
            #expect(body.contains("\n  \"\(path)\":\n"), "\(path) is missing from the YAML")
        }
    }

    @Test("the YAML renderer keeps order, nesting and escapes")
    func yamlRenderer() throws {
        let yaml = try #require(OpenAPIYAML.render(json: #"{"b": [1, {"x": "a\"b"}, []], "a": {}, "c": null}"#))
        #expect(yaml == """
            "b":
              - 1
              -
                "x": "a\\"b"
              - []
            "a": {}
            "c": null

            """)
        #expect(OpenAPIYAML.render(json: #"{"a": }"#) == nil)
        #expect(OpenAPIYAML.render(json: #"{"a": 1} x"#) == nil)
    }

    static func templateNames(_ path: String) -> [String] {
        var names: [String] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func pathParameterNames(_ list: Any?, in doc: [String: Any]) -> [String] {
        (list as? [Any] ?? []).compactMap { entry -> String? in
            var p = entry as? [String: Any]
            if let ref = p?["$ref"] as? String { p = resolve(ref, in: doc) as? [String: Any] }
            guard p?["in"] as? String == "path" else { return nil }
            return p?["name"] as? String
        }
    }

    static func collectRefs(_ value: Any, into refs: inout [String]) {
        if let object = value as? [String: Any] {
            if let ref = object["$ref"] as? String { refs.append(ref) }
            for v in object.values { collectRefs(v, into: &refs) }
        } else if let array = value as? [Any] {
            for v in array { collectRefs(v, into: &refs) }
        }
    }

    static func resolve(_ ref: String, in doc: [String: Any]) -> Any? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = doc
        for token in ref.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = (node as? [String: Any])?[key] else { return nil }
            node = next
        }
        return node
    }
}
