import JunkaiCore
import PostgresNIO

/// How many solve jobs of every server are in each status.
public struct SolveJobCounts: Sendable {
    public static let statuses = SolveJobStatus.allCases.map(\.rawValue)
    public var byStatus: [String: Int]
}

/// The shared solve queue as any server sees it in the database.
public struct SolveQueueView: Sendable, Codable, Equatable {
    public var queued: Int
    public var running: Int
    /// Workers (server processes) running a job whose heartbeat is fresh.
    public var activeWorkers: Int
}

extension Store {
    /// Queued and running jobs of every server, and how many workers hold a running job with a fresh heartbeat.
    public func solveQueueView() async throws -> SolveQueueView {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT count(*) FILTER (WHERE status = \(SolveJobStatus.queued.rawValue))::int8,
                       count(*) FILTER (WHERE status = \(SolveJobStatus.running.rawValue))::int8,
                       count(DISTINCT worker) FILTER (WHERE status = \(SolveJobStatus.running.rawValue)
                           AND heartbeat_at > now() - make_interval(secs => \(Self.staleAfterSeconds)))::int8
                FROM solve_jobs WHERE status = ANY(\([SolveJobStatus.queued.rawValue, SolveJobStatus.running.rawValue]))
                """, logger: logger)
            let (q, r, w) = try await rows.decode((Int, Int, Int).self).first(where: { _ in true }) ?? (0, 0, 0)
            return SolveQueueView(queued: q, running: r, activeWorkers: w)
        }
    }

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
