import Crypto
import Foundation
import Logging
import PostgresNIO

/// Applies `Database/migrations/NNNN_name.sql` in order, each once, recording a SHA-256 of its text.
public struct Migrator: Sendable {
    public struct Migration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var sql: String
        public var checksum: String
    }

    public enum Problem: Error, CustomStringConvertible {
        case directoryMissing(String)
        case badFileName(String)
        case duplicateVersion(Int)
        case edited(version: Int, name: String)
        case unknownApplied(version: Int)
        case failed(version: Int, name: String, message: String)

        public var description: String {
            switch self {
            case .directoryMissing(let p): return "migrations folder not found: \(p)"
            case .badFileName(let f): return "migration file name must be NNNN_name.sql: \(f)"
            case .duplicateVersion(let v): return "two migration files have version \(v)"
            case .edited(let v, let n):
                return "migration \(String(format: "%04d", v))_\(n).sql was edited after it was applied; add a new migration instead"
            case .unknownApplied(let v): return "the database has migration \(v) applied, but no such file exists"
            case .failed(let v, let n, let message):
                return "migration \(String(format: "%04d", v))_\(n).sql failed and was rolled back: \(message)"
            }
        }
    }

    public let migrations: [Migration]

    /// Reads every `NNNN_name.sql` file of a folder, sorted by version.
    public init(directory: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw Problem.directoryMissing(directory)
        }
        var found: [Migration] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"),
                  stem.distance(from: stem.startIndex, to: underscore) == 4,
                  let version = Int(stem[..<underscore]) else { throw Problem.badFileName(file) }
            let sql = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            found.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]),
                                   sql: sql, checksum: Self.checksum(sql)))
        }
        found.sort { $0.version < $1.version }
        for (a, b) in zip(found, found.dropFirst()) where a.version == b.version { throw Problem.duplicateVersion(a.version) }
        migrations = found
    }

    /// The default folder: `JUNKAI_MIGRATIONS` when set, else the copy of `Database/migrations` built into the
    /// binary's resources, so `junkai migrate` works from any folder.
    public static func defaultDirectory() -> String {
        if let env = ProcessInfo.processInfo.environment["JUNKAI_MIGRATIONS"], !env.isEmpty { return env }
        return bundledDirectory()
    }

    /// Where the build put its copy of `Database/migrations` (the resource bundle beside the binary).
    public static func bundledDirectory() -> String {
        Bundle.module.bundleURL.path
    }

    static func checksum(_ sql: String) -> String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Applies what is pending, each file in its own transaction; returns the versions applied.
    @discardableResult
    public func migrate(client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withConnection { conn in
            // One migrator at a time across processes.
            try await conn.query("SELECT pg_advisory_lock(74731)", logger: logger)
            do {
                let applied = try await apply(conn: conn, logger: logger)
                try await conn.query("SELECT pg_advisory_unlock(74731)", logger: logger)
                return applied
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(74731)", logger: logger)
                throw error
            }
        }
    }

    private func apply(conn: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await conn.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    int PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let recorded = try await self.recorded(conn: conn, logger: logger)
        try check(recorded: recorded)
        var done: [Int] = []
        for m in migrations where recorded[m.version] == nil {
            do {
                try await applyOne(m, conn: conn, logger: logger)
            } catch {
                throw Problem.failed(version: m.version, name: m.name, message: serverMessage(error))
            }
            logger.info("applied migration", metadata: ["version": "\(m.version)", "name": "\(m.name)"])
            done.append(m.version)
        }
        return done
    }

    private func applyOne(_ m: Migration, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.withTransaction(logger: logger) { tx in
            // PostgresNIO speaks only the extended protocol, which takes one statement at a time.
            for statement in Migrator.statements(m.sql) {
                try await tx.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await tx.query("""
                INSERT INTO schema_migrations (version, name, checksum)
                VALUES (\(m.version), \(m.name), \(m.checksum))
                """, logger: logger)
        }
    }

    /// Splits a SQL script at top-level semicolons, respecting quotes, dollar quotes and comments.
    static func statements(_ sql: String) -> [String] {
        let c = Array(sql.unicodeScalars)
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            let s = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty { out.append(s) }
            current = String.UnicodeScalarView()
        }
        while i < c.count {
            let ch = c[i]
            if ch == "-", i + 1 < c.count, c[i + 1] == "-" {
                while i < c.count, c[i] != "\n" { i += 1 }
                continue
            }
            if ch == "/", i + 1 < c.count, c[i + 1] == "*" {
                i += 2
                while i + 1 < c.count, !(c[i] == "*" && c[i + 1] == "/") { i += 1 }
                i += 2
                continue
            }
            if ch == "'" || ch == "\"" {
                current.append(ch); i += 1
                while i < c.count {
                    current.append(c[i])
                    if c[i] == ch { if i + 1 < c.count, c[i + 1] == ch { current.append(c[i + 1]); i += 2; continue }; i += 1; break }
                    i += 1
                }
                continue
            }
            if ch == "$" {
                var j = i + 1
                while j < c.count, c[j] == "_" || CharacterSet.alphanumerics.contains(c[j]) { j += 1 }
                if j < c.count, c[j] == "$" {
                    let tag = Array(c[i...j])
                    current.append(contentsOf: tag); i = j + 1
                    while i < c.count {
                        if c[i] == "$", i + tag.count <= c.count, Array(c[i..<(i + tag.count)]) == tag {
                            current.append(contentsOf: tag); i += tag.count; break
                        }
                        current.append(c[i]); i += 1
                    }
                    continue
                }
            }
            if ch == ";" { flush(); i += 1; continue }
            current.append(ch); i += 1
        }
        flush()
        return out
    }

    private func recorded(conn: PostgresConnection, logger: Logger) async throws -> [Int: String] {
        var out: [Int: String] = [:]
        let rows = try await conn.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) { out[version] = checksum }
        return out
    }

    private func check(recorded: [Int: String]) throws {
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, checksum) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let m = byVersion[version] else { throw Problem.unknownApplied(version: version) }
            guard m.checksum == checksum else { throw Problem.edited(version: version, name: m.name) }
        }
    }

    /// True when every file is applied with a matching checksum (what `/readyz` reports).
    public func isCurrent(client: PostgresClient, logger: Logger) async throws -> Bool {
        let recorded: [Int: String] = try await client.withConnection { conn in
            let exists = try await conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            for try await present in exists.decode(Bool.self) where !present { return [:] }
            return try await self.recorded(conn: conn, logger: logger)
        }
        return migrations.allSatisfy { recorded[$0.version] == $0.checksum } && recorded.count == migrations.count
    }
}

/// The server's own message of a PostgreSQL error (PSQLError's description hides it by design).
public func serverMessage(_ error: any Error) -> String {
    if let t = error as? PostgresTransactionError {
        return serverMessage(t.closureError ?? t.commitError ?? t.beginError ?? error)
    }
    if let p = error as? PSQLError {
        if let message = p.serverInfo?[.message] { return message }
        return "\(p.code)"
    }
    return "\(error)"
}
