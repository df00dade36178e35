import Foundation
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// The request side of the OpenAPI document, applied to every request: what each operation's body may hold and
/// which query parameters it takes.
///
/// The document is the contract clients are written against, so the server checks bodies and query strings
/// against the document itself rather than against each handler's decoder: a field or filter the document does
/// not name is refused (a typo such as `maxTravelkm` must not silently mean "no limit"), and every wrong field is
/// reported in one answer, not only the first one the decoder trips on.
struct RequestSchema: @unchecked Sendable {
    /// One operation's request side.
    struct Operation: @unchecked Sendable {
        /// The body schema (`$ref`s resolved lazily), nil when the operation takes no JSON body.
        var body: [String: Any]?
        /// The query parameters the operation documents.
        var query: [String]
    }

    /// The merged document's operations by "METHOD /path/{template}".
    let operations: [String: Operation]
    let schemas: [String: [String: Any]]

    /// Built once from the served document.
    static let shared: RequestSchema = {
        guard let data = OpenAPIDocument.json.data(using: .utf8),
              let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            fatalError("the OpenAPI document is not JSON")
        }
        return RequestSchema(document: doc)
    }()

    init(document doc: [String: Any]) {
        let components = doc["components"] as? [String: Any] ?? [:]
        schemas = components["schemas"] as? [String: [String: Any]] ?? [:]
        let sharedParameters = components["parameters"] as? [String: [String: Any]] ?? [:]
        var ops: [String: Operation] = [:]
        for (path, value) in doc["paths"] as? [String: Any] ?? [:] {
            guard let item = value as? [String: Any] else { continue }
            let pathParameters = item["parameters"] as? [[String: Any]] ?? []
            for method in ["get", "put", "post", "patch", "delete"] {
                guard let op = item[method] as? [String: Any] else { continue }
                let parameters = (pathParameters + (op["parameters"] as? [[String: Any]] ?? [])).map { p -> [String: Any] in
                    if let ref = p["$ref"] as? String, let name = ref.split(separator: "/").last {
                        return sharedParameters[String(name)] ?? [:]
                    }
                    return p
                }
                let query = parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
                let content = (op["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                let body = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                ops["\(method.uppercased()) \(path)"] = Operation(body: body, query: query)
            }
        }
        operations = ops
    }

    func operation(method: String, path: String?) -> Operation? {
        guard let path else { return nil }
        return operations["\(method) \(path)"]
    }

    // MARK: - Query

    /// 422 naming every query parameter the operation does not document, and any parameter given twice.
    func checkQuery(_ names: [String], operation: Operation) throws {
        var issues: [ValidationIssue] = []
        var seen: Set<String> = []
        let accepted = operation.query
        for name in names {
            if !accepted.contains(name) {
                let hint = accepted.isEmpty ? "this operation takes no query parameters"
                                            : "accepted: \(accepted.joined(separator: ", "))"
                issues.append(.init(pointer: "/\(JSONDuplicateKeys.escape(name))",
                                    detail: "unknown query parameter \"\(name)\" (\(hint))"))
            } else if !seen.insert(name).inserted {
                issues.append(.init(pointer: "/\(JSONDuplicateKeys.escape(name))", detail: "query parameter given more than once"))
            }
        }
        if !issues.isEmpty { throw InvalidInput(issues: Self.unique(issues)) }
    }

    // MARK: - Body

    /// Every place where `value` breaks the body schema of `operation`: unknown members, missing required
    /// members, wrong types, out-of-range numbers, impossible dates, values outside an enumeration, lengths.
    func issues(body value: Any, operation: Operation) -> [ValidationIssue] {
        guard let schema = operation.body else { return [] }
        var out: [ValidationIssue] = []
        check(value, against: schema, at: "", into: &out, depth: 0)
        return Self.unique(out)
    }

    private static func unique(_ issues: [ValidationIssue]) -> [ValidationIssue] {
        var seen: Set<String> = []
        return issues.filter { seen.insert("\($0.pointer)\u{0}\($0.detail)").inserted }
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/components/schemas/") else { return schema }
        let target = schemas[String(ref.dropFirst("#/components/schemas/".count))] ?? [:]
        var merged = resolve(target)
        for (k, v) in schema where k != "$ref" { merged[k] = v }
        return merged
    }

    enum Kind: String { case object, array, string, integer, number, boolean, null }

    static func kind(of value: Any) -> Kind {
        switch value {
        case is NSNull: return .null
        case is String: return .string
        case is [Any]: return .array
        case is [String: Any]: return .object
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .boolean }
            if n is NSDecimalNumber { return n.doubleValue == n.doubleValue.rounded() ? .integer : .number }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 9.3e18 ? .integer : .number
        default: return .null
        }
    }

    private static func article(_ type: String) -> String {
        switch type {
        case "integer": return "an integer"
        case "object": return "an object"
        case "array": return "an array"
        default: return "a \(type)"
        }
    }

    private static func number(_ x: Any?) -> Double? { (x as? NSNumber)?.doubleValue }

    private static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e18 ? String(Int64(x)) : String(x)
    }

    // Walks one value; anything the schema does not say is left to the handler's decoder.
    private func check(_ value: Any, against raw: [String: Any], at pointer: String, into out: inout [ValidationIssue],
                       depth: Int) {
        guard depth < 32 else { return }
        let schema = resolve(raw)
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            check(value, against: part, at: pointer, into: &out, depth: depth + 1)
        }
        // Alternatives are the handler's to tell apart.
        if schema["oneOf"] != nil || schema["anyOf"] != nil { return }
        let kind = Self.kind(of: value)
        var types: [String] = []
        if let t = schema["type"] as? String { types = [t] } else if let t = schema["type"] as? [String] { types = t }
        if !types.isEmpty {
            let fits = types.contains(kind.rawValue) || (kind == .integer && types.contains("number"))
            if !fits {
                let expected = types.filter { $0 != "null" }.map(Self.article).joined(separator: " or ")
                if kind == .null {
                    out.append(.init(pointer: pointer, detail: "must not be null (expected \(expected))"))
                } else if kind == .number && types.contains("integer") {
                    out.append(.init(pointer: pointer, detail: "must be a whole number, not \(Self.format(Self.number(value) ?? 0))"))
                } else {
                    out.append(.init(pointer: pointer, detail: "must be \(expected), not \(Self.article(kind.rawValue))"))
                }
                return
            }
        }
        if kind == .null { return }
        if let allowed = schema["enum"] as? [Any], let s = value as? String {
            let names = allowed.compactMap { $0 as? String }
            if !names.isEmpty && !names.contains(s) {
                out.append(.init(pointer: pointer, detail: "\"\(s)\" is not one of \(names.joined(separator: ", "))"))
            }
        }
        switch kind {
        case .integer, .number:
            let x = Self.number(value) ?? 0
            let min = Self.number(schema["minimum"]), max = Self.number(schema["maximum"])
            let shown = (value as? NSDecimalNumber)?.stringValue ?? Self.format(x)
            if let min, let max, x < min || x > max {
                out.append(.init(pointer: pointer, detail: "\(shown) is out of range: must be between \(Self.format(min)) and \(Self.format(max))"))
            } else if let min, x < min {
                out.append(.init(pointer: pointer, detail: "\(shown) is out of range: must be at least \(Self.format(min))"))
            } else if let max, x > max {
                out.append(.init(pointer: pointer, detail: "\(shown) is out of range: must be at most \(Self.format(max))"))
            } else if kind == .integer, abs(x) >= 9.2e18 {
                out.append(.init(pointer: pointer, detail: "\(shown) is out of range for an integer"))
            }
        case .string:
            let s = value as? String ?? ""
            let length = s.unicodeScalars.count
            if let min = Self.number(schema["minLength"]), Double(length) < min {
                out.append(.init(pointer: pointer, detail: min == 1 ? "must not be empty" : "must be at least \(Self.format(min)) characters"))
            }
            if let max = Self.number(schema["maxLength"]), Double(length) > max {
                out.append(.init(pointer: pointer, detail: "must be at most \(Self.format(max)) characters (is \(length))"))
            }
            switch schema["format"] as? String {
            case "date":
                if let why = DateText.problem(s) { out.append(.init(pointer: pointer, detail: why)) }
            case "uuid":
                if UUID(uuidString: s) == nil { out.append(.init(pointer: pointer, detail: "\"\(s)\" is not an id (UUID)")) }
            default:
                break
            }
        case .array:
            let items = value as? [Any] ?? []
            if let min = Self.number(schema["minItems"]), Double(items.count) < min {
                out.append(.init(pointer: pointer, detail: min == 1 ? "must not be empty" : "must have at least \(Self.format(min)) items"))
            }
            if let max = Self.number(schema["maxItems"]), Double(items.count) > max {
                out.append(.init(pointer: pointer, detail: "must have at most \(Self.format(max)) items (has \(items.count))"))
                return
            }
            if let itemSchema = schema["items"] as? [String: Any] {
                for (i, item) in items.enumerated() {
                    check(item, against: itemSchema, at: "\(pointer)/\(i)", into: &out, depth: depth + 1)
                }
            }
        case .object:
            let members = value as? [String: Any] ?? [:]
            let properties = schema["properties"] as? [String: Any]
            for name in schema["required"] as? [String] ?? [] where members[name] == nil {
                out.append(.init(pointer: "\(pointer)/\(JSONDuplicateKeys.escape(name))", detail: "is required"))
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let here = "\(pointer)/\(JSONDuplicateKeys.escape(name))"
                if let p = properties?[name] as? [String: Any] {
                    check(member, against: p, at: here, into: &out, depth: depth + 1)
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    check(member, against: extra, at: here, into: &out, depth: depth + 1)
                } else if properties != nil, schema["additionalProperties"] as? Bool != true {
                    // A request object names its members: anything else is a typo or a misunderstanding.
                    let known = (properties ?? [:]).keys.sorted().joined(separator: ", ")
                    out.append(.init(pointer: here, detail: "unknown field \"\(name)\" (known: \(known))"))
                }
            }
        default:
            break
        }
    }
}

/// Why a text is not a `YYYY-MM-DD` date, telling an impossible date (2027-02-30) from a malformed one.
enum DateText {
    static func problem(_ s: String) -> String? {
        if CivilDate(iso: s) != nil { return nil }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return "\"\(s)\" is not a date: expected YYYY-MM-DD"
        }
        guard (1...12).contains(m) else { return "\(s) is not a date: there is no month \(m)" }
        let days = CivilDate.daysInMonth(year: y, month: m)
        guard (1...days).contains(d) else { return "\(s) is not a date: \(y)-\(parts[1]) has \(days) days" }
        return "\(s) is outside the supported years"
    }
}

/// Where a JSON text stops being JSON, as a line, a column and a byte offset.
enum JSONSyntax {
    struct Position: Equatable { var offset: Int; var line: Int; var column: Int }

    /// The position of a JSONSerialization error in `data`: the character it names, or the end of the text.
    static func position(of error: any Error, in data: Data) -> Position {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        var offset = data.count
        if let range = message.range(of: "character ") {
            let digits = message[range.upperBound...].prefix(while: \.isNumber)
            if let n = Int(digits) { offset = min(n, data.count) }
        }
        return position(offset: offset, in: data)
    }

    /// Line and column (1-based; the column counts characters, not bytes) of a byte offset.
    static func position(offset: Int, in data: Data) -> Position {
        var line = 1, lineStart = 0
        let bytes = [UInt8](data.prefix(offset))
        for (i, b) in bytes.enumerated() where b == 0x0A { line += 1; lineStart = i + 1 }
        let column = String(decoding: bytes[lineStart...], as: UTF8.self).count + 1
        return Position(offset: offset, line: line, column: column)
    }
}
