import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// A plan row locked (`FOR UPDATE`) for one write transaction, with the SQL steps the planning layer composes.
///
/// The planning layer decides (status rules, hard-rule gate, scores); these steps only read and write rows, all on
/// the one connection, so that a refused check leaves nothing written.
public struct LockedPlan: Sendable {
    public let id: UUID
    public let consortium: UUID
    /// The status and version when the lock was taken.
    public let status: PlanStatus
    public let version: Int
    let conn: PostgresConnection
    let store: Store

    var logger: Logger { store.logger }

    /// The plan's instance and assignments as they stand in this transaction.
    public func problem() async throws -> PlanProblem {
        try await store.planProblem(plan: id, consortium: consortium, on: conn)
    }

    /// The plan as the API shows it, with this transaction's writes.
    public func record() async throws -> PlanRecord {
        try await store.plan(id, consortium: consortium, on: conn)
    }

    /// Puts `staff` (or nobody) on `post` on `date`.
    public func replaceDay(post: UUID, date: CivilDate, staff: UUID?, pinned: Bool) async throws {
        try await conn.query("""
            DELETE FROM plan_assignments WHERE plan_id = \(id) AND post_id = \(post) AND date = \(date.iso)::date
            """, logger: logger)
        if let staff {
            try await conn.query("""
                INSERT INTO plan_assignments (consortium_id, plan_id, staff_id, post_id, date, pinned)
                VALUES (\(consortium), \(id), \(staff), \(post), \(date.iso)::date, \(pinned))
                """, logger: logger)
        }
    }

    /// Replaces every assignment that is not pinned with `rows` (a search's result).
    public func replaceUnpinnedAssignments(_ rows: [(staff: UUID, post: UUID, date: CivilDate)]) async throws {
        try await conn.query("DELETE FROM plan_assignments WHERE plan_id = \(id) AND NOT pinned", logger: logger)
        try await conn.query("""
            INSERT INTO plan_assignments (consortium_id, plan_id, staff_id, post_id, date, pinned)
            SELECT \(consortium), \(id), t.s, t.p, t.d, false
            FROM unnest(\(rows.map(\.staff))::uuid[], \(rows.map(\.post))::uuid[], \(rows.map(\.date))::date[]) AS t(s, p, d)
            """, logger: logger)
    }

    /// Stores the exact score of the plan's assignments and bumps its version (and moves it to `status` when given).
    public func storeScore(_ report: ScoreReport, status next: PlanStatus? = nil) async throws {
        try await conn.query("""
            UPDATE plans SET version = version + 1, objective = \(report.objective),
                   terms = \(Store.termsJSON(report.terms))::jsonb, status = coalesce(\(next?.rawValue), status),
                   updated_at = now()
            WHERE id = \(id)
            """, logger: logger)
    }

    /// Moves the plan to `next`, guarded by the status the lock saw.
    public func setStatus(_ next: PlanStatus) async throws {
        try await conn.query("""
            UPDATE plans SET status = \(next.rawValue), updated_at = now()
            WHERE id = \(id) AND status = \(status.rawValue)
            """, logger: logger)
    }

    /// One audit row for this plan, or for another plan of the consortium it changed (ids and counts only in `detail`).
    public func audit(_ who: Principal?, action: String, detail: String = "{}", plan other: UUID? = nil) async throws {
        try await conn.audit(who, consortium: consortium, action: action, resource: "plan", id: (other ?? id).uuidString,
                             detail: detail, logger: logger)
    }

    /// Queues a solve job carrying the pre-solve diagnostics.
    public func insertSolveJob(seconds: Double, seed: Int, diagnostics: Diagnostics) async throws -> SolveJobRecord {
        let rows = try await conn.query("""
            INSERT INTO solve_jobs (consortium_id, plan_id, seconds, seed, diagnostics)
            VALUES (\(consortium), \(id), \(seconds), \(seed), \(try Store.diagnosticsJSON(diagnostics))::jsonb)
            RETURNING \(unescaped: Store.jobColumns)
            """, logger: logger)
        guard let job = try await rows.decode(Store.JobRow.self).first(where: { _ in true }).map(Store.jobRecord) else {
            throw StoreError.conflict("solve job not created")
        }
        return job
    }

    /// Cancels one of the plan's jobs if it has not ended; nil (and nothing written) when it has.
    public func cancelSolveJob(_ job: UUID) async throws -> SolveJobRecord? {
        let rows = try await conn.query("""
            UPDATE solve_jobs SET status = \(SolveJobStatus.cancelled.rawValue), finished_at = now()
            WHERE id = \(job) AND plan_id = \(id) AND consortium_id = \(consortium)
              AND status = ANY(\(SolveJobStatus.sourceValues(of: .cancelled)))
            RETURNING \(unescaped: Store.jobColumns)
            """, logger: logger)
        return try await rows.decode(Store.JobRow.self).first(where: { _ in true }).map(Store.jobRecord)
    }

    /// One of the plan's solve jobs.
    public func solveJob(_ job: UUID) async throws -> SolveJobRecord {
        try await store.solveJob(job, plan: id, consortium: consortium, on: conn)
    }

    /// Whether a solve of this plan has ever stored a result.
    public func hasSucceededSolve() async throws -> Bool {
        let rows = try await conn.query("""
            SELECT EXISTS (SELECT 1 FROM solve_jobs WHERE plan_id = \(id) AND status = \(SolveJobStatus.succeeded.rawValue))
            """, logger: logger)
        return try await rows.decode(Bool.self).first(where: { _ in true }) ?? false
    }

    /// Makes the plan's assignments the published schedule on the dates of its period, supersedes the published
    /// plans inside that period and settles the removed days there; the plan becomes `published`.
    public func publishAssignments(period: Period) async throws -> PublishSummary {
        let start = period.start.iso, end = period.end.iso
        let cancelledRows = try await conn.query("""
            UPDATE published_assignments pa
            SET status = 'cancelled', sequence = pa.sequence + 1, updated_at = now()
            WHERE pa.consortium_id = \(consortium) AND pa.status = 'confirmed'
              AND pa.date BETWEEN \(start)::date AND \(end)::date
              AND NOT EXISTS (SELECT 1 FROM plan_assignments x
                              WHERE x.plan_id = \(id) AND x.staff_id = pa.staff_id
                                AND x.post_id = pa.post_id AND x.date = pa.date)
            RETURNING pa.staff_id
            """, logger: logger)
        var summary = PublishSummary(inserted: 0, reconfirmed: 0, cancelled: 0, superseded: [])
        for try await _ in cancelledRows.decode(UUID.self) { summary.cancelled += 1 }

        // Rows already confirmed are left exactly as they are (same sequence, same plan).
        let upserted = try await conn.query("""
            INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id)
            SELECT consortium_id, staff_id, post_id, date, plan_id FROM plan_assignments WHERE plan_id = \(id)
            ON CONFLICT (staff_id, post_id, date) DO UPDATE
            SET status = 'confirmed', sequence = published_assignments.sequence + 1,
                plan_id = EXCLUDED.plan_id, updated_at = now()
            WHERE published_assignments.status = 'cancelled'
            RETURNING (xmax = 0)
            """, logger: logger)
        for try await isInsert in upserted.decode(Bool.self) {
            if isInsert { summary.inserted += 1 } else { summary.reconfirmed += 1 }
        }

        let superseded = try await conn.query("""
            UPDATE plans SET status = \(PlanStatus.superseded.rawValue), updated_at = now()
            WHERE consortium_id = \(consortium) AND id <> \(id) AND status = \(PlanStatus.published.rawValue)
              AND period_start >= \(start)::date AND period_end <= \(end)::date
            RETURNING id
            """, logger: logger)
        for try await p in superseded.decode(UUID.self) { summary.superseded.append(p) }

        // Days that lost their person or post are settled once a plan covering them is published.
        try await conn.query("""
            DELETE FROM removed_assignments
            WHERE consortium_id = \(consortium) AND date BETWEEN \(start)::date AND \(end)::date
            """, logger: logger)
        try await conn.query("""
            UPDATE plans SET status = \(PlanStatus.published.rawValue), published_at = now(), updated_at = now()
            WHERE id = \(id)
            """, logger: logger)
        return summary
    }
}

extension Store {
    /// Runs `body` in one transaction with the plan's row locked; notFound outside the consortium.
    ///
    /// `serialisingPublishes` first takes the consortium's row (NO KEY UPDATE: it excludes another publish but lets
    /// foreign-key inserts such as new plans proceed), so that a consortium's publishes and withdrawals run one at a time.
    public func withLockedPlan<T: Sendable>(_ id: UUID, consortium: UUID, serialisingPublishes: Bool = false,
                                            _ body: (LockedPlan) async throws -> T) async throws -> T {
        try await transaction { conn in
            if serialisingPublishes {
                let locked = try await conn.query("SELECT id FROM consortia WHERE id = \(consortium) FOR NO KEY UPDATE",
                                                  logger: logger)
                guard try await locked.decode(UUID.self).first(where: { _ in true }) != nil else {
                    throw StoreError.notFound("plan not found")
                }
            }
            let (status, version) = try await lockPlan(id, consortium: consortium, on: conn)
            return try await body(LockedPlan(id: id, consortium: consortium, status: status, version: version,
                                             conn: conn, store: self))
        }
    }
}
