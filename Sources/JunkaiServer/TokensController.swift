import Foundation
import JunkaiCore
import Hummingbird
import JunkaiSolver
import JunkaiStore

/// `/v1/consortia/{cid}/tokens`: issue, list (never the secret) and revoke bearer tokens.
struct TokensController {
    let store: Store

    struct IssueBody: Decodable {
        var role: String
        var municipality: String?
        var staff: String?
        var label: String?
    }

    struct Issued: ResponseEncodable {
        var id: UUID
        var token: String
        var role: Principal.Role
        var municipality: String?
        var staff: UUID?
        var label: String?
    }

    struct Token: ResponseEncodable {
        var id: UUID
        var role: Principal.Role
        var label: String?
        var municipality: String?
        var staff: UUID?
        var createdAt: Date
        var revokedAt: Date?

        init(_ r: TokenRecord) {
            id = r.id; role = r.role; label = r.label; municipality = r.municipality; staff = r.staff
            createdAt = r.createdAt; revokedAt = r.revokedAt
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/tokens", use: issue)
        group.get("consortia/:cid/tokens", use: list)
        group.delete("consortia/:cid/tokens/:tokenId", use: revoke)
    }

    /// What a token of `role` must and must not name; pure, so the combinations are tested without a database.
    static func shapeIssues(role: Principal.Role, municipality: String?, staff: String?, label: String?) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        switch role {
        case .admin:
            out.append(.init(pointer: "/role", detail: "admin tokens belong to no consortium; issue them with `junkai token issue --role admin`"))
        case .coordinator:
            if municipality != nil { out.append(.init(pointer: "/municipality", detail: "only a municipality token names a municipality")) }
            if staff != nil { out.append(.init(pointer: "/staff", detail: "only a staff token names a staff member")) }
        case .municipality:
            if municipality == nil { out.append(.init(pointer: "/municipality", detail: "is required for a municipality token")) }
            if staff != nil { out.append(.init(pointer: "/staff", detail: "only a staff token names a staff member")) }
        case .staff:
            if staff == nil { out.append(.init(pointer: "/staff", detail: "is required for a staff token")) }
            else if let s = staff, UUID(uuidString: s) == nil { out.append(.init(pointer: "/staff", detail: "must be a staff id (UUID)")) }
            if municipality != nil { out.append(.init(pointer: "/municipality", detail: "only a municipality token names a municipality")) }
        }
        if let label, let why = InputRules.textProblem(label, max: InputRules.maxNameLength) {
            out.append(.init(pointer: "/label", detail: why))
        }
        return out
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Issued> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, TokenActions.issuers)
        let body = try await request.decodeJSON(IssueBody.self, context: context)
        let subject = try await TokenActions.subject(role: body.role, municipality: body.municipality, staff: body.staff,
                                                     label: body.label, consortium: cid, by: who, store: store)
        let issued = try await store.issueToken(role: subject.role, consortium: cid, municipality: subject.municipality,
                                                staff: subject.staff, label: body.label, by: who)
        context.logger.info("token issued", metadata: ["issued": .string(issued.id.uuidString), "role": .string(subject.role.rawValue)])
        return EditedResponse(status: .created, response: Issued(id: issued.id, token: issued.token, role: issued.role,
                                                                 municipality: subject.municipality, staff: subject.staff,
                                                                 label: body.label))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Token> {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        return Items(try await store.tokens(of: cid).map(Token.init))
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = try context.uuidParameter("tokenId")
        try await store.revokeToken(id, consortium: cid, by: who)
        context.logger.info("token revoked", metadata: ["revoked": .string(id.uuidString)])
        return .noContent
    }
}
