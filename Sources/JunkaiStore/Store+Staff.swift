import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// A staff member's fields as a writer gives them; `issues(at:)` checks everything that needs no database.
public struct StaffDraft: Sendable, Hashable {
    public var name: String
    public var home: GeoPoint
    public var skills: [String: Int]
    public var maxDaysPerWeek: Int
    /// nil: the same as `maxDaysPerWeek`, and it follows when that changes.
    public var targetDaysPerWeek: Int?
    public var availableWeekdays: [Int]
    /// nil: no travel limit.
    public var maxTravelKm: Int?

    public init(name: String, home: GeoPoint, skills: [String: Int], maxDaysPerWeek: Int, targetDaysPerWeek: Int? = nil,
                availableWeekdays: [Int] = [1, 2, 3, 4, 5], maxTravelKm: Int? = nil) {
        self.name = name; self.home = home; self.skills = skills; self.maxDaysPerWeek = maxDaysPerWeek
        self.targetDaysPerWeek = targetDaysPerWeek; self.availableWeekdays = availableWeekdays; self.maxTravelKm = maxTravelKm
    }

    /// Range and shape problems, each pointing below `pointer`.
    public func issues(at pointer: String = "") -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        if let why = InputRules.nameProblem(name) { out.append(.init(pointer: "\(pointer)/name", detail: why)) }
        out += InputRules.coordinateIssues(lat: home.lat, lon: home.lon, at: "\(pointer)/home")
        out += InputRules.levelIssues(skills, at: "\(pointer)/skills")
        if !InputRules.daysPerWeek.contains(maxDaysPerWeek) {
            out.append(.init(pointer: "\(pointer)/maxDaysPerWeek", detail: "\(maxDaysPerWeek) is outside 1–5"))
        }
        if let t = targetDaysPerWeek, !(0...max(0, maxDaysPerWeek)).contains(t) {
            out.append(.init(pointer: "\(pointer)/targetDaysPerWeek",
                             detail: "\(t) is outside 0–maxDaysPerWeek (\(maxDaysPerWeek))"))
        }
        out += InputRules.weekdayIssues(availableWeekdays, at: "\(pointer)/availableWeekdays")
        if let km = maxTravelKm, !InputRules.travelKm.contains(km) {
            out.append(.init(pointer: "\(pointer)/maxTravelKm", detail: "\(km) is outside 0–\(InputRules.maxTravelKm)"))
        }
        return out
    }
}

/// A stored staff member.
public struct StaffRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var name: String
    public var home: GeoPoint
    public var skills: [String: Int]
    public var maxDaysPerWeek: Int
    /// As stored: nil follows `maxDaysPerWeek`.
    public var targetDaysPerWeek: Int?
    public var availableWeekdays: [Int]
    public var maxTravelKm: Int?
    public var createdAt: Date
    public var updatedAt: Date

    /// The weekly target with its default applied.
    public var effectiveTarget: Int { targetDaysPerWeek ?? maxDaysPerWeek }

    /// The writable fields.
    public var draft: StaffDraft {
        StaffDraft(name: name, home: home, skills: skills, maxDaysPerWeek: maxDaysPerWeek, targetDaysPerWeek: targetDaysPerWeek,
                   availableWeekdays: availableWeekdays, maxTravelKm: maxTravelKm)
    }
}

/// One field of a partial update where JSON `null` means something (clear) and absence means keep.
public enum FieldUpdate<Value: Sendable & Hashable>: Sendable, Hashable {
    case keep
    case clear
    case set(Value)

    /// `current` after this update.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .keep: return current
        case .clear: return nil
        case .set(let v): return v
        }
    }

    var isKeep: Bool { if case .keep = self { return true } else { return false } }
}

/// A partial update of a staff member: nil (or `.keep`) leaves a field as it is; `skills` replaces the whole map.
public struct StaffPatch: Sendable, Hashable {
    public var name: String?
    public var home: GeoPoint?
    public var skills: [String: Int]?
    public var maxDaysPerWeek: Int?
    public var targetDaysPerWeek: FieldUpdate<Int>
    public var availableWeekdays: [Int]?
    public var maxTravelKm: FieldUpdate<Int>

    public init(name: String? = nil, home: GeoPoint? = nil, skills: [String: Int]? = nil, maxDaysPerWeek: Int? = nil,
                targetDaysPerWeek: FieldUpdate<Int> = .keep, availableWeekdays: [Int]? = nil, maxTravelKm: FieldUpdate<Int> = .keep) {
        self.name = name; self.home = home; self.skills = skills; self.maxDaysPerWeek = maxDaysPerWeek
        self.targetDaysPerWeek = targetDaysPerWeek; self.availableWeekdays = availableWeekdays; self.maxTravelKm = maxTravelKm
    }

    var fieldNames: [String] {
        [("name", name != nil), ("home", home != nil), ("skills", skills != nil), ("maxDaysPerWeek", maxDaysPerWeek != nil),
         ("targetDaysPerWeek", !targetDaysPerWeek.isKeep), ("availableWeekdays", availableWeekdays != nil),
         ("maxTravelKm", !maxTravelKm.isKeep)].filter(\.1).map(\.0)
    }

    /// `draft` with this patch applied.
    public func applied(to draft: StaffDraft) -> StaffDraft {
        var d = draft
        if let name { d.name = name }
        if let home { d.home = home }
        if let skills { d.skills = skills }
        if let maxDaysPerWeek { d.maxDaysPerWeek = maxDaysPerWeek }
        d.targetDaysPerWeek = targetDaysPerWeek.applied(to: d.targetDaysPerWeek)
        if let availableWeekdays { d.availableWeekdays = availableWeekdays }
        d.maxTravelKm = maxTravelKm.applied(to: d.maxTravelKm)
        return d
    }
}

extension Store {
    /// Adds a staff member; 422 naming the field for an unknown skill.
    public func createStaff(_ draft: StaffDraft, consortium: UUID, by who: Principal?) async throws -> StaffRecord {
        let issues = draft.issues()
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return try await write { conn in
            let staff = try await Self.insertStaff(draft, consortium: consortium, at: "", conn: conn, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "create", resource: "staff", id: staff.id.uuidString, logger: logger)
            return staff
        }
    }

    static func insertStaff(_ d: StaffDraft, consortium: UUID, at pointer: String, conn: PostgresConnection,
                            logger: Logger) async throws -> StaffRecord {
        try await checkSkills(d.skills, consortium: consortium, at: pointer, conn: conn, logger: logger)
        let weekdays = InputRules.canonical(d.availableWeekdays)
        let rows = try await conn.query("""
            INSERT INTO staff (consortium_id, name, home_lat, home_lon, max_days_per_week, target_days_per_week,
                               available_weekdays, max_travel_km)
            VALUES (\(consortium), \(d.name), \(d.home.lat), \(d.home.lon), \(d.maxDaysPerWeek), \(d.targetDaysPerWeek),
                    \(weekdays), \(d.maxTravelKm))
            RETURNING id
            """, logger: logger).decode(UUID.self)
        guard let id = try await rows.first(where: { _ in true }) else { throw StoreError.conflict("staff member not created") }
        try await insertStaffSkills(d.skills, staff: id, consortium: consortium, conn: conn, logger: logger)
        guard let staff = try await fetchStaff(consortium: consortium, id: id, conn: conn, logger: logger).first else {
            throw StoreError.conflict("staff member not created")
        }
        return staff
    }

    static func checkSkills(_ skills: [String: Int], consortium: UUID, at pointer: String, conn: PostgresConnection,
                            logger: Logger) async throws {
        let unknown = try await unknownSkills(skills.keys, consortium: consortium, conn: conn, logger: logger)
        if !unknown.isEmpty {
            throw InvalidInput(issues: unknown.map {
                ValidationIssue(pointer: "\(pointer)/skills/\(JSONPointer.token($0))", detail: "unknown skill \"\($0)\"")
            })
        }
    }

    static func insertStaffSkills(_ levels: [String: Int], staff: UUID, consortium: UUID, conn: PostgresConnection,
                                  logger: Logger) async throws {
        guard !levels.isEmpty else { return }
        let ids = levels.keys.sorted()
        let values = ids.map { levels[$0] ?? 1 }
        try await conn.query("""
            INSERT INTO staff_skills (consortium_id, staff_id, skill_id, level)
            SELECT \(consortium), \(staff), s, l FROM unnest(\(ids)::text[], \(values)::int[]) AS t(s, l)
            """, logger: logger)
    }

    /// Every staff member of a consortium, by name.
    public func staffMembers(consortium: UUID) async throws -> [StaffRecord] {
        try await connection { conn in try await Self.fetchStaff(consortium: consortium, conn: conn, logger: logger) }
    }

    /// One staff member; not found when not in the consortium.
    public func staffMember(_ id: UUID, consortium: UUID) async throws -> StaffRecord {
        try await connection { conn in
            guard let s = try await Self.fetchStaff(consortium: consortium, id: id, conn: conn, logger: logger).first else {
                throw StoreError.notFound("staff member not found")
            }
            return s
        }
    }

    /// Applies a partial update; the merged staff member is validated as a whole.
    public func updateStaff(_ id: UUID, _ patch: StaffPatch, consortium: UUID, by who: Principal) async throws -> StaffRecord {
        try await write { conn in
            guard let current = try await Self.fetchStaff(consortium: consortium, id: id, lock: true, conn: conn,
                                                          logger: logger).first
            else { throw StoreError.notFound("staff member not found") }
            let d = patch.applied(to: current.draft)
            let issues = d.issues()
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
            try await Self.checkSkills(d.skills, consortium: consortium, at: "", conn: conn, logger: logger)
            let weekdays = InputRules.canonical(d.availableWeekdays)
            try await conn.query("""
                UPDATE staff SET name = \(d.name), home_lat = \(d.home.lat), home_lon = \(d.home.lon),
                    max_days_per_week = \(d.maxDaysPerWeek), target_days_per_week = \(d.targetDaysPerWeek),
                    available_weekdays = \(weekdays), max_travel_km = \(d.maxTravelKm), updated_at = now()
                WHERE consortium_id = \(consortium) AND id = \(id)
                """, logger: logger)
            if let skills = patch.skills {
                try await conn.query("DELETE FROM staff_skills WHERE staff_id = \(id)", logger: logger)
                try await Self.insertStaffSkills(skills, staff: id, consortium: consortium, conn: conn, logger: logger)
            }
            let fields = patch.fieldNames.map { "\"\($0)\"" }.joined(separator: ", ")
            try await conn.audit(who, consortium: consortium, action: "update", resource: "staff", id: id.uuidString,
                                 detail: "{\"fields\": [\(fields)]}", logger: logger)
            guard let updated = try await Self.fetchStaff(consortium: consortium, id: id, conn: conn, logger: logger).first else {
                throw StoreError.notFound("staff member not found")
            }
            return updated
        }
    }

    /// Deletes a staff member with their tokens, dates and draft assignments; conflict while published assignments name them.
    public func deleteStaff(_ id: UUID, consortium: UUID, by who: Principal) async throws {
        try await write { conn in
            guard try await Self.fetchStaff(consortium: consortium, id: id, lock: true, conn: conn, logger: logger).first != nil
            else { throw StoreError.notFound("staff member not found") }
            // Past published days are the delivery record and stay; future ones go with the staff and are kept as
            // conflicts (removed_assignments) until a publish covers their dates.
            let published = try await conn.query("""
                SELECT count(*)::int FROM published_assignments
                WHERE consortium_id = \(consortium) AND staff_id = \(id) AND status = 'confirmed'
                  AND date < (now() AT TIME ZONE 'Asia/Tokyo')::date
                """, logger: logger).decode(Int.self)
            let n = try await published.first(where: { _ in true }) ?? 0
            if n > 0 {
                throw StoreError.conflict("the staff member has \(n) past published day(s), which the delivery record keeps")
            }
            let removed = try await recordRemovedAssignments(consortium: consortium, staff: id, post: nil, on: conn)
            try await conn.query("DELETE FROM staff WHERE consortium_id = \(consortium) AND id = \(id)", logger: logger)
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "staff", id: id.uuidString,
                                 detail: "{\"publishedDaysRemoved\": \(removed)}", logger: logger)
        }
    }

    static func fetchStaff(consortium: UUID, id: UUID? = nil, lock: Bool = false, conn: PostgresConnection,
                           logger: Logger) async throws -> [StaffRecord] {
        let rows = try await conn.query("""
            SELECT s.id, s.name, s.home_lat, s.home_lon, s.max_days_per_week, s.target_days_per_week,
                   s.available_weekdays, s.max_travel_km, s.created_at, s.updated_at,
                   coalesce((SELECT array_agg(k.skill_id ORDER BY k.skill_id) FROM staff_skills k WHERE k.staff_id = s.id), '{}'),
                   coalesce((SELECT array_agg(k.level ORDER BY k.skill_id) FROM staff_skills k WHERE k.staff_id = s.id), '{}')
            FROM staff s
            WHERE s.consortium_id = \(consortium) AND (\(id)::uuid IS NULL OR s.id = \(id))
            ORDER BY s.name, s.id
            \(unescaped: lock ? "FOR UPDATE OF s" : "")
            """, logger: logger)
        var out: [StaffRecord] = []
        for try await (id, name, lat, lon, maxDays, target, weekdays, km, created, updated, skillIds, levels)
            in rows.decode((UUID, String, Double, Double, Int, Int?, [Int], Int?, Date, Date, [String], [Int]).self) {
            out.append(StaffRecord(id: id, name: name, home: GeoPoint(lat: lat, lon: lon),
                                   skills: Dictionary(zip(skillIds, levels), uniquingKeysWith: { a, _ in a }),
                                   maxDaysPerWeek: maxDays, targetDaysPerWeek: target, availableWeekdays: weekdays,
                                   maxTravelKm: km, createdAt: created, updatedAt: updated))
        }
        return out
    }
}
