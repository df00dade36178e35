import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct SolverTests {
    @Test func syntheticInstancesAreValid() throws {
        for seed in [1, 2, 3] as [UInt64] {
            let inst = SyntheticInstances.make(seed: seed, posts: 10, staff: 7)
            try InstanceLoader.validate(inst)
            #expect(!inst.pinned.isEmpty)
        }
    }

    /// Replays random moves and checks the incremental score against a full recount after every move,
    /// and against the exact scorer every few hundred moves.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func incrementalScoreMatchesFullRescoring(seed: UInt64) {
        let inst = SyntheticInstances.make(seed: seed, posts: 12, staff: 8)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        #expect(st.score == st.recomputedScore())
        #expect(st.score == Scorer.score(inst, st.assignments()).objective)
        let search = LocalSearch(st, seed: seed, lahcLength: 50)
        var checked = 0, mismatches = 0, infeasible = 0
        search.run(maxIterations: 6000, stop: { false }, onBest: { _, _ in }) { s in
            checked += 1
            if s.score != s.recomputedScore() { mismatches += 1 }
            if checked % 300 == 0 {
                if !s.countersAreConsistent() { mismatches += 1 }
                let r = Scorer.score(inst, s.assignments())
                if r.objective != s.score { mismatches += 1 }
                if !r.feasible { infeasible += 1 }
            }
        }
        #expect(checked == 6000)
        #expect(mismatches == 0)
        #expect(infeasible == 0)
        let best = search.best()
        let again = SearchState(model)
        again.load(best.cells)
        #expect(again.score == best.score)
        #expect(Scorer.score(inst, again.assignments()).objective == best.score)
    }

    @Test func undoRestoresScoreAndCounters() {
        let inst = SyntheticInstances.make(seed: 5, posts: 8, staff: 6)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let before = st.snapshot(), score = st.score
        var rng = SeededRandom(seed: 9)
        for _ in 0..<200 {
            let c = rng.below(st.m.nCells)
            if st.isPinned(c) { continue }
            if st.staffAt(c) >= 0 { st.unassign(c) } else { _ = st.assign(c, Int32(rng.below(st.m.nStaff))) }
        }
        st.undo(to: 0)
        #expect(st.snapshot() == before)
        #expect(st.score == score)
        #expect(st.recomputedScore() == score)
    }

    @Test func solveKeepsPinsAndHardRulesAndReportsExactObjective() {
        let inst = SyntheticInstances.make(seed: 21, posts: 14, staff: 9, pins: 5)
        let plan = Solver.solve(inst, options: SolveOptions(seconds: 5, seed: 1, threads: 2, maxIterations: 20_000))
        let r = Scorer.score(inst, plan.assignments)
        #expect(r.feasible, "violations: \(r.violations)")
        #expect(plan.objective == r.objective)
        #expect(plan.terms == r.terms)
        for pin in inst.pinned { #expect(plan.assignments.contains(pin)) }
        #expect(plan.format == "junkai.plan/1")
        #expect(plan.instance == inst.name)
    }

    @Test func sameSeedAndIterationLimitGiveTheSamePlan() {
        let inst = SyntheticInstances.make(seed: 31, posts: 12, staff: 8)
        let o = SolveOptions(seconds: 60, seed: 7, threads: 2, maxIterations: 15_000)
        let a = Solver.solve(inst, options: o), b = Solver.solve(inst, options: o)
        #expect(a.assignments == b.assignments)
        #expect(a.objective == b.objective)
    }

    @Test func searchImprovesOnConstructionAndProgressIsMonotone() {
        let inst = SyntheticInstances.make(seed: 41, posts: 16, staff: 10)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let constructed = st.score
        let log = ProgressLog()
        let plan = Solver.solve(inst, options: SolveOptions(seconds: 60, seed: 3, threads: 2, maxIterations: 40_000)) { log.add($0) }
        let seen = log.all.map(\.bestObjective)
        #expect(seen.first == constructed)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 > $1 })
        #expect(seen.last == plan.objective)
        #expect(seen.count >= 2, "the search found nothing better than the construction")
        #expect((plan.objective ?? .max) < constructed)
    }

    @Test func shouldStopEndsTheSearchEarly() {
        let inst = SyntheticInstances.make(seed: 51, posts: 10, staff: 7)
        let t0 = Date()
        let plan = Solver.solve(inst, options: SolveOptions(seconds: 30, seed: 1, threads: 2, shouldStop: { true }))
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(Scorer.score(inst, plan.assignments).feasible)
    }

    @Test func timeLimitIsKept() {
        let inst = SyntheticInstances.make(seed: 52, posts: 10, staff: 7)
        let t0 = Date()
        let log = ProgressLog()
        _ = Solver.solve(inst, options: SolveOptions(seconds: 0.5, seed: 1, threads: 2)) { log.add($0) }
        // The search's own clock: no improvement is reported after the budget. The wall-clock ceiling is loose only
        // for a loaded machine's thread start-up; the search may stop early once nothing can improve.
        #expect(log.all.allSatisfy { $0.elapsed <= 0.5 + 0.25 }, "\(log.all.map(\.elapsed))")
        #expect(Date().timeIntervalSince(t0) < 3)
    }

    @Test func instanceWithoutStaffGivesEmptyPlanWithAllDemandUnmet() {
        var inst = SyntheticInstances.make(seed: 61, posts: 5, staff: 3, pins: 0)
        inst.staff = []
        inst.baseline = []
        let plan = Solver.solve(inst, options: SolveOptions(seconds: 1, seed: 1, threads: 1, maxIterations: 100))
        #expect(plan.assignments.isEmpty)
        #expect(plan.objective == Scorer.score(inst, []).objective)
    }

    @Test func periodsWithoutWorkingDaysGiveAnEmptyFeasiblePlan() {
        var inst = SyntheticInstances.make(seed: 62, posts: 4, staff: 3, pins: 0)
        inst.baseline = []; inst.requests = []
        for (start, end) in [("2027-04-03", "2027-04-04"), ("2027-04-29", "2027-04-29"), ("2027-12-29", "2028-01-03")] {
            inst.period = Period(start: Fixtures.date(start), end: Fixtures.date(end))
            let plan = Solver.solve(inst, options: SolveOptions(seconds: 1, seed: 1, threads: 2))
            #expect(plan.assignments.isEmpty)
            #expect(plan.objective == 0)
        }
    }

    @Test func concurrentSolvesDoNotInterfere() {
        let inst = SyntheticInstances.make(seed: 63, posts: 10, staff: 7)
        let o = SolveOptions(seconds: 60, seed: 5, threads: 2, maxIterations: 5000)
        let alone = Solver.solve(inst, options: o)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 3) { i in results.set(i, Solver.solve(inst, options: o).assignments) }
        #expect(results.all.count == 3)
        #expect(results.all.allSatisfy { $0 == alone.assignments })
    }

    @Test func planDecodesWithoutFormatOrInstance() throws {
        let plan = try JSONDecoder().decode(Plan.self, from: Data(#"{"assignments":[{"staff":"s","post":"p","date":"2027-04-05"}]}"#.utf8))
        #expect(plan.format == "junkai.plan/1")
        #expect(plan.assignments.count == 1)
        let again = try JSONDecoder().decode(Plan.self, from: try JSONEncoder().encode(plan))
        #expect(again.format == "junkai.plan/1" && again.assignments == plan.assignments)
    }

    @Test func replanningWithBaselineKeepsMostOfIt() {
        var inst = SyntheticInstances.make(seed: 71, posts: 14, staff: 9, pins: 0)
        inst.baseline = []
        let first = Solver.solve(inst, options: SolveOptions(seconds: 60, seed: 1, threads: 2, maxIterations: 30_000))
        inst.baseline = first.assignments
        // One staff member falls ill for a week.
        let ill = inst.staff[0].id
        inst.staff[0].unavailableDates += (0..<7).map { inst.period.start.adding(days: 14 + $0) }
        let second = Solver.solve(inst, options: SolveOptions(seconds: 60, seed: 2, threads: 2, maxIterations: 30_000))
        // Never worse than keeping the old plan where it still fits, and most of the old plan survives.
        let unavailable = Set(inst.staff[0].unavailableDates)
        let kept = first.assignments.filter { !($0.staff == ill && unavailable.contains($0.date)) }
        let keptScore = Scorer.score(inst, kept)
        #expect(keptScore.feasible)
        #expect((second.objective ?? .max) <= keptScore.objective)
        let disrupted = second.terms?["disruption"]?.count ?? .max
        #expect(disrupted < first.assignments.count / 3, "disruption \(disrupted) of \(first.assignments.count)")
    }
}

/// Collects plans from concurrent solves.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Int: [Assignment]] = [:]
    func set(_ i: Int, _ a: [Assignment]) { lock.lock(); items[i] = a; lock.unlock() }
    var all: [[Assignment]] { lock.lock(); defer { lock.unlock() }; return items.keys.sorted().compactMap { items[$0] } }
}

/// Collects progress reports from the solver's threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SolveProgress] = []
    func add(_ p: SolveProgress) { lock.lock(); items.append(p); lock.unlock() }
    var all: [SolveProgress] { lock.lock(); defer { lock.unlock() }; return items }
}
