import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// What a publish changed in the published schedule.
public struct PublishSummary: Sendable, Codable, Equatable {
    /// Assignments published for the first time.
    public var inserted: Int
    /// Previously cancelled assignments confirmed again.
    public var reconfirmed: Int
    /// Confirmed assignments in the period that the plan dropped.
    public var cancelled: Int
    /// Earlier published plans inside this plan's period, now superseded.
    public var superseded: [UUID]
}

extension Store {
    /// Publishes a plan at `version`: its assignments replace the published schedule on the dates of its period.
    ///
    /// One transaction, serialised per consortium by a lock on its row; the partial unique indexes of
    /// published_assignments reject any double booking, in which case nothing changes.
    public func publish(plan id: UUID, consortium: UUID, version expected: Int,
                        by who: Principal) async throws -> (plan: PlanRecord, summary: PublishSummary) {
        try await transaction { conn in
            // Serialises the consortium's publishes (and withdrawals, which take FOR SHARE). NO KEY UPDATE rather than
            // UPDATE: it still excludes another publish but lets foreign-key inserts (new plans, staff…) proceed meanwhile.
            let locked = try await conn.query("SELECT id FROM consortia WHERE id = \(consortium) FOR NO KEY UPDATE",
                                              logger: logger)
            guard try await locked.decode(UUID.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("plan not found")
            }
            let (status, version) = try await lockPlan(id, consortium: consortium, on: conn)
            guard version == expected else {
                throw StoreError.preconditionFailed("the plan is at version \(version), not \(expected); reload it and check again")
            }
            let problem = try await planProblem(plan: id, consortium: consortium, on: conn)
            switch status {
            case "solved": break
            case "draft" where !problem.assignments.isEmpty: break
            case "draft": throw StoreError.conflict("the plan has no assignments yet; solve it first")
            case "solving": throw StoreError.conflict("the plan is being solved; publish it when the solve has finished")
            default: throw StoreError.conflict("the plan is already \(status)")
            }
            let report = Scorer.score(problem.instance, problem.assignments)
            if let first = report.violations.first {
                let more = report.violations.count > 1 ? " (and \(report.violations.count - 1) more)" : ""
                throw StoreError.conflict("the plan breaks hard rule \(Self.describe(first))\(more)")
            }
            let start = problem.instance.period.start.iso, end = problem.instance.period.end.iso

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
                UPDATE plans SET status = 'superseded', updated_at = now()
                WHERE consortium_id = \(consortium) AND id <> \(id) AND status = 'published'
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
                UPDATE plans SET status = 'published', published_at = now(), updated_at = now() WHERE id = \(id)
                """, logger: logger)
            let supersededJSON = summary.superseded.map { "\"\($0.uuidString)\"" }.joined(separator: ", ")
            try await conn.audit(who, consortium: consortium, action: "publish", resource: "plan", id: id.uuidString,
                                 detail: """
                                 {"version": \(version), "inserted": \(summary.inserted), "reconfirmed": \(summary.reconfirmed), \
                                 "cancelled": \(summary.cancelled), "superseded": [\(supersededJSON)]}
                                 """, logger: logger)
            for p in summary.superseded {
                try await conn.audit(who, consortium: consortium, action: "supersede", resource: "plan", id: p.uuidString,
                                     detail: "{\"by\": \"\(id.uuidString)\"}", logger: logger)
            }
            return (try await plan(id, consortium: consortium, on: conn), summary)
        }
    }
}
