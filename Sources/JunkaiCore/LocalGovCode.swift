/// A 6-digit 全国地方公共団体コード with a valid check digit.
public struct LocalGovCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case notSixDigits
        case badCheckDigit(expected: Int)

        public var description: String {
            switch self {
            case .notSixDigits: return "must be 6 digits (全国地方公共団体コード with its check digit)"
            case .badCheckDigit(let expected): return "check digit does not match (expected \(expected))"
            }
        }
    }

    /// Validates a 6-digit code, throwing why it is not one.
    public init(validating s: String) throws(Problem) {
        let u = Array(s.utf8)
        guard u.count == 6, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .notSixDigits }
        let expected = LocalGovCode.checkDigit(forFirstFive: u[0..<5].map { Int($0 - 48) })
        guard Int(u[5] - 48) == expected else { throw .badCheckDigit(expected: expected) }
        value = s
    }

    /// Parses a valid 6-digit code; nil otherwise.
    public init?(_ s: String) {
        guard let c = try? LocalGovCode(validating: s) else { return nil }
        self = c
    }

    /// Completes a 5-digit code (no check digit) by computing its check digit.
    public init?(fiveDigit s: String) {
        let u = Array(s.utf8)
        guard u.count == 5, u.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        value = s + String(LocalGovCode.checkDigit(forFirstFive: u.map { Int($0 - 48) }))
    }

    /// Check digit: the last digit of 11 − (weighted sum mod 11), weights 6,5,4,3,2; `digits` must be five values 0–9.
    public static func checkDigit(forFirstFive digits: [Int]) -> Int {
        // Callers pass digits they have already checked; a wrong count is a programming error.
        precondition(digits.count == 5, "checkDigit needs exactly five digits")
        let weights = [6, 5, 4, 3, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (11 - sum % 11) % 10
    }

    /// The 2-digit prefecture number (01 北海道 … 47 沖縄県).
    public var prefectureNumber: Int {
        let u = Array(value.utf8)
        return Int(u[0] - 48) * 10 + Int(u[1] - 48)
    }

    /// Whether this is a prefecture's own code (its municipal part is 000).
    public var isPrefecture: Bool { value.utf8.dropFirst(2).prefix(3).allSatisfy { $0 == 48 } }

    /// The six digits.
    public var description: String { value }
    public static func < (a: LocalGovCode, b: LocalGovCode) -> Bool { a.value < b.value }
}

extension LocalGovCode: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        do { self = try LocalGovCode(validating: s) } catch {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "\"\(s)\": \(error)")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
