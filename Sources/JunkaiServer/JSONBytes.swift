import JunkaiCore
import NIOCore

/// JSON written straight into a buffer, byte for byte as `AppRequestContext.encoder` writes it (sorted keys, slashes
/// as they are), for the large answers where Foundation's encoder took most of the time. Callers write their keys in
/// sorted order; tests compare each such answer with the encoder's.
enum JSONBytes {
    /// A JSON string: `"` and `\` escaped, control characters as `\b \t \n \f \r` or `\u00xx`, everything else as is.
    static func appendString(_ s: String, to out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "\""))
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.writeString(s)
        } else {
            for byte in s.utf8 {
                switch byte {
                case 0x22: out.writeStaticString("\\\"")
                case 0x5C: out.writeStaticString("\\\\")
                case 0x08: out.writeStaticString("\\b")
                case 0x09: out.writeStaticString("\\t")
                case 0x0A: out.writeStaticString("\\n")
                case 0x0C: out.writeStaticString("\\f")
                case 0x0D: out.writeStaticString("\\r")
                case ..<0x20:
                    out.writeStaticString("\\u00")
                    out.writeInteger(hexDigits[Int(byte >> 4)])
                    out.writeInteger(hexDigits[Int(byte & 0x0F)])
                default: out.writeInteger(byte)
                }
            }
        }
        out.writeInteger(UInt8(ascii: "\""))
    }

    /// A JSON integer (up to 15 digits it is a small string: no allocation).
    static func appendInt(_ n: Int, to out: inout ByteBuffer) {
        out.writeString(String(n))
    }

    /// `"key":` for one of the program's own keys (ASCII, nothing to escape).
    static func appendKey(_ key: StaticString, to out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "\""))
        out.writeStaticString(key)
        out.writeStaticString("\":")
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
