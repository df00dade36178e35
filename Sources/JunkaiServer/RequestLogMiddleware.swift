import Foundation
import JunkaiCore
import HTTPTypes
import Hummingbird
import Logging

/// One access-log line per request (method, route, status, duration, request id) and the request id itself:
/// taken from `X-Request-Id` when the client or a proxy sent a usable one, else made here; echoed in the
/// answer, put on every log line of the request and into problem+json `instance`.
///
/// The line names the route template (`/v1/consortia/{cid}/staff/{staffId}`), never the concrete path, the
/// query, a body or a header value: those can hold ids of people, search terms or secrets (feed URLs).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = Self.usableID(request.headers[Self.header]) ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "requestId"] = .string(id)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            // ProblemMiddleware answers every error; what reaches here is the router's own (a route not found).
            var problem = ProblemMiddleware<Context>.problem(for: error)
            problem.instance = Problem.instance(requestID: id)
            response = try problem.response(from: request, context: context)
        }
        response.headers[Self.header] = id
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(response.status.code),
            "durationMs": .string(String(format: "%.2f", ms)),
        ])
        return response
    }

    /// A client's id when it is 1–128 characters of A–Z a–z 0–9 . _ - (anything else could forge log lines).
    static func usableID(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.utf8.count <= 128,
              raw.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
                                    || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F }) else { return nil }
        return raw
    }
}
