import Foundation

/// One cost line of a fiscal year (人件費, 旅費, …).
public struct CostLine: Sendable, Equatable, Codable {
    public var label: String
    public var yen: Int64
    public init(label: String, yen: Int64) { self.label = label; self.yen = yen }
}

/// What `PUT …/cost-shares/{fy}` sets.
public struct CostShareInput: Sendable {
    public var costs: [CostLine]
    public var rule: CostShare.Rule
    public var populations: [String: Int64]
    public var populationBasis: String?

    public init(costs: [CostLine], rule: CostShare.Rule, populations: [String: Int64], populationBasis: String?) {
        self.costs = costs; self.rule = rule; self.populations = populations; self.populationBasis = populationBasis
    }
}

/// The checks of a cost share's inputs, shared by the API and the tests.
public enum CostShareRules {
    public static let maxCostLines = 100
    public static let maxLabelLength = 100
    public static let maxBasisLength = 200
    public static let maxPopulation: Int64 = 1_000_000_000
    /// Fiscal years the database keeps.
    public static let fiscalYears = 2000...2100
    /// Each part of the rule is a whole percentage.
    public static let percentages = 0...100

    /// Every reason the input cannot be set for a consortium whose members are `members` (codes), by JSON pointer.
    public static func issues(_ input: CostShareInput, members: Set<String>) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if input.costs.isEmpty { issues.append(.init(pointer: "/costs", detail: "must list at least one cost line")) }
        if input.costs.count > maxCostLines {
            issues.append(.init(pointer: "/costs", detail: "must list at most \(maxCostLines) cost lines"))
        }
        var total: Int64 = 0
        for (i, line) in input.costs.enumerated() {
            if let why = WorkRecordRules.textIssue(line.label, max: maxLabelLength) {
                issues.append(.init(pointer: "/costs/\(i)/label", detail: why))
            }
            if line.yen < 0 {
                issues.append(.init(pointer: "/costs/\(i)/yen", detail: "must be 0 or more"))
            } else if line.yen > CostShare.maxTotalYen {
                issues.append(.init(pointer: "/costs/\(i)/yen", detail: "must be at most 1,000,000,000,000 (10^12)"))
            } else {
                total += line.yen
            }
        }
        if total > CostShare.maxTotalYen {
            issues.append(.init(pointer: "/costs", detail: "the costs add up to \(total) yen, above 10^12"))
        }
        let parts = [("equal", input.rule.equal), ("population", input.rule.population), ("days", input.rule.days)]
        for (name, value) in parts where !percentages.contains(value) {
            issues.append(.init(pointer: "/rule/\(name)", detail: "must be a whole percentage 0–100"))
        }
        let sum = parts.reduce(0) { $0 + $1.1 }
        if sum != 100, parts.allSatisfy({ percentages.contains($0.1) }) {
            issues.append(.init(pointer: "/rule", detail: "equal + population + days must add up to 100 (they add up to \(sum))"))
        }
        for (code, n) in input.populations.sorted(by: { $0.key < $1.key }) {
            let pointer = "/populations/\(JSONPointer.token(code))"
            if !members.contains(code) {
                issues.append(.init(pointer: pointer, detail: "\(code) is not a member of the consortium"))
            } else if n <= 0 {
                issues.append(.init(pointer: pointer, detail: "must be more than 0"))
            } else if n > maxPopulation {
                issues.append(.init(pointer: pointer, detail: "must be at most \(maxPopulation)"))
            }
        }
        if input.rule.population > 0 {
            issues += missingPopulations(input.populations, members: members)
        }
        if let basis = input.populationBasis, let why = WorkRecordRules.textIssue(basis, max: maxBasisLength) {
            issues.append(.init(pointer: "/populationBasis", detail: why))
        }
        return issues
    }

    /// One issue per member without a population.
    public static func missingPopulations(_ populations: [String: Int64], members: Set<String>) -> [ValidationIssue] {
        members.sorted().filter { populations[$0] == nil }.map {
            ValidationIssue(pointer: "/populations/\($0)", detail: "the population of member \($0) is missing (the rule has a population component)")
        }
    }
}
