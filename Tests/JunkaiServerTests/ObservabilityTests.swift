#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import HummingbirdTesting
@testable import JunkaiServer
import Logging
import Prometheus
import Testing

@Suite("Observability", .needsDatabase)
struct ObservabilityTests {
    @Test("a JSON log line holds time, level, label, message and the metadata, which cannot replace those four")
    func jsonLogLine() throws {
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        let text = JSONLogHandler.line(time: time, level: .info, label: "junkai", message: "request",
                                       metadata: ["route": "/v1/consortia/{cid}", "status": .stringConvertible(201),
                                                  "message": "forged", "tags": .array(["a", "b"])])
        #expect(!text.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "request")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "junkai")
        #expect(object["time"] as? String == "2027-01-15T08:00:00.250Z")
        #expect(object["route"] as? String == "/v1/consortia/{cid}")
        #expect(object["status"] as? String == "201")
        #expect(object["tags"] as? [String] == ["a", "b"])
    }

    @Test("metric names become Prometheus names: Hummingbird's renamed, other characters replaced")
    func prometheusNames() {
        #expect(PrometheusMetrics.prometheusName("http.route") == "http_route")
        #expect(PrometheusMetrics.prometheusName("9lives-total") == "_lives_total")
        #expect(PrometheusMetrics.prometheusName("junkai_solve_jobs") == "junkai_solve_jobs")
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetrics.factory(registry)
        factory.makeCounter(label: "hb.requests", dimensions: [("http.route", "/healthz"), ("http.response.status_code", "200")])
            .increment(by: 3)
        let text = registry.emitToString()
        #expect(text.contains(#"http_requests_total{http_route="/healthz",http_response_status_code="200"} 3"#), "\(text)")
    }

    @Test("the metrics port answers GET /metrics in the Prometheus text format, apart from the API's port")
    func metricsEndpoint() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(name: "junkai_probe_total").increment()
        var config = AppConfig(port: 0, database: TestDatabase.url, migrateOnStart: true, runSolveWorker: false)
        let metricsPort = try freePort()
        config.metrics = (metricsPort, registry)
        let app = try await buildApplication(config, logger: TestDatabase.logger)
        try await app.test(.live) { client in
            var answer = ""
            for _ in 0..<50 {
                answer = (try? RawSocket.exchange(
                    port: metricsPort, Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))) ?? ""
                if !answer.isEmpty { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer.hasPrefix("HTTP/1.1 200 "), "\(answer.prefix(80))")
            #expect(answer.contains("text/plain; version=0.0.4"))
            #expect(answer.contains("junkai_probe_total 1"))
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(r.status == .notFound, "the API port does not serve the metrics")
            }
        }
    }

    /// A port nobody listens on right now.
    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
