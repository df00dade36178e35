import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// One entry of a consortium's skill catalogue.
public struct SkillRecord: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) { self.id = id; self.name = name }
}

extension Store {
    /// Creates or renames a skill; `created` tells which happened.
    public func putSkill(_ skill: SkillRecord, consortium: UUID, by who: Principal?) async throws -> (skill: SkillRecord, created: Bool) {
        try await write { conn in
            let created = try await Self.upsertSkill(skill, consortium: consortium, conn: conn, logger: logger)
            try await conn.audit(who, consortium: consortium, action: created ? "create" : "update", resource: "skill",
                                 id: skill.id, logger: logger)
            return (skill, created)
        }
    }

    static func upsertSkill(_ skill: SkillRecord, consortium: UUID, conn: PostgresConnection, logger: Logger) async throws -> Bool {
        // xmax is 0 only for a row this statement inserted, so it tells an insert from an update in one round trip.
        let rows = try await conn.query("""
            INSERT INTO skills (consortium_id, id, name) VALUES (\(consortium), \(skill.id), \(skill.name))
            ON CONFLICT (consortium_id, id) DO UPDATE SET name = EXCLUDED.name
            RETURNING (xmax = 0)
            """, logger: logger).decode(Bool.self)
        return try await rows.first(where: { _ in true }) ?? false
    }

    /// The catalogue in id order.
    public func skills(consortium: UUID) async throws -> [SkillRecord] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT id, name FROM skills WHERE consortium_id = \(consortium) ORDER BY id
                """, logger: logger)
            var out: [SkillRecord] = []
            for try await (id, name) in rows.decode((String, String).self) { out.append(SkillRecord(id: id, name: name)) }
            return out
        }
    }

    /// Removes a skill from the catalogue; conflict while a post requires it or a staff member holds it.
    public func deleteSkill(_ id: String, consortium: UUID, by who: Principal) async throws {
        try await write { conn in
            let found = try await conn.query("""
                SELECT id FROM skills WHERE consortium_id = \(consortium) AND id = \(id) FOR UPDATE
                """, logger: logger).decode(String.self)
            guard try await found.first(where: { _ in true }) != nil else { throw StoreError.notFound("skill not found") }
            let uses = try await conn.query("""
                SELECT (SELECT count(*) FROM post_requirements WHERE consortium_id = \(consortium) AND skill_id = \(id))::int,
                       (SELECT count(*) FROM staff_skills WHERE consortium_id = \(consortium) AND skill_id = \(id))::int
                """, logger: logger).decode((Int, Int).self)
            if let (posts, staff) = try await uses.first(where: { _ in true }), posts + staff > 0 {
                throw StoreError.conflict("the skill is still used by \(posts) post(s) and \(staff) staff member(s)")
            }
            try await conn.query("DELETE FROM skills WHERE consortium_id = \(consortium) AND id = \(id)", logger: logger)
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "skill", id: id, logger: logger)
        }
    }

    /// The ids among `ids` that are not in the catalogue, sorted.
    static func unknownSkills(_ ids: some Collection<String>, consortium: UUID, conn: PostgresConnection,
                              logger: Logger) async throws -> [String] {
        guard !ids.isEmpty else { return [] }
        let wanted = Array(ids)
        let rows = try await conn.query("""
            SELECT id FROM skills WHERE consortium_id = \(consortium) AND id = ANY(\(wanted))
            """, logger: logger)
        var known = Set<String>()
        for try await id in rows.decode(String.self) { known.insert(id) }
        return Set(wanted).subtracting(known).sorted()
    }
}
