import Foundation
import Hummingbird
import JunkaiCore

extension Request {
    /// Decodes a JSON body: 400 when it is not JSON, 413 when too large, 422 naming the field when a value is wrong.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw Problem(.badRequest, "a JSON body is required") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Problem(.badRequest, "the body is not valid JSON")
        }
        if let pointer = Self.firstNUL(in: parsed, at: "") {
            throw Problem.invalid(pointer, "must not contain the NUL character")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let e as DecodingError {
            throw Problem.fromDecoding(e)
        }
    }

    /// The pointer of the first string (or key) holding U+0000, which PostgreSQL text cannot store.
    static func firstNUL(in value: Any, at pointer: String) -> String? {
        switch value {
        case let s as String:
            return s.unicodeScalars.contains("\u{0}") ? pointer : nil
        case let a as [Any]:
            for (i, v) in a.enumerated() { if let p = firstNUL(in: v, at: "\(pointer)/\(i)") { return p } }
        case let d as [String: Any]:
            for (k, v) in d {
                let escaped = k.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                if k.unicodeScalars.contains("\u{0}") { return "\(pointer)/\(escaped)" }
                if let p = firstNUL(in: v, at: "\(pointer)/\(escaped)") { return p }
            }
        default:
            break
        }
        return nil
    }

    /// A required ISO-date query parameter, or 422 naming it.
    func queryDate(_ name: String) throws -> CivilDate {
        guard let raw = uri.queryParameters[Substring(name)] else { throw Problem.invalid("/\(name)", "query parameter is required (YYYY-MM-DD)") }
        guard let d = CivilDate(iso: String(raw)) else { throw Problem.invalid("/\(name)", "must be a date YYYY-MM-DD") }
        return d
    }

    /// An optional ISO-date query parameter.
    func optionalQueryDate(_ name: String) throws -> CivilDate? {
        guard uri.queryParameters[Substring(name)] != nil else { return nil }
        return try queryDate(name)
    }
}

extension Problem {
    /// A 422 whose pointer is the decoding path of the failing field.
    static func fromDecoding(_ e: DecodingError) -> Problem {
        func pointer(_ path: [any CodingKey]) -> String {
            path.map { key in
                let s = key.intValue.map(String.init) ?? key.stringValue
                return "/" + s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }.joined()
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            return .invalid(pointer(ctx.codingPath + [key]), "is required")
        case .typeMismatch(let type, let ctx):
            return .invalid(pointer(ctx.codingPath), "has the wrong type (expected \(Self.jsonTypeName(type)))")
        case .valueNotFound(let type, let ctx):
            return .invalid(pointer(ctx.codingPath), "must not be null (expected \(Self.jsonTypeName(type)))")
        case .dataCorrupted(let ctx):
            return .invalid(pointer(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return Problem(.badRequest, "the body could not be read")
        }
    }

    static func jsonTypeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "integer" }
        if name == "Double" || name == "Float" { return "number" }
        if name == "String" || name == "CivilDate" || name == "UUID" { return "string" }
        if name == "Bool" { return "boolean" }
        if name.hasPrefix("Array") { return "array" }
        if name.hasPrefix("Dictionary") { return "object" }
        return "object"
    }
}
