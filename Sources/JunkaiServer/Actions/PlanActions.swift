import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// The rules of plans, shared by `PlansController` (JSON) and the plan pages.
enum PlanActions {
    /// Plans are the coordinator's (an admin passes every check).
    static let planners: Set<Principal.Role> = [.coordinator]

    /// Creates a draft plan; a given name is trimmed and must not be blank.
    static func create(_ body: PlansController.CreateBody, consortium cid: UUID, by who: Principal,
                       store: Store) async throws -> PlanRecord {
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name, name.isEmpty { throw Problem.invalid("/name", "must not be empty") }
        if let name, name.unicodeScalars.contains("\u{0}") { throw Problem.invalid("/name", "must not contain NUL characters") }
        return try await store.createPlan(consortium: cid, period: body.period, name: name, by: who)
    }

    /// Queues a background solve (1–600 s, default 30; seed ≥ 0, default 1).
    static func solve(_ pid: UUID, _ body: PlansController.SolveBody, consortium cid: UUID, by who: Principal,
                      store: Store) async throws -> (plan: PlanRecord, job: SolveJobRecord) {
        let seconds = body.seconds ?? PlansController.defaultSolveSeconds
        guard PlansController.solveSeconds.contains(seconds) else { throw Problem.invalid("/seconds", "must be between 1 and 600") }
        let seed = body.seed ?? 1
        guard seed >= 0 else { throw Problem.invalid("/seed", "must not be negative") }
        return try await store.enqueueSolve(plan: pid, consortium: cid, seconds: seconds, seed: seed, by: who)
    }
}
