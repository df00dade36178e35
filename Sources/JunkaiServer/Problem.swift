import Foundation
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

    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var errors: [FieldError]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, errors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.title = status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.headers = headers
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
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(type: "about:blank", title: title, status: Int(status.code), detail: detail,
                        errors: errors.isEmpty ? nil : errors)
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
            return Problem(.unprocessableContent, invalid.issues.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; "),
                           errors: invalid.issues.map { .init(pointer: $0.pointer, detail: $0.detail) })
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
        case .invalid(let pointer, let detail): return .invalid(pointer, detail)
        case .preconditionFailed(let why): return Problem(.preconditionFailed, why)
        }
    }
}
