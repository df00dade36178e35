import Foundation
import Hummingbird
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore

/// `/consortia/{cid}/plans`: create, solve in the background, review and adjust, publish (coordinator only).
struct PlansController {
    let store: Store

    static let defaultSolveSeconds = 30.0
    static let solveSeconds = 1.0...600.0

    struct CreateBody: Decodable {
        var period: Period
        var name: String?
    }

    struct SolveBody: Decodable {
        var seconds: Double?
        var seed: Int?
    }

    struct AssignBody: Decodable {
        var staff: UUID
        var pinned: Bool?
    }

    /// A plan as the API shows it; the list leaves out `assignments`. Nullable fields are always present.
    struct PlanResponse: ResponseCodable {
        var id: UUID
        var name: String
        var status: String
        var version: Int
        var period: Period
        var objective: Int?
        var terms: [String: TermScore]?
        var assignments: [PlanAssignmentRecord]?
        var assignmentCount: Int
        var solve: SolveJobRecord?
        var createdAt: Date
        var updatedAt: Date
        var publishedAt: Date?
        var publication: PublishSummary?

        init(_ r: PlanRecord, withAssignments: Bool = true, publication: PublishSummary? = nil) {
            id = r.id; name = r.name; status = r.status.rawValue; version = r.version; period = r.period
            objective = r.objective; terms = r.terms; assignments = withAssignments ? r.assignments : nil
            assignmentCount = r.assignmentCount; solve = r.solve; createdAt = r.createdAt; updatedAt = r.updatedAt
            publishedAt = r.publishedAt; self.publication = publication
        }

        enum CodingKeys: String, CodingKey {
            case id, name, status, version, period, objective, terms, assignments, assignmentCount, solve
            case createdAt, updatedAt, publishedAt, publication
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(status, forKey: .status)
            try c.encode(version, forKey: .version)
            try c.encode(period, forKey: .period)
            try c.encode(objective, forKey: .objective)
            try c.encode(terms, forKey: .terms)
            try c.encodeIfPresent(assignments, forKey: .assignments)
            try c.encode(assignmentCount, forKey: .assignmentCount)
            try c.encode(solve, forKey: .solve)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encode(publishedAt, forKey: .publishedAt)
            try c.encodeIfPresent(publication, forKey: .publication)
        }
    }

    struct SolveResponse: ResponseCodable {
        var plan: PlanResponse
        var job: SolveJobRecord
        /// What no search can fix in the plan's problem, checked as the solve is queued (the job's own `diagnostics`).
        var diagnostics: Diagnostics?
    }

    /// The plan's planning problem, written by `Instance`'s own encoder (`junkai.instance/1`).
    struct InstanceResponse: ResponseEncodable {
        var instance: Instance
        func encode(to encoder: any Encoder) throws { try instance.encode(to: encoder) }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/plans", use: create)
        group.get("consortia/:cid/plans", use: list)
        group.get("consortia/:cid/plans/:pid", use: get)
        group.get("consortia/:cid/plans/:pid/instance", use: instance)
        group.post("consortia/:cid/plans/:pid/solve", use: solve)
        group.get("consortia/:cid/plans/:pid/solve/:jobId", use: job)
        group.put("consortia/:cid/plans/:pid/assignments/:postId/:date", use: assign)
        group.delete("consortia/:cid/plans/:pid/assignments/:postId/:date", use: unassign)
        group.post("consortia/:cid/plans/:pid/publish", use: publish)
    }

    static func tagged(_ plan: PlanRecord, publication: PublishSummary? = nil) -> EditedResponse<PlanResponse> {
        EditedResponse(headers: [.eTag: "\"\(plan.version)\""], response: PlanResponse(plan, publication: publication))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, PlanActions.planners)
        let body = try await request.decodeJSON(CreateBody.self, context: context)
        let plan = try await PlanActions.create(body, consortium: cid, by: who, store: store)
        return EditedResponse(status: .created, headers: [.eTag: "\"\(plan.version)\""], response: PlanResponse(plan))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<PlanResponse> {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        return Items(try await store.listPlans(consortium: cid).map { PlanResponse($0, withAssignments: false) })
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanResponse> {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        return Self.tagged(try await store.plan(try context.uuidParameter("pid"), consortium: cid))
    }

    @Sendable func instance(_ request: Request, context: AppRequestContext) async throws -> InstanceResponse {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        return InstanceResponse(instance: try await store.instance(plan: try context.uuidParameter("pid"), consortium: cid))
    }

    @Sendable func solve(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SolveResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, PlanActions.planners)
        let pid = try context.uuidParameter("pid")
        let body = try await Self.optionalBody(request, SolveBody.self, context: context) ?? SolveBody()
        let (plan, job) = try await PlanActions.solve(pid, body, consortium: cid, by: who, store: store)
        return EditedResponse(status: .accepted, headers: [.location: "/v1/consortia/\(cid)/plans/\(pid)"],
                              response: SolveResponse(plan: PlanResponse(plan), job: job, diagnostics: job.diagnostics))
    }

    @Sendable func job(_ request: Request, context: AppRequestContext) async throws -> SolveJobRecord {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        return try await store.solveJob(try context.uuidParameter("jobId"), plan: try context.uuidParameter("pid"), consortium: cid)
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanResponse> {
        let (cid, who, pid, post, date) = try Self.assignmentAddress(context)
        let ifMatch = try Self.ifMatchVersion(request)
        let body = try await request.decodeJSON(AssignBody.self, context: context)
        let plan = try await Planner(store: store).editAssignment(plan: pid, consortium: cid, post: post, date: date, staff: body.staff,
                                                  pinned: body.pinned ?? true, ifMatch: ifMatch, by: who)
        return Self.tagged(plan)
    }

    @Sendable func unassign(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanResponse> {
        let (cid, who, pid, post, date) = try Self.assignmentAddress(context)
        let ifMatch = try Self.ifMatchVersion(request)
        let plan = try await Planner(store: store).editAssignment(plan: pid, consortium: cid, post: post, date: date, staff: nil,
                                                  pinned: false, ifMatch: ifMatch, by: who)
        return Self.tagged(plan)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PlanResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let pid = try context.uuidParameter("pid")
        guard let version = try Self.ifMatchVersion(request) else {
            throw Problem(.preconditionRequired, "publishing needs If-Match: \"VERSION\" with the version you reviewed")
        }
        let (plan, summary) = try await Planner(store: store).publish(plan: pid, consortium: cid, version: version, by: who)
        return Self.tagged(plan, publication: summary)
    }

    static func assignmentAddress(_ context: AppRequestContext) throws -> (UUID, Principal, UUID, UUID, CivilDate) {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let pid = try context.uuidParameter("pid")
        let post = try context.uuidParameter("postId")
        guard let raw = context.parameters.get("date"), let date = CivilDate(iso: raw) else {
            throw InvalidInput("/date", "must be a date YYYY-MM-DD")
        }
        return (cid, who, pid, post, date)
    }

    /// The version an `If-Match` header names (`"7"`, `W/"7"` or `7`); nil when absent or `*`; 412 when it names none.
    static func ifMatchVersion(_ request: Request) throws -> Int? {
        guard let raw = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if raw == "*" { return nil }
        var tag = Substring(raw)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = tag.dropFirst().dropLast() }
        guard let version = Int(tag) else {
            throw Problem(.preconditionFailed, "If-Match \(raw.prefix(40)) does not name a version of this plan")
        }
        return version
    }

    /// Decodes an optional JSON body: nil when the body is empty, else as `decodeJSON` does.
    static func optionalBody<T: Decodable>(_ request: Request, _ type: T.Type, context: AppRequestContext) async throws -> T? {
        var request = request
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return nil }
        request.body = .init(buffer: buffer)
        return try await request.decodeJSON(T.self, context: context)
    }
}

extension SolveJobRecord: ResponseEncodable {}
