import Foundation
import JunkaiCore
import Hummingbird
import JunkaiSolver
import JunkaiStore
import Logging

/// An RFC 9457 problem: every 4xx/5xx answer of the API is one of these.
public struct Problem: HTTPResponseError, Sendable {
    public struct FieldError: Codable, Sendable, Equatable {
        public var pointer: String
        public var detail: String
        public init(pointer: String, detail: String) { self.pointer = pointer; self.detail = detail }
    }

    /// At most this many field errors are listed; the rest are counted in `omittedErrors`, so that a body
    /// full of wrong fields cannot make an answer many times its own size.
    public static let maxListedErrors = 100

    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    /// How many field errors beyond `maxListedErrors` were found and not listed.
    public var omittedErrors: Int
    /// This occurrence: the request id, so that a report of the problem finds its log lines.
    public var instance: String?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.errors = Array(errors.prefix(Self.maxListedErrors))
        self.omittedErrors = max(0, errors.count - Self.maxListedErrors)
        self.instance = nil
        self.headers = headers
    }

    /// The `instance` URI of a request id.
    static func instance(requestID: String) -> String { "urn:junkai:request:\(requestID)" }

    /// A 422 listing every issue (up to the cap), its detail naming the first few.
    public static func invalid(_ issues: [ValidationIssue]) -> Problem {
        let shown = issues.prefix(3).map { "\($0.pointer.isEmpty ? "request" : $0.pointer): \($0.detail)" }
        let more = issues.count > shown.count ? " (and \(issues.count - shown.count) more)" : ""
        return Problem(.unprocessableContent, shown.joined(separator: "; ") + more,
                       errors: issues.map { .init(pointer: $0.pointer, detail: $0.detail) })
    }

    /// A 422 naming one field.
    public static func invalid(_ pointer: String, _ detail: String) -> Problem {
        Problem(.unprocessableContent, "\(pointer.isEmpty ? "request" : pointer): \(detail)",
                errors: [FieldError(pointer: pointer, detail: detail)])
    }

    public static let notFound = Problem(.notFound, "not found")
    public static let forbidden = Problem(.forbidden, "this role may not do this")
    public static let unauthorized = Problem(
        .unauthorized, "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer"])

    struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldError]?
        var omittedErrors: Int?
        var instance: String?
    }

    /// The request id the log middleware put on the context's logger.
    static func requestID(_ context: some RequestContext) -> String? {
        if case .string(let id)? = context.logger[metadataKey: "requestId"] { return id }
        return nil
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: "about:blank", title: title, status: Int(status.code), detail: detail,
                        errors: errors.isEmpty ? nil : errors,
                        omittedErrors: omittedErrors == 0 ? nil : omittedErrors,
                        instance: instance ?? Self.requestID(context).map(Self.instance(requestID:)))
        let data = try AppRequestContext.encoder.encode(body)
        var h = headers
        h[.contentType] = "application/problem+json"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into problem+json in one place; anything unexpected is a logged 500 without details.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status == .internalServerError {
                // The error's type and message only: request bodies may hold personal data.
                context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error) -> Problem {
        switch error {
        case let p as Problem: return p
        case let s as StoreError: return problem(for: s)
        case let invalid as InvalidInput:
            return .invalid(invalid.issues)
        case let h as HTTPError:
            return Problem(h.status, h.body ?? h.status.reasonPhrase, headers: h.headers)
        case let r as any HTTPResponseError:
            // e.g. NIOTooManyBytesError for a body over the upload limit (413).
            return Problem(r.status, r.status == .contentTooLarge ? "the body is larger than 1 MiB" : r.status.reasonPhrase)
        default:
            if let mapped = StoreError.from(error) { return problem(for: mapped) }
            return Problem(.internalServerError, "internal error")
        }
    }

    static func problem(for error: StoreError) -> Problem {
        switch error {
        case .notFound(let why): return Problem(.notFound, why)
        case .conflict(let why): return Problem(.conflict, why)
        case .forbidden(let why): return Problem(.forbidden, why)
        case .preconditionFailed(let why): return Problem(.preconditionFailed, why)
        }
    }
}
