import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// A job a worker has claimed: what to solve and for how long.
public struct ClaimedSolveJob: Sendable {
    public var id: UUID
    public var consortium: UUID
    public var plan: UUID
    public var seconds: Double
    public var seed: Int
    public var attempts: Int

    public init(id: UUID, consortium: UUID, plan: UUID, seconds: Double, seed: Int, attempts: Int) {
        self.id = id; self.consortium = consortium; self.plan = plan; self.seconds = seconds; self.seed = seed
        self.attempts = attempts
    }
}

/// What the stale-job sweep did.
public struct StaleSweep: Sendable, Equatable {
    public var requeued: [UUID]
    public var failed: [UUID]
}

extension Store {
    /// A running job whose heartbeat is older than this is presumed dead.
    public static let staleAfterSeconds = 60
    /// A job is given up after this many claims.
    public static let maxSolveAttempts = 3

    static let jobColumns = """
        id, status, seconds, seed, attempts, progress::text, error, created_at, started_at, finished_at, bound, gap,
        diagnostics::text
        """
    typealias JobRow = (UUID, String, Double, Int, Int, String, String?, Date, Date?, Date?, Int?, Double?, String?)

    static func jobRecord(_ r: JobRow) -> SolveJobRecord {
        let progress = (try? JSONDecoder().decode([SolveProgressPoint].self, from: Data(r.5.utf8))) ?? []
        var job = SolveJobRecord(id: r.0, status: SolveJobStatus(rawValue: r.1) ?? .failed, seconds: r.2, seed: r.3, attempts: r.4, progress: progress,
                                 error: r.6, createdAt: r.7, startedAt: r.8, finishedAt: r.9, bound: r.10, gap: r.11)
        job.diagnostics = r.12.flatMap { try? JSONDecoder().decode(Diagnostics.self, from: Data($0.utf8)) }
        return job
    }

    func latestJob(plan: UUID, on conn: PostgresConnection) async throws -> SolveJobRecord? {
        let rows = try await conn.query("""
            SELECT \(unescaped: Self.jobColumns) FROM solve_jobs WHERE plan_id = \(plan)
            ORDER BY created_at DESC, id LIMIT 1
            """, logger: logger)
        return try await rows.decode(JobRow.self).first(where: { _ in true }).map(Self.jobRecord)
    }

    /// One solve job of a plan of the consortium.
    public func solveJob(_ id: UUID, plan: UUID, consortium: UUID) async throws -> SolveJobRecord {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT \(unescaped: Self.jobColumns) FROM solve_jobs
                WHERE id = \(id) AND plan_id = \(plan) AND consortium_id = \(consortium)
                """, logger: logger)
            guard let job = try await rows.decode(JobRow.self).first(where: { _ in true }).map(Self.jobRecord) else {
                throw StoreError.notFound("solve job not found")
            }
            return job
        }
    }

    /// The plan's instance and its current assignments (pinned or not) in one snapshot: what a re-solve starts from.
    public func planProblem(plan: UUID, consortium: UUID) async throws -> PlanProblem {
        try await transaction { conn in try await planProblem(plan: plan, consortium: consortium, on: conn) }
    }

    /// Claims the oldest queued job for `worker` (SKIP LOCKED, so concurrent workers never take the same one).
    public func claimSolveJob(worker: String) async throws -> ClaimedSolveJob? {
        try await connection { conn in
            let rows = try await conn.query("""
                UPDATE solve_jobs SET status = \(SolveJobStatus.running.rawValue), attempts = attempts + 1, worker = \(worker),
                       heartbeat_at = now(), started_at = coalesce(started_at, now()), error = NULL
                WHERE id = (SELECT id FROM solve_jobs WHERE status = ANY(\(SolveJobStatus.sourceValues(of: .running)))
                            ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
                RETURNING id, consortium_id, plan_id, seconds, seed, attempts
                """, logger: logger)
            return try await rows.decode((UUID, UUID, UUID, Double, Int, Int).self).first(where: { _ in true }).map {
                ClaimedSolveJob(id: $0.0, consortium: $0.1, plan: $0.2, seconds: $0.3, seed: $0.4, attempts: $0.5)
            }
        }
    }

    /// Refreshes the heartbeat and progress of a job this worker runs; false when the job is no longer its own.
    public func heartbeat(job: UUID, worker: String, progress: [SolveProgressPoint]) async throws -> Bool {
        let json = Self.progressJSON(progress)
        return try await connection { conn in
            let rows = try await conn.query("""
                UPDATE solve_jobs SET heartbeat_at = now(), progress = \(json)::jsonb
                WHERE id = \(job) AND worker = \(worker) AND status = \(SolveJobStatus.running.rawValue)
                RETURNING id
                """, logger: logger)
            return try await rows.decode(UUID.self).first(where: { _ in true }) != nil
        }
    }

    /// Stores the diagnostics of the instance a job this worker runs is solving.
    public func recordDiagnostics(job: UUID, worker: String, _ diagnostics: Diagnostics) async throws {
        let json = try Self.diagnosticsJSON(diagnostics)
        try await connection { conn in
            _ = try await conn.query("""
                UPDATE solve_jobs SET diagnostics = \(json)::jsonb
                WHERE id = \(job) AND worker = \(worker) AND status = \(SolveJobStatus.running.rawValue)
                """, logger: logger)
        }
    }

    static func diagnosticsJSON(_ diagnostics: Diagnostics) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(diagnostics), as: UTF8.self)
    }

    static func progressJSON(_ progress: [SolveProgressPoint]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(progress)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// Puts a job this worker was running back in the queue (graceful shutdown); the claim does not count as an attempt.
    public func requeueSolveJob(_ job: UUID, worker: String) async throws {
        try await connection { conn in
            _ = try await conn.query("""
                UPDATE solve_jobs SET status = \(SolveJobStatus.queued.rawValue), worker = NULL, heartbeat_at = NULL,
                       attempts = greatest(attempts - 1, 0)
                WHERE id = \(job) AND worker = \(worker) AND status = ANY(\(SolveJobStatus.sourceValues(of: .queued)))
                """, logger: logger)
        }
    }

    /// Fails a job; the plan leaves `solving` (to draft when `toDraft`, else to solved when it has assignments).
    public func failSolveJob(_ job: ClaimedSolveJob, worker: String, error message: String, toDraft: Bool) async throws {
        try await transaction { conn in
            // The plan before the job, as a cancel locks them: the opposite order deadlocks with it.
            guard try await lockPlanIfPresent(job.plan, consortium: job.consortium, on: conn) != nil else { return }
            let rows = try await conn.query("""
                UPDATE solve_jobs SET status = \(SolveJobStatus.failed.rawValue), error = \(String(message.prefix(4000))),
                       finished_at = now()
                WHERE id = \(job.id) AND worker = \(worker) AND status = ANY(\(SolveJobStatus.sourceValues(of: .failed)))
                RETURNING id
                """, logger: logger)
            guard try await rows.decode(UUID.self).first(where: { _ in true }) != nil else { return }
            try await releaseSolvingPlan(job.plan, consortium: job.consortium, job: job.id, toDraft: toDraft, reason: nil, on: conn)
        }
    }

    /// Moves a plan whose solve failed out of `solving`, as `PlanStatus.afterUnfinishedSolve` says, with its audit row.
    func releaseSolvingPlan(_ plan: UUID, consortium: UUID, job: UUID, toDraft: Bool, reason: String?,
                            on conn: PostgresConnection) async throws {
        let rows = try await conn.query("""
            SELECT EXISTS (SELECT 1 FROM plan_assignments WHERE plan_id = \(plan))
            """, logger: logger)
        let hasAssignments = try await rows.decode(Bool.self).first(where: { _ in true }) ?? false
        let next = PlanStatus.afterUnfinishedSolve(keepsSolvedPlan: !toDraft && hasAssignments)
        try await conn.query("""
            UPDATE plans SET status = \(next.rawValue), updated_at = now()
            WHERE id = \(plan) AND status = \(PlanStatus.solving.rawValue)
            """, logger: logger)
        let why = reason.map { ", \"reason\": \"\($0)\"" } ?? ""
        try await conn.audit(nil, consortium: consortium, action: "solve-failed", resource: "plan", id: plan.uuidString,
                             detail: "{\"job\": \"\(job.uuidString)\"\(why)}", logger: logger)
    }

    /// Requeues (attempts < 3) or fails every running job whose heartbeat is older than 60 s, releasing failed jobs' plans.
    public func sweepStaleSolveJobs() async throws -> StaleSweep {
        try await transaction { conn in
            // Plans before jobs, as a cancel locks them (SKIP LOCKED: a plan being cancelled is swept next time).
            let lockedRows = try await conn.query("""
                SELECT p.id FROM plans p JOIN solve_jobs j ON j.plan_id = p.id
                WHERE j.status = \(SolveJobStatus.running.rawValue)
                  AND coalesce(j.heartbeat_at, j.started_at, j.created_at) < now() - make_interval(secs => \(Self.staleAfterSeconds))
                ORDER BY p.id FOR UPDATE OF p SKIP LOCKED
                """, logger: logger)
            var locked: [UUID] = []
            for try await plan in lockedRows.decode(UUID.self) { locked.append(plan) }
            guard !locked.isEmpty else { return StaleSweep(requeued: [], failed: []) }
            let rows = try await conn.query("""
                UPDATE solve_jobs
                SET status = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN \(SolveJobStatus.queued.rawValue)
                                  ELSE \(SolveJobStatus.failed.rawValue) END,
                    error = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN error
                                 ELSE 'the solving server stopped answering ' || attempts || ' times' END,
                    finished_at = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN NULL ELSE now() END,
                    worker = NULL, heartbeat_at = NULL
                WHERE status = \(SolveJobStatus.running.rawValue) AND plan_id = ANY(\(locked))
                  AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => \(Self.staleAfterSeconds))
                RETURNING id, plan_id, consortium_id, status
                """, logger: logger)
            var sweep = StaleSweep(requeued: [], failed: [])
            var failedPlans: [(UUID, UUID, UUID)] = []
            for try await (job, plan, consortium, status) in rows.decode((UUID, UUID, UUID, String).self) {
                if status == SolveJobStatus.failed.rawValue { sweep.failed.append(job); failedPlans.append((job, plan, consortium)) } else { sweep.requeued.append(job) }
            }
            for (job, plan, consortium) in failedPlans {
                try await releaseSolvingPlan(plan, consortium: consortium, job: job, toDraft: false, reason: "stale", on: conn)
            }
            return sweep
        }
    }

    /// Stores a finished solve the planning layer has scored: replaces the plan's non-pinned assignments with `rows`,
    /// stores the score and bound, bumps the version and marks the plan solved.
    /// Returns false (and changes nothing) when the job is no longer this worker's.
    public func completeSolveJob(_ job: ClaimedSolveJob, worker: String, rows: [(staff: UUID, post: UUID, date: CivilDate)],
                                 report: ScoreReport, progress: [SolveProgressPoint], bound: Int?, gap: Double?) async throws -> Bool {
        try await transaction { conn in
            // The plan before the job, as a cancel locks them: the opposite order deadlocks with it.
            guard let (status, version) = try await lockPlanIfPresent(job.plan, consortium: job.consortium, on: conn) else {
                return false
            }
            let updated = try await conn.query("""
                UPDATE solve_jobs SET status = \(SolveJobStatus.succeeded.rawValue), finished_at = now(), heartbeat_at = now(),
                       progress = \(Self.progressJSON(progress))::jsonb, bound = \(bound), gap = \(gap)
                WHERE id = \(job.id) AND worker = \(worker) AND status = ANY(\(SolveJobStatus.sourceValues(of: .succeeded)))
                RETURNING id
                """, logger: logger)
            guard try await updated.decode(UUID.self).first(where: { _ in true }) != nil else { return false }
            guard status == .solving, status.canMove(to: .solved) else {
                throw StoreError.conflict("the plan left the solving state during the solve")
            }
            let plan = LockedPlan(id: job.plan, consortium: job.consortium, status: status, version: version, conn: conn, store: self)
            try await plan.replaceUnpinnedAssignments(rows)
            try await plan.storeScore(report, status: .solved)
            try await conn.audit(nil, consortium: job.consortium, action: "solved", resource: "plan", id: job.plan.uuidString,
                                 detail: "{\"job\": \"\(job.id.uuidString)\", \"objective\": \(report.objective), \"feasible\": \(report.feasible)}",
                                 logger: logger)
            return true
        }
    }
}
