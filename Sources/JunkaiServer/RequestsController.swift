import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/consortia/{cid}/requests`: municipalities ask for a post on a working day; the coordinator decides.
struct RequestsController {
    let store: Store

    static let kinds = ["required", "preferred"]
    static let statuses = ["submitted", "accepted", "declined", "withdrawn"]
    static let maxTextLength = InputRules.maxNoteLength

    struct CreateBody: Decodable {
        var post: UUID
        var date: CivilDate
        var kind: String
        var note: String?
    }

    struct DeclineBody: Decodable {
        var reason: String
    }

    /// A request as the API shows it; `note` and `declineReason` are always present (null when empty).
    struct RequestResponse: ResponseCodable {
        var id: UUID
        var post: UUID
        var municipality: String
        var date: CivilDate
        var kind: String
        var note: String?
        var status: String
        var declineReason: String?
        var fulfilled: Bool
        var createdAt: Date
        var updatedAt: Date

        init(_ r: RequestRecord) {
            id = r.id; post = r.post; municipality = r.municipality; date = r.date; kind = r.kind; note = r.note
            status = r.status; declineReason = r.declineReason; fulfilled = r.fulfilled
            createdAt = r.createdAt; updatedAt = r.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, post, municipality, date, kind, note, status, declineReason, fulfilled, createdAt, updatedAt
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(post, forKey: .post)
            try c.encode(municipality, forKey: .municipality)
            try c.encode(date, forKey: .date)
            try c.encode(kind, forKey: .kind)
            try c.encode(note, forKey: .note)
            try c.encode(status, forKey: .status)
            try c.encode(declineReason, forKey: .declineReason)
            try c.encode(fulfilled, forKey: .fulfilled)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(updatedAt, forKey: .updatedAt)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/requests", use: create)
        group.get("consortia/:cid/requests", use: list)
        group.get("consortia/:cid/requests/:rid", use: get)
        group.post("consortia/:cid/requests/:rid/accept", use: accept)
        group.post("consortia/:cid/requests/:rid/decline", use: decline)
        group.delete("consortia/:cid/requests/:rid", use: withdraw)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RequestResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, RequestActions.askers)
        let body = try await request.decodeJSON(CreateBody.self, context: context)
        let record = try await RequestActions.create(body, consortium: cid, by: who, store: store)
        return EditedResponse(status: .created, response: RequestResponse(record))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<RequestResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        var filter = RequestFilter(from: try request.optionalQueryDate("from"), to: try request.optionalQueryDate("to"))
        if let status = request.uri.queryParameters["status"].map(String.init) {
            guard Self.statuses.contains(status) else {
                throw InvalidInput("/status", "must be one of \(Self.statuses.joined(separator: ", "))")
            }
            filter.status = status
        }
        if let post = request.uri.queryParameters["post"].map(String.init) {
            guard let id = UUID(uuidString: post) else { throw InvalidInput("/post", "must be a post id") }
            filter.post = id
        }
        if let from = filter.from, let to = filter.to, to < from {
            throw InvalidInput("/to", "\(to.iso) is before from \(from.iso)")
        }
        return Items(try await store.listRequests(consortium: cid, filter: filter, by: who).map(RequestResponse.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> RequestResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        let rid = try context.uuidParameter("rid")
        return RequestResponse(try await store.request(rid, consortium: cid, by: who))
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> RequestResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, RequestActions.deciders)
        let rid = try context.uuidParameter("rid")
        return RequestResponse(try await RequestActions.accept(rid, consortium: cid, by: who, store: store))
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> RequestResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, RequestActions.deciders)
        let rid = try context.uuidParameter("rid")
        let body = try await request.decodeJSON(DeclineBody.self, context: context)
        return RequestResponse(try await RequestActions.decline(rid, reason: body.reason, consortium: cid, by: who, store: store))
    }

    /// Free text as PostgreSQL stores it: at most 1000 characters (code points), no NUL (a form can send one).
    static func checkText(_ text: String, _ pointer: String) throws {
        if let why = InputRules.textProblem(text, max: maxTextLength) { throw InvalidInput(pointer, why) }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, RequestActions.askers)
        let rid = try context.uuidParameter("rid")
        try await RequestActions.withdraw(rid, consortium: cid, by: who, store: store)
        return .noContent
    }
}
