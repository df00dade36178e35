import Foundation
import PostgresNIO

/// Connection settings parsed from a `postgres://user:password@host:port/database` URL.
public struct DatabaseURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public enum Problem: Error, CustomStringConvertible {
        case malformed(String)
        public var description: String {
            switch self {
            case .malformed(let why): return "DATABASE_URL: \(why)"
            }
        }
    }

    /// Parses a postgres:// or postgresql:// URL.
    public init(_ string: String) throws {
        guard let c = URLComponents(string: string), let scheme = c.scheme,
              scheme == "postgres" || scheme == "postgresql" else {
            throw Problem.malformed("expected postgres://user:password@host:port/database")
        }
        guard let host = c.host, !host.isEmpty else { throw Problem.malformed("missing host") }
        self.host = host
        self.port = c.port ?? 5432
        self.username = c.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = c.password.flatMap { $0.removingPercentEncoding }
        let db = c.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        guard !db.isEmpty else { throw Problem.malformed("missing database name") }
        self.database = db
    }

    /// The PostgresNIO client configuration (no TLS: the database is expected on a private network or loopback).
    public var clientConfiguration: PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable)
        config.options.maximumConnections = 20
        return config
    }

    /// A single connection's configuration (for the change listener, which holds its own connection).
    public var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                         database: database, tls: .disable)
    }

    /// The URL with the password hidden, for logs.
    public var description: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}
