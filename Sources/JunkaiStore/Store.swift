import Foundation
import JunkaiCore
import Logging
import PostgresNIO

/// The PostgreSQL-backed repositories. Each resource's queries live in a `Store+Resource.swift` extension.
public struct Store: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `body` in one transaction and maps constraint failures to `StoreError`.
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await PoolMetrics.measure {
                try await client.withTransaction(logger: logger) { conn in try await body(conn) }
            }
        } catch {
            throw StoreError.from(error) ?? error
        }
    }

    /// Runs one or more statements on a pooled connection and maps constraint failures to `StoreError`.
    public func connection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await PoolMetrics.measure { try await client.withConnection { conn in try await body(conn) } }
        } catch {
            throw StoreError.from(error) ?? error
        }
    }
}

/// The caller behind a token, as the store needs it for scoping.
public struct Principal: Sendable, Hashable {
    public enum Role: String, Sendable, Codable, CaseIterable { case admin, coordinator, municipality, staff }
    public var tokenId: UUID
    public var role: Role
    public var consortiumId: UUID?
    public var municipalityCode: String?
    public var staffId: UUID?

    public init(tokenId: UUID, role: Role, consortiumId: UUID?, municipalityCode: String?, staffId: UUID?) {
        self.tokenId = tokenId
        self.role = role
        self.consortiumId = consortiumId
        self.municipalityCode = municipalityCode
        self.staffId = staffId
    }
}

extension PostgresConnection {
    /// Appends one audit row (ids and action only, never personal data) inside the caller's transaction.
    public func audit(_ who: Principal?, consortium: UUID?, action: String, resource: String, id: String?,
                      detail: String = "{}", logger: Logger) async throws {
        try await query("""
            INSERT INTO audit_log (consortium_id, token_id, role, action, resource, resource_id, detail)
            VALUES (\(consortium), \(who?.tokenId), \(who?.role.rawValue ?? "system"), \(action), \(resource), \(id),
                    \(detail)::jsonb)
            """, logger: logger)
    }
}
