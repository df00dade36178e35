/// The cost share (負担金) arithmetic of docs/delivery.md: 均等割・人口割・実績割, exact to the yen.
///
/// Largest remainder twice: the total is cut into three pools by the rule's percentages, then each pool among the
/// members by weight (1, the population, the confirmed days). Every step is integer arithmetic (products are taken
/// at 128 bits), so the same inputs give the same yen on every machine and the members' totals add up to the total.
public enum CostShare {
    /// The agreed percentages (協定の負担割合); whole numbers ≥ 0 that add up to 100.
    public struct Rule: Hashable, Sendable, Codable {
        public var equal: Int
        public var population: Int
        public var days: Int

        public init(equal: Int, population: Int, days: Int) {
            self.equal = equal
            self.population = population
            self.days = days
        }

        /// The percentages in pool order: equal, population, days.
        public var percentages: [Int] { [equal, population, days] }
    }

    /// One member's weights.
    public struct Member: Hashable, Sendable {
        /// The municipality code, which also breaks ties (ascending).
        public var code: String
        public var population: Int64
        public var days: Int64

        public init(code: String, population: Int64, days: Int64) {
            self.code = code
            self.population = population
            self.days = days
        }
    }

    /// One member's three results and their sum.
    public struct Share: Hashable, Sendable {
        public var code: String
        public var equalYen: Int64
        public var populationYen: Int64
        public var daysYen: Int64
        public var totalYen: Int64 { equalYen + populationYen + daysYen }

        public init(code: String, equalYen: Int64, populationYen: Int64, daysYen: Int64) {
            self.code = code
            self.equalYen = equalYen
            self.populationYen = populationYen
            self.daysYen = daysYen
        }
    }

    /// Why the inputs have no share.
    public enum Problem: Error, Hashable, Sendable {
        /// A percentage is negative or they do not add up to 100.
        case ruleDoesNotAddUp
        /// The total is negative or above 10^12 yen.
        case totalOutOfRange
        /// A member's population or days is negative.
        case negativeWeight(code: String)
        /// Two members have the same code.
        case duplicateMember(code: String)
    }

    /// The largest total the arithmetic accepts (1兆円), as the contract bounds it.
    public static let maxTotalYen: Int64 = 1_000_000_000_000

    /// The shares of `totalYen` among `members` under `rule`, by code; empty when there are no members.
    public static func shares(totalYen: Int64, rule: Rule, members: [Member]) throws(Problem) -> [Share] {
        guard rule.percentages.allSatisfy({ $0 >= 0 }), rule.percentages.reduce(0, +) == 100 else { throw .ruleDoesNotAddUp }
        guard (0...maxTotalYen).contains(totalYen) else { throw .totalOutOfRange }
        let sorted = members.sorted { $0.code < $1.code }
        for (i, m) in sorted.enumerated() {
            if m.population < 0 || m.days < 0 { throw .negativeWeight(code: m.code) }
            if i > 0, sorted[i - 1].code == m.code { throw .duplicateMember(code: m.code) }
        }
        guard !sorted.isEmpty else { return [] }
        let pool = pools(totalYen: totalYen, rule: rule)
        let equal = split(pool[0], weights: sorted.map { _ in 1 })
        let population = split(pool[1], weights: sorted.map(\.population))
        let days = split(pool[2], weights: sorted.map(\.days))
        return sorted.indices.map {
            Share(code: sorted[$0].code, equalYen: equal[$0], populationYen: population[$0], daysYen: days[$0])
        }
    }

    /// Step 1: `T × k / 100` for k in (equal, population, days), floored; the yen left over go one each to the pools
    /// with the largest fractional parts, ties in the order equal, population, days.
    public static func pools(totalYen: Int64, rule: Rule) -> [Int64] {
        largestRemainder(totalYen, numerators: rule.percentages.map(Int64.init), denominator: 100)
    }

    /// Step 2: a pool in proportion to `weights` (given in ascending code order), floored; the yen left over go one
    /// each to the largest fractional parts, ties to the earlier (lower code). Weights summing to 0 split equally.
    public static func split(_ pool: Int64, weights: [Int64]) -> [Int64] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(0, +)
        if sum == 0 { return split(pool, weights: weights.map { _ in 1 }) }
        return largestRemainder(pool, numerators: weights, denominator: sum)
    }

    /// `amount × n_i / d` floored for each i, then `amount − Σ` yen one each to the largest remainders, stable.
    /// Requires amount ≥ 0, every n_i ≥ 0, d > 0 and Σ n_i = d.
    static func largestRemainder(_ amount: Int64, numerators: [Int64], denominator: Int64) -> [Int64] {
        var floors: [Int64] = []
        var remainders: [UInt64] = []
        floors.reserveCapacity(numerators.count)
        remainders.reserveCapacity(numerators.count)
        let d = UInt64(denominator)
        for n in numerators {
            // amount × n fits in 128 bits, and the quotient (at most amount) in 64.
            let product = UInt64(amount).multipliedFullWidth(by: UInt64(n))
            let (q, r) = d.dividingFullWidth(product)
            floors.append(Int64(q))
            remainders.append(r)
        }
        let left = Int(amount - floors.reduce(0, +))
        // Every fraction r / d shares the denominator, so the remainders compare as the fractions do.
        let order = numerators.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for i in order.prefix(left) { floors[i] += 1 }
        return floors
    }
}
