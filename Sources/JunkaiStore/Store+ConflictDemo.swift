import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// Creates, solves and publishes a plan over a period as the coordinator given: the planning layer's, passed in by the
/// demo commands (the store cannot call up to it).
public typealias PublishSolvedPlan = @Sendable (Period, String, Principal) async throws -> (plan: PlanRecord, summary: PublishSummary)

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
    public func seedConflictDemo(consortium: UUID, monday: CivilDate,
                                 publishSolvedPlan: PublishSolvedPlan) async throws -> ConflictDemoSummary? {
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
        let published = try await publishSolvedPlan(period, Self.conflictDemoPlanName, coordinator)
        let plan = published.plan
        guard let first = plan.assignments.min(by: { ($0.date, $0.staff.uuidString, $0.post.uuidString) < ($1.date, $1.staff.uuidString, $1.post.uuidString) }) else {
            throw StoreError.conflict("the demo plan has no assignments to put in conflict")
        }
        let person = first.staff
        _ = try await addUnavailability(staff: person, date: first.date, kind: .unavailable, note: nil, consortium: consortium,
                                        by: coordinator)
        return ConflictDemoSummary(plan: plan.id, period: period,
                                   publishedAssignments: published.summary.inserted + published.summary.reconfirmed,
                                   staff: person, date: first.date)
    }
}
