import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// What `junkai seed-conflict` created.
public struct ConflictDemoSummary: Sendable, Codable {
    public var plan: UUID
    public var period: Period
    public var publishedAssignments: Int
    /// The staff member declared unavailable on one of their published days, and that day.
    public var staff: UUID
    public var date: CivilDate
}

extension Store {
    static let conflictDemoPlanName = "直近2週間（デモ）"

    /// Publishes the demo consortium's next two ISO weeks (solved from `monday`), then declares one published staff
    /// member unavailable on their first published day there: the published schedule now has a conflict, as it has
    /// after any such change. Nil (nothing written) when the demo plan already exists.
    public func seedConflictDemo(consortium: UUID, monday: CivilDate, seconds: Double, seed: UInt64) async throws -> ConflictDemoSummary? {
        let coordinator = try await connection { conn -> Principal? in
            let exists = try await conn.query("""
                SELECT 1 FROM plans WHERE consortium_id = \(consortium) AND name = \(Self.conflictDemoPlanName)
                """, logger: logger)
            if try await exists.decode(Int.self).first(where: { _ in true }) != nil { return nil }
            let tokens = try await conn.query("""
                SELECT id FROM tokens WHERE consortium_id = \(consortium) AND role = 'coordinator' AND revoked_at IS NULL
                ORDER BY (label = 'seed coordinator') DESC, created_at LIMIT 1
                """, logger: logger)
            guard let id = try await tokens.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.notFound("the consortium has no coordinator token to act as")
            }
            return Principal(tokenId: id, role: .coordinator, consortiumId: consortium, municipalityCode: nil, staffId: nil)
        }
        guard let coordinator else { return nil }
        let period = Period(start: monday.weekStart, end: monday.weekStart.adding(days: 13))
        let plan = try await createPlan(consortium: consortium, period: period, name: Self.conflictDemoPlanName, by: coordinator)
        let instance = try await self.instance(plan: plan.id, consortium: consortium)
        let solved = Solver.solve(instance, options: SolveOptions(seconds: seconds, seed: seed, threads: 2))
        let report = Scorer.score(instance, solved.assignments)
        try await transaction { conn in
            let staff = solved.assignments.compactMap { UUID(uuidString: $0.staff) }
            let posts = solved.assignments.compactMap { UUID(uuidString: $0.post) }
            let dates = solved.assignments.map(\.date)
            try await conn.query("""
                INSERT INTO plan_assignments (consortium_id, plan_id, staff_id, post_id, date)
                SELECT \(consortium), \(plan.id), t.s, t.p, t.d FROM unnest(\(staff)::uuid[], \(posts)::uuid[], \(dates)::date[]) AS t(s, p, d)
                """, logger: logger)
            try await conn.query("""
                UPDATE plans SET status = 'solved', version = version + 1, objective = \(report.objective),
                       terms = \(Self.termsJSON(report.terms))::jsonb, updated_at = now()
                WHERE id = \(plan.id)
                """, logger: logger)
        }
        let published = try await publish(plan: plan.id, consortium: consortium, version: plan.version + 1, by: coordinator)
        guard let first = solved.assignments.min(by: { ($0.date, $0.staff, $0.post) < ($1.date, $1.staff, $1.post) }),
              let person = UUID(uuidString: first.staff) else {
            throw StoreError.conflict("the demo plan has no assignments to put in conflict")
        }
        _ = try await addUnavailability(staff: person, date: first.date, kind: .unavailable, note: nil, consortium: consortium,
                                        by: coordinator)
        return ConflictDemoSummary(plan: plan.id, period: period,
                                   publishedAssignments: published.summary.inserted + published.summary.reconfirmed,
                                   staff: person, date: first.date)
    }
}
