import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct ScorerTests {
    let inst = Fixtures.twoPostsTwoWeeks()
    typealias F = Fixtures

    /// A feasible plan whose every term was counted by hand.
    let goodPlan = [
        F.a("sa", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-08"),  // pA week 1, both preferred days
        F.a("sb", "pB", "2027-04-05"),                                 // pB week 1 (baseline kept)
        F.a("sc", "pA", "2027-04-13"), F.a("sc", "pA", "2027-04-15"),  // pA week 2 by a second person
        F.a("sb", "pB", "2027-04-14"),                                 // pB week 2
    ]

    @Test func feasiblePlanObjectiveByHand() {
        let r = Scorer.score(inst, goodPlan)
        #expect(r.feasible)
        #expect(r.violations.isEmpty)
        #expect(r.terms["unmetDemand"] == TermScore(count: 0, value: 0))
        #expect(r.terms["missedRequiredRequest"] == TermScore(count: 0, value: 0))
        #expect(r.terms["missedPreferredRequest"] == TermScore(count: 1, value: 50))  // pB 04-07
        #expect(r.terms["continuity"] == TermScore(count: 1, value: 100))              // pA: sa and sc
        #expect(r.terms["undesiredDate"] == TermScore(count: 0, value: 0))
        #expect(r.terms["overTarget"] == TermScore(count: 1, value: 15))               // sc: 2 days, target 1
        #expect(r.terms["nonPreferredWeekday"] == TermScore(count: 0, value: 0))
        #expect(r.terms["disruption"] == TermScore(count: 0, value: 0))
        #expect(r.terms["travelPerKm"] == TermScore(count: 22, value: 22))             // 11 + 11 + 0 + 0 + 0 + 0
        #expect(r.objective == 50 + 100 + 15 + 22)
        #expect(r.terms.count == 9)
    }

    @Test func weightsOverrideDefaults() {
        var w = inst
        w.weights = ["travelPerKm": 3, "continuity": 0]
        let r = Scorer.score(w, goodPlan)
        #expect(r.terms["travelPerKm"] == TermScore(count: 22, value: 66))
        #expect(r.terms["continuity"] == TermScore(count: 1, value: 0))
        #expect(r.objective == 50 + 15 + 66)
    }

    @Test func infeasiblePlanStillScoredAndViolationsSorted() {
        let plan = goodPlan + [F.a("sb", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-06")]
        let r = Scorer.score(inst, plan)
        #expect(!r.feasible)
        #expect(r.violations == [
            F.v(.H1, "sb", "pA", "2027-04-06"), F.v(.H2, "sa", "pA", "2027-04-06"), F.v(.H3, "sa", "pA", "2027-04-06"),
            F.v(.H4, "sb", "pA", "2027-04-06"), F.v(.H6, nil, "pA", "2027-04-05"), F.v(.H7, "sb", "pA", "2027-04-06"),
        ])
        // Two extra entries on pA in week 1: unmet stays 0, travel grows by sb→pA 56 and sa→pA 11.
        #expect(r.terms["travelPerKm"]?.count == 22 + 56 + 11)
    }

    @Test func textListsEveryTermTotalAndViolation() {
        let plan = goodPlan + [F.a("sb", "pA", "2027-04-07")]
        let r = Scorer.score(inst, plan)
        let t = r.text()
        for def in ConstraintCatalogue.softTerms { #expect(t.contains(def.name)) }
        #expect(t.contains("objective \(r.objective)"))
        #expect(t.contains("H1 skills: staff sb post pA date 2027-04-07"))
    }

    @Test func jsonShapeHasFixedKeys() throws {
        let r = Scorer.score(inst, [F.a("sb", "pB", "2027-04-05"), F.a("sb", "pB", "2027-04-07"), F.a("sb", "pB", "2027-04-14"), F.a("sb", "pB", "2027-04-16"), F.a("sb", "pB", "2027-04-12")])
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let text = String(decoding: try enc.encode(r), as: UTF8.self)
        #expect(text.contains("\"feasible\":false"))
        #expect(text.contains("{\"date\":\"2027-04-12\",\"post\":null,\"rule\":\"H5\",\"staff\":\"sb\"}"))
        #expect(text.contains("\"unmetDemand\":{\"count\":4,\"value\":4000}"))
    }
}
