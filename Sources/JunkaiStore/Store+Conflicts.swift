import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// A published assignment that the current data makes break a hard rule (or that lost its person or post).
public struct ConflictRecord: Sendable, Codable, Equatable {
    public var date: CivilDate
    public var staff: UUID
    public var post: UUID
    public var postTitle: String
    public var municipality: String
    /// The hard rule (`H1`, `H4`–`H7`), or `removed` when the person or the post was removed.
    public var rule: String
    /// The kind of change that caused it: `unavailability`, `closedDates`, `staffSkills`, `postRequirements`,
    /// `staffWeekdays`, `postWeekdays`, `staffCapacity`, `postDemand`, `staffTravel`, `calendar`, `staffRemoved`, `postRemoved`.
    public var change: String
    /// Each thing about the current data that breaks the rule (the solver's `BreakCause`s; empty for removals).
    public var causes: [String]
    public var detail: String
    public var detailJa: String
}

/// Which published assignments a conflict check looks at: whole ISO weeks are always read, so weekly rules count right.
public enum ConflictScope: Sendable, Hashable {
    case consortium
    case staff(UUID)
    case post(UUID)
    /// The municipality's posts, and everyone who works at them (their other days count for H5).
    case municipality(String)
    /// The ISO weeks of these dates.
    case weeks([CivilDate])
}

extension Store {
    /// The published schedule's conflicts from `today` on (through `through` when given), computed on read:
    /// the confirmed assignments are checked against the current data by the solver's own hard rules
    /// (`PublishedCheck`), and the days that lost their person or post come from `removed_assignments`.
    public func conflicts(consortium: UUID, scope: ConflictScope = .consortium, today: CivilDate,
                          through: CivilDate? = nil) async throws -> [ConflictRecord] {
        try await transaction { conn in
            try await conflicts(consortium: consortium, scope: scope, today: today, through: through, on: conn)
        }
    }

    func conflicts(consortium: UUID, scope: ConflictScope, today: CivilDate, through: CivilDate?,
                   on conn: PostgresConnection) async throws -> [ConflictRecord] {
        let from = today.weekStart
        let until = (through ?? CivilDate(dayNumber: from.dayNumber + 53 * 7 * 10)).weekStart.adding(days: 6)
        var staffId: UUID? = nil, postId: UUID? = nil, code: String? = nil, mondays: [String]? = nil
        switch scope {
        case .consortium: break
        case .staff(let s): staffId = s
        case .post(let p): postId = p
        case .municipality(let m): code = m
        case .weeks(let dates): mondays = Set(dates.map { $0.weekStart.iso }).sorted()
        }
        let rows = try await conn.query("""
            WITH mine AS (SELECT id FROM posts WHERE consortium_id = \(consortium) AND municipality_code = \(code))
            SELECT a.staff_id, a.post_id, to_char(a.date, 'YYYY-MM-DD'), a.updated_at
            FROM published_assignments a
            WHERE a.consortium_id = \(consortium) AND a.status = 'confirmed'
              AND a.date BETWEEN \(from.iso)::date AND \(until.iso)::date
              AND (\(staffId)::uuid IS NULL OR a.staff_id = \(staffId))
              AND (\(postId)::uuid IS NULL OR a.post_id = \(postId))
              AND (\(mondays)::text[] IS NULL OR to_char(date_trunc('week', a.date), 'YYYY-MM-DD') = ANY(\(mondays)::text[]))
              AND (\(code)::text IS NULL OR a.post_id IN (SELECT id FROM mine)
                   OR a.staff_id IN (SELECT b.staff_id FROM published_assignments b
                                     WHERE b.consortium_id = \(consortium) AND b.status = 'confirmed'
                                       AND b.post_id IN (SELECT id FROM mine)
                                       AND b.date BETWEEN \(from.iso)::date AND \(until.iso)::date))
            ORDER BY a.date, a.post_id
            """, logger: logger)
        var assignments: [Assignment] = []
        var publishedAt: [Assignment: Date] = [:]
        for try await (s, p, iso, at) in rows.decode((UUID, UUID, String, Date).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            let a = Assignment(staff: s.uuidString, post: p.uuidString, date: d)
            assignments.append(a)
            publishedAt[a] = at
        }
        var out: [ConflictRecord] = []
        if let last = assignments.last?.date {
            let period = Period(start: from, end: last.weekStart.adding(days: 6))
            let (instance, changedAt) = try await conflictInstance(consortium: consortium, period: period,
                                                                   assignments: assignments, on: conn)
            var postInfo: [String: (String, String)] = [:]
            for p in instance.posts { postInfo[p.id] = (p.title, p.municipality) }
            for b in PublishedCheck.breaks(instance, assignments, from: today) {
                let a = b.assignment
                guard let s = UUID(uuidString: a.staff), let p = UUID(uuidString: a.post), let (title, muni) = postInfo[a.post]
                else { continue }
                let published = publishedAt[a] ?? .distantPast
                out.append(ConflictRecord(date: a.date, staff: s, post: p, postTitle: title, municipality: muni, rule: b.rule,
                                          change: Self.change(b.causes, staffChanged: changedAt[a.staff] ?? .distantPast,
                                                              postChanged: changedAt[a.post] ?? .distantPast, published: published),
                                          causes: b.causes.map(\.rawValue), detail: b.en, detailJa: b.ja))
            }
        }
        let removed = try await conn.query("""
            SELECT r.staff_id, r.post_id, r.post_title, r.municipality_code, to_char(r.date, 'YYYY-MM-DD'), r.removed
            FROM removed_assignments r
            WHERE r.consortium_id = \(consortium) AND r.date BETWEEN \(today.iso)::date AND \(until.iso)::date
              AND (\(staffId)::uuid IS NULL OR r.staff_id = \(staffId))
              AND (\(postId)::uuid IS NULL OR r.post_id = \(postId))
              AND (\(code)::text IS NULL OR r.municipality_code = \(code))
              AND (\(mondays)::text[] IS NULL OR to_char(date_trunc('week', r.date), 'YYYY-MM-DD') = ANY(\(mondays)::text[]))
            """, logger: logger)
        for try await (s, p, title, muni, iso, what) in removed.decode((UUID, UUID, String, String, String, String).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            let staffGone = what == "staff"
            out.append(ConflictRecord(
                date: d, staff: s, post: p, postTitle: title, municipality: muni, rule: "removed",
                change: staffGone ? "staffRemoved" : "postRemoved", causes: [],
                detail: staffGone ? "The staff member published at post \"\(title)\" on \(d.iso) was removed: the post has nobody that day."
                    : "The post \"\(title)\" was removed: its published day \(d.iso) no longer takes place.",
                detailJa: staffGone ? "\(d.iso)にポスト「\(title)」へ公開済みの職員が削除されました: その日は担当者がいません。"
                    : "ポスト「\(title)」が削除されました: \(d.iso)の公開済みの勤務はなくなりました。"))
        }
        return out.sorted { ($0.date, $0.post.uuidString, $0.staff.uuidString, $0.rule) < ($1.date, $1.post.uuidString, $1.staff.uuidString, $1.rule) }
    }

    /// The change behind a break: the cause names it, except a skills mismatch, blamed on whichever of the staff
    /// member and the post was edited last after the assignment was published.
    static func change(_ causes: [BreakCause], staffChanged: Date, postChanged: Date, published: Date) -> String {
        guard let first = causes.first(where: { $0 != .notWorkingDay }) ?? causes.first else { return "calendar" }
        switch first {
        case .skills: return postChanged > staffChanged && postChanged > published ? "postRequirements" : "staffSkills"
        case .unavailable: return "unavailability"
        case .closedDate: return "closedDates"
        case .notWorkingDay: return "calendar"
        case .staffWeekdays: return "staffWeekdays"
        case .postWeekdays: return "postWeekdays"
        case .staffCapacity: return "staffCapacity"
        case .postDemand: return "postDemand"
        case .travel: return "staffTravel"
        }
    }

    /// The current data of the staff and posts the assignments name, over `period`, and when each was last edited.
    func conflictInstance(consortium: UUID, period: Period, assignments: [Assignment],
                          on conn: PostgresConnection) async throws -> (Instance, [String: Date]) {
        let staffIds = Array(Set(assignments.compactMap { UUID(uuidString: $0.staff) }))
        let postIds = Array(Set(assignments.compactMap { UUID(uuidString: $0.post) }))
        let closed = try await closedDates(consortium: consortium, on: conn).filter(period.contains).sorted()
        var changedAt: [String: Date] = [:]

        var municipalities: [Municipality] = []
        let muniRows = try await conn.query("""
            SELECT code, name, lat, lon FROM municipalities WHERE consortium_id = \(consortium) ORDER BY code
            """, logger: logger)
        for try await (code, name, lat, lon) in muniRows.decode((String, String, Double, Double).self) {
            municipalities.append(Municipality(code: code, name: name, lat: lat, lon: lon))
        }

        var requirements: [UUID: [String: Int]] = [:]
        let reqRows = try await conn.query("""
            SELECT post_id, skill_id, min_level FROM post_requirements
            WHERE consortium_id = \(consortium) AND post_id = ANY(\(postIds)::uuid[])
            """, logger: logger)
        for try await (post, skill, level) in reqRows.decode((UUID, String, Int).self) { requirements[post, default: [:]][skill] = level }
        var posts: [Post] = []
        let postRows = try await conn.query("""
            SELECT id, municipality_code, title, days_per_week, allowed_weekdays, preferred_weekdays, updated_at
            FROM posts WHERE consortium_id = \(consortium) AND id = ANY(\(postIds)::uuid[]) ORDER BY id
            """, logger: logger)
        for try await (id, code, title, days, allowed, preferred, at) in postRows.decode((UUID, String, String, Int, [Int], [Int], Date).self) {
            posts.append(Post(id: id.uuidString, municipality: code, title: title, requirements: requirements[id] ?? [:],
                              daysPerWeek: days, allowedWeekdays: allowed.sorted(), preferredWeekdays: preferred.sorted()))
            changedAt[id.uuidString] = at
        }

        var staffSkills: [UUID: [String: Int]] = [:]
        let skillRows = try await conn.query("""
            SELECT staff_id, skill_id, level FROM staff_skills
            WHERE consortium_id = \(consortium) AND staff_id = ANY(\(staffIds)::uuid[])
            """, logger: logger)
        for try await (s, skill, level) in skillRows.decode((UUID, String, Int).self) { staffSkills[s, default: [:]][skill] = level }
        var unavailable: [UUID: [CivilDate]] = [:]
        let dayRows = try await conn.query("""
            SELECT staff_id, to_char(date, 'YYYY-MM-DD') FROM staff_unavailability
            WHERE consortium_id = \(consortium) AND kind = 'unavailable' AND staff_id = ANY(\(staffIds)::uuid[])
              AND date BETWEEN \(period.start.iso)::date AND \(period.end.iso)::date
            """, logger: logger)
        for try await (s, iso) in dayRows.decode((UUID, String).self) {
            if let d = CivilDate(iso: iso) { unavailable[s, default: []].append(d) }
        }
        var staff: [Staff] = []
        let staffRows = try await conn.query("""
            SELECT id, name, home_lat, home_lon, max_days_per_week, target_days_per_week, available_weekdays, max_travel_km, updated_at
            FROM staff WHERE consortium_id = \(consortium) AND id = ANY(\(staffIds)::uuid[]) ORDER BY id
            """, logger: logger)
        for try await (id, name, lat, lon, maxDays, target, available, travel, at)
            in staffRows.decode((UUID, String, Double, Double, Int, Int?, [Int], Int?, Date).self) {
            staff.append(Staff(id: id.uuidString, name: name, home: GeoPoint(lat: lat, lon: lon), skills: staffSkills[id] ?? [:],
                               maxDaysPerWeek: maxDays, targetDaysPerWeek: target ?? maxDays, availableWeekdays: available.sorted(),
                               maxTravelKm: travel, unavailableDates: unavailable[id] ?? []))
            changedAt[id.uuidString] = at
        }
        let instance = Instance(name: "published", period: period, closedDates: closed, skills: [],
                                municipalities: municipalities, posts: posts, staff: staff)
        return (instance, changedAt)
    }

    /// Keeps the confirmed published days from `today` on that go with a removed staff member or post (inside the
    /// removing transaction, before the delete cascades them away).
    func recordRemovedAssignments(consortium: UUID, staff: UUID?, post: UUID?, on conn: PostgresConnection) async throws -> Int {
        let rows = try await conn.query("""
            INSERT INTO removed_assignments (consortium_id, staff_id, post_id, municipality_code, post_title, date, removed)
            SELECT a.consortium_id, a.staff_id, a.post_id, p.municipality_code, p.title, a.date,
                   CASE WHEN \(staff)::uuid IS NOT NULL THEN 'staff' ELSE 'post' END
            FROM published_assignments a JOIN posts p ON p.id = a.post_id
            WHERE a.consortium_id = \(consortium) AND a.status = 'confirmed' AND a.date >= (now() AT TIME ZONE 'Asia/Tokyo')::date
              AND (\(staff)::uuid IS NULL OR a.staff_id = \(staff))
              AND (\(post)::uuid IS NULL OR a.post_id = \(post))
            ON CONFLICT (staff_id, post_id, date) DO NOTHING
            RETURNING post_id
            """, logger: logger)
        var n = 0
        for try await _ in rows.decode(UUID.self) { n += 1 }
        // A removed post leaves nothing for its removed people to lose, and the other way round.
        try await conn.query("""
            DELETE FROM removed_assignments
            WHERE consortium_id = \(consortium)
              AND ((\(staff)::uuid IS NOT NULL AND staff_id = \(staff) AND removed = 'post')
                OR (\(post)::uuid IS NOT NULL AND post_id = \(post) AND removed = 'staff'))
            """, logger: logger)
        return n
    }
}

extension Store {
    /// Creates a draft plan over `period` that keeps every published assignment there except the conflicted ones,
    /// pinned, so that a solve only fills what the conflicts opened (minimal disruption); the rest is the baseline.
    public func createReplan(consortium: UUID, period: Period, conflicts: [ConflictRecord], name: String,
                             by who: Principal) async throws -> PlanRecord {
        let staffIds = conflicts.map(\.staff), postIds = conflicts.map(\.post), dates = conflicts.map(\.date.iso)
        return try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO plans (consortium_id, name, period_start, period_end)
                SELECT id, \(name), \(period.start.iso)::date, \(period.end.iso)::date FROM consortia WHERE id = \(consortium)
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.notFound("consortium not found")
            }
            let kept = try await conn.query("""
                INSERT INTO plan_assignments (consortium_id, plan_id, staff_id, post_id, date, pinned)
                SELECT a.consortium_id, \(id), a.staff_id, a.post_id, a.date, true
                FROM published_assignments a
                WHERE a.consortium_id = \(consortium) AND a.status = 'confirmed'
                  AND a.date BETWEEN \(period.start.iso)::date AND \(period.end.iso)::date
                  AND NOT EXISTS (SELECT 1 FROM unnest(\(staffIds)::uuid[], \(postIds)::uuid[], \(dates)::text[]) AS c(s, p, d)
                                  WHERE c.s = a.staff_id AND c.p = a.post_id AND c.d::date = a.date)
                RETURNING post_id
                """, logger: logger)
            var n = 0
            for try await _ in kept.decode(UUID.self) { n += 1 }
            try await conn.audit(who, consortium: consortium, action: "create", resource: "plan", id: id.uuidString,
                                 detail: "{\"replan\": true, \"kept\": \(n), \"conflicts\": \(conflicts.count)}", logger: logger)
            return try await plan(id, consortium: consortium, on: conn)
        }
    }
}

extension Store {
    /// A staff member's conflicts from `today` on, found by their id alone (for the calendar feed).
    public func staffConflicts(staff: UUID, today: CivilDate) async throws -> [ConflictRecord] {
        try await transaction { conn in
            let rows = try await conn.query("SELECT consortium_id FROM staff WHERE id = \(staff)", logger: logger)
            guard let consortium = try await rows.decode(UUID.self).first(where: { _ in true }) else { return [] }
            return try await conflicts(consortium: consortium, scope: .staff(staff), today: today, through: nil, on: conn)
                .filter { $0.staff == staff }
        }
    }
}
