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
        var job = SolveJobRecord(id: r.0, status: r.1, seconds: r.2, seed: r.3, attempts: r.4, progress: progress,
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

    /// Queues a solve of a draft or solved plan and marks the plan solving; 409 when solving or published.
    public func enqueueSolve(plan id: UUID, consortium: UUID, seconds: Double, seed: Int,
                             by who: Principal) async throws -> (plan: PlanRecord, job: SolveJobRecord) {
        guard seconds.isFinite, seconds >= 1, seconds <= 600 else {
            throw StoreError.invalid(pointer: "/seconds", detail: "must be between 1 and 600")
        }
        return try await transaction { conn in
            let (status, _) = try await lockPlan(id, consortium: consortium, on: conn)
            switch status {
            case "draft", "solved": break
            case "solving": throw StoreError.conflict("the plan is already being solved")
            default: throw StoreError.conflict("\(Wording.a(status)) plan cannot be solved again; create a new plan")
            }
            // The job carries the pre-solve check from the start (the worker renews it when it starts); computed here,
            // before the job can be claimed, so that the answer does not race the worker.
            let diagnostics = try Self.diagnosticsJSON(Diagnostics.check(try await planProblem(plan: id, consortium: consortium, on: conn).instance))
            let rows = try await conn.query("""
                INSERT INTO solve_jobs (consortium_id, plan_id, seconds, seed, diagnostics)
                VALUES (\(consortium), \(id), \(seconds), \(seed), \(diagnostics)::jsonb)
                RETURNING \(unescaped: Self.jobColumns)
                """, logger: logger)
            guard let job = try await rows.decode(JobRow.self).first(where: { _ in true }).map(Self.jobRecord) else {
                throw StoreError.conflict("solve job not created")
            }
            try await conn.query("UPDATE plans SET status = 'solving', updated_at = now() WHERE id = \(id)", logger: logger)
            try await conn.audit(who, consortium: consortium, action: "solve", resource: "plan", id: id.uuidString,
                                 detail: "{\"job\": \"\(job.id.uuidString)\"}", logger: logger)
            return (try await plan(id, consortium: consortium, on: conn), job)
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
                UPDATE solve_jobs SET status = 'running', attempts = attempts + 1, worker = \(worker),
                       heartbeat_at = now(), started_at = coalesce(started_at, now()), error = NULL
                WHERE id = (SELECT id FROM solve_jobs WHERE status = 'queued'
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
                WHERE id = \(job) AND worker = \(worker) AND status = 'running'
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
                WHERE id = \(job) AND worker = \(worker) AND status = 'running'
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
                UPDATE solve_jobs SET status = 'queued', worker = NULL, heartbeat_at = NULL,
                       attempts = greatest(attempts - 1, 0)
                WHERE id = \(job) AND worker = \(worker) AND status = 'running'
                """, logger: logger)
        }
    }

    /// Fails a job; the plan leaves `solving` (to draft when `toDraft`, else to solved when it has assignments).
    public func failSolveJob(_ job: UUID, worker: String, error message: String, toDraft: Bool) async throws {
        try await transaction { conn in
            let rows = try await conn.query("""
                UPDATE solve_jobs SET status = 'failed', error = \(String(message.prefix(4000))), finished_at = now()
                WHERE id = \(job) AND worker = \(worker) AND status = 'running'
                RETURNING plan_id, consortium_id
                """, logger: logger)
            guard let (plan, consortium) = try await rows.decode((UUID, UUID).self).first(where: { _ in true }) else { return }
            try await conn.query("""
                UPDATE plans SET status = CASE WHEN NOT \(toDraft)
                                                AND EXISTS (SELECT 1 FROM plan_assignments WHERE plan_id = plans.id)
                                               THEN 'solved' ELSE 'draft' END,
                       updated_at = now()
                WHERE id = \(plan) AND status = 'solving'
                """, logger: logger)
            try await conn.audit(nil, consortium: consortium, action: "solve-failed", resource: "plan", id: plan.uuidString,
                                 detail: "{\"job\": \"\(job.uuidString)\"}", logger: logger)
        }
    }

    /// Requeues (attempts < 3) or fails every running job whose heartbeat is older than 60 s, releasing failed jobs' plans.
    public func sweepStaleSolveJobs() async throws -> StaleSweep {
        try await transaction { conn in
            let rows = try await conn.query("""
                UPDATE solve_jobs
                SET status = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN 'queued' ELSE 'failed' END,
                    error = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN error
                                 ELSE 'the solving server stopped answering ' || attempts || ' times' END,
                    finished_at = CASE WHEN attempts < \(Self.maxSolveAttempts) THEN NULL ELSE now() END,
                    worker = NULL, heartbeat_at = NULL
                WHERE status = 'running'
                  AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => \(Self.staleAfterSeconds))
                RETURNING id, plan_id, consortium_id, status
                """, logger: logger)
            var sweep = StaleSweep(requeued: [], failed: [])
            var failedPlans: [(UUID, UUID, UUID)] = []
            for try await (job, plan, consortium, status) in rows.decode((UUID, UUID, UUID, String).self) {
                if status == "failed" { sweep.failed.append(job); failedPlans.append((job, plan, consortium)) } else { sweep.requeued.append(job) }
            }
            for (job, plan, consortium) in failedPlans {
                try await conn.query("""
                    UPDATE plans SET status = CASE WHEN EXISTS (SELECT 1 FROM plan_assignments WHERE plan_id = plans.id)
                                                   THEN 'solved' ELSE 'draft' END,
                           updated_at = now()
                    WHERE id = \(plan) AND status = 'solving'
                    """, logger: logger)
                try await conn.audit(nil, consortium: consortium, action: "solve-failed", resource: "plan", id: plan.uuidString,
                                     detail: "{\"job\": \"\(job.uuidString)\", \"reason\": \"stale\"}", logger: logger)
            }
            return sweep
        }
    }

    /// Stores a finished solve: replaces the plan's non-pinned assignments, scores them exactly, bumps the version,
    /// and keeps the solve's lower bound with the gap of the exact objective to it.
    /// Returns false (and changes nothing) when the job is no longer this worker's.
    public func completeSolveJob(_ job: ClaimedSolveJob, worker: String, instance: Instance, result: [Assignment],
                                 progress: [SolveProgressPoint], bound: Int? = nil) async throws -> Bool {
        let report = Scorer.score(instance, result)
        // A bound above the exact objective would be a solver bug; the gap is then 0, never negative.
        let gap = bound.map { b in report.objective > 0 ? Double(max(0, report.objective - b)) / Double(report.objective) : 0 }
        // The stored curve ends at the objective the plan is stored with.
        var progress = progress
        if let last = progress.last, last.objective != report.objective {
            progress.append(SolveProgressPoint(elapsed: last.elapsed, objective: report.objective))
        }
        let pinnedKeys = Set(instance.pinned.map { SeatDay(post: $0.post, date: $0.date) })
        var staffIds: [UUID] = [], postIds: [UUID] = [], dates: [String] = []
        for a in result where !pinnedKeys.contains(SeatDay(post: a.post, date: a.date)) {
            guard let s = UUID(uuidString: a.staff), let p = UUID(uuidString: a.post) else {
                throw StoreError.invalid(pointer: "/assignments", detail: "the solver returned an unknown id")
            }
            staffIds.append(s); postIds.append(p); dates.append(a.date.iso)
        }
        return try await transaction { conn in
            let rows = try await conn.query("""
                UPDATE solve_jobs SET status = 'succeeded', finished_at = now(), heartbeat_at = now(),
                       progress = \(Self.progressJSON(progress))::jsonb, bound = \(bound), gap = \(gap)
                WHERE id = \(job.id) AND worker = \(worker) AND status = 'running'
                RETURNING id
                """, logger: logger)
            guard try await rows.decode(UUID.self).first(where: { _ in true }) != nil else { return false }
            let (status, _) = try await lockPlan(job.plan, consortium: job.consortium, on: conn)
            guard status == "solving" else { throw StoreError.conflict("the plan left the solving state during the solve") }
            try await conn.query("""
                DELETE FROM plan_assignments WHERE plan_id = \(job.plan) AND NOT pinned
                """, logger: logger)
            try await conn.query("""
                INSERT INTO plan_assignments (consortium_id, plan_id, staff_id, post_id, date, pinned)
                SELECT \(job.consortium), \(job.plan), t.s, t.p, t.d::date, false
                FROM unnest(\(staffIds)::uuid[], \(postIds)::uuid[], \(dates)::text[]) AS t(s, p, d)
                """, logger: logger)
            try await conn.query("""
                UPDATE plans SET status = 'solved', version = version + 1, objective = \(report.objective),
                       terms = \(Self.termsJSON(report.terms))::jsonb, updated_at = now()
                WHERE id = \(job.plan)
                """, logger: logger)
            try await conn.audit(nil, consortium: job.consortium, action: "solved", resource: "plan", id: job.plan.uuidString,
                                 detail: "{\"job\": \"\(job.id.uuidString)\", \"objective\": \(report.objective), \"feasible\": \(report.feasible)}",
                                 logger: logger)
            return true
        }
    }
}
