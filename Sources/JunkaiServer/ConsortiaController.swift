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
        /// Absent: unchanged; null: removed.
        var contact: String??

        enum CodingKeys: String, CodingKey { case name, closedDates, contact }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            closedDates = try c.decodeIfPresent([CivilDate].self, forKey: .closedDates)
            if c.contains(.contact) { contact = .some(try c.decodeNil(forKey: .contact) ? nil : try c.decode(String.self, forKey: .contact)) }
        }
    }

    struct Consortium: ResponseEncodable {
        var id: UUID
        var name: String
        var closedDates: [CivilDate]
        var contact: String?
        var createdAt: Date
        /// When closed dates were set: the published days they put in conflict.
        var conflicts: [ConflictRecord]? = nil

        init(_ r: ConsortiumRecord) {
            id = r.id; name = r.name; closedDates = r.closedDates; contact = r.contact; createdAt = r.createdAt
        }

        enum CodingKeys: String, CodingKey { case id, name, closedDates, contact, createdAt, conflicts }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(closedDates, forKey: .closedDates)
            try c.encode(contact, forKey: .contact)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encodeIfPresent(conflicts, forKey: .conflicts)
        }
    }

    /// A consortium's own closed days are few (開庁しない日); the cap keeps a typo from storing years of dates.
    static let maxClosedDates = 1000
    /// The coordinator's contact is a line or two (the database's CHECK).
    static let maxContactLength = 500

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
        if let why = InputRules.nameProblem(body.name) { throw InvalidInput("/name", why) }
        let c = try await store.createConsortium(name: body.name, by: who)
        return EditedResponse(status: .created, response: Consortium(c))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Consortium> {
        let who = try context.caller()
        if who.role == .admin { return Items(try await store.consortia().map(Consortium.init)) }
        guard let own = who.consortiumId else { return Items([]) }
        return Items(try await store.consortia(only: own).map(Consortium.init))
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
        if let name = body.name, let why = InputRules.nameProblem(name) { issues.append(.init(pointer: "/name", detail: why)) }
        if let dates = body.closedDates, dates.count > Self.maxClosedDates {
            issues.append(.init(pointer: "/closedDates", detail: "at most \(Self.maxClosedDates) dates"))
        }
        if case .some(.some(let contact)) = body.contact,
           contact.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || contact.unicodeScalars.count > Self.maxContactLength {
            issues.append(.init(pointer: "/contact", detail: "must be 1–\(Self.maxContactLength) characters, not blank"))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        var answer = Consortium(try await store.updateConsortium(cid, name: body.name, closedDates: body.closedDates,
                                                                 contact: body.contact, by: who))
        if let dates = body.closedDates {
            let today = JapanClock.today()
            let ahead = dates.filter { $0 >= today }
            answer.conflicts = ahead.isEmpty ? [] : try await store.conflicts(consortium: cid, scope: .weeks(ahead), today: today)
                .filter { $0.change == "closedDates" }
        }
        return answer
    }
}
