import Foundation
import JunkaiCore
import Logging

/// Log lines as one JSON object each (`junkai serve --log-format json`), for collectors that parse them.
///
/// The fields are `time` (UTC, ISO 8601 with milliseconds), `level`, `label`, `message`, then the metadata's keys
/// (the request id, route, status …) unless they would replace one of those four. What is logged is what the text
/// format logs: ids, routes and error types, never bodies, names or tokens.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        write(Self.line(time: Date(), level: event.level, label: label, message: event.message.description,
                        metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    /// One log line's JSON text, without the newline.
    static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var object: [String: Any] = [:]
        for (key, value) in metadata { object[key] = json(value) }
        object["time"] = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        object["level"] = level.rawValue
        object["label"] = label
        object["message"] = message
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else {
            return #"{"level":"error","message":"unencodable log line"}"#
        }
        return text
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }

    /// Writes a line and its newline to standard error at once, so concurrent lines never interleave.
    public static let standardError: @Sendable (String) -> Void = { text in
        let bytes = Array((text + "\n").utf8)
        bytes.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                let n = Foundation.write(2, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}
