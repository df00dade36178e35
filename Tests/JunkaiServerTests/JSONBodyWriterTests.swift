import Foundation
import Testing

@testable import JunkaiServer

@Suite("The JSON body writer")
struct JSONBodyWriterTests {
    @Test("strings, integers and coordinates come out byte for byte as the app's encoder writes them")
    func valuesAreTheEncoders() throws {
        let strings = ["奈良市", "a\"b\\c/d", "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f}\u{7f}", "😀\u{2028}", "", "<script>&"]
        for s in strings {
            var w = JSONBodyWriter(capacity: 16)
            w.string(s)
            #expect(Array(w.buffer.readableBytesView) == Array(try AppRequestContext.encoder.encode(s)), "\(s.debugDescription)")
        }
        for n in [0, -1, 42, Int.max, Int.min] {
            var w = JSONBodyWriter(capacity: 16)
            w.int(n)
            #expect(Array(w.buffer.readableBytesView) == Array(try AppRequestContext.encoder.encode(n)))
        }
        for x in [34.685087, 135.805, -0.5, 0, 135, -12, 139.691706, 35.689487, 0.1, 1e-5] {
            var w = JSONBodyWriter(capacity: 16)
            w.number(x)
            #expect(Array(w.buffer.readableBytesView) == Array(try AppRequestContext.encoder.encode(x)), "\(x)")
        }
        var w = JSONBodyWriter(capacity: 16)
        w.optionalString(nil)
        #expect(Array(w.buffer.readableBytesView) == Array("null".utf8))
    }
}
