import JunkaiCore
import Testing

/// The largest-remainder arithmetic of docs/delivery.md, against results worked out by hand (the working is in
/// each comment).
@Suite("Cost share arithmetic")
struct CostShareTests {
    typealias Rule = CostShare.Rule
    typealias Member = CostShare.Member

    @Test("pools: floors, then the leftover yen to the largest fractional parts")
    func pools() {
        // 1001 × 33 / 100 = 330.33, 330.33; 1001 × 34 / 100 = 340.34 → floors 1000, 1 yen left, to days (.34).
        #expect(CostShare.pools(totalYen: 1001, rule: Rule(equal: 33, population: 33, days: 34)) == [330, 330, 341])
        // Exact division leaves nothing over.
        #expect(CostShare.pools(totalYen: 1000, rule: Rule(equal: 20, population: 30, days: 50)) == [200, 300, 500])
    }

    @Test("pools: ties go in the order equal, population, days")
    func poolTies() {
        // 1 × 50 / 100 = 0.5 for equal and population: the one yen goes to equal.
        #expect(CostShare.pools(totalYen: 1, rule: Rule(equal: 50, population: 50, days: 0)) == [1, 0, 0])
        // 2 × 34 / 100 = 0.68, 2 × 33 / 100 = 0.66 twice: equal first, then population before days.
        #expect(CostShare.pools(totalYen: 2, rule: Rule(equal: 34, population: 33, days: 33)) == [1, 1, 0])
        // 7 × 33 / 100 = 2.31 (equal, population), 7 × 34 / 100 = 2.38 (days): 1 yen left, to days.
        #expect(CostShare.pools(totalYen: 7, rule: Rule(equal: 33, population: 33, days: 34)) == [2, 2, 3])
    }

    @Test("split: by weight, leftover to the largest remainders, ties to the lower code")
    func split() {
        // 100 / 3 = 33 r 1 each: one yen left, tie, to the first (lowest code).
        #expect(CostShare.split(100, weights: [1, 1, 1]) == [34, 33, 33])
        // 1000 × 1/6 = 166 r 4, × 2/6 = 333 r 2, × 3/6 = 500 r 0: one yen left, to the first (remainder 4/6).
        #expect(CostShare.split(1000, weights: [1, 2, 3]) == [167, 333, 500])
        // 11 × 5/10 = 5.5 twice: tie, to the lower code.
        #expect(CostShare.split(11, weights: [5, 5]) == [6, 5])
        // Nothing to split.
        #expect(CostShare.split(0, weights: [3, 4]) == [0, 0])
        #expect(CostShare.split(5, weights: []) == [])
    }

    @Test("split: weights summing to 0 (no confirmed days anywhere) split equally")
    func zeroWeights() {
        // As 10 / 3 = 3 r 1: the first gets the yen left over.
        #expect(CostShare.split(10, weights: [0, 0, 0]) == [4, 3, 3])
    }

    @Test("products beyond 64 bits: 10^12 yen by populations near 10^9")
    func wideProducts() {
        // 10^12 × 1e9 / 2,000,000,006 etc. (worked with exact integers): floors 499,999,998,500, 499,999,998,000 and
        // 3,499; remainders 9,000, 12,000 and 1,999,979,006; the one yen left goes to the third.
        #expect(CostShare.split(1_000_000_000_000, weights: [1_000_000_000, 999_999_999, 7])
                == [499_999_998_500, 499_999_998_000, 3_500])
    }

    @Test("a worked year: 1,000,001 yen at 20/30/50 among three members, one without posts (0 days)")
    func workedYear() throws {
        let members = [Member(code: "292044", population: 63_889, days: 5),   // 天理市
                       Member(code: "292010", population: 354_630, days: 10), // 奈良市
                       Member(code: "292036", population: 83_285, days: 0)]   // 大和郡山市: no posts, no days
        let shares = try CostShare.shares(totalYen: 1_000_001, rule: Rule(equal: 20, population: 30, days: 50), members: members)
        // Pools: 200,000.2 → 200,000; 300,000.3 → 300,000; 500,000.5 → 500,000, and the yen left to days: 500,001.
        // Equal: 200,000 / 3 = 66,666 r 2 each; 2 yen left, to 292010 and 292036 (ties by code).
        // Population (W = 501,804): 300,000 × 354,630 / W = 212,013 r 28,548; × 83,285 → 49,791 r 177,036;
        //   × 63,889 → 38,195 r 296,220; one yen left, to 292044 (largest remainder).
        // Days (W = 15): 500,001 × 10 / 15 = 333,334; 0; 500,001 × 5 / 15 = 166,667, exact.
        #expect(shares.map(\.code) == ["292010", "292036", "292044"])
        #expect(shares.map(\.equalYen) == [66_667, 66_667, 66_666])
        #expect(shares.map(\.populationYen) == [212_013, 49_791, 38_196])
        #expect(shares.map(\.daysYen) == [333_334, 0, 166_667])
        #expect(shares.map(\.totalYen) == [612_014, 116_458, 271_529])
        #expect(shares.reduce(0) { $0 + $1.totalYen } == 1_000_001)
    }

    @Test("a 0% component gets nothing; with no confirmed days at all the days pool is split equally")
    func zeroPercentAndZeroDays() throws {
        let members = [Member(code: "292010", population: 300, days: 0), Member(code: "292036", population: 100, days: 0)]
        // 0/100/0: everything by population, 3:1 → 750 and 250.
        let byPopulation = try CostShare.shares(totalYen: 1000, rule: Rule(equal: 0, population: 100, days: 0), members: members)
        #expect(byPopulation.map(\.equalYen) == [0, 0])
        #expect(byPopulation.map(\.daysYen) == [0, 0])
        #expect(byPopulation.map(\.populationYen) == [750, 250])
        // 0/0/100 with no days anywhere: 1001 / 2 = 500 r 1 each, the yen to the lower code.
        let byDays = try CostShare.shares(totalYen: 1001, rule: Rule(equal: 0, population: 0, days: 100), members: members)
        #expect(byDays.map(\.daysYen) == [501, 500])
        #expect(byDays.map(\.totalYen) == [501, 500])
    }

    @Test("the members' totals add up to the total, whatever the inputs")
    func addsUp() throws {
        var state: UInt64 = 42
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<300 {
            let equal = Int(next() % 101), population = Int(next() % UInt64(101 - equal))
            let rule = Rule(equal: equal, population: population, days: 100 - equal - population)
            let total = Int64(next() % 1_000_000_000_000)
            let count = Int(next() % 40) + 1
            let members = (0..<count).map { i in
                Member(code: String(290000 + i), population: Int64(next() % 2_000_000), days: Int64(next() % 3) == 0 ? 0 : Int64(next() % 300))
            }
            let shares = try CostShare.shares(totalYen: total, rule: rule, members: members)
            #expect(shares.reduce(0) { $0 + $1.totalYen } == total)
            let pools = CostShare.pools(totalYen: total, rule: rule)
            #expect(shares.reduce(0) { $0 + $1.equalYen } == pools[0])
            #expect(shares.reduce(0) { $0 + $1.populationYen } == pools[1])
            #expect(shares.reduce(0) { $0 + $1.daysYen } == pools[2])
            // Each share is within one yen of its exact proportion.
            let equalShares = shares.map(\.equalYen)
            #expect(equalShares.max()! - equalShares.min()! <= 1)
        }
    }

    @Test("invalid inputs are refused, not computed")
    func refusals() {
        #expect(throws: CostShare.Problem.ruleDoesNotAddUp) {
            try CostShare.shares(totalYen: 10, rule: Rule(equal: 50, population: 40, days: 0), members: [])
        }
        #expect(throws: CostShare.Problem.ruleDoesNotAddUp) {
            try CostShare.shares(totalYen: 10, rule: Rule(equal: 110, population: -10, days: 0), members: [])
        }
        #expect(throws: CostShare.Problem.totalOutOfRange) {
            try CostShare.shares(totalYen: -1, rule: Rule(equal: 100, population: 0, days: 0), members: [])
        }
        #expect(throws: CostShare.Problem.negativeWeight(code: "292010")) {
            try CostShare.shares(totalYen: 10, rule: Rule(equal: 100, population: 0, days: 0),
                                 members: [Member(code: "292010", population: -1, days: 0)])
        }
        #expect(throws: CostShare.Problem.duplicateMember(code: "292010")) {
            try CostShare.shares(totalYen: 10, rule: Rule(equal: 100, population: 0, days: 0),
                                 members: [Member(code: "292010", population: 1, days: 0), Member(code: "292010", population: 1, days: 0)])
        }
        #expect((try? CostShare.shares(totalYen: 10, rule: Rule(equal: 100, population: 0, days: 0), members: [])) == [])
    }
}
