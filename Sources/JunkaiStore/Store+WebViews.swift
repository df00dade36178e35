import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// One confirmed published assignment, as the publish review compares it with a plan.
public struct PublishedAssignment: Sendable, Hashable {
    public var staff: UUID
    public var post: UUID
    public var date: CivilDate
    public init(staff: UUID, post: UUID, date: CivilDate) { self.staff = staff; self.post = post; self.date = date }
}

/// What the rotation grid needs of a plan: its heading and its assignments in the shown window, nothing else (no
/// names, terms or counts: the page has the consortium's names already).
public struct PlanGridView: Sendable {
    public struct Cell: Sendable {
        public var staff: UUID
        public var post: UUID
        public var date: CivilDate
        public var pinned: Bool
    }

    public var name: String
    public var status: PlanStatus
    public var version: Int
    public var period: Period
    public var cells: [Cell]
}

extension Store {
    /// A plan's heading and its assignments dated in the window `window(period)` gives (404 outside the consortium).
    public func planGrid(_ plan: UUID, consortium: UUID,
                         window: @Sendable (Period) -> (CivilDate, CivilDate)) async throws -> (PlanGridView, CivilDate, CivilDate) {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT name, status, version, period_start, period_end FROM plans
                WHERE id = \(plan) AND consortium_id = \(consortium)
                """, logger: logger)
            var found: (String, String, Int, CivilDate, CivilDate)?
            for try await row in rows.decode((String, String, Int, CivilDate, CivilDate).self) { found = row }
            guard let (name, status, version, start, end) = found else { throw StoreError.notFound("plan not found") }
            let period = Period(start: start, end: end)
            let (from, to) = window(period)
            let cellRows = try await conn.query("""
                SELECT staff_id, post_id, date, pinned FROM plan_assignments
                WHERE plan_id = \(plan) AND date BETWEEN \(from) AND \(to)
                """, logger: logger)
            var cells: [PlanGridView.Cell] = []
            for try await (staff, post, date, pinned) in cellRows.decode((UUID, UUID, CivilDate, Bool).self) {
                cells.append(.init(staff: staff, post: post, date: date, pinned: pinned))
            }
            return (PlanGridView(name: name, status: PlanStatus(rawValue: status) ?? .draft, version: version, period: period, cells: cells), from, to)
        }
    }

    /// The consortium's confirmed published assignments dated from `from` through `to`.
    public func publishedAssignments(consortium: UUID, from: CivilDate, to: CivilDate) async throws -> [PublishedAssignment] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT staff_id, post_id, to_char(date, 'YYYY-MM-DD') FROM published_assignments
                WHERE consortium_id = \(consortium) AND status = 'confirmed'
                  AND date BETWEEN \(from.iso)::date AND \(to.iso)::date
                ORDER BY date, staff_id
                """, logger: logger)
            var out: [PublishedAssignment] = []
            for try await (staff, post, iso) in rows.decode((UUID, UUID, String).self) {
                if let d = CivilDate(iso: iso) { out.append(PublishedAssignment(staff: staff, post: post, date: d)) }
            }
            return out
        }
    }

    /// How many requests of the consortium wait for a decision.
    public func submittedRequestCount(consortium: UUID) async throws -> Int {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT count(*)::int FROM requests WHERE consortium_id = \(consortium) AND status = 'submitted'
                """, logger: logger)
            return try await rows.decode(Int.self).first(where: { _ in true }) ?? 0
        }
    }
}
