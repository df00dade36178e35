import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// Resolves `Authorization: Bearer …` to a principal; 401 when missing, unknown or revoked.
///
/// Known tokens are remembered by hash until the next change to the tokens (or anything else cached):
/// unknown ones are not, so guessing cannot fill the memory.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    let caches: ReadCaches
    let failures: AuthFailureMonitor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let principal: Principal
        do {
            principal = try await authenticate(request)
        } catch let problem as Problem where problem.status == .unauthorized {
            await failures.record(from: context.remoteAddress, store: store, logger: context.logger)
            throw problem
        }
        var context = context
        context.principal = principal
        context.logger[metadataKey: "token"] = .string(principal.tokenId.uuidString)
        // An admin passes every consortium's scope check, so a path under a consortium that does not exist must
        // be refused here, once for every route, rather than answer an empty list.
        if principal.role == .admin, let raw = context.parameters.get("cid") {
            guard let cid = UUID(uuidString: raw) else { throw Problem.notFound }
            _ = try await store.consortium(cid)
        }
        return try await next(request, context)
    }

    func authenticate(_ request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else { throw Problem.unauthorized }
        let secret = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard secret.utf8.count <= 200 else { throw Problem.unauthorized }
        let hash = Secret.hash(secret)
        return try await caches.principals.value(hash) {
            guard let found = try await store.principal(forTokenHash: hash) else { throw Problem.unauthorized }
            return found
        }
    }
}

extension AppRequestContext {
    /// The authenticated caller (the auth middleware guarantees one on /v1 routes).
    func caller() throws -> Principal {
        guard let p = principal else { throw Problem.unauthorized }
        return p
    }

    /// The `{cid}` path parameter as a UUID; a malformed id is simply not found.
    func consortiumID() throws -> UUID {
        guard let raw = parameters.get("cid"), let id = UUID(uuidString: raw) else { throw Problem.notFound }
        return id
    }

    /// A UUID path parameter; a malformed id is simply not found.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw Problem.notFound }
        return id
    }

    /// Checks the caller may act in consortium `cid` with one of `roles`: 404 outside its consortium, 403 for a wrong role
    /// (an admin's consortium was checked to exist by the auth middleware).
    @discardableResult
    func authorize(_ cid: UUID, _ roles: Set<Principal.Role>) throws -> Principal {
        let p = try caller()
        if p.role == .admin { return p }
        guard p.consortiumId == cid else { throw Problem.notFound }
        guard roles.contains(p.role) else { throw Problem.forbidden }
        return p
    }
}
