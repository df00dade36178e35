import Foundation
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// The planning layer: every change to a plan goes through here, from the JSON API, the pages and the solve worker.
///
/// It checks input with `InputRules`, asks `PlanStatus` whether the plan's state allows the action, gates and scores
/// with `PlanRules`, and has the store write the result inside the transaction that holds the plan's lock.
public struct Planner: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// Creates an empty draft plan over a period (at most 53 weeks); a given name is trimmed and must not be blank.
    public func createPlan(consortium: UUID, period: Period, name: String?, by who: Principal) async throws -> PlanRecord {
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines)
        var issues = InputRules.planPeriodIssues(start: period.start, end: period.end)
        if let name, let why = InputRules.nameProblem(name) { issues.append(ValidationIssue(pointer: "/name", detail: why)) }
        try InvalidInput.check(issues)
        return try await store.createPlan(consortium: consortium, period: period,
                                          name: name ?? "\(period.start.iso)〜\(period.end.iso)", by: who)
    }

    /// Creates the draft that replans conflicted days: every other published day of the period pinned.
    public func createReplan(consortium: UUID, period: Period, conflicts: [ConflictRecord], name: String,
                             by who: Principal) async throws -> PlanRecord {
        try InvalidInput.check(InputRules.planPeriodIssues(start: period.start, end: period.end))
        return try await store.createReplan(consortium: consortium, period: period, conflicts: conflicts, name: name, by: who)
    }

    /// Sets (`staff` non-nil) or clears who works `post` on `date` in a draft or solved plan, refusing any new
    /// hard-rule break; `ifMatch` is the version the caller edited (412 when the plan moved on).
    public func editAssignment(plan id: UUID, consortium: UUID, post: UUID, date: CivilDate, staff: UUID?, pinned: Bool,
                               ifMatch: Int?, by who: Principal) async throws -> PlanRecord {
        try await store.withLockedPlan(id, consortium: consortium) { plan in
            if let ifMatch, ifMatch != plan.version {
                throw StoreError.preconditionFailed("the plan is at version \(plan.version), not \(ifMatch)")
            }
            if let why = plan.status.refusal(.edit) { throw StoreError.conflict(why) }
            let edit = try PlanRules.edit(try await plan.problem(), post: post, date: date, staff: staff, pinned: pinned)
            try await plan.replaceDay(post: post, date: date, staff: staff, pinned: pinned)
            try await plan.storeScore(edit.report)
            try await plan.audit(who, action: staff == nil ? "unassign" : "assign",
                                 detail: "{\"post\": \"\(post.uuidString)\", \"date\": \"\(date.iso)\", \"pinned\": \(staff != nil && pinned)}")
            return try await plan.record()
        }
    }

    /// Queues a background solve of a draft or solved plan (1–600 s) and marks the plan solving.
    public func solve(plan id: UUID, consortium: UUID, seconds: Double, seed: Int,
                      by who: Principal) async throws -> (plan: PlanRecord, job: SolveJobRecord) {
        try InvalidInput.check(PlanRules.solveIssues(seconds: seconds, seed: seed))
        return try await store.withLockedPlan(id, consortium: consortium) { plan in
            if let why = plan.status.refusal(.solve) { throw StoreError.conflict(why) }
            // The job carries the pre-solve check from the start (the worker renews it when it starts); computed here,
            // before the job can be claimed, so that the answer does not race the worker.
            let diagnostics = Diagnostics.check(try await plan.problem().instance)
            let job = try await plan.insertSolveJob(seconds: seconds, seed: seed, diagnostics: diagnostics)
            try await plan.setStatus(plan.status.after(.solve))
            try await plan.audit(who, action: "solve", detail: "{\"job\": \"\(job.id.uuidString)\"}")
            return (try await plan.record(), job)
        }
    }

    /// Cancels a queued or running solve: the job ends `cancelled` and the plan returns to the state it had before
    /// (`solved` when an earlier solve succeeded, else `draft`), its assignments untouched. A worker running the job
    /// sees it at its next heartbeat and discards its result. 409 when the job has already ended.
    public func cancelSolve(job: UUID, plan id: UUID, consortium: UUID, by who: Principal) async throws -> SolveJobRecord {
        try await store.withLockedPlan(id, consortium: consortium) { plan in
            guard let cancelled = try await plan.cancelSolveJob(job) else {
                let current = try await plan.solveJob(job)
                throw StoreError.conflict("the solve job has already ended (\(current.status.rawValue))")
            }
            if plan.status == .solving {
                try await plan.setStatus(PlanStatus.afterUnfinishedSolve(keepsSolvedPlan: try await plan.hasSucceededSolve()))
            }
            try await plan.audit(who, action: "solve-cancel", detail: "{\"job\": \"\(job.uuidString)\"}")
            return cancelled
        }
    }

    /// Publishes a plan at `version`: its assignments replace the published schedule on the dates of its period.
    ///
    /// One transaction, serialised per consortium; the partial unique indexes of published_assignments reject any
    /// double booking, in which case nothing changes.
    public func publish(plan id: UUID, consortium: UUID, version expected: Int,
                        by who: Principal) async throws -> (plan: PlanRecord, summary: PublishSummary) {
        try await store.withLockedPlan(id, consortium: consortium, serialisingPublishes: true) { plan in
            guard plan.version == expected else {
                throw StoreError.preconditionFailed(
                    "the plan is at version \(plan.version), not \(expected); reload it and check again")
            }
            let problem = try await plan.problem()
            if let why = plan.status.refusal(.publish(hasAssignments: !problem.assignments.isEmpty)) {
                throw StoreError.conflict(why)
            }
            _ = try PlanRules.publishable(problem)
            let summary = try await plan.publishAssignments(period: problem.instance.period)
            let supersededJSON = summary.superseded.map { "\"\($0.uuidString)\"" }.joined(separator: ", ")
            try await plan.audit(who, action: "publish", detail: """
                {"version": \(plan.version), "inserted": \(summary.inserted), "reconfirmed": \(summary.reconfirmed), \
                "cancelled": \(summary.cancelled), "superseded": [\(supersededJSON)]}
                """)
            for p in summary.superseded {
                try await plan.audit(who, action: "supersede", detail: "{\"by\": \"\(id.uuidString)\"}", plan: p)
            }
            return (try await plan.record(), summary)
        }
    }

    /// Creates a plan over `period`, solves it here for `seconds` and publishes it: how the demo commands give a
    /// consortium its past.
    public func solveAndPublish(consortium: UUID, period: Period, name: String, by who: Principal, seconds: Double,
                                seed: UInt64) async throws -> (plan: PlanRecord, summary: PublishSummary) {
        let draft = try await createPlan(consortium: consortium, period: period, name: name, by: who)
        let instance = try await store.instance(plan: draft.id, consortium: consortium)
        let solved = Solver.solve(instance, options: SolveOptions(seconds: seconds, seed: seed, threads: 2))
        let result = try PlanRules.solveResult(instance, assignments: solved.assignments, progress: [], bound: nil)
        let version = try await store.withLockedPlan(draft.id, consortium: consortium) { plan in
            if let why = plan.status.refusal(.edit) { throw StoreError.conflict(why) }
            try await plan.replaceUnpinnedAssignments(result.rows)
            try await plan.storeScore(result.report)
            return plan.version + 1
        }
        return try await publish(plan: draft.id, consortium: consortium, version: version, by: who)
    }

    /// Stores a finished search of a claimed job, scored exactly; false (nothing changed) when the job is no longer
    /// this worker's.
    public func completeSolve(_ job: ClaimedSolveJob, worker: String, instance: Instance, assignments: [Assignment],
                              progress: [SolveProgressPoint], bound: Int?) async throws -> Bool {
        let result = try PlanRules.solveResult(instance, assignments: assignments, progress: progress, bound: bound)
        return try await store.completeSolveJob(job, worker: worker, rows: result.rows, report: result.report,
                                                progress: result.progress, bound: bound, gap: result.gap)
    }
}
