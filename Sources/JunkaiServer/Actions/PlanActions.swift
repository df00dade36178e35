import Foundation
import Hummingbird
import JunkaiCore
import JunkaiPlanning
import JunkaiStore

/// The rules of plans, shared by `PlansController` (JSON) and the plan pages.
enum PlanActions {
    /// Plans are the coordinator's (an admin passes every check).
    static let planners: Set<Principal.Role> = [.coordinator]

    /// Creates a draft plan.
    static func create(_ body: PlansController.CreateBody, consortium cid: UUID, by who: Principal,
                       store: Store) async throws -> PlanRecord {
        try await Planner(store: store).createPlan(consortium: cid, period: body.period, name: body.name, by: who)
    }

    /// Queues a background solve (1–600 s, default 30; seed ≥ 0, default 1).
    static func solve(_ pid: UUID, _ body: PlansController.SolveBody, consortium cid: UUID, by who: Principal,
                      store: Store) async throws -> (plan: PlanRecord, job: SolveJobRecord) {
        try await Planner(store: store).solve(plan: pid, consortium: cid, seconds: body.seconds ?? PlansController.defaultSolveSeconds,
                                              seed: body.seed ?? 1, by: who)
    }
}
