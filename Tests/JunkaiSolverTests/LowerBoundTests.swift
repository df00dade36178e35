import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// The lower bound is never above the optimum (checked against exact optima of small instances), and its
/// continuity-free part is exactly the week flows' optimum.
@Suite struct LowerBoundTests {
    /// The optimum by enumerating every cell's occupant (or none): only for a handful of cells.
    static func exhaustiveOptimum(_ model: CompiledModel) -> Int {
        let st = SearchState(model)
        let cells = (0..<model.nCells).filter { !st.isPinned($0) }
        var best = st.score
        func explore(_ i: Int) {
            guard i < cells.count else { best = min(best, st.score); return }
            explore(i + 1)
            let c = cells[i], p = Int(model.cellPost[c])
            for k in model.eligStart[p]..<model.eligStart[p + 1] {
                let s = model.eligStaff[k]
                guard st.canAssign(c, s) else { continue }
                let mark = st.mark
                _ = st.assign(c, s)
                explore(i + 1)
                st.undo(to: mark)
            }
        }
        explore(0)
        return best
    }

    /// The optimum by enumerating every team (the set of people allowed on each post) and solving each week
    /// exactly for it (`WeekFlow`): the optimal plan's own teams are among them, and every result is a feasible plan.
    static func teamEnumerationOptimum(_ model: CompiledModel) -> Int {
        let slots = model.eligStaff.count
        precondition(slots <= 14, "too many teams to enumerate")
        let all = Array(0..<model.nPosts)
        var best = Int.max
        var allowed = [UInt8](repeating: 2, count: max(1, slots))
        for mask in 0..<(1 << slots) {
            for k in 0..<slots { allowed[k] = mask & (1 << k) != 0 ? 1 : 2 }
            let st = SearchState(model)
            let flow = WeekFlow(st)
            for w in 0..<model.nWeeks {
                let ok = allowed.withUnsafeBufferPointer { flow.solve(week: w, posts: all, allowed: $0.baseAddress!) }
                precondition(ok)
            }
            st.commit()
            best = min(best, st.score)
        }
        return best
    }

    static func bound(_ model: CompiledModel, iterations: Int = 300) -> (bound: Int, flow: Int) {
        let b = LagrangianBound(model, exact: true)
        b.run(maxIterations: iterations, upperBound: { nil }, stop: { false })
        return (b.best, b.flowBound)
    }

    /// Synthetic instances cut to a few posts and weeks; `continuityHeavy` makes continuity cost more than an
    /// unmet day and posts need more days a week than anyone can give, so the optimum trades coverage for people.
    static func small(seed: UInt64, posts: Int, staff: Int, end: String, continuityHeavy: Bool, pins: Int) -> Instance {
        var inst = SyntheticInstances.make(seed: seed, posts: posts, staff: staff, start: "2027-04-05", end: end,
                                           pins: continuityHeavy ? 0 : pins)
        if continuityHeavy {
            inst.weights = ["continuity": 1800, "travelPerKm": 3]
            for i in inst.posts.indices { inst.posts[i].daysPerWeek = 3 }
            for i in inst.staff.indices {
                inst.staff[i].maxDaysPerWeek = 1 + i % 2
                inst.staff[i].targetDaysPerWeek = 1
            }
        }
        return inst
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func boundNeverExceedsTheExhaustiveOptimum(seed: UInt64) {
        // One short week (2027-04-05 … 04-07) and two posts: few enough cells to try every occupant.
        for heavy in [false, true] {
            let inst = Self.small(seed: seed, posts: 2, staff: 3, end: "2027-04-07", continuityHeavy: heavy, pins: 1)
            let model = CompiledModel(inst)
            let optimum = Self.exhaustiveOptimum(model)
            let (bound, flow) = Self.bound(model)
            #expect(flow <= bound)
            #expect(bound <= optimum, "seed \(seed) heavy \(heavy): bound \(bound) above the optimum \(optimum)")
            #expect(Self.teamEnumerationOptimum(model) == optimum)
        }
    }

    /// Four weeks, three posts: every team is enumerated, so the optimum is exact. Continuity-heavy variants are
    /// where the multipliers matter (there the flow part alone is up to a fifth below the optimum).
    @Test(arguments: [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22] as [UInt64])
    func boundNeverExceedsTheOptimumOverSeveralWeeks(seed: UInt64) {
        for heavy in [false, true] {
            let inst = Self.small(seed: seed, posts: 3, staff: 4, end: "2027-04-30", continuityHeavy: heavy, pins: 2)
            let model = CompiledModel(inst)
            #expect(model.eligStaff.count <= 12, "seed \(seed): too many teams to enumerate; pick another seed")
            guard model.eligStaff.count <= 12 else { continue }
            let optimum = Self.teamEnumerationOptimum(model)
            let (bound, flow) = Self.bound(model)
            #expect(flow <= bound)
            #expect(bound <= optimum, "seed \(seed) heavy \(heavy): bound \(bound) above the optimum \(optimum)")
        }
    }

    /// One post wanting two days every week and two people who can each give one: every plan that covers the
    /// post needs both, and leaving a day open costs more than the second person, so the optimum pays continuity
    /// once; the flow part alone cannot see that, the multipliers must.
    @Test func aPostNobodyCanCarryAloneCostsASecondPerson() throws {
        let model = CompiledModel(try Fixtures.postNobodyCarriesAlone())
        let optimum = Self.teamEnumerationOptimum(model)
        let (bound, flow) = Self.bound(model)
        // 4 weeks × 2 days, b travels 11 km a day, one continuity: 4 × 11 + 100.
        #expect(optimum == 144)
        #expect(flow == 44)
        #expect(bound == optimum)
    }

    /// With every multiplier zero the bound is the week flows' optimum: the objective without continuity of the
    /// plan that `WeekFlow` builds with everyone allowed, week by week.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func theFlowPartIsTheWeekFlowsOptimum(seed: UInt64) {
        let inst = SyntheticInstances.make(seed: seed, posts: 14, staff: 9, pins: 4)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        let flow = WeekFlow(st)
        let everyone = [UInt8](repeating: 1, count: model.eligStaff.count)
        let all = Array(0..<model.nPosts)
        for w in 0..<model.nWeeks {
            let ok = everyone.withUnsafeBufferPointer { flow.solve(week: w, posts: all, allowed: $0.baseAddress!) }
            #expect(ok)
        }
        let b = LagrangianBound(model, exact: true)
        b.run(maxIterations: 1, upperBound: { nil }, stop: { false })
        #expect(b.flowBound == TeamSearchTests.flowObjective(st))
        // A solved plan scores at least the bound.
        let plan = Solver.solve(inst, options: SolveOptions(seconds: 0, seed: seed, threads: 1, maxIterations: 2000))
        let more = LagrangianBound(model)
        more.run(maxIterations: 200, upperBound: { plan.objective }, stop: { false })
        #expect(more.best <= plan.objective ?? Int.min)
        #expect(more.best >= b.flowBound)
    }

    @Test func ceilingDivisionRoundsTowardsPositiveInfinity() {
        #expect(LagrangianBound.ceilDiv(7, 2) == 4)
        #expect(LagrangianBound.ceilDiv(8, 2) == 4)
        #expect(LagrangianBound.ceilDiv(-7, 2) == -3)
        #expect(LagrangianBound.ceilDiv(0, 64) == 0)
    }
}
