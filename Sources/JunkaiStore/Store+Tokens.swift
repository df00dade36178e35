import Crypto
import Foundation
import JunkaiCore
import PostgresNIO

/// Opaque bearer secrets: 256 random bits, shown once, stored as SHA-256.
public enum Secret {
    /// A new random secret with the given prefix, URL-safe.
    public static func generate(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let b64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + b64
    }

    /// The stored form of a secret (binds as `bytea`; a `[UInt8]` would bind as `char[]`).
    public static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }
}

extension Store {
    public struct IssuedToken: Sendable, Codable {
        public var id: UUID
        public var token: String
        public var role: Principal.Role
    }

    /// Issues a token; the plain secret is returned once and never stored.
    public func issueToken(role: Principal.Role, consortium: UUID?, municipality: String?, staff: UUID?,
                           label: String?, by issuer: Principal?) async throws -> IssuedToken {
        let secret = Secret.generate(prefix: "jk_")
        let hash = Secret.hash(secret)
        return try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO tokens (token_hash, role, consortium_id, municipality_code, staff_id, label)
                VALUES (\(hash), \(role.rawValue), \(consortium), \(municipality), \(staff), \(label))
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.conflict("token not created")
            }
            try await conn.audit(issuer, consortium: consortium, action: "issue", resource: "token", id: id.uuidString,
                                 detail: "{\"role\": \"\(role.rawValue)\"}", logger: logger)
            return IssuedToken(id: id, token: secret, role: role)
        }
    }

    /// Revokes a token of a consortium: 404 when it is not one (or is already revoked), 403 when the caller may
    /// see it but not revoke it (a coordinator may revoke only municipality and staff tokens).
    public func revokeToken(_ id: UUID, consortium: UUID, by who: Principal) async throws {
        let allowed: [String] = who.role == .admin ? ["coordinator", "municipality", "staff"] : ["municipality", "staff"]
        try await transaction { conn in
            let rows = try await conn.query("""
                WITH target AS (
                    SELECT id, role FROM tokens
                    WHERE id = \(id) AND consortium_id = \(consortium) AND revoked_at IS NULL
                    FOR UPDATE
                ), revoked AS (
                    UPDATE tokens SET revoked_at = now()
                    FROM target WHERE tokens.id = target.id AND target.role = ANY(\(allowed))
                    RETURNING tokens.id
                )
                SELECT target.role, EXISTS (SELECT 1 FROM revoked) FROM target
                """, logger: logger)
            guard let (role, done) = try await rows.decode((String, Bool).self).first(where: { _ in true }) else {
                throw StoreError.notFound("token not found")
            }
            guard done else { throw StoreError.forbidden("a coordinator may not revoke \(Wording.a(role)) token") }
            try await conn.audit(who, consortium: consortium, action: "revoke", resource: "token", id: id.uuidString,
                                 detail: "{\"role\": \"\(role)\"}", logger: logger)
        }
    }

    /// The principal behind a token's SHA-256, or nil when unknown or revoked.
    public func principal(forTokenHash hash: Data) async throws -> Principal? {
        try await mappingStoreErrors {
            for try await (id, role, cid, code, staff) in try await client.execute(TokenLookupStatement(tokenHash: hash),
                                                                                  logger: logger) {
                guard let r = Principal.Role(rawValue: role) else { return nil }
                return Principal(tokenId: id, role: r, consortiumId: cid, municipalityCode: code, staffId: staff)
            }
            return nil
        }
    }
}

// Every request that is not answered from the read cache starts with this look-up: prepared once per connection.
struct TokenLookupStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT id, role, consortium_id, municipality_code, staff_id
        FROM tokens WHERE token_hash = $1 AND revoked_at IS NULL
        """
    typealias Row = (UUID, String, UUID?, String?, UUID?)

    var tokenHash: Data

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 1)
        try b.append(tokenHash)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
