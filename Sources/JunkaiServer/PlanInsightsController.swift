import Foundation
import Hummingbird
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore

/// What a plan's problem makes impossible (diagnostics), why its objective is what it is (explanation), and
/// stopping its solve (coordinator only).
struct PlanInsightsController {
    let store: Store

    struct DiagnosticsResponse: ResponseEncodable {
        var diagnostics: Diagnostics
        func encode(to encoder: any Encoder) throws { try diagnostics.encode(to: encoder) }
    }

    struct ExplanationResponse: ResponseEncodable {
        var report: ExplanationReport
        func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }
    }

    struct CancelResponse: ResponseEncodable {
        var plan: PlansController.PlanResponse
        var job: SolveJobRecord
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/plans/:pid/diagnostics", use: diagnostics)
        group.get("consortia/:cid/plans/:pid/explanation", use: explanation)
        group.post("consortia/:cid/plans/:pid/solve/:jobId/cancel", use: cancel)
    }

    @Sendable func diagnostics(_ request: Request, context: AppRequestContext) async throws -> DiagnosticsResponse {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        let instance = try await store.instance(plan: try context.uuidParameter("pid"), consortium: cid)
        return DiagnosticsResponse(diagnostics: Diagnostics.check(instance))
    }

    @Sendable func explanation(_ request: Request, context: AppRequestContext) async throws -> ExplanationResponse {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        let pid = try context.uuidParameter("pid")
        let lang = request.uri.queryParameters["lang"].map(String.init) ?? "ja"
        guard ["ja", "en"].contains(lang) else { throw InvalidInput("/lang", "must be ja or en") }
        let problem = try await store.transaction { conn in try await store.planProblem(plan: pid, consortium: cid, on: conn) }
        return ExplanationResponse(report: ExplanationReport.build(problem.instance, problem.assignments, lang: lang))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> CancelResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, PlanActions.planners)
        let pid = try context.uuidParameter("pid")
        let job = try await Planner(store: store).cancelSolve(job: try context.uuidParameter("jobId"), plan: pid, consortium: cid, by: who)
        return CancelResponse(plan: PlansController.PlanResponse(try await store.plan(pid, consortium: cid)), job: job)
    }
}
