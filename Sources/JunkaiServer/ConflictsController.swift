import Foundation
import Hummingbird
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore

/// `/consortia/{cid}/conflicts`: published days that later changes made break a hard rule, and their replan.
///
/// Conflicts are computed on read (`Store.conflicts`): the published schedule is checked against the current data
/// by the solver's own hard rules, so there is no table to fall out of step. Only the days that went with a removed
/// person or post are kept (`removed_assignments`), since their published rows go with them.
struct ConflictsController {
    let store: Store

    /// A replan solves for this long unless told otherwise: it only has the conflicted seats to fill.
    static let defaultReplanSeconds = 10.0

    struct ConflictList: ResponseEncodable {
        var items: [ConflictRecord]
    }

    struct ReplanBody: Decodable {
        var seconds: Double?
        var seed: Int?
    }

    struct ReplanResponse: ResponseEncodable {
        var plan: PlansController.PlanResponse
        var job: SolveJobRecord
        /// The conflicts the draft is to resolve.
        var conflicts: [ConflictRecord]
        /// The job's own pre-solve check of the draft.
        var diagnostics: Diagnostics?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/conflicts", use: list)
        group.post("consortia/:cid/conflicts/replan", use: replan)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ConflictList {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality, .staff])
        return ConflictList(items: try await Self.visible(to: who, consortium: cid, store: store))
    }

    /// The conflicts a caller may see: all for the coordinator, a desk's own posts, a staff member's own days.
    static func visible(to who: Principal, consortium cid: UUID, store: Store) async throws -> [ConflictRecord] {
        let today = JapanClock.today()
        switch who.role {
        case .municipality:
            guard let code = who.municipalityCode else { return [] }
            return try await store.conflicts(consortium: cid, scope: .municipality(code), today: today).filter { $0.municipality == code }
        case .staff:
            guard let id = who.staffId else { return [] }
            return try await store.conflicts(consortium: cid, scope: .staff(id), today: today).filter { $0.staff == id }
        case .admin, .coordinator:
            return try await store.conflicts(consortium: cid, today: today)
        }
    }

    @Sendable func replan(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ReplanResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, PlanActions.planners)
        let body = try await PlansController.optionalBody(request, ReplanBody.self, context: context) ?? ReplanBody()
        let solve = PlansController.SolveBody(seconds: body.seconds ?? Self.defaultReplanSeconds, seed: body.seed)
        // Checked before anything is written: a refused body leaves no plan behind.
        try InvalidInput.check(PlanRules.solveIssues(seconds: solve.seconds ?? 0, seed: solve.seed ?? 1))
        let today = JapanClock.today()
        let conflicts = try await store.conflicts(consortium: cid, today: today)
        guard let period = Self.replanPeriod(conflicts.map(\.date), today: today) else {
            throw Problem(.conflict, "the published schedule has no conflicts to replan")
        }
        let draft = try await Planner(store: store).createReplan(consortium: cid, period: period, conflicts: conflicts,
                                                 name: "競合の再計画 \(period.start.iso)〜\(period.end.iso)", by: who)
        let (plan, job) = try await PlanActions.solve(draft.id, solve, consortium: cid, by: who, store: store)
        return EditedResponse(status: .accepted, headers: [.location: "/v1/consortia/\(cid)/plans/\(draft.id)"],
                              response: ReplanResponse(plan: PlansController.PlanResponse(plan), job: job,
                                                       conflicts: conflicts, diagnostics: job.diagnostics))
    }

    /// What a removal answers: 204, or 200 with the published days it left in conflict.
    struct RemovalResponse: ResponseEncodable {
        var conflicts: [ConflictRecord]
    }

    static func removal(_ conflicts: [ConflictRecord], _ request: Request, _ context: AppRequestContext) throws -> Response {
        if conflicts.isEmpty { return Response(status: .noContent) }
        return try RemovalResponse(conflicts: conflicts).response(from: request, context: context)
    }

    /// The affected weeks, from today at the earliest (a plan never rewrites the past), at most a plan's 53 weeks.
    static func replanPeriod(_ dates: [CivilDate], today: CivilDate) -> Period? {
        guard let first = dates.min(), let last = dates.max() else { return nil }
        let start = max(today, first.weekStart)
        let end = min(last.weekStart.adding(days: 6), start.adding(days: InputRules.maxPlanDays - 1))
        return Period(start: start, end: end)
    }
}
