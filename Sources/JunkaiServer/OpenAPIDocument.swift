import Foundation
import JunkaiCore

/// The OpenAPI 3.1 document of the whole API as the server implements it, served at `/openapi.json`.
///
/// The document is a resource file, `Resources/openapi/openapi.json`; each other `*.json` file in that
/// folder is a fragment for one area of the API (`{"paths": …, "components": …}`) merged into it, so a new
/// area adds its own file instead of editing one large text. `OpenAPITests` checks the result against the
/// router's own routes, and the black-box schemathesis run checks the server against it.
enum OpenAPIDocument {
    /// The merged document as JSON text; the build's resources are constant, so it is made once.
    static let json: String = {
        do { return try load() } catch { fatalError("the OpenAPI resources are broken: \(error)") }
    }()

    enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case malformed(String)
        case duplicate(String)
        var description: String {
            switch self {
            case .missing(let what): return "missing \(what)"
            case .malformed(let file): return "\(file) is not a JSON object"
            case .duplicate(let key): return "\(key) is defined twice"
            }
        }
    }

    /// Reads the base document and merges every fragment into it, fragments in file-name order.
    static func load(bundle: Bundle = .module) throws -> String {
        guard let dir = bundle.url(forResource: "openapi", withExtension: nil) else { throw LoadError.missing("openapi/") }
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        guard let baseURL = files.first(where: { $0.lastPathComponent == "openapi.json" }) else {
            throw LoadError.missing("openapi/openapi.json")
        }
        var base = try parse(baseURL)
        for file in files where file != baseURL {
            base = try merge(fragment: parse(file), into: base)
        }
        return OpenAPIYAML.json(addingQueryResponses(addingBodyResponses(base)))
    }

    /// Every `/v1` operation checks its query string in one place (`QueryCheckMiddleware`): a query that is not
    /// percent-encoded UTF-8 is a 400 and an unknown or repeated parameter a 422, so the document says so once here.
    static func addingQueryResponses(_ document: OpenAPIYAML.Node) -> OpenAPIYAML.Node {
        let refs: [(String, OpenAPIYAML.Node)] = [
            ("400", .object([("$ref", .scalar("\"#/components/responses/BadRequest\""))])),
            ("422", .object([("$ref", .scalar("\"#/components/responses/Unprocessable\""))])),
        ]
        let methods: Set<String> = ["get", "put", "post", "patch", "delete"]
        return document.updating("paths") { paths in
            guard case .object(let items) = paths else { return paths }
            return .object(items.map { path, item in
                guard path.hasPrefix("/v1/"), case .object(let members) = item else { return (path, item) }
                return (path, .object(members.map { method, op in
                    guard methods.contains(method) else { return (method, op) }
                    return (method, op.updating("responses") { responses in
                        guard case .object(let codes) = responses else { return responses }
                        let missing = refs.filter { ref in !codes.contains { $0.0 == ref.0 } }
                        return .object(codes + missing)
                    })
                }))
            })
        }
    }

    /// Every operation that takes a body can be refused for its media type (415): the server does that in one
    /// place for all of them, so the document says it in one place too rather than in every file.
    static func addingBodyResponses(_ document: OpenAPIYAML.Node) -> OpenAPIYAML.Node {
        let ref = OpenAPIYAML.Node.object([("$ref", .scalar("\"#/components/responses/UnsupportedMediaType\""))])
        return document.updating("paths") { paths in
            guard case .object(let items) = paths else { return paths }
            return .object(items.map { path, item in
                guard case .object(let members) = item else { return (path, item) }
                return (path, .object(members.map { method, op in
                    guard case .object(let fields) = op, fields.contains(where: { $0.0 == "requestBody" }) else { return (method, op) }
                    return (method, op.updating("responses") { responses in
                        guard case .object(let codes) = responses, !codes.contains(where: { $0.0 == "415" }) else { return responses }
                        return .object(codes + [("415", ref)])
                    })
                }))
            })
        }
    }

    static func parse(_ url: URL) throws -> OpenAPIYAML.Node {
        var parser = OpenAPIYAML.OrderedJSONParser(bytes: Array(try Data(contentsOf: url)))
        guard let node = parser.parseDocument(), case .object = node else { throw LoadError.malformed(url.lastPathComponent) }
        return node
    }

    /// Adds a fragment's `paths` (new paths, or new methods of a path) and `components` (new names of
    /// each section) to the document; a name defined twice is an error, not a silent overwrite.
    static func merge(fragment: OpenAPIYAML.Node, into document: OpenAPIYAML.Node) throws -> OpenAPIYAML.Node {
        guard case .object(let parts) = fragment else { return document }
        var doc = document
        for (key, value) in parts {
            switch key {
            case "paths":
                doc = try doc.updating("paths") { try $0.addingMembers(of: value, depth: 2, at: "paths") }
            case "components":
                doc = try doc.updating("components") { try $0.addingMembers(of: value, depth: 2, at: "components") }
            case "tags":
                doc = try doc.updating("tags") { existing in
                    guard case .array(let a) = existing, case .array(let b) = value else { throw LoadError.malformed("tags") }
                    return .array(a + b)
                }
            default:
                throw LoadError.malformed("a fragment's \(key) (only paths, components and tags merge)")
            }
        }
        return doc
    }
}

extension OpenAPIYAML.Node {
    /// This object with member `key` replaced by `change` of it (an empty object when absent).
    func updating(_ key: String, _ change: (OpenAPIYAML.Node) throws -> OpenAPIYAML.Node) rethrows -> OpenAPIYAML.Node {
        guard case .object(var members) = self else { return self }
        if let i = members.firstIndex(where: { $0.0 == key }) {
            members[i].1 = try change(members[i].1)
        } else {
            members.append((key, try change(.object([]))))
        }
        return .object(members)
    }

    /// Merges `other`'s members into this object: down to `depth` levels objects merge, below that a
    /// member already present is a duplicate.
    func addingMembers(of other: OpenAPIYAML.Node, depth: Int, at path: String) throws -> OpenAPIYAML.Node {
        guard case .object(var mine) = self, case .object(let theirs) = other else {
            throw OpenAPIDocument.LoadError.malformed(path)
        }
        for (key, value) in theirs {
            if let i = mine.firstIndex(where: { $0.0 == key }) {
                guard depth > 1 else { throw OpenAPIDocument.LoadError.duplicate("\(path)/\(key)") }
                mine[i].1 = try mine[i].1.addingMembers(of: value, depth: depth - 1, at: "\(path)/\(key)")
            } else {
                mine.append((key, value))
            }
        }
        return .object(mine)
    }
}
