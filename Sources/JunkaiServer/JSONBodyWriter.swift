import NIOCore

/// JSON written straight into a buffer, byte for byte as `AppRequestContext.encoder` writes it (sorted keys, slashes
/// as they are), for the large, flat answers where Foundation's encoder took most of the time (schedules, the
/// delivery report). Callers write their keys in sorted order; tests compare each such answer with the encoder's.
struct JSONBodyWriter {
    var buffer: ByteBuffer

    init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    /// Punctuation and the program's own keys (ASCII, nothing to escape).
    mutating func raw(_ s: StaticString) { buffer.writeStaticString(s) }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`, the rest as UTF-8.
    mutating func string(_ s: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            buffer.writeString(s)
        } else {
            for byte in s.utf8 {
                switch byte {
                case 0x22: buffer.writeStaticString("\\\"")
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0C: buffer.writeStaticString("\\f")
                case 0x0D: buffer.writeStaticString("\\r")
                case ..<0x20:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                    buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
                default: buffer.writeInteger(byte)
                }
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// A JSON string, or null.
    mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    /// A JSON integer (up to 15 digits it is a small string: no allocation).
    mutating func int(_ n: Int) { buffer.writeString(String(n)) }

    /// A finite number in Swift's shortest round-trip form, whole numbers without ".0" (as the encoder writes
    /// them); non-finite numbers as null.
    mutating func number(_ x: Double) {
        if !x.isFinite {
            buffer.writeStaticString("null")
        } else if x == x.rounded(), abs(x) < 9.0e15 {
            int(Int(x))
        } else {
            buffer.writeString(x.description)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
