#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A plain TCP exchange with a live test server: for requests an HTTP client library will not send as they
/// are (oversized headers, truncated bodies) and for reading exactly what comes back.
enum RawSocket {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// What came back on a connection, and whether the server closed it (rather than the wait running out).
    struct Answer {
        var text: String
        var closedByServer: Bool
        var seconds: Double
    }

    /// Connects to 127.0.0.1:`port`, sends `request` (ignoring a send cut short by the server), and returns
    /// everything received until the server closes or `timeout` seconds pass.
    static func exchange(port: Int, _ request: [UInt8], timeout: Double = 5) throws -> String {
        try converse(port: port, [request], timeout: timeout).text
    }

    /// Sends `pieces` one after another, `pause` seconds apart, writing each whole before reading (as urllib
    /// does), then reads until the server closes or `timeout` seconds pass without data.
    static func converse(port: Int, _ pieces: [[UInt8]], pause: Double = 0, timeout: Double = 5) throws -> Answer {
        let started = Date()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect() to port \(port) failed") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        // A server that stops reading must not hang the test in send().
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        sending: for (i, request) in pieces.enumerated() {
            if i > 0, pause > 0 { Thread.sleep(forTimeInterval: pause) }
            var sent = 0
            while sent < request.count {
                let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break sending }  // the server stopped reading: what it answered is still there to read
                sent += n
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { closed = true; break }
            if n < 0 { closed = errno == ECONNRESET; break }
            received += buffer[0..<n]
        }
        return Answer(text: String(decoding: received, as: UTF8.self), closedByServer: closed,
                      seconds: Date().timeIntervalSince(started))
    }
}
