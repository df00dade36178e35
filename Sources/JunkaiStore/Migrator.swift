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

        public var description: String {
            switch self {
            case .directoryMissing(let p): return "migrations folder not found: \(p)"
            case .badFileName(let f): return "migration file name must be NNNN_name.sql: \(f)"
            case .duplicateVersion(let v): return "two migration files have version \(v)"
            case .edited(let v, let n):
                return "migration \(String(format: "%04d", v))_\(n).sql was edited after it was applied; add a new migration instead"
            case .unknownApplied(let v): return "the database has migration \(v) applied, but no such file exists"
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

    /// The default folder: `JUNKAI_MIGRATIONS`, else `Database/migrations` under the working directory or above the binary.
    public static func defaultDirectory() -> String {
        if let env = ProcessInfo.processInfo.environment["JUNKAI_MIGRATIONS"] { return env }
        let local = FileManager.default.currentDirectoryPath + "/Database/migrations"
        if FileManager.default.fileExists(atPath: local) { return local }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<5 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Database/migrations").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return local
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
            try await conn.withTransaction(logger: logger) { tx in
                try await tx.query(PostgresQuery(unsafeSQL: m.sql), logger: logger)
                try await tx.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(m.version), \(m.name), \(m.checksum))
                    """, logger: logger)
            }
            logger.info("applied migration", metadata: ["version": "\(m.version)", "name": "\(m.name)"])
            done.append(m.version)
        }
        return done
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
