import Foundation
import JunkaiCore
import HTTPTypes
import Hummingbird
import JunkaiStore
import NIOCore

/// Refuses a query string the operation does not document (422 naming each unknown parameter) and one that is not
/// percent-encoded UTF-8 (400): an unknown filter must not silently answer everything.
struct QueryCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, !query.isEmpty {
            let names = try Self.parameterNames(query)
            if let operation = RequestSchema.shared.operation(method: request.method.rawValue, path: context.endpointPath)
                ?? (request.method == .head ? RequestSchema.shared.operation(method: "GET", path: context.endpointPath) : nil) {
                try RequestSchema.shared.checkQuery(names, operation: operation)
            }
        }
        return try await next(request, context)
    }

    /// The decoded names of a query string's parameters; 400 when a name or value is not percent-encoded UTF-8.
    static func parameterNames(_ query: String) throws -> [String] {
        var names: [String] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), parts.count < 2 || decode(parts[1]) != nil else {
                throw Problem(.badRequest, "the query string is not percent-encoded UTF-8 (RFC 3986): encode each "
                              + "parameter, e.g. q=%E3%81%AA%E3%82%89 for なら")
            }
            names.append(name)
        }
        return names
    }

    /// `%XX` and `+` decoded; nil for raw bytes outside ASCII, a broken escape or bytes that are not UTF-8.
    static func decode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            switch b {
            case UInt8(ascii: "%"):
                guard it.count >= 2, let hi = hex(it.removeFirst()), let lo = hex(it.removeFirst()) else { return nil }
                bytes.append(hi << 4 | lo)
            case UInt8(ascii: "+"):
                bytes.append(0x20)
            case 0x80...:
                return nil
            default:
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}

/// 405 with `Allow` when the path exists but not for this method (the router alone answers 404).
///
/// Added after every route, so it wraps only the router's not-found answer.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route's path segments (`{name}` matches any one segment) and methods.
    let routes: [(segments: [String], methods: Set<String>)]

    init(routes: [(path: String, method: String)]) {
        var byPath: [String: Set<String>] = [:]
        for r in routes { byPath[r.path, default: []].insert(r.method) }
        self.routes = byPath.map { path, methods in
            (path.split(separator: "/").map(String.init), methods)
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && !WebNotFoundMiddleware.isPage(request.uri.path) {
            let allowed = allowedMethods(request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let list = Self.order(allowed)
            throw Problem(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(list.joined(separator: ", "))",
                          headers: [.allow: list.joined(separator: ", ")])
        }
    }

    /// The methods served at a concrete path (HEAD wherever GET).
    func allowedMethods(_ path: String) -> Set<String> {
        let segments = path.split(separator: "/").map(String.init)
        var out: Set<String> = []
        for route in routes where route.segments.count == segments.count {
            let matches = zip(route.segments, segments).allSatisfy { pattern, segment in
                pattern == segment || (pattern.hasPrefix("{") && pattern.hasSuffix("}"))
                    || (pattern.hasPrefix("{") && pattern.contains("}.") && segment.hasSuffix(String(pattern.split(separator: "}").last ?? "")))
            }
            if matches { out.formUnion(route.methods) }
        }
        if out.contains("GET") { out.insert("HEAD") }
        return out
    }

    static func order(_ methods: Set<String>) -> [String] {
        let rank = ["GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "PATCH": 4, "DELETE": 5]
        return methods.sorted { (rank[$0] ?? 9, $0) < (rank[$1] ?? 9, $1) }
    }
}

/// Gives every 201 of the API a `Location`: the created resource's URL, derived from the answer (`url` for a
/// feed or link, else `id` or `code` under the collection posted to; a PUT creates at its own path).
struct CreatedLocationMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The collected body, shared so the consuming `finish` can leave it behind.
    final class Box: @unchecked Sendable { var buffer = ByteBuffer() }

    struct BoxWriter: ResponseBodyWriter {
        let box: Box
        mutating func write(_ b: ByteBuffer) async throws {
            var b = b
            box.buffer.writeBuffer(&b)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.status == .created, response.headers[.location] == nil, request.uri.path.hasPrefix("/v1/") else {
            return response
        }
        let box = Box()
        let original = response.body
        try await original.write(BoxWriter(box: box))
        let body = box.buffer
        response.body = .init(byteBuffer: body)
        if let location = Self.location(method: request.method, path: request.uri.path, body: Data(buffer: body)) {
            response.headers[.location] = location
        }
        return response
    }

    static func location(method: HTTPRequest.Method, path: String, body: Data) -> String? {
        if method == .put { return path }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        if let url = object["url"] as? String { return url }
        var base = path
        while base.hasSuffix("/") { base.removeLast() }
        if let id = object["id"] as? String { return "\(base)/\(id)" }
        if let code = object["code"] as? String { return "\(base)/\(code)" }
        return nil
    }
}
