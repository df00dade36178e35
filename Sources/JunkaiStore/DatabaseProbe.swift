import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The database could not be reached: said once, plainly, instead of a stream of pool retries.
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var reason: String
    public var description: String { "cannot connect to PostgreSQL at \(host):\(port): \(reason)" }
}

/// One connection attempt before anything else runs, so that a wrong `DATABASE_URL`, a stopped server or a
/// refused password is reported within `timeout` with its reason.
public enum DatabaseProbe {
    /// Connects once and runs `SELECT 1`; throws `DatabaseUnreachable` naming the host, port and reason.
    public static func check(_ url: DatabaseURL, timeout: TimeAmount = .seconds(10), logger: Logger) async throws {
        var configuration = url.connectionConfiguration
        configuration.options.connectTimeout = timeout
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            do {
                try await connection.query("SELECT 1", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            throw DatabaseUnreachable(host: url.host, port: url.port, reason: reason(error, timeout: timeout))
        }
    }

    /// A short reason a person can act on, from the driver's error.
    static func reason(_ error: any Error, timeout: TimeAmount) -> String {
        if let p = error as? PSQLError {
            if let message = p.serverInfo?[.message] { return message }
            if let underlying = p.underlying { return reason(underlying, timeout: timeout) }
            if p.code == .serverClosedConnection { return "the connection was closed before PostgreSQL answered" }
            if p.code == .connectionError { return "no connection could be made" }
            return "\(p.code)"
        }
        let text = String(describing: error)
        if text.contains("Connection refused") { return "connection refused (is PostgreSQL running and listening there?)" }
        if text.lowercased().contains("timed out") || text.contains("connectTimeout") {
            return "no answer within \(timeout.nanoseconds / 1_000_000_000) s"
        }
        if text.contains("getaddrinfo") || text.contains("resolve") || text.contains("NXDOMAIN") { return "host not found" }
        return String(text.prefix(200))
    }
}
