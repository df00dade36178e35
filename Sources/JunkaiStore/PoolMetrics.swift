import Metrics

/// The pool as this process uses it: connections held right now and how long each use lasts, the wait for a free
/// connection included (PostgresNIO keeps its own pool statistics private).
enum PoolMetrics {
    static let inUse = Meter(label: "junkai_db_connections_in_use")
    static let use = Timer(label: "junkai_db_connection_use", dimensions: [], preferredDisplayUnit: .seconds)
    static let failures = Counter(label: "junkai_db_errors_total")

    /// Runs `body` counted as one use of a pooled connection.
    static func measure<T>(_ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        inUse.increment()
        defer {
            inUse.decrement()
            use.record(duration: ContinuousClock.now - start)
        }
        do { return try await body() } catch {
            failures.increment()
            throw error
        }
    }
}
