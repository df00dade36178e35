import Foundation
import JunkaiCore
import JunkaiStore
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// Counts failed authentications per client address and reports a burst once per window: a warning in the
/// log and a row in the audit trail, with the address and the count (never the token that was tried).
///
/// A single mistyped token is ordinary; many from one address in a minute is someone guessing, and the
/// operator should see it without reading every 401.
final class AuthFailureMonitor: Sendable {
    struct Window { var start: Date; var count: Int; var reported: Bool }

    let threshold: Int
    let window: TimeInterval
    /// Bounds the memory a flood of addresses can take; the table is cleared when full.
    let maxAddresses: Int
    private let windows = NIOLockedValueBox<[String: Window]>([:])

    init(threshold: Int = 10, window: TimeInterval = 60, maxAddresses: Int = 10_000) {
        self.threshold = threshold
        self.window = window
        self.maxAddresses = maxAddresses
    }

    /// Counts one failure; true exactly when this failure makes the address's window a burst.
    func count(_ address: String, now: Date = Date()) -> Bool {
        windows.withLockedValue { table in
            if table.count >= maxAddresses, table[address] == nil { table.removeAll(keepingCapacity: true) }
            var w = table[address] ?? Window(start: now, count: 0, reported: false)
            if now.timeIntervalSince(w.start) > window { w = Window(start: now, count: 0, reported: false) }
            w.count += 1
            let burst = w.count >= threshold && !w.reported
            if burst { w.reported = true }
            table[address] = w
            return burst
        }
    }

    /// Records a failed authentication from `address`; on a burst, logs it and appends an audit row.
    func record(from address: SocketAddress?, store: Store, logger: Logger) async {
        let key = address?.ipAddress ?? "unknown"
        guard count(key) else { return }
        logger.warning("authentication failures", metadata: ["address": .string(key), "failures": "\(threshold)",
                                                             "windowSeconds": "\(Int(window))"])
        let detail = #"{"address": "\#(key)", "failures": \#(threshold), "windowSeconds": \#(Int(window))}"#
        do {
            try await store.connection { conn in
                try await conn.audit(nil, consortium: nil, action: "auth-failure-burst", resource: "token", id: nil,
                                     detail: detail, logger: logger)
            }
        } catch {
            logger.error("could not record authentication failures", metadata: ["error": "\(String(reflecting: type(of: error)))"])
        }
    }
}
