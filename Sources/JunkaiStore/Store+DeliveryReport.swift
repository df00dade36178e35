import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// One member and month of the delivery report (実績報告), docs/delivery.md.
public struct DeliveryReportRow: Sendable, Equatable, Codable {
    public var municipality: String
    public var municipalityName: String
    /// "YYYY-MM".
    public var month: String
    public var demandedDays: Int
    public var plannedDays: Int
    public var requestsAccepted: Int
    public var requestsMet: Int
    public var reportedDays: Int
    public var confirmedDays: Int
    public var onsiteDays: Int
    public var remoteDays: Int
    public var absentDays: Int
}

/// The delivery report of one fiscal year: members by code, months April to March.
public struct DeliveryReport: Sendable, Equatable, Codable {
    public var fiscalYear: Int
    public var rows: [DeliveryReportRow]
}

/// The report's calendar: months of a fiscal year, and the rotation model's demand by the month of each week's Thursday.
public enum DeliveryCalendar {
    /// The twelve months of the 年度 as (year, month), April first.
    public static func months(of fy: FiscalYear) -> [(year: Int, month: Int)] {
        (0..<12).map { i in (fy.year + (3 + i) / 12, (3 + i) % 12 + 1) }
    }

    /// "YYYY-MM".
    public static func label(year: Int, month: Int) -> String {
        let y = String(year), m = String(month)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "") + m
    }

    /// The index (0 = April … 11 = March) of a month in its fiscal year.
    public static func monthIndex(_ month: Int) -> Int { (month + 8) % 12 }

    /// Each municipality's demanded days per month of the fiscal year (index 0 = April): over its posts, the sum of
    /// `demand(post, week)` (rotation-model.md, over the whole ISO week, with the calendar's closed dates) for the ISO
    /// weeks whose Thursday falls in the month. Municipalities without posts are absent.
    public static func demandedDays(posts: [Post], fiscalYear fy: FiscalYear,
                                    calendar: WorkingDayCalendar) -> [String: [Int]] {
        // `Post.demand` over an ISO week counts the working days on an allowed weekday; a week has each weekday once,
        // so that count is the number of bits shared by the week's working-weekday mask and the post's allowed mask.
        // Hundreds of posts × 52 weeks: masks, not a walk over each week's dates for each post.
        let masks = posts.map { post in
            (post.municipality, post.daysPerWeek, post.allowedWeekdays.reduce(0) { $0 | (1 << $1) })
        }
        var out: [String: [Int]] = [:]
        for (code, _, _) in masks where out[code] == nil { out[code] = Array(repeating: 0, count: 12) }
        // The first Thursday on or after 1 April (ISO weekday 4).
        var thursday = fy.start.adding(days: (4 - fy.start.weekday + 7) % 7)
        while thursday <= fy.end {
            let week = ISOWeek(containing: thursday)
            let working = calendar.workingDays(of: week).reduce(0) { $0 | (1 << $1.weekday) }
            let m = monthIndex(thursday.month)
            for (code, days, allowed) in masks {
                out[code]![m] += min(days, (working & allowed).nonzeroBitCount)
            }
            thursday = thursday.adding(days: 7)
        }
        return out
    }
}

extension Store {
    /// The delivery report of fiscal year `fy`, for every member (or only `municipality`; 404 when it is not one).
    public func deliveryReport(consortium: UUID, fiscalYear fy: FiscalYear, municipality: String?) async throws -> DeliveryReport {
        try await transaction { conn in
            // One snapshot for the whole report (REPEATABLE READ), so the columns agree with each other.
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            let closed = try await closedDates(consortium: consortium, on: conn)
            var members: [(code: String, name: String)] = []
            let memberRows = try await conn.query("""
                SELECT code, name FROM municipalities
                WHERE consortium_id = \(consortium) AND (\(municipality)::text IS NULL OR code = \(municipality))
                ORDER BY code
                """, logger: logger)
            for try await (code, name) in memberRows.decode((String, String).self) { members.append((code, name)) }
            if let municipality, members.isEmpty { throw StoreError.notFound("municipality \(municipality) is not a member") }

            var posts: [Post] = []
            let postRows = try await conn.query("""
                SELECT id, municipality_code, days_per_week, allowed_weekdays FROM posts
                WHERE consortium_id = \(consortium) AND (\(municipality)::text IS NULL OR municipality_code = \(municipality))
                """, logger: logger)
            for try await (id, code, days, allowed) in postRows.decode((UUID, String, Int, [Int]).self) {
                posts.append(Post(id: id.uuidString, municipality: code, title: "", requirements: [:], daysPerWeek: days,
                                  allowedWeekdays: allowed.sorted()))
            }
            let demanded = DeliveryCalendar.demandedDays(posts: posts, fiscalYear: fy,
                                                         calendar: WorkingDayCalendar(closedDates: closed))

            // Published days, accepted requests (and those met) and work records by member and month, from the monthly
            // counts the database keeps (delivery_month_counts, migrations 0006 and 0009): a few thousand rows a year.
            let counts = try await conn.query("""
                SELECT p.municipality_code, c.month, sum(c.planned)::int,
                       sum(c.requests_accepted)::int, sum(c.requests_met)::int, sum(c.reported)::int, sum(c.onsite)::int,
                       sum(c.remote)::int, sum(c.absent)::int
                FROM delivery_month_counts c JOIN posts p ON p.id = c.post_id
                WHERE c.consortium_id = \(consortium) AND c.month BETWEEN \(fy.start) AND \(fy.end)
                  AND (\(municipality)::text IS NULL OR p.municipality_code = \(municipality))
                GROUP BY p.municipality_code, c.month
                """, logger: logger)
            var rows: [String: [DeliveryReportRow]] = [:]
            let months = DeliveryCalendar.months(of: fy)
            for m in members {
                let demand = demanded[m.code] ?? Array(repeating: 0, count: 12)
                rows[m.code] = months.enumerated().map { i, ym in
                    DeliveryReportRow(municipality: m.code, municipalityName: m.name,
                                      month: DeliveryCalendar.label(year: ym.year, month: ym.month),
                                      demandedDays: demand[i], plannedDays: 0, requestsAccepted: 0, requestsMet: 0,
                                      reportedDays: 0, confirmedDays: 0, onsiteDays: 0, remoteDays: 0, absentDays: 0)
                }
            }
            for try await (code, month, planned, accepted, met, reported, onsite, remote, absent)
                in counts.decode((String, CivilDate, Int, Int, Int, Int, Int, Int, Int).self) {
                // Grouped by the stored month (its 1st, by the table's CHECK): no numeric extract per row.
                let i = DeliveryCalendar.monthIndex(month.month)
                guard rows[code] != nil else { continue }
                rows[code]![i].plannedDays += planned
                rows[code]![i].requestsAccepted += accepted
                rows[code]![i].requestsMet += met
                rows[code]![i].reportedDays += reported
                rows[code]![i].onsiteDays += onsite
                rows[code]![i].remoteDays += remote
                rows[code]![i].confirmedDays += onsite + remote
                rows[code]![i].absentDays += absent
            }
            return DeliveryReport(fiscalYear: fy.year, rows: members.flatMap { rows[$0.code] ?? [] })
        }
    }
}
