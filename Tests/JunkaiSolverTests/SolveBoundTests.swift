import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// The bound beside a solve, the early stop it allows, and warm starts.
@Suite struct SolveBoundTests {
    @Test(arguments: [31, 32] as [UInt64])
    func solveReportsAValidBoundAndItsGap(seed: UInt64) {
        let inst = SyntheticInstances.make(seed: seed, posts: 12, staff: 8)
        let outcome = Solver.solveWithBound(inst, options: SolveOptions(seconds: 2, seed: 1, threads: 2))
        let bound = outcome.bound
        #expect(bound != nil)
        guard let bound else { return }
        #expect(outcome.feasible)
        #expect(outcome.objective == Scorer.score(inst, outcome.plan.assignments).objective)
        #expect(bound.flowBound <= bound.bound)
        #expect(bound.bound <= outcome.objective)
        #expect(bound.iterations >= 1)
        let gap = Double(outcome.objective - bound.bound) / Double(outcome.objective)
        #expect(abs((outcome.gap ?? -1) - gap) < 1e-12)
        #expect(outcome.provenOptimal == (bound.bound == outcome.objective))
    }

    /// A post nobody can carry alone (see LowerBoundTests): the bound reaches the optimum, so a 30-second solve
    /// stops as soon as the search finds it.
    @Test func aPlanProvenOptimalEndsTheSearchEarly() throws {
        let inst = try Fixtures.postNobodyCarriesAlone()
        let t0 = Date()
        let outcome = Solver.solveWithBound(inst, options: SolveOptions(seconds: 30, seed: 1, threads: 2))
        #expect(Date().timeIntervalSince(t0) < 10)
        #expect(outcome.objective == 144)
        #expect(outcome.provenOptimal)
        #expect(outcome.gap == 0)
    }

    /// Rounds only where searches settle fast and for good: mid-size instances, with a time limit.
    @Test func roundsAreForMidSizeInstancesWithATimeLimit() {
        #expect(Solver.roundStall(posts: 50, seconds: 30, reproducible: false) == 30 * 0.12)
        #expect(Solver.roundStall(posts: 64, seconds: 3, reproducible: false) == 2)
        #expect(Solver.roundStall(posts: 65, seconds: 30, reproducible: false) == nil)
        #expect(Solver.roundStall(posts: 50, seconds: 30, reproducible: true) == nil)
    }

    /// A small instance settles within a second; after two seconds without a better plan a new round starts, and
    /// the best plan of all rounds is the one returned, scored exactly.
    @Test func aStalledRoundGivesWayToAFreshOne() {
        let inst = SyntheticInstances.make(seed: 40, posts: 12, staff: 8)
        var o = SolveOptions(seconds: 8, seed: 1, threads: 2)
        o.boundShare = 0
        let outcome = Solver.solveWithBound(inst, options: o)
        #expect(outcome.rounds >= 2)
        #expect(outcome.feasible)
        #expect(outcome.objective == Scorer.score(inst, outcome.plan.assignments).objective)
        let reproducible = Solver.solveWithBound(inst, options: SolveOptions(seconds: 8, seed: 1, threads: 2, maxIterations: 5_000))
        #expect(reproducible.rounds == 1)
    }

    /// A period of holidays only (Golden Week) leaves nothing to move: the search ends at once, in one round.
    @Test func nothingToMoveEndsAtOnce() {
        let inst = SyntheticInstances.make(seed: 41, posts: 4, staff: 3, start: "2027-05-03", end: "2027-05-05", pins: 0)
        var o = SolveOptions(seconds: 20, seed: 1, threads: 2)
        o.boundShare = 0
        let t0 = Date()
        let outcome = Solver.solveWithBound(inst, options: o)
        #expect(Date().timeIntervalSince(t0) < 10)
        #expect(outcome.rounds == 1)
        #expect(outcome.plan.assignments.isEmpty)
    }

    @Test func withoutABoundNothingIsReported() {
        let inst = SyntheticInstances.make(seed: 33, posts: 6, staff: 4)
        var o = SolveOptions(seconds: 1, seed: 1, threads: 1, maxIterations: 500)
        o.boundShare = 0
        let outcome = Solver.solveWithBound(inst, options: o)
        #expect(outcome.bound == nil)
        #expect(outcome.gap == nil)
        #expect(!outcome.provenOptimal)
    }

    /// The scaling stops early once a week's bound is within its tolerance: never above the exact optimum, and
    /// not far below it.
    @Test(arguments: [34, 35] as [UInt64])
    func theFastBoundIsBelowTheExactOneAndClose(seed: UInt64) {
        // Above 100 posts, where weeks stop early.
        let model = CompiledModel(SyntheticInstances.make(seed: seed, posts: 120, staff: 60, end: "2027-04-30", pins: 0))
        let exact = LagrangianBound(model, exact: true), fast = LagrangianBound(model)
        exact.run(maxIterations: 1, upperBound: { nil }, stop: { false })
        fast.run(maxIterations: 1, upperBound: { nil }, stop: { false })
        #expect(fast.flowBound <= exact.flowBound)
        #expect(exact.flowBound - fast.flowBound <= model.nWeeks * 2)
    }

    /// Every iteration's week flows form a plan that keeps every hard rule.
    @Test func theLagrangianPlansAreFeasible() {
        let inst = SyntheticInstances.make(seed: 36, posts: 12, staff: 8, pins: 4)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        var plans = 0, broken = 0
        LagrangianBound(model).run(maxIterations: 20, upperBound: { nil }, stop: { false }, onPlan: { cells in
            plans += 1
            st.load(cells)
            if st.snapshot() != cells || !Scorer.score(inst, st.assignments()).feasible { broken += 1 }
        })
        #expect(plans == 20)
        #expect(broken == 0)
    }

    /// The team search is steered by the relaxation of the best bound: its teams, and how many people each post gets.
    @Test func steeringPublishesTheRelaxationsTeams() throws {
        let model = CompiledModel(SyntheticInstances.make(seed: 39, posts: 10, staff: 6, pins: 0))
        let lagrangian = LagrangianBound(model)
        let steering = Steering()
        #expect(steering.latest(after: 0) == nil)
        lagrangian.run(maxIterations: 10, upperBound: { nil }, stop: { false },
                       onBound: { _ in steering.publish(lagrangian.bestTeams, model) })
        let t = try #require(steering.latest(after: 0))
        #expect(t.slots == lagrangian.bestTeams)
        for p in 0..<model.nPosts {
            let members = (model.eligStart[p]..<model.eligStart[p + 1]).filter { t.slots[$0] }.count
            #expect(Int(t.sizes[p]) == members)
        }
        #expect(steering.latest(after: t.version) == nil)
    }

    @Test func aWarmStartNeverEndsAboveItsStart() {
        let inst = SyntheticInstances.make(seed: 37, posts: 12, staff: 8)
        let first = Solver.solve(inst, options: SolveOptions(seconds: 60, seed: 1, threads: 2, maxIterations: 20_000))
        var o = SolveOptions(seconds: 60, seed: 2, threads: 2, maxIterations: 2_000)
        o.start = first.assignments
        let again = Solver.solve(inst, options: o)
        #expect((again.objective ?? .max) <= (first.objective ?? .min))
        #expect(Scorer.score(inst, again.assignments).feasible)
    }

    /// After a change (someone unavailable on two of their days), the start plan's other assignments stay and the
    /// two holes are refilled when that lowers the score.
    @Test func aWarmStartKeepsWhatStillFits() {
        var inst = SyntheticInstances.make(seed: 38, posts: 12, staff: 8, pins: 0)
        let first = Solver.solve(inst, options: SolveOptions(seconds: 60, seed: 1, threads: 2, maxIterations: 20_000))
        let busiest = Dictionary(grouping: first.assignments, by: \.staff).max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }
        guard let (sid, mine) = busiest, mine.count >= 2 else {
            Issue.record("no one works two days")
            return
        }
        let lost = Array(mine.sorted { $0.date < $1.date }.prefix(2))
        let i = inst.staff.firstIndex { $0.id == sid }!
        inst.staff[i].unavailableDates += lost.map(\.date)
        let model = CompiledModel(inst)
        let placed = SearchState(model)
        #expect(WarmStart.place(placed, first.assignments) == first.assignments.count - 2)
        #expect(Set(placed.assignments()) == Set(first.assignments).subtracting(lost))
        let loaded = SearchState(model)
        #expect(WarmStart.load(loaded, first.assignments) == first.assignments.count - 2)
        #expect(loaded.score <= placed.score)
        let report = Scorer.score(inst, loaded.assignments())
        #expect(report.feasible)
        #expect(loaded.score == report.objective)
    }

    /// A new pin takes a's last free day of the week; the placement keeps a's first start assignment (p76, Friday)
    /// and drops the required request at p78 on Thursday that only a can serve. Re-solving the week for the start
    /// plan's teams gives the request back (coverage is the same either way, so the chains alone leave it).
    @Test func aWarmStartGivesBackARequiredDayAPinTook() throws {
        let json = """
        { "format": "junkai.instance/1", "name": "pin-takes-last-day",
          "period": { "start": "2027-04-05", "end": "2027-04-09" },
          "skills": [ { "id": "data", "name": "データ" }, { "id": "pm", "name": "PM" }, { "id": "ops", "name": "運用" } ],
          "municipalities": [ { "code": "292010", "name": "奈良市", "lat": 34.0, "lon": 135.0 } ],
          "posts": [
            { "id": "p44", "municipality": "292010", "title": "運用", "requirements": { "ops": 1 }, "daysPerWeek": 1 },
            { "id": "p76", "municipality": "292010", "title": "PM", "requirements": { "pm": 1 }, "daysPerWeek": 1 },
            { "id": "p78", "municipality": "292010", "title": "データ", "requirements": { "data": 1 }, "daysPerWeek": 1 } ],
          "staff": [
            { "id": "a", "name": "A", "home": { "lat": 34.0, "lon": 135.0 }, "skills": { "data": 1, "pm": 1, "ops": 1 }, "maxDaysPerWeek": 2 },
            { "id": "b", "name": "B", "home": { "lat": 34.0, "lon": 135.0 }, "skills": { "ops": 1 }, "maxDaysPerWeek": 1 } ],
          "requests": [ { "post": "p78", "date": "2027-04-08", "kind": "required" } ],
          "pinned": [ { "staff": "a", "post": "p44", "date": "2027-04-05" } ] }
        """
        let inst = try InstanceLoader.load(json: Data(json.utf8))
        let start = [Fixtures.a("a", "p76", "2027-04-09"), Fixtures.a("a", "p78", "2027-04-08"), Fixtures.a("b", "p44", "2027-04-05")]
        let model = CompiledModel(inst)
        let placed = SearchState(model)
        WarmStart.place(placed, start)
        #expect(Set(placed.assignments()) == [Fixtures.a("a", "p44", "2027-04-05"), Fixtures.a("a", "p76", "2027-04-09")])
        let loaded = SearchState(model)
        #expect(WarmStart.load(loaded, start) == 1)
        #expect(Set(loaded.assignments()) == [Fixtures.a("a", "p44", "2027-04-05"), Fixtures.a("a", "p78", "2027-04-08")])
        let report = Scorer.score(inst, loaded.assignments())
        #expect(report.feasible)
        #expect(report.terms["missedRequiredRequest"]?.count == 0)
        #expect(loaded.score == report.objective)
    }
}
