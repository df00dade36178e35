/// One problem with an input, located by a JSON pointer (RFC 6901) such as `/posts/3/daysPerWeek`.
///
/// The one issue type of the product: the instance loader, the store and the HTTP controllers all report bad
/// input with it, and the server turns `InvalidInput` into one 422 problem+json listing every issue.
public struct ValidationIssue: Codable, Sendable, Hashable, CustomStringConvertible {
    public var pointer: String
    public var detail: String
    public init(pointer: String, detail: String) { self.pointer = pointer; self.detail = detail }
    public var description: String { "\(pointer.isEmpty ? "/" : pointer): \(detail)" }
}

/// Input that cannot be used, with every issue found (not just the first).
public struct InvalidInput: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ValidationIssue]
    public init(issues: [ValidationIssue]) { self.issues = issues }
    /// One issue at `pointer` (empty: the input as a whole).
    public init(_ pointer: String, _ detail: String) { self.issues = [ValidationIssue(pointer: pointer, detail: detail)] }
    public var description: String { issues.map(\.description).joined(separator: "\n") }

    /// Throws the issues collected so far, if any.
    public static func check(_ issues: [ValidationIssue]) throws(InvalidInput) {
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }
}

/// RFC 6901 pointers: the one place their reference tokens are escaped.
public enum JSONPointer {
    /// Escapes one reference token (`~` → `~0`, `/` → `~1`).
    public static func token(_ s: String) -> String {
        guard s.contains(where: { $0 == "~" || $0 == "/" }) else { return s }
        return s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The pointer of a path of keys and indexes, e.g. `["posts", 3, "title"]` → `/posts/3/title`.
    public static func pointer(_ path: [CustomStringConvertible]) -> String {
        path.map { "/" + token($0.description) }.joined()
    }
}
