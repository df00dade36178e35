import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// A date a staff member cannot work (`unavailable`, hard rule H4) or would rather not (`undesired`, a soft term).
public struct UnavailabilityRecord: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case unavailable, undesired }
    public var id: UUID
    public var date: CivilDate
    public var kind: Kind
    public var note: String?
}

extension Store {
    /// Declares a date for a staff member of the consortium; conflict when the same date and kind already exist.
    public func addUnavailability(staff: UUID, date: CivilDate, kind: UnavailabilityRecord.Kind, note: String?,
                                  consortium: UUID, by who: Principal) async throws -> UnavailabilityRecord {
        if let note, let why = InputRules.textProblem(note, max: InputRules.maxNoteLength) {
            throw InvalidInput(issues: [.init(pointer: "/note", detail: why)])
        }
        return try await write { conn in
            try await Self.requireStaff(staff, consortium: consortium, conn: conn, logger: logger)
            let rows = try await conn.query("""
                INSERT INTO staff_unavailability (consortium_id, staff_id, date, kind, note)
                VALUES (\(consortium), \(staff), \(date), \(kind.rawValue), \(note))
                RETURNING id
                """, logger: logger).decode(UUID.self)
            guard let id = try await rows.first(where: { _ in true }) else { throw StoreError.conflict("date not recorded") }
            try await conn.audit(who, consortium: consortium, action: "create", resource: "unavailability", id: id.uuidString,
                                 detail: "{\"staff\": \"\(staff.uuidString)\"}", logger: logger)
            return UnavailabilityRecord(id: id, date: date, kind: kind, note: note)
        }
    }

    /// A staff member's declared dates within `from…to` (each end optional), by date.
    public func unavailability(staff: UUID, consortium: UUID, from: CivilDate? = nil, to: CivilDate? = nil) async throws
        -> [UnavailabilityRecord] {
        try await connection { conn in
            try await Self.requireStaff(staff, consortium: consortium, conn: conn, logger: logger)
            let rows = try await conn.query("""
                SELECT id, date, kind, note FROM staff_unavailability
                WHERE consortium_id = \(consortium) AND staff_id = \(staff)
                  AND (\(from)::date IS NULL OR date >= \(from)) AND (\(to)::date IS NULL OR date <= \(to))
                ORDER BY date, kind
                """, logger: logger)
            var out: [UnavailabilityRecord] = []
            for try await (id, date, kind, note) in rows.decode((UUID, CivilDate, String, String?).self) {
                guard let k = UnavailabilityRecord.Kind(rawValue: kind) else { continue }
                out.append(UnavailabilityRecord(id: id, date: date, kind: k, note: note))
            }
            return out
        }
    }

    /// Removes one declared date of a staff member.
    public func removeUnavailability(_ id: UUID, staff: UUID, consortium: UUID, by who: Principal) async throws {
        try await write { conn in
            let rows = try await conn.query("""
                DELETE FROM staff_unavailability WHERE id = \(id) AND staff_id = \(staff) AND consortium_id = \(consortium)
                RETURNING id
                """, logger: logger).decode(UUID.self)
            guard try await rows.first(where: { _ in true }) != nil else { throw StoreError.notFound("date not found") }
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "unavailability", id: id.uuidString,
                                 detail: "{\"staff\": \"\(staff.uuidString)\"}", logger: logger)
        }
    }

    static func requireStaff(_ staff: UUID, consortium: UUID, conn: PostgresConnection, logger: Logger) async throws {
        let rows = try await conn.query("""
            SELECT id FROM staff WHERE consortium_id = \(consortium) AND id = \(staff)
            """, logger: logger).decode(UUID.self)
        guard try await rows.first(where: { _ in true }) != nil else { throw StoreError.notFound("staff member not found") }
    }
}
