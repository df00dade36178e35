import Foundation
import JunkaiCore
import PostgresNIO

/// A sign-in link as its page describes it before it is used.
public struct SignInLinkInfo: Sendable, Equatable {
    public var role: Principal.Role
    public var consortiumName: String
    /// The municipality's or staff member's name; nil for a coordinator link.
    public var subjectName: String?
    public var expiresAt: Date
}

/// Why a sign-in link cannot sign anyone in.
public enum SignInLinkError: Error, Sendable, Equatable {
    /// No link has this secret (or its person was removed).
    case unknown
    /// The link has already signed someone in.
    case used
    /// The link is older than its 7 days.
    case expired
}

/// A browser session resolved from its cookie.
public struct WebSessionRecord: Sendable, Equatable {
    public var id: UUID
    public var principal: Principal
}

extension Store {
    /// How long a sign-in link stays valid.
    public static let signInLinkLifetime: TimeInterval = 7 * 24 * 3600
    /// A session ends after this long without a request.
    public static let sessionIdleLimit: TimeInterval = 12 * 3600
    /// `last_used_at` is written at most this often per session, so a page view is usually a read alone.
    static let sessionTouchInterval: TimeInterval = 60

    /// Issues a single-use sign-in link for a person of the consortium; the secret is returned once, never stored.
    public func issueSignInLink(consortium: UUID, role: Principal.Role, municipality: String?, staff: UUID?,
                                by who: Principal) async throws -> (id: UUID, secret: String, expiresAt: Date) {
        let secret = Secret.generate(prefix: "jks_")
        let hash = Secret.hash(secret)
        let expires = Date(timeIntervalSinceNow: Self.signInLinkLifetime)
        return try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO sign_in_links (link_hash, consortium_id, role, municipality_code, staff_id, issued_by, expires_at)
                VALUES (\(hash), \(consortium), \(role.rawValue), \(municipality), \(staff), \(who.tokenId), \(expires))
                RETURNING id, expires_at
                """, logger: logger)
            guard let (id, at) = try await rows.decode((UUID, Date).self).first(where: { _ in true }) else {
                throw StoreError.conflict("sign-in link not created")
            }
            try await conn.audit(who, consortium: consortium, action: "issue", resource: "sign-in-link", id: id.uuidString,
                                 detail: "{\"role\": \"\(role.rawValue)\"}", logger: logger)
            return (id, secret, at)
        }
    }

    /// What an unused, unexpired link would sign in as; throws `SignInLinkError` otherwise.
    public func signInLink(secretHash hash: Data) async throws -> SignInLinkInfo {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT l.role, c.name, coalesce(m.name, s.name), l.expires_at, l.used_at IS NOT NULL, l.expires_at <= now()
                FROM sign_in_links l
                JOIN consortia c ON c.id = l.consortium_id
                LEFT JOIN municipalities m ON m.consortium_id = l.consortium_id AND m.code = l.municipality_code
                LEFT JOIN staff s ON s.id = l.staff_id
                WHERE l.link_hash = \(hash)
                """, logger: logger)
            guard let (role, consortium, subject, expires, used, expired) = try await rows
                .decode((String, String, String?, Date, Bool, Bool).self).first(where: { _ in true }),
                let r = Principal.Role(rawValue: role) else { throw SignInLinkError.unknown }
            if used { throw SignInLinkError.used }
            if expired { throw SignInLinkError.expired }
            return SignInLinkInfo(role: r, consortiumName: consortium, subjectName: subject, expiresAt: expires)
        }
    }

    /// Uses a link: marks it used, mints the session's own token and opens a session, all in one transaction.
    /// Returns the session cookie's secret (never stored) and the principal. Throws `SignInLinkError`.
    public func signIn(linkHash hash: Data) async throws -> (sessionSecret: String, principal: Principal) {
        try await write { conn in
            try await Self.sweepIdleSessions(conn, logger: logger)
            let claimed = try await conn.query("""
                UPDATE sign_in_links SET used_at = now()
                WHERE link_hash = \(hash) AND used_at IS NULL AND expires_at > now()
                RETURNING id, role, consortium_id, municipality_code, staff_id
                """, logger: logger)
            guard let (linkId, role, cid, code, staff) = try await claimed
                .decode((UUID, String, UUID, String?, UUID?).self).first(where: { _ in true }),
                let r = Principal.Role(rawValue: role) else {
                let why = try await conn.query("""
                    SELECT used_at IS NOT NULL FROM sign_in_links WHERE link_hash = \(hash)
                    """, logger: logger)
                guard let used = try await why.decode(Bool.self).first(where: { _ in true }) else { throw SignInLinkError.unknown }
                throw used ? SignInLinkError.used : SignInLinkError.expired
            }
            // The session's own credential: its secret is thrown away, so only the session can act with it.
            let minted = try await conn.query("""
                INSERT INTO tokens (token_hash, role, consortium_id, municipality_code, staff_id, label)
                VALUES (\(Secret.hash(Secret.generate(prefix: "jk_"))), \(role), \(cid), \(code), \(staff), 'web: sign-in link')
                RETURNING id
                """, logger: logger)
            guard let tokenId = try await minted.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.conflict("session not created")
            }
            let principal = Principal(tokenId: tokenId, role: r, consortiumId: cid, municipalityCode: code, staffId: staff)
            let secret = try await Self.openSession(conn, token: tokenId, ownToken: true, logger: logger)
            try await conn.audit(principal, consortium: cid, action: "sign-in", resource: "sign-in-link", id: linkId.uuidString,
                                 logger: logger)
            return (secret, principal)
        }
    }

    /// Opens a session for a live API token (a pasted one); nil when the token is unknown or revoked.
    public func signIn(tokenHash hash: Data) async throws -> (sessionSecret: String, principal: Principal)? {
        guard let principal = try await principal(forTokenHash: hash) else { return nil }
        return try await transaction { conn in
            try await Self.sweepIdleSessions(conn, logger: logger)
            let secret = try await Self.openSession(conn, token: principal.tokenId, ownToken: false, logger: logger)
            try await conn.audit(principal, consortium: principal.consortiumId, action: "sign-in", resource: "token",
                                 id: principal.tokenId.uuidString, logger: logger)
            return (secret, principal)
        }
    }

    static func openSession(_ conn: PostgresConnection, token: UUID, ownToken: Bool, logger: Logger) async throws -> String {
        let secret = Secret.generate(prefix: "")
        try await conn.query("""
            INSERT INTO web_sessions (session_hash, token_id, own_token)
            VALUES (\(Secret.hash(secret)), \(token), \(ownToken))
            """, logger: logger)
        return secret
    }

    /// Ends sessions idle beyond the limit, revoking the tokens minted for them.
    static func sweepIdleSessions(_ conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            WITH gone AS (
                DELETE FROM web_sessions WHERE last_used_at < now() - make_interval(secs => \(sessionIdleLimit))
                RETURNING token_id, own_token)
            UPDATE tokens SET revoked_at = now()
            WHERE id IN (SELECT token_id FROM gone WHERE own_token) AND revoked_at IS NULL
            """, logger: logger)
    }

    /// The live session behind a cookie's hash, or nil when unknown, idle for 12 hours or its token is revoked.
    public func webSession(hash: Data) async throws -> WebSessionRecord? {
        try await mappingStoreErrors {
            let rows = try await client.query("""
                SELECT s.id, t.id, t.role, t.consortium_id, t.municipality_code, t.staff_id,
                       s.last_used_at < now() - make_interval(secs => \(Self.sessionTouchInterval))
                FROM web_sessions s JOIN tokens t ON t.id = s.token_id
                WHERE s.session_hash = \(hash) AND t.revoked_at IS NULL
                  AND s.last_used_at >= now() - make_interval(secs => \(Self.sessionIdleLimit))
                """, logger: logger)
            guard let (sid, tid, role, cid, code, staff, stale) = try await rows
                .decode((UUID, UUID, String, UUID?, String?, UUID?, Bool).self).first(where: { _ in true }),
                let r = Principal.Role(rawValue: role) else { return nil }
            if stale {
                try await client.query("UPDATE web_sessions SET last_used_at = now() WHERE id = \(sid)", logger: logger)
            }
            return WebSessionRecord(id: sid, principal: Principal(tokenId: tid, role: r, consortiumId: cid,
                                                                  municipalityCode: code, staffId: staff))
        }
    }

    /// Ends a session (サインアウト); a token minted for it is revoked with it. Unknown sessions are ignored.
    public func endWebSession(hash: Data) async throws {
        try await transaction { conn in
            let rows = try await conn.query("""
                DELETE FROM web_sessions WHERE session_hash = \(hash) RETURNING id, token_id, own_token
                """, logger: logger)
            guard let (sid, token, own) = try await rows.decode((UUID, UUID, Bool).self).first(where: { _ in true }) else { return }
            let who = try await conn.query("""
                SELECT role, consortium_id, municipality_code, staff_id FROM tokens WHERE id = \(token)
                """, logger: logger)
            let principal = try await who.decode((String, UUID?, String?, UUID?).self).first(where: { _ in true }).flatMap { row in
                Principal.Role(rawValue: row.0).map {
                    Principal(tokenId: token, role: $0, consortiumId: row.1, municipalityCode: row.2, staffId: row.3)
                }
            }
            if own {
                try await conn.query("UPDATE tokens SET revoked_at = now() WHERE id = \(token) AND revoked_at IS NULL",
                                     logger: logger)
            }
            try await conn.audit(principal, consortium: principal?.consortiumId, action: "sign-out", resource: "web-session",
                                 id: sid.uuidString, logger: logger)
        }
    }
}
