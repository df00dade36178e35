import Foundation
import Hummingbird
import JunkaiCore

extension Request {
    /// Decodes a JSON body: 415 when it is not declared JSON, 400 when it is not JSON or repeats a key, 413 when
    /// too large, 422 naming the field when a value is wrong.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        try Self.requireJSONMediaType(headers[.contentType])
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw Problem(.badRequest, "a JSON body is required") }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Self.malformed(data, error)
        }
        if let pointer = JSONDuplicateKeys.first(in: data) {
            let key = pointer.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            throw Problem(.badRequest, "\(pointer): the key \"\(key)\" appears twice in one object",
                          errors: [.init(pointer: pointer, detail: "appears twice in one object")])
        }
        if let pointer = Self.firstNUL(in: parsed, at: "") {
            throw InvalidInput(pointer, "must not contain the NUL character")
        }
        // The document's schema first: it names every unknown, missing or wrong field at once.
        if let operation = RequestSchema.shared.operation(method: method.rawValue, path: context.endpointPath) {
            let issues = RequestSchema.shared.issues(body: parsed, operation: operation)
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let e as DecodingError {
            if case .dataCorrupted(let ctx) = e, ctx.codingPath.isEmpty,
               let pointer = Self.unrepresentableNumber(in: parsed, decoding: { _ = try JSONDecoder().decode(T.self, from: $0) }) {
                throw InvalidInput(pointer, "must be a whole number within range")
            }
            throw Problem.fromDecoding(e)
        }
    }

    /// A 400 saying where the text stops being JSON: line, column and byte offset.
    static func malformed(_ data: Data, _ error: any Error) -> Problem {
        let at = JSONSyntax.position(of: error, in: data)
        let what: String
        if at.offset >= data.count {
            what = "the body ends before the JSON value is complete"
        } else {
            let rest = data[data.index(data.startIndex, offsetBy: at.offset)...]
            let shown = String(decoding: rest.prefix(4), as: UTF8.self).first.map { "\"\($0)\"" } ?? "a byte"
            what = "the body is not valid JSON: unexpected \(shown)"
        }
        let detail = "\(what) at line \(at.line), column \(at.column) (byte \(at.offset))"
        return Problem(.badRequest, detail, errors: [.init(pointer: "", detail: detail)])
    }

    /// 415 unless `contentType` is `application/json` or a `+json` type (parameters such as charset allowed).
    static func requireJSONMediaType(_ contentType: String?) throws {
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw Problem(.unsupportedMediaType,
                          contentType == nil ? "the body must be JSON, sent with Content-Type: application/json"
                                             : "the body must be JSON (Content-Type: application/json), not \(mediaType)",
                          headers: [.accept: "application/json"])
        }
    }

    /// Foundation on Linux reports a fractional number in an integer field without its path; this finds the field
    /// by replacing each fractional or oversized number with 0 until the decode stops failing that way.
    static func unrepresentableNumber(in value: Any, decoding: (Data) throws -> Void) -> String? {
        var candidates: [[Any]] = []
        func collect(_ v: Any, _ path: [Any]) {
            guard candidates.count < 64 else { return }
            switch v {
            case let n as NSNumber:
                let d = n.doubleValue
                if d != d.rounded() || abs(d) >= 9.2e18 { candidates.append(path) }
            case let a as [Any]:
                for (i, e) in a.enumerated() { collect(e, path + [i]) }
            case let o as [String: Any]:
                for (k, e) in o { collect(e, path + [k]) }
            default:
                break
            }
        }
        func replacing(_ v: Any, _ path: ArraySlice<Any>) -> Any {
            guard let head = path.first else { return 0 }
            if let i = head as? Int, var a = v as? [Any] { a[i] = replacing(a[i], path.dropFirst()); return a }
            if let k = head as? String, var o = v as? [String: Any], let e = o[k] { o[k] = replacing(e, path.dropFirst()); return o }
            return v
        }
        // Only a pathless failure is looked into: anything else already names its field.
        func failsWithoutPath(_ v: Any) -> Bool {
            guard let data = try? JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed]) else { return false }
            do { try decoding(data) } catch let DecodingError.dataCorrupted(ctx) where ctx.codingPath.isEmpty {
                return true
            } catch {}
            return false
        }
        guard failsWithoutPath(value) else { return nil }
        collect(value, [])
        for path in candidates where !failsWithoutPath(replacing(value, path[...])) {
            return path.map { "/" + JSONPointer.token("\($0)") }.joined()
        }
        return nil
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
                let escaped = JSONPointer.token(k)
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
        guard let raw = uri.queryParameters[Substring(name)] else { throw InvalidInput("/\(name)", "query parameter is required (YYYY-MM-DD)") }
        guard let d = CivilDate(iso: String(raw)) else {
            throw InvalidInput("/\(name)", DateText.problem(String(raw)) ?? "must be a date YYYY-MM-DD")
        }
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
                return "/" + JSONPointer.token(s)
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
