import Foundation
import Hummingbird
import HummingbirdTesting
import JunkaiServer
import Testing

/// Oversized and slow bodies over a real connection: answered at once, the connection closed, no worker held.
@Suite("Body limits", .needsDatabase, .serialized)
struct BodyLimitTests {
    static let twoMiB = [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)

    /// A live server; the slow-body tests shorten its body timeout to a second.
    func withLiveServer(bodyTimeout: Duration = .seconds(20),
                        _ body: @Sendable (Int, any TestClientProtocol) async throws -> Void) async throws {
        var config = AppConfig(port: 0, database: TestDatabase.url, migrateOnStart: true, runSolveWorker: false)
        config.bodyTimeout = bodyTimeout
        let app = try await buildApplication(config, logger: TestDatabase.logger)
        try await app.test(.live) { client in
            try await body(try #require(client.port), client)
        }
    }

    static func head(_ lines: [String]) -> [UInt8] {
        Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    @Test("a body announced over 1 MiB gets 413 problem+json at once and the connection closes, with or without Connection: close")
    func announcedTooLarge() async throws {
        try await withLiveServer { port, client in
            for close in [true, false] {
                var lines = ["POST /v1/consortia HTTP/1.1", "Host: junkai.test", "Content-Type: application/json",
                             "Content-Length: \(Self.twoMiB.count)"]
                if close { lines.append("Connection: close") }
                let answer = try RawSocket.converse(port: port, [Self.head(lines), Self.twoMiB], timeout: 10)
                #expect(answer.text.hasPrefix("HTTP/1.1 413 "), "\(answer.text.prefix(80))")
                #expect(answer.text.contains("application/problem+json"))
                #expect(answer.text.contains(#""status":413"#))
                #expect(answer.closedByServer, "the server closes the connection (Connection: close \(close))")
                #expect(answer.seconds < 8, "answered without waiting for a timeout")
            }
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test("a chunked body that grows past 1 MiB is cut with 413 and the connection closes")
    func chunkedTooLarge() async throws {
        let admin = try await adminToken()
        try await withLiveServer { port, _ in
            let lines = ["POST /v1/consortia HTTP/1.1", "Host: junkai.test", "Content-Type: application/json",
                         "Authorization: Bearer \(admin)", "Transfer-Encoding: chunked", "Connection: close"]
            var chunks: [UInt8] = []
            for _ in 0..<32 {
                chunks += Array("10000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 0x10000) + Array("\r\n".utf8)
            }
            chunks += Array("0\r\n\r\n".utf8)
            let answer = try RawSocket.converse(port: port, [Self.head(lines), chunks], timeout: 10)
            #expect(answer.text.hasPrefix("HTTP/1.1 413 "), "\(answer.text.prefix(80))")
            #expect(answer.text.lowercased().contains("connection: close"))
            #expect(answer.closedByServer)
        }
    }

    @Test("a body that stops half-way, or drips slower than the limit allows, gets 408 and the connection closes")
    func slowBodies() async throws {
        let admin = try await adminToken()
        try await withLiveServer(bodyTimeout: .seconds(1)) { port, client in
            // With a token, so that the handler waits for the body (without one it answers 401 at once).
            let lines = ["POST /v1/consortia HTTP/1.1", "Host: junkai.test", "Content-Type: application/json",
                         "Authorization: Bearer \(admin)", "Content-Length: 1000"]
            let stopped = try RawSocket.converse(port: port, [Self.head(lines) + Array(#"{"name":"#.utf8)], timeout: 10)
            #expect(stopped.text.hasPrefix("HTTP/1.1 408 "), "\(stopped.text.prefix(80))")
            #expect(stopped.text.contains("application/problem+json"))
            #expect(stopped.closedByServer)

            let drip = (0..<8).map { _ in Array("          ".utf8) }
            let slow = try RawSocket.converse(port: port, [Self.head(lines)] + drip, pause: 0.3, timeout: 10)
            #expect(slow.text.hasPrefix("HTTP/1.1 408 "), "\(slow.text.prefix(80))")
            #expect(slow.closedByServer)
            // No worker is left waiting on those bodies: the server answers at once.
            try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test("a body within the limit that arrives in time is served as before")
    func normalBody() async throws {
        try await withLiveServer { port, _ in
            let body = Array(#"{"name": 1}"#.utf8)
            let lines = ["POST /v1/consortia HTTP/1.1", "Host: junkai.test", "Content-Type: application/json",
                         "Content-Length: \(body.count)", "Connection: close"]
            let answer = try RawSocket.converse(port: port, [Self.head(lines), body], timeout: 10)
            #expect(answer.text.hasPrefix("HTTP/1.1 401 "), "no token: the body was read and the request judged")
            #expect(answer.closedByServer)
        }
    }
}
