import Foundation
import Hummingbird
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// `/v1/consortia`: create (admin), list, read, rename and set the consortium's closed days.
struct ConsortiaController {
    let store: Store

    struct CreateBody: Decodable {
        var name: String
    }

    struct PatchBody: Decodable {
        var name: String?
        var closedDates: [CivilDate]?
    }

    struct Consortium: ResponseEncodable {
        var id: UUID
        var name: String
        var closedDates: [CivilDate]
        var createdAt: Date
        /// When closed dates were set: the published days they put in conflict.
        var conflicts: [ConflictRecord]? = nil

        init(_ r: ConsortiumRecord) {
            id = r.id; name = r.name; closedDates = r.closedDates; createdAt = r.createdAt
        }
    }

    /// A consortium's own closed days are few (開庁しない日); the cap keeps a typo from storing years of dates.
    static let maxClosedDates = 1000

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia", use: create)
        group.get("consortia", use: list)
        group.get("consortia/:cid", use: get)
        group.patch("consortia/:cid", use: patch)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Consortium> {
        let who = try context.caller()
        guard who.role == .admin else { throw Problem.forbidden }
        let body = try await request.decodeJSON(CreateBody.self, context: context)
        if let why = RegistryRules.nameProblem(body.name) { throw Problem.invalid("/name", why) }
        let c = try await store.createConsortium(name: body.name, by: who)
        return EditedResponse(status: .created, response: Consortium(c))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [Consortium] {
        let who = try context.caller()
        if who.role == .admin { return try await store.consortia().map(Consortium.init) }
        guard let own = who.consortiumId else { return [] }
        return try await store.consortia(only: own).map(Consortium.init)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Consortium {
        let cid = try context.consortiumID()
        try context.authorize(cid, Set(Principal.Role.allCases))
        return Consortium(try await store.consortium(cid))
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Consortium {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let body = try await request.decodeJSON(PatchBody.self, context: context)
        var issues: [ValidationIssue] = []
        if let name = body.name, let why = RegistryRules.nameProblem(name) { issues.append(.init(pointer: "/name", detail: why)) }
        if let dates = body.closedDates, dates.count > Self.maxClosedDates {
            issues.append(.init(pointer: "/closedDates", detail: "at most \(Self.maxClosedDates) dates"))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        var answer = Consortium(try await store.updateConsortium(cid, name: body.name, closedDates: body.closedDates, by: who))
        if let dates = body.closedDates {
            let today = JapanClock.today()
            let ahead = dates.filter { $0 >= today }
            answer.conflicts = ahead.isEmpty ? [] : try await store.conflicts(consortium: cid, scope: .weeks(ahead), today: today)
                .filter { $0.change == "closedDates" }
        }
        return answer
    }
}
