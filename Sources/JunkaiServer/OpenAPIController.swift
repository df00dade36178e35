import Foundation
import JunkaiCore
import Hummingbird

/// Serves the OpenAPI 3.1 document, public: `/openapi.json` and the same document as `/openapi.yaml`.
struct OpenAPIController {
    /// Both renderings are computed once; the document is a constant of the build.
    static let jsonBody = ByteBuffer(string: OpenAPIDocument.json)
    static let yamlBody = ByteBuffer(string: OpenAPIYAML.render(json: OpenAPIDocument.json) ?? OpenAPIDocument.json)

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in
            Self.response(Self.jsonBody, contentType: "application/json; charset=utf-8")
        }
        router.get("openapi.yaml") { _, _ in
            Self.response(Self.yamlBody, contentType: "application/yaml; charset=utf-8")
        }
    }

    static func response(_ body: ByteBuffer, contentType: String) -> Response {
        Response(status: .ok,
                 headers: [.contentType: contentType, .cacheControl: "public, max-age=300",
                           .accessControlAllowOrigin: "*"],
                 body: .init(byteBuffer: body))
    }
}

/// Renders a JSON document as block-style YAML 1.2, keeping the member order of the JSON text.
///
/// Scalars are written as JSON scalars (double-quoted strings, numbers, true/false/null), which
/// YAML 1.2 reads back as the same values, so the two renderings always describe the same document.
enum OpenAPIYAML {
    /// A JSON value with its object members in document order.
    indirect enum Node {
        case scalar(String)
        case array([Node])
        case object([(String, Node)])
    }

    /// A node as compact-per-scalar, indented JSON text (scalars keep their raw JSON text).
    static func json(_ node: Node, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        switch node {
        case .scalar(let s): return s
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + json($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + close + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { pad + quote($0.0) + ": " + json($0.1, indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + close + "}"
        }
    }

    /// The YAML text, or nil when `json` is not a JSON document.
    static func render(json: String) -> String? {
        var parser = OrderedJSONParser(bytes: Array(json.utf8))
        guard let root = parser.parseDocument() else { return nil }
        var out = ""
        emit(root, indent: 0, into: &out)
        return out
    }

    static func emit(_ node: Node, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch node {
        case .scalar(let s):
            out += pad + s + "\n"
        case .array(let items):
            if items.isEmpty { out += pad + "[]\n"; return }
            for item in items {
                switch item {
                case .scalar(let s): out += pad + "- " + s + "\n"
                case .array(let inner) where inner.isEmpty: out += pad + "- []\n"
                case .object(let members) where members.isEmpty: out += pad + "- {}\n"
                default:
                    out += pad + "-\n"
                    emit(item, indent: indent + 2, into: &out)
                }
            }
        case .object(let members):
            if members.isEmpty { out += pad + "{}\n"; return }
            for (key, value) in members {
                let k = quote(key)
                switch value {
                case .scalar(let s): out += pad + k + ": " + s + "\n"
                case .array(let inner) where inner.isEmpty: out += pad + k + ": []\n"
                case .object(let inner) where inner.isEmpty: out += pad + k + ": {}\n"
                default:
                    out += pad + k + ":\n"
                    emit(value, indent: indent + 2, into: &out)
                }
            }
        }
    }

    /// A key as a double-quoted YAML scalar (JSON escaping is valid YAML escaping).
    static func quote(_ s: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A small RFC 8259 reader that keeps the raw text of scalars and the order of members.
    struct OrderedJSONParser {
        let bytes: [UInt8]
        var i = 0

        mutating func parseDocument() -> Node? {
            skip()
            guard let v = value(depth: 0) else { return nil }
            skip()
            return i == bytes.count ? v : nil
        }

        mutating func skip() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func value(depth: Int) -> Node? {
            guard depth < 128, i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, Node)] = []
                skip()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skip()
                    guard let keyText = stringToken(), let key = decodeString(keyText) else { return nil }
                    skip()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                    i += 1
                    skip()
                    guard let v = value(depth: depth + 1) else { return nil }
                    members.append((key, v))
                    skip()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    return nil
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Node] = []
                skip()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skip()
                    guard let v = value(depth: depth + 1) else { return nil }
                    items.append(v)
                    skip()
                    guard i < bytes.count else { return nil }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    return nil
                }
            case UInt8(ascii: "\""):
                guard let text = stringToken(), decodeString(text) != nil else { return nil }
                return .scalar(text)
            default:
                let start = i
                while i < bytes.count, !",]} \n\r\t".utf8.contains(bytes[i]) { i += 1 }
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                guard ["true", "false", "null"].contains(text) || Double(text) != nil else { return nil }
                return .scalar(text)
            }
        }

        /// The raw text of a string token, quotes included.
        mutating func stringToken() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            let start = i
            i += 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") { i += 1; return String(decoding: bytes[start..<i], as: UTF8.self) }
                i += 1
            }
            return nil
        }

        func decodeString(_ token: String) -> String? {
            try? JSONDecoder().decode(String.self, from: Data(token.utf8))
        }
    }
}
