import Foundation
import JunkaiCore

/// Finds a repeated key inside one JSON object.
///
/// RFC 8259 leaves the meaning of duplicate names open: Foundation keeps the first, many proxies and other
/// parsers the last, so a body that means two things is refused rather than read one way.
enum JSONDuplicateKeys {
    private struct Frame {
        var isObject: Bool
        var keys: Set<String> = []
        var key: String?
        var index = 0
        var expectingKey = false
    }

    /// The JSON pointer of the first member whose key repeats an earlier key of the same object, in a text
    /// that is already known to be valid JSON; nil when every object's keys are distinct.
    static func first(in bytes: UnsafeRawBufferPointer) -> String? {
        var stack: [Frame] = []
        var i = 0
        let n = bytes.count
        while i < n {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                stack.append(Frame(isObject: true, expectingKey: true))
                i += 1
            case UInt8(ascii: "["):
                stack.append(Frame(isObject: false))
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                i += 1
            case UInt8(ascii: ","):
                if let last = stack.indices.last {
                    if stack[last].isObject { stack[last].expectingKey = true } else { stack[last].index += 1 }
                }
                i += 1
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                while j < n, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { escaped = true; j += 1 }
                    j += 1
                }
                if let last = stack.indices.last, stack[last].isObject, stack[last].expectingKey {
                    let raw = UnsafeRawBufferPointer(rebasing: bytes[(i + 1)..<min(j, n)])
                    let key = escaped ? decodeEscaped(raw) : String(decoding: raw, as: UTF8.self)
                    if !stack[last].keys.insert(key).inserted {
                        return pointer(stack.dropLast()) + "/" + escape(key)
                    }
                    stack[last].key = key
                    stack[last].expectingKey = false
                }
                i = j + 1
            default:
                i += 1
            }
        }
        return nil
    }

    static func first(in data: Data) -> String? {
        data.withUnsafeBytes { first(in: $0) }
    }

    private static func pointer(_ frames: ArraySlice<Frame>) -> String {
        frames.map { $0.isObject ? "/" + escape($0.key ?? "") : "/\($0.index)" }.joined()
    }

    static func escape(_ key: String) -> String {
        JSONPointer.token(key)
    }

    private static func decodeEscaped(_ raw: UnsafeRawBufferPointer) -> String {
        let quoted = [UInt8(ascii: "\"")] + Array(raw) + [UInt8(ascii: "\"")]
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: raw, as: UTF8.self)
    }
}
