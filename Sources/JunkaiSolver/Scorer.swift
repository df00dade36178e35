import JunkaiCore

/// The exact evaluation of a plan: the `--json` shape of rotation-model.md.
public struct ScoreReport: Codable, Sendable {
    public var objective: Int
    public var feasible: Bool
    /// Every soft term of the catalogue, by name.
    public var terms: [String: TermScore]
    /// Every hard-rule break, sorted by rule, date, staff, post.
    public var violations: [Violation]

    public init(objective: Int, feasible: Bool, terms: [String: TermScore], violations: [Violation]) {
        self.objective = objective; self.feasible = feasible; self.terms = terms; self.violations = violations
    }

    /// The human breakdown: every term's count and weighted value in catalogue order, the total, every violation.
    public func text() -> String {
        var lines: [String] = []
        let width = ConstraintCatalogue.softTerms.map(\.name.count).max() ?? 0
        for def in ConstraintCatalogue.softTerms {
            let t = terms[def.name] ?? TermScore(count: 0, value: 0)
            let pad = String(repeating: " ", count: max(0, width - def.name.count))
            lines.append("\(def.name)\(pad)  count \(t.count)  value \(t.value)")
        }
        lines.append("objective \(objective)")
        lines.append(feasible ? "feasible: yes" : "feasible: no (\(violations.count) hard-rule violation\(violations.count == 1 ? "" : "s"))")
        for v in violations {
            let title = ConstraintCatalogue.entry(v.rule).title
            lines.append("\(v.rule.rawValue) \(title): staff \(v.staff ?? "-") post \(v.post ?? "-") date \(v.date?.iso ?? "-")")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Dictionary where Key == String, Value == TermScore {
    /// The score of one soft term in a `terms` map (whose keys are the catalogue's names, as the JSON has them).
    public func term(_ id: ConstraintID) -> TermScore? { self[id.rawValue] }
}

/// Exact scoring of any plan, feasible or not, by running every catalogue function.
public enum Scorer {
    /// Scores a plan exactly as rotation-model.md defines it (see `ConstraintCatalogue` for each rule and term).
    public static func score(_ instance: Instance, _ assignments: [Assignment]) -> ScoreReport {
        let ctx = ScoringContext(instance, assignments)
        var terms: [String: TermScore] = [:]
        var violations: [Violation] = []
        var objective = 0
        for def in ConstraintCatalogue.all {
            switch def.evaluate {
            case .hard(let f):
                violations += f(ctx)
            case .soft(let f):
                let count = f(ctx).reduce(0) { $0 + $1.count }
                let value = count * instance.weight(def.id)
                terms[def.name] = TermScore(count: count, value: value)
                objective += value
            }
        }
        violations.sort(by: Violation.sortKey)
        return ScoreReport(objective: objective, feasible: violations.isEmpty, terms: terms, violations: violations)
    }

    /// Every soft term's itemised contributions (for explanations), in catalogue order.
    public static func contributions(_ instance: Instance, _ assignments: [Assignment]) -> [Contribution] {
        let ctx = ScoringContext(instance, assignments)
        var out: [Contribution] = []
        for def in ConstraintCatalogue.all {
            if case .soft(let f) = def.evaluate { out += f(ctx) }
        }
        return out
    }

    /// The violations of one hard rule or the contributions of one soft term.
    static func evaluate(_ id: ConstraintID, _ instance: Instance, _ assignments: [Assignment]) -> (violations: [Violation], contributions: [Contribution]) {
        let def = ConstraintCatalogue.entry(id)
        let ctx = ScoringContext(instance, assignments)
        switch def.evaluate {
        case .hard(let f): return (f(ctx).sorted(by: Violation.sortKey), [])
        case .soft(let f): return ([], f(ctx))
        }
    }
}
