import JunkaiCore
import PostgresNIO

/// How many solve jobs of every server are in each status.
public struct SolveJobCounts: Sendable {
    public static let statuses = SolveJobStatus.allCases.map(\.rawValue)
    public var byStatus: [String: Int]
}

extension Store {
    /// The solve queue's jobs counted by status (for the metrics' gauges).
    public func solveJobCounts() async throws -> SolveJobCounts {
        try await connection { conn in
            var counts: [String: Int] = [:]
            let rows = try await conn.query("""
                SELECT status, count(*)::int8 FROM solve_jobs GROUP BY status
                """, logger: logger)
            for try await (status, n) in rows.decode((String, Int).self) { counts[status] = n }
            return SolveJobCounts(byStatus: counts)
        }
    }
}
