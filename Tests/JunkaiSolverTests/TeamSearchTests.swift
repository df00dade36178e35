import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// The week re-solve (min-cost flow) and the team moves built on it.
@Suite struct TeamSearchTests {
    /// The current teams as `WeekFlow` reads them (1 = on the team).
    static func teams(_ st: SearchState) -> [UInt8] {
        (0..<st.m.eligStaff.count).map { st.postStaff[$0] > 0 ? 1 : 0 }
    }

    /// The objective without continuity, which is what a week re-solve minimises for fixed teams.
    static func flowObjective(_ st: SearchState) -> Int {
        var continuity = 0
        for p in 0..<st.m.nPosts { continuity += max(0, Int(st.postDistinct[p]) - 1) }
        return st.score - st.m.wContinuity * continuity
    }

    @Test(arguments: [81, 82, 83] as [UInt64])
    func weekResolveNeverWorsensAndKeepsTheScoreExact(seed: UInt64) {
        let inst = SyntheticInstances.make(seed: seed, posts: 12, staff: 8)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        let flow = WeekFlow(st)
        let all = Array(0..<model.nPosts)
        for w in 0..<model.nWeeks {
            let before = st.score
            let allowed = Self.teams(st)
            let ok = allowed.withUnsafeBufferPointer { flow.solve(week: w, posts: all, allowed: $0.baseAddress!) }
            #expect(ok)
            #expect(st.score <= before)
            #expect(st.score == st.recomputedScore())
            #expect(st.countersAreConsistent())
            st.commit()
        }
        let r = Scorer.score(inst, st.assignments())
        #expect(r.feasible, "violations: \(r.violations)")
        #expect(r.objective == st.score)
    }

    /// On a few posts of one week, the flow's result is the best of every feasible way to fill their cells.
    @Test(arguments: [91, 92, 93, 94] as [UInt64])
    func weekResolveMatchesExhaustiveSearch(seed: UInt64) {
        let inst = SyntheticInstances.make(seed: seed, posts: 4, staff: 3, pins: 1)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        let w = 1 + Int(seed % 3)
        let posts = [0, 1]
        var cells: [Int] = []
        for p in posts {
            for c in Int(model.pwStart[p * model.nWeeks + w])..<Int(model.pwEnd[p * model.nWeeks + w]) where !st.isPinned(c) {
                cells.append(c)
            }
        }
        #expect(cells.count >= 4)
        // Exhaustive: clear the cells, then try every staff member (or nobody) on each.
        let mark = st.mark
        for c in cells where st.staffAt(c) >= 0 { st.unassign(c) }
        var best = Self.flowObjective(st)
        func explore(_ i: Int) {
            guard i < cells.count else { best = min(best, Self.flowObjective(st)); return }
            explore(i + 1)
            let c = cells[i], p = Int(model.cellPost[c])
            for k in model.eligStart[p]..<model.eligStart[p + 1] {
                let s = model.eligStaff[k]
                guard st.canAssign(c, s) else { continue }
                let m2 = st.mark
                _ = st.assign(c, s)
                explore(i + 1)
                st.undo(to: m2)
            }
        }
        explore(0)
        st.undo(to: mark)

        let flow = WeekFlow(st)
        let everyone = [UInt8](repeating: 1, count: model.eligStaff.count)
        let ok = everyone.withUnsafeBufferPointer { flow.solve(week: w, posts: posts, allowed: $0.baseAddress!) }
        #expect(ok)
        #expect(Self.flowObjective(st) == best)
        #expect(st.score == st.recomputedScore())
    }

    /// Also with moves that re-solve only the posts nearest the change (as on large instances), where the posts
    /// left out keep their assignments and only use up capacity.
    @Test(arguments: [(101, nil), (102, nil), (101, 2), (103, 3)] as [(UInt64, Int?)])
    func teamMovesKeepTheScoreExactAndThePlanFeasible(seed: UInt64, componentLimit: Int?) {
        let inst = SyntheticInstances.make(seed: seed, posts: 14, staff: 9, pins: 4)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        let search = TeamSearch(st, seed: seed, componentLimit: componentLimit)
        var rng = SeededRandom(seed: seed)
        var mismatches = 0
        for i in 0..<400 {
            let before = st.score
            let ok = search.move()
            if st.score != st.recomputedScore() || !st.countersAreConsistent() { mismatches += 1 }
            if ok && (st.score <= before || rng.chance(30)) { st.commit() } else { st.undo(to: 0) }
            if st.score != st.recomputedScore() { mismatches += 1 }
            if i % 50 == 0 {
                let r = Scorer.score(inst, st.assignments())
                if !r.feasible || r.objective != st.score { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        for pin in inst.pinned { #expect(st.assignments().contains(pin)) }
    }

    @Test func twoPeopleExchangeOnlyTheChosenPosts() throws {
        let inst = SyntheticInstances.make(seed: 151, posts: 14, staff: 9)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        let search = TeamSearch(st, seed: 151)
        search.polish()
        let before = Self.teams(st)
        let (a, b, q) = try #require(Self.exchangeOnOnePost(st))
        #expect(search.swapPeople(Int32(a), Int32(b), only: [q]))
        let after = Self.teams(st)
        #expect(st.score == st.recomputedScore())
        #expect(Scorer.score(inst, st.assignments()).feasible)
        #expect(after[model.eligStart[q] + Int(model.eligIndex[q * model.nStaff + a])] == 0)
        // Elsewhere nobody joins a team: a keeps the posts that were not exchanged, b takes none of a's.
        for p in 0..<model.nPosts where p != q {
            for k in model.eligStart[p]..<model.eligStart[p + 1] { #expect(after[k] <= before[k]) }
        }
    }

    /// A post q with a on its team and b eligible but not on it, where a also works on another post.
    static func exchangeOnOnePost(_ st: SearchState) -> (a: Int, b: Int, q: Int)? {
        let model = st.m
        let teams = Self.teams(st)
        func on(_ p: Int, _ s: Int) -> Bool {
            let i = Int(model.eligIndex[p * model.nStaff + s])
            return i >= 0 && teams[model.eligStart[p] + i] == 1
        }
        for q in 0..<model.nPosts {
            for k in model.eligStart[q]..<model.eligStart[q + 1] where teams[k] == 1 {
                let a = Int(model.eligStaff[k])
                guard (0..<model.nPosts).filter({ on($0, a) }).count > 1 else { continue }
                for kb in model.eligStart[q]..<model.eligStart[q + 1] where teams[kb] == 0 {
                    return (a, Int(model.eligStaff[kb]), q)
                }
            }
        }
        return nil
    }

    /// With the re-solve limited to one post, a move on post q leaves every other post's cells as they were
    /// (unlimited, the same exchange may re-plan the posts q shares people with).
    @Test func aMoveLimitedToOnePostChangesNoOtherPost() throws {
        let inst = SyntheticInstances.make(seed: 151, posts: 14, staff: 9)
        let model = CompiledModel(inst)
        let st = SearchState(model)
        Construction.build(st)
        let search = TeamSearch(st, seed: 151, componentLimit: 1)
        search.polish()
        st.commit()
        let before = st.snapshot()
        let (a, b, q) = try #require(Self.exchangeOnOnePost(st))
        #expect(search.swapPeople(Int32(a), Int32(b), only: [q]))
        #expect(st.score == st.recomputedScore())
        #expect(Scorer.score(inst, st.assignments()).feasible)
        let after = st.snapshot()
        for c in 0..<model.nCells where Int(model.cellPost[c]) != q { #expect(after[c] == before[c]) }
    }

    @Test func lateAcceptanceWithTeamMovesKeepsTheScoreExact() {
        let inst = SyntheticInstances.make(seed: 111, posts: 12, staff: 8)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let search = LocalSearch(st, seed: 5, lahcLength: 50, teamPeriod: 25)
        var mismatches = 0
        search.run(maxIterations: 3000, stop: { false }, onBest: { _, _ in }) { s in
            if s.score != s.recomputedScore() { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(st.countersAreConsistent())
        #expect(Scorer.score(inst, st.assignments()).objective == st.score)
        let best = search.best()
        #expect(Scorer.score(inst, { let x = SearchState(st.m); x.load(best.cells); return x.assignments() }()).objective == best.score)
    }

    @Test func teamSearchImprovesOnConstruction() {
        let inst = SyntheticInstances.make(seed: 121, posts: 16, staff: 10)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let constructed = st.score
        let search = TeamSearch(st, seed: 3)
        search.run(maxIterations: 300, stop: { false }, onBest: { _, _ in })
        let best = search.best()
        // The construction is greedy and far from optimal here: 300 team moves must find something better.
        #expect(best.score < constructed, "team moves found nothing better than the construction (\(constructed))")
        let again = SearchState(st.m)
        again.load(best.cells)
        #expect(again.score == best.score)
        #expect(Scorer.score(inst, again.assignments()).objective == best.score)
    }

    /// A team search steered by a relaxation that has priced continuity (several bound iterations).
    static func steered(_ st: SearchState, seed: UInt64) -> TeamSearch {
        let lagrangian = LagrangianBound(st.m)
        let steering = Steering()
        lagrangian.run(maxIterations: 12, upperBound: { st.score }, stop: { false },
                       onBound: { _ in steering.publish(lagrangian.bestTeams, st.m) })
        let search = TeamSearch(st, seed: seed)
        search.steering = steering
        return search
    }

    /// The relaxation's teams made into a plan (every week re-solved, stand-ins where the teams fall short):
    /// feasible, pins kept, the score exact.
    @Test func theRelaxationsTeamsMakeAFeasiblePlan() throws {
        let inst = SyntheticInstances.make(seed: 131, posts: 14, staff: 9, pins: 3)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let search = Self.steered(st, seed: 4)
        try #require(search.takeSteering(), "the bound published no teams with continuity priced")
        let score = search.relaxationPlan()
        #expect(score < Int.max)
        #expect(score == st.score && st.score == st.recomputedScore())
        #expect(st.countersAreConsistent())
        let r = Scorer.score(inst, st.assignments())
        #expect(r.feasible && r.objective == score)
        for pin in inst.pinned { #expect(st.assignments().contains(pin)) }
    }

    /// With steering, every team move (the exchange of two people's places included) and every step towards the
    /// relaxation's teams keeps the score exact and the plan feasible, applied or undone.
    @Test(arguments: [141, 142] as [UInt64])
    func steeredTeamMovesKeepTheScoreExactAndThePlanFeasible(seed: UInt64) throws {
        let inst = SyntheticInstances.make(seed: seed, posts: 14, staff: 9, pins: 4)
        let st = SearchState(CompiledModel(inst))
        Construction.build(st)
        let search = Self.steered(st, seed: seed)
        try #require(search.takeSteering())
        var rng = SeededRandom(seed: seed)
        var mismatches = 0
        for i in 0..<400 {
            let before = st.score
            // Every fifth a step towards the relaxation's teams (what a restart takes).
            let ok = i % 5 == 0 ? search.crossWithRelaxation() : search.move()
            if st.score != st.recomputedScore() || !st.countersAreConsistent() { mismatches += 1 }
            if ok && (st.score <= before || rng.chance(30)) { st.commit() } else { st.undo(to: 0) }
            if i % 50 == 0 {
                let r = Scorer.score(inst, st.assignments())
                if !r.feasible || r.objective != st.score { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        for pin in inst.pinned { #expect(st.assignments().contains(pin)) }
    }

    /// Threads share the better plan only: an offer above the shared score changes nothing.
    @Test func theElitePlanKeepsTheBetterPlan() throws {
        let elite = ElitePlan()
        #expect(elite.better(than: .max) == nil)
        elite.offer(100) { [1, 2] }
        elite.offer(120) { [3, 4] }
        let e = try #require(elite.better(than: 110))
        #expect(e.score == 100 && e.cells == [1, 2])
        #expect(elite.better(than: 100) == nil)
        elite.offer(90) { [5] }
        #expect(elite.value == 90)
    }
}
