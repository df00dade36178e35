import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// A plan's planning problem together with the plan's current working assignments.
public struct PlanProblem: Sendable {
    public var instance: Instance
    /// Every assignment of the plan (pinned or not), in solver terms.
    public var assignments: [Assignment]
    /// The subset of `assignments` that is pinned, as (post, date) keys.
    public var pinnedKeys: Set<SeatDay>

    public init(instance: Instance, assignments: [Assignment], pinnedKeys: Set<SeatDay>) {
        self.instance = instance; self.assignments = assignments; self.pinnedKeys = pinnedKeys
    }
}

/// A post on a date: the key of a plan assignment.
public struct SeatDay: Hashable, Sendable {
    public var post: String
    public var date: CivilDate
    public init(post: String, date: CivilDate) { self.post = post; self.date = date }
}

extension Store {
    /// The plan's planning problem as `junkai.instance/1`: ids are the database UUIDs.
    public func instance(plan: UUID, consortium: UUID) async throws -> Instance {
        try await transaction { conn in try await planProblem(plan: plan, consortium: consortium, on: conn).instance }
    }

    /// Reads the plan's instance and current assignments on one connection (call inside a transaction for one snapshot).
    public func planProblem(plan: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> PlanProblem {
        let planRows = try await conn.query("""
            SELECT name, to_char(period_start, 'YYYY-MM-DD'), to_char(period_end, 'YYYY-MM-DD')
            FROM plans WHERE id = \(plan) AND consortium_id = \(consortium)
            """, logger: logger)
        guard let (name, startISO, endISO) = try await planRows.decode((String, String, String).self).first(where: { _ in true }),
              let start = CivilDate(iso: startISO), let end = CivilDate(iso: endISO) else {
            throw StoreError.notFound("plan not found")
        }
        let period = Period(start: start, end: end)
        let closed = try await closedDates(consortium: consortium, on: conn).filter(period.contains).sorted()

        var skills: [Skill] = []
        let skillRows = try await conn.query("""
            SELECT id, name FROM skills WHERE consortium_id = \(consortium) ORDER BY id
            """, logger: logger)
        for try await (id, name) in skillRows.decode((String, String).self) { skills.append(Skill(id: id, name: name)) }

        var municipalities: [Municipality] = []
        let muniRows = try await conn.query("""
            SELECT code, name, lat, lon FROM municipalities WHERE consortium_id = \(consortium) ORDER BY code
            """, logger: logger)
        for try await (code, name, lat, lon) in muniRows.decode((String, String, Double, Double).self) {
            municipalities.append(Municipality(code: code, name: name, lat: lat, lon: lon))
        }

        var requirements: [UUID: [String: Int]] = [:]
        let reqRows = try await conn.query("""
            SELECT post_id, skill_id, min_level FROM post_requirements WHERE consortium_id = \(consortium)
            """, logger: logger)
        for try await (post, skill, level) in reqRows.decode((UUID, String, Int).self) { requirements[post, default: [:]][skill] = level }

        var posts: [Post] = []
        let postRows = try await conn.query("""
            SELECT id, municipality_code, title, days_per_week, allowed_weekdays, preferred_weekdays
            FROM posts WHERE consortium_id = \(consortium) ORDER BY created_at, id
            """, logger: logger)
        for try await (id, code, title, days, allowed, preferred) in postRows.decode((UUID, String, String, Int, [Int], [Int]).self) {
            posts.append(Post(id: id.uuidString, municipality: code, title: title, requirements: requirements[id] ?? [:],
                              daysPerWeek: days, allowedWeekdays: allowed.sorted(), preferredWeekdays: preferred.sorted()))
        }

        var staffSkills: [UUID: [String: Int]] = [:]
        let skillLevelRows = try await conn.query("""
            SELECT staff_id, skill_id, level FROM staff_skills WHERE consortium_id = \(consortium)
            """, logger: logger)
        for try await (staff, skill, level) in skillLevelRows.decode((UUID, String, Int).self) { staffSkills[staff, default: [:]][skill] = level }

        var unavailable: [UUID: [CivilDate]] = [:], undesired: [UUID: [CivilDate]] = [:]
        let dayRows = try await conn.query("""
            SELECT staff_id, to_char(date, 'YYYY-MM-DD'), kind FROM staff_unavailability
            WHERE consortium_id = \(consortium) AND date BETWEEN \(start.iso)::date AND \(end.iso)::date
            ORDER BY date
            """, logger: logger)
        for try await (staff, iso, kind) in dayRows.decode((UUID, String, String).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            if kind == "unavailable" { unavailable[staff, default: []].append(d) } else { undesired[staff, default: []].append(d) }
        }

        var staff: [Staff] = []
        let staffRows = try await conn.query("""
            SELECT id, name, home_lat, home_lon, max_days_per_week, target_days_per_week, available_weekdays, max_travel_km
            FROM staff WHERE consortium_id = \(consortium) ORDER BY created_at, id
            """, logger: logger)
        for try await (id, name, lat, lon, maxDays, target, available, travel)
            in staffRows.decode((UUID, String, Double, Double, Int, Int?, [Int], Int?).self) {
            staff.append(Staff(id: id.uuidString, name: name, home: GeoPoint(lat: lat, lon: lon), skills: staffSkills[id] ?? [:],
                               maxDaysPerWeek: maxDays, targetDaysPerWeek: target ?? maxDays,
                               availableWeekdays: available.sorted(), maxTravelKm: travel,
                               unavailableDates: unavailable[id] ?? [], undesiredDates: undesired[id] ?? []))
        }

        var requests: [Request] = []
        let requestRows = try await conn.query("""
            SELECT post_id, to_char(date, 'YYYY-MM-DD'), kind FROM requests
            WHERE consortium_id = \(consortium) AND status = 'accepted'
              AND date BETWEEN \(start.iso)::date AND \(end.iso)::date
            ORDER BY date, post_id, created_at
            """, logger: logger)
        for try await (post, iso, kind) in requestRows.decode((UUID, String, String).self) {
            guard let d = CivilDate(iso: iso), let k = RequestKind(rawValue: kind) else { continue }
            requests.append(Request(post: post.uuidString, date: d, kind: k))
        }

        var assignments: [Assignment] = [], pinned: [Assignment] = []
        var pinnedKeys: Set<SeatDay> = []
        let assignmentRows = try await conn.query("""
            SELECT staff_id, post_id, to_char(date, 'YYYY-MM-DD'), pinned FROM plan_assignments
            WHERE plan_id = \(plan) AND consortium_id = \(consortium)
            ORDER BY date, post_id
            """, logger: logger)
        for try await (s, p, iso, isPinned) in assignmentRows.decode((UUID, UUID, String, Bool).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            let a = Assignment(staff: s.uuidString, post: p.uuidString, date: d)
            assignments.append(a)
            if isPinned { pinned.append(a); pinnedKeys.insert(SeatDay(post: a.post, date: d)) }
        }

        var baseline: [Assignment] = []
        let baselineRows = try await conn.query("""
            SELECT staff_id, post_id, to_char(date, 'YYYY-MM-DD') FROM published_assignments
            WHERE consortium_id = \(consortium) AND status = 'confirmed'
              AND date BETWEEN \(start.iso)::date AND \(end.iso)::date
            ORDER BY date, post_id
            """, logger: logger)
        for try await (s, p, iso) in baselineRows.decode((UUID, UUID, String).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            baseline.append(Assignment(staff: s.uuidString, post: p.uuidString, date: d))
        }

        let instance = Instance(name: name, period: period, closedDates: closed, weights: [:], skills: skills,
                                municipalities: municipalities, posts: posts, staff: staff, requests: requests,
                                pinned: pinned, baseline: baseline)
        return PlanProblem(instance: instance, assignments: assignments, pinnedKeys: pinnedKeys)
    }
}
