import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// A consortium (共同任用協定): its name and the closed days its working-day calendar adds.
public struct ConsortiumRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var name: String
    public var closedDates: [CivilDate]
    public var createdAt: Date
    /// Whom staff and desks call about the rotation; shown in every calendar event.
    public var contact: String?
}

/// A token as listed to its issuers: never the secret, never the hash.
public struct TokenRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var role: Principal.Role
    public var label: String?
    public var municipality: String?
    public var staff: UUID?
    public var createdAt: Date
    public var revokedAt: Date?
}

/// Pure checks shared by the API and `junkai seed`, so both reject the same input the same way.
public enum RegistryRules {
    public static let maxNameLength = 200
    public static let maxNoteLength = 1000
    /// No two places on Earth are further apart (half the 6371 km sphere's circumference is about 20015 km).
    public static let maxTravelKm = 20_000
    // The ranges below are what the OpenAPI document states as minimum/maximum; a test compares the two.
    public static let travelKm = 0...maxTravelKm
    public static let levels = 1...5
    public static let weekdays = 1...7
    public static let daysPerWeek = 1...5
    public static let targetDaysPerWeek = 0...5
    public static let latitude = -90.0...90.0
    public static let longitude = -180.0...180.0

    /// Why a display name or title is unusable, or nil when it is fine.
    public static func nameProblem(_ s: String) -> String? {
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "must not be empty" }
        return textProblem(s, max: maxNameLength)
    }

    /// Why free text (a note, a label) cannot be stored, or nil: too long, or holding a NUL PostgreSQL text refuses.
    public static func textProblem(_ s: String, max: Int) -> String? {
        // Counted in code points, as PostgreSQL's length() in the CHECK constraints counts.
        if s.unicodeScalars.count > max { return "must be at most \(max) characters" }
        if s.unicodeScalars.contains("\u{0}") { return "must not contain NUL characters" }
        return nil
    }

    /// Issues for a weekday list: every entry must be an ISO weekday 1–7.
    public static func weekdayIssues(_ days: [Int], at pointer: String) -> [ValidationIssue] {
        days.enumerated().compactMap { i, d in
            weekdays.contains(d) ? nil
                : ValidationIssue(pointer: "\(pointer)/\(i)", detail: "weekday \(d) is outside 1–7 (1 = Monday … 7 = Sunday)")
        }
    }

    /// Issues for a `{skillId: level}` map: levels must be 1–5 and ids well-formed.
    public static func levelIssues(_ levels: [String: Int], at pointer: String) -> [ValidationIssue] {
        levels.keys.sorted().flatMap { id -> [ValidationIssue] in
            let p = "\(pointer)/\(jsonPointerToken(id))"
            var out: [ValidationIssue] = []
            if let why = skillIdProblem(id) { out.append(ValidationIssue(pointer: p, detail: why)) }
            if let level = levels[id], !Self.levels.contains(level) {
                out.append(ValidationIssue(pointer: p, detail: "level \(level) is outside 1–5"))
            }
            return out
        }
    }

    /// Why a skill id is malformed (the pattern the schema enforces), or nil when it is fine.
    public static func skillIdProblem(_ id: String) -> String? {
        let u = Array(id.utf8)
        func alnum(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) }
        guard let first = u.first, alnum(first), u.count <= 64,
              u.dropFirst().allSatisfy({ alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else { return "skill id \"\(id)\" must be 1–64 of A–Z a–z 0–9 _ . - and start with a letter or digit" }
        return nil
    }

    /// Issues for coordinates in WGS84 degrees.
    public static func coordinateIssues(lat: Double, lon: Double, at pointer: String) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        if !(lat.isFinite && latitude.contains(lat)) { out.append(.init(pointer: "\(pointer)/lat", detail: "latitude \(lat) is outside −90…90")) }
        if !(lon.isFinite && longitude.contains(lon)) { out.append(.init(pointer: "\(pointer)/lon", detail: "longitude \(lon) is outside −180…180")) }
        return out
    }

    /// RFC 6901 escaping of one reference token.
    public static func jsonPointerToken(_ s: String) -> String {
        s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Sorted, without repeats: sets of weekdays and dates are stored in one canonical order.
    public static func canonical<T: Comparable & Hashable>(_ xs: [T]) -> [T] { Array(Set(xs)).sorted() }
}

extension Store {
    /// `transaction`, but a validation failure thrown inside comes out as itself rather than wrapped by the driver.
    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await transaction(body)
        } catch let wrapped as PostgresTransactionError {
            if let inner = wrapped.closureError { throw StoreError.from(inner) ?? inner }
            throw wrapped
        }
    }

    /// Creates a consortium with no members yet.
    public func createConsortium(name: String, by who: Principal?) async throws -> ConsortiumRecord {
        try await write { conn in
            let rows = try await conn.query("""
                INSERT INTO consortia (name) VALUES (\(name))
                RETURNING id, name, closed_dates, created_at, contact
                """, logger: logger)
            guard let c = try await Self.consortia(rows).first else { throw StoreError.conflict("consortium not created") }
            try await conn.audit(who, consortium: c.id, action: "create", resource: "consortium", id: c.id.uuidString, logger: logger)
            return c
        }
    }

    /// Every consortium, or only `only` when given (oldest first).
    public func consortia(only: UUID? = nil) async throws -> [ConsortiumRecord] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT id, name, closed_dates, created_at, contact FROM consortia
                WHERE \(only)::uuid IS NULL OR id = \(only)
                ORDER BY created_at, id
                """, logger: logger)
            return try await Self.consortia(rows)
        }
    }

    /// One consortium; not found when it does not exist.
    public func consortium(_ id: UUID) async throws -> ConsortiumRecord {
        guard let c = try await consortia(only: id).first else { throw StoreError.notFound("consortium not found") }
        return c
    }

    /// Renames a consortium, replaces its closed dates and/or sets its contact (`.some(nil)` removes it).
    public func updateConsortium(_ id: UUID, name: String?, closedDates: [CivilDate]?, contact: String?? = nil,
                                 by who: Principal) async throws -> ConsortiumRecord {
        let closed = closedDates.map(RegistryRules.canonical)
        let setContact = contact != nil, newContact = contact ?? nil
        return try await write { conn in
            let rows = try await conn.query("""
                UPDATE consortia SET name = coalesce(\(name), name), closed_dates = coalesce(\(closed), closed_dates),
                    contact = CASE WHEN \(setContact) THEN \(newContact) ELSE contact END
                WHERE id = \(id)
                RETURNING id, name, closed_dates, created_at, contact
                """, logger: logger)
            guard let c = try await Self.consortia(rows).first else { throw StoreError.notFound("consortium not found") }
            var fields: [String] = []
            if name != nil { fields.append("\"name\"") }
            if closed != nil { fields.append("\"closedDates\"") }
            if setContact { fields.append("\"contact\"") }
            try await conn.audit(who, consortium: id, action: "update", resource: "consortium", id: id.uuidString,
                                 detail: "{\"fields\": [\(fields.joined(separator: ", "))]}", logger: logger)
            return c
        }
    }

    /// The tokens of a consortium, newest first, without secrets.
    public func tokens(of consortium: UUID) async throws -> [TokenRecord] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT id, role, label, municipality_code, staff_id, created_at, revoked_at
                FROM tokens WHERE consortium_id = \(consortium)
                ORDER BY created_at DESC, id
                """, logger: logger)
            var out: [TokenRecord] = []
            for try await (id, role, label, code, staff, created, revoked)
                in rows.decode((UUID, String, String?, String?, UUID?, Date, Date?).self) {
                guard let r = Principal.Role(rawValue: role) else { continue }
                out.append(TokenRecord(id: id, role: r, label: label, municipality: code, staff: staff,
                                       createdAt: created, revokedAt: revoked))
            }
            return out
        }
    }

    static func consortia(_ rows: PostgresRowSequence) async throws -> [ConsortiumRecord] {
        var out: [ConsortiumRecord] = []
        for try await (id, name, closed, created, contact) in rows.decode((UUID, String, [CivilDate], Date, String?).self) {
            out.append(ConsortiumRecord(id: id, name: name, closedDates: closed, createdAt: created, contact: contact))
        }
        return out
    }
}
