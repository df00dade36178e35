import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

extension Store {
    /// The delivery report's year totals, one row per member by code (`month` is the fiscal year): the coordinator's
    /// page shows these, so the database adds the monthly counts up by member instead of the server building 12 × the
    /// members' rows to fold them again. Each column is the sum of the report's twelve months.
    public func deliveryYearTotals(consortium: UUID, fiscalYear fy: FiscalYear) async throws -> DeliveryReport {
        try await transaction { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            let closed = try await closedDates(consortium: consortium, on: conn)
            var posts: [Post] = []
            let postRows = try await conn.query("""
                SELECT id, municipality_code, days_per_week, allowed_weekdays FROM posts WHERE consortium_id = \(consortium)
                """, logger: logger)
            for try await (id, code, days, allowed) in postRows.decode((UUID, String, Int, [Int]).self) {
                posts.append(Post(id: id.uuidString, municipality: code, title: "", requirements: [:], daysPerWeek: days,
                                  allowedWeekdays: allowed.sorted()))
            }
            let demanded = DeliveryCalendar.demandedDays(posts: posts, fiscalYear: fy,
                                                         calendar: WorkingDayCalendar(closedDates: closed))
            let rows = try await conn.query("""
                SELECT m.code, m.name, coalesce(sum(c.planned), 0)::int, coalesce(sum(c.requests_accepted), 0)::int,
                       coalesce(sum(c.requests_met), 0)::int, coalesce(sum(c.reported), 0)::int,
                       coalesce(sum(c.onsite), 0)::int, coalesce(sum(c.remote), 0)::int, coalesce(sum(c.absent), 0)::int
                FROM municipalities m
                LEFT JOIN (SELECT p.municipality_code, c.planned, c.requests_accepted, c.requests_met, c.reported,
                                  c.onsite, c.remote, c.absent
                           FROM delivery_month_counts c JOIN posts p ON p.id = c.post_id
                           WHERE c.consortium_id = \(consortium) AND c.month BETWEEN \(fy.start) AND \(fy.end)) c
                       ON c.municipality_code = m.code
                WHERE m.consortium_id = \(consortium)
                GROUP BY m.code, m.name
                ORDER BY m.code
                """, logger: logger)
            var out: [DeliveryReportRow] = []
            for try await (code, name, planned, accepted, met, reported, onsite, remote, absent)
                in rows.decode((String, String, Int, Int, Int, Int, Int, Int, Int).self) {
                out.append(DeliveryReportRow(municipality: code, municipalityName: name, month: "\(fy.year)",
                                             demandedDays: (demanded[code] ?? []).reduce(0, +), plannedDays: planned,
                                             requestsAccepted: accepted, requestsMet: met, reportedDays: reported,
                                             confirmedDays: onsite + remote, onsiteDays: onsite, remoteDays: remote,
                                             absentDays: absent))
            }
            return DeliveryReport(fiscalYear: fy.year, rows: out)
        }
    }
}
