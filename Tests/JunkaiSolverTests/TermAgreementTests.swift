import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// Each soft term alone (every other weight 0): the search's incremental score, the exact scorer and the
/// explanation agree on it through a walk of random feasible moves.
@Suite struct TermAgreementTests {
    static let softTerms = ConstraintID.allCases.filter { ConstraintCatalogue.entry($0).level == .soft }

    @Test func everyIdHasOneCatalogueEntry() {
        #expect(ConstraintCatalogue.all.map(\.id) == ConstraintID.allCases)
        for id in ConstraintID.allCases { #expect(ConstraintCatalogue.entry(named: id.rawValue)?.id == id) }
        #expect(ConstraintCatalogue.entry(named: "travelPerKM") == nil, "names from outside are checked, not guessed")
    }

    @Test(arguments: softTerms)
    func incrementalScorerAndExplanationAgree(term: ConstraintID) {
        var inst = SyntheticInstances.make(seed: 17, posts: 10, staff: 7, pins: 2)
        for other in Self.softTerms where other != term { inst.weights[other.rawValue] = 0 }
        let weight = ConstraintCatalogue.entry(term).defaultWeight
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        var rng = SeededRandom(seed: UInt64(term.rawValue.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        var moves = 0, checks = 0, seenNonZero = false
        for step in 0..<600 {
            let c = rng.below(st.m.nCells)
            if st.isPinned(c) { continue }
            if st.staffAt(c) >= 0, rng.chance(40) {
                st.unassign(c)
                moves += 1
            } else {
                let s = Int32(rng.below(st.m.nStaff))
                if st.staffAt(c) < 0, st.canAssign(c, s) {
                    _ = st.assign(c, s)
                    moves += 1
                }
            }
            st.commit()
            guard step % 20 == 0 else { continue }
            checks += 1
            let plan = st.assignments()
            let report = Scorer.score(inst, plan)
            let explained = Explainer.explain(inst, plan).filter { $0.term == term }
            let counted = Scorer.contributions(inst, plan).filter { $0.term == term }.reduce(0) { $0 + $1.count }
            #expect(st.score == report.objective, "incremental \(st.score) vs scorer \(report.objective) after \(moves) moves")
            #expect(report.terms.term(term)?.value == report.objective)
            #expect(counted * weight == report.objective)
            #expect(explained.reduce(0) { $0 + $1.value } == report.objective, "the explanation's points add up to the term")
            if report.objective != 0 { seenNonZero = true }
        }
        #expect(checks > 20)
        #expect(moves > 100)
        // continuity, disruption or a request term can be 0 on one walk; the walk still exercises the term's code.
        if [.unmetDemand, .travelPerKm, .overTarget].contains(term) { #expect(seenNonZero) }
    }
}
