import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// The Prometheus side of the service: one registry behind swift-metrics, served on its own port.
public enum PrometheusMetrics {
    /// Makes the registry and bootstraps swift-metrics with it; call once per process, before the app is built.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(registry))
        return registry
    }

    /// The factory: Prometheus names for Hummingbird's OpenTelemetry-style labels, buckets that fit solves.
    static func factory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[AppMetrics.solveDuration] =
            [1, 2, 5, 10, 20, 30, 60, 120, 300, 600].map { Duration.seconds($0) }
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(renamed[name] ?? name), labels.map { (prometheusName($0.0), $0.1) })
        }
        return factory
    }

    /// Hummingbird's metric names as Prometheus conventions spell them.
    static let renamed = [
        "hb.requests": "http_requests_total",
        "hb.request.errors": "http_request_errors_total",
        "http.server.request.duration": "http_server_request_duration_seconds",
        "http.server.active_requests": "http_server_active_requests",
    ]

    /// `name` with every character Prometheus does not allow in a name replaced by `_`.
    static func prometheusName(_ name: String) -> String {
        var out = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            let ok = c == "_" || c == ":" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || (i > 0 && ("0"..."9").contains(c))
            out.unicodeScalars.append(ok ? c : "_")
        }
        return out
    }

    /// A small application answering `GET /metrics` in the Prometheus text format, for a port of its own.
    static func endpoint(_ registry: PrometheusCollectorRegistry, hostname: String, port: Int,
                         logger: Logger) -> some Service {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32 << 10)
            registry.emit(into: &bytes)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        return Application(router: router,
                           configuration: .init(address: .hostname(hostname, port: port), serverName: "junkai-metrics"),
                           logger: logger)
    }
}

/// The service's own metric names, recorded through swift-metrics (a no-op until a backend is bootstrapped).
enum AppMetrics {
    static let solveDuration = "junkai_solve_duration_seconds"

    static let solves = Metrics.Timer(label: solveDuration, dimensions: [], preferredDisplayUnit: .seconds)

    /// A solve job this server's worker claimed has ended (stored, failed or handed back), after `duration`.
    static func solveRan(for duration: Duration) {
        solves.record(duration: duration)
    }
}

/// Hits and misses of one of the server's read caches.
struct CacheLookupCounters: Sendable {
    let hits: Metrics.Counter
    let misses: Metrics.Counter

    init(cache: String) {
        hits = Metrics.Counter(label: "junkai_cache_lookups_total", dimensions: [("cache", cache), ("result", "hit")])
        misses = Metrics.Counter(label: "junkai_cache_lookups_total", dimensions: [("cache", cache), ("result", "miss")])
    }
}

/// The shared queue as the database holds it (every server's jobs), read every few seconds into gauges.
struct SolveQueueGauges: Service {
    let store: Store
    let poolSize: Int
    var interval: Duration = .seconds(5)

    func run() async throws {
        let gauges = Dictionary(uniqueKeysWithValues: SolveJobCounts.statuses.map {
            ($0, Metrics.Gauge(label: "junkai_solve_jobs", dimensions: [("status", $0)]))
        })
        let gaugePool = Metrics.Gauge(label: "junkai_db_pool_max_connections")
        gaugePool.record(poolSize)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if let counts = try? await store.solveJobCounts() {
                for (status, gauge) in gauges { gauge.record(counts.byStatus[status] ?? 0) }
            }
            _ = try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }
}
