import Foundation
import JunkaiCore
import PostgresNIO

/// One confirmed published assignment, as the publish review compares it with a plan.
public struct PublishedAssignment: Sendable, Hashable {
    public var staff: UUID
    public var post: UUID
    public var date: CivilDate
    public init(staff: UUID, post: UUID, date: CivilDate) { self.staff = staff; self.post = post; self.date = date }
}

extension Store {
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
