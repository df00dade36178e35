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
        let closed = closedDates.map(InputRules.canonical)
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
