import Foundation
import Hummingbird
import Testing
@testable import JunkaiServer

@Suite("Request decoding")
struct DecodingTests {
    struct Body: Decodable { var name: String; var home: Home; var levels: [Int] }
    struct Home: Decodable { var lat: Double; var lon: Double }

    @Test("a fractional number in an integer field is found by its pointer, past legitimate fractions")
    func fractionalIntegerIsPointedAt() throws {
        let json = #"{"name": "a", "home": {"lat": 34.5, "lon": 135.7}, "levels": [1, 2.5]}"#
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let pointer = Request.unrepresentableNumber(in: parsed) { _ = try JSONDecoder().decode(Body.self, from: $0) }
        #expect(pointer == "/levels/1")
    }

    @Test("a body whose numbers are all fine has no such pointer")
    func noCulpritWhenNumbersAreFine() throws {
        let json = #"{"name": "a", "home": {"lat": 34.5, "lon": 135.7}, "levels": [1, 2]}"#
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let pointer = Request.unrepresentableNumber(in: parsed) { _ = try JSONDecoder().decode(Body.self, from: $0) }
        #expect(pointer == nil)
    }
}
