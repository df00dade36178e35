import Foundation
import JunkaiCore
import PostgresNIO

extension Store {
    /// Cancels a queued or running solve job: the job ends `cancelled` and the plan returns to the state it had
    /// before the solve (`solved` when an earlier solve succeeded, else `draft`), its assignments untouched. A worker
    /// running the job sees it at its next heartbeat and discards its result. 409 when the job has already ended.
    public func cancelSolveJob(_ job: UUID, plan: UUID, consortium: UUID, by who: Principal) async throws -> SolveJobRecord {
        try await transaction { conn in
            _ = try await lockPlan(plan, consortium: consortium, on: conn)
            let rows = try await conn.query("""
                UPDATE solve_jobs SET status = 'cancelled', finished_at = now()
                WHERE id = \(job) AND plan_id = \(plan) AND consortium_id = \(consortium) AND status IN ('queued', 'running')
                RETURNING \(unescaped: Self.jobColumns)
                """, logger: logger)
            guard let cancelled = try await rows.decode(JobRow.self).first(where: { _ in true }).map(Self.jobRecord) else {
                let current = try await solveJob(job, plan: plan, consortium: consortium, on: conn)
                throw StoreError.conflict("the solve job has already ended (\(current.status))")
            }
            try await conn.query("""
                UPDATE plans SET status = CASE WHEN EXISTS (SELECT 1 FROM solve_jobs j
                                                            WHERE j.plan_id = plans.id AND j.status = 'succeeded')
                                               THEN 'solved' ELSE 'draft' END,
                       updated_at = now()
                WHERE id = \(plan) AND status = 'solving'
                """, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "solve-cancel", resource: "plan", id: plan.uuidString,
                                 detail: "{\"job\": \"\(job.uuidString)\"}", logger: logger)
            return cancelled
        }
    }

    func solveJob(_ id: UUID, plan: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> SolveJobRecord {
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
