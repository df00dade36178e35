/// Late acceptance hill climbing over the compiled grid.
///
/// Why late acceptance: the objective mixes weights three orders of magnitude apart (a km is 1, an unmet day
/// 1,000), so a simulated-annealing temperature tuned for one instance is wrong for the next; late acceptance
/// compares a candidate with the score of L steps ago, which scales with the instance by itself and has one
/// robust parameter. Every move keeps all hard rules (the state refuses infeasible primitives), so the search
/// only ever walks feasible plans and the best one seen is always a valid answer.
final class LocalSearch {
    struct Stats {
        var iterations = 0
        var accepted = 0
    }

    let st: SearchState
    let m: CompiledModel
    @exclusivity(unchecked) var rng: SeededRandom
    /// Days of week w are `weekDayStart[w] ..< weekDayStart[w + 1]`.
    private let weekDayStart: [Int]
    private let augmenter: Augmenter
    /// Cells the search may change (not pinned).
    private let movable: [Int32]
    @exclusivity(unchecked) private(set) var stats = Stats()
    @exclusivity(unchecked) private(set) var bestScore: Int
    @exclusivity(unchecked) private var bestCells: [Int32]
    @exclusivity(unchecked) private var bestDirty = false
    let lahcLength: Int
    /// How often a run move covers the whole period rather than a stretch of at most 8 weeks: whole runs keep
    /// continuity on quarter-long plans, stretches keep moves cheap on year-long ones.
    private let fullRunPercent: Int
    /// Cumulative per-mille thresholds of the move kinds: augment, change, swap, day, handover, kick, swap runs
    /// (rest: ruin and recreate).
    private let mix: [Int] = {
        var acc = 0
        return [3, 250, 180, 140, 180, 207, 30, 10].map { acc += $0; return acc }
    }()

    /// Every `teamPeriod` iterations the move is a team move (`TeamSearch.move`), or never when 0.
    private let teamPeriod: Int
    private let team: TeamSearch?
    /// The plan shared between the threads: this search publishes its best now and then and, after a plateau,
    /// continues from the shared plan when it is better.
    var elite: ElitePlan?

    init(_ state: SearchState, seed: UInt64, lahcLength: Int = 2000, teamPeriod: Int = 0) {
        self.teamPeriod = teamPeriod
        team = teamPeriod > 0 ? TeamSearch(state, seed: seed ^ 0x7EA4) : nil
        st = state
        m = state.m
        rng = SeededRandom(seed: seed)
        weekDayStart = state.m.weekFirstDay
        augmenter = Augmenter(state, seed: seed ^ 0x5DEE_CE66)
        let model = state.m
        movable = (0..<model.nCells).filter { model.cellPinned[$0] < 0 }.map(Int32.init)
        bestScore = state.score
        bestCells = state.snapshot()
        self.lahcLength = max(1, lahcLength)
        fullRunPercent = state.m.nWeeks <= 16 ? 50 : 15
    }

    /// History lengths of the parallel searches: a short one converges fast (best on bigger instances within
    /// a minute), a longer one explores more (best on small ones); running both is a cheap portfolio.
    static func defaultLength(thread: Int) -> Int { [200, 500, 1500][thread % 3] }

    /// The best plan seen (cells), after flushing a pending snapshot.
    func best() -> (score: Int, cells: [Int32]) {
        if bestDirty { bestCells = st.snapshot(); bestDirty = false }
        return (bestScore, bestCells)
    }

    /// Runs until `stop()` says so (checked every 256 iterations) or `maxIterations` is reached.
    /// `onBest` hears every new best score; `verify`, when set, is called after every iteration (tests only).
    func run(maxIterations: Int?, stop: () -> Bool, onBest: (Int, Int) -> Void, verify: ((SearchState) -> Void)? = nil) {
        guard !movable.isEmpty else { return }
        var hist = [Int](repeating: st.score, count: lahcLength)
        var current = st.score
        var lastImprovement = 0
        let restartAfter = max(3_000_000, lahcLength * 2000)
        while true {
            if let limit = maxIterations, stats.iterations >= limit { break }
            if stats.iterations & 255 == 0 && stop() { break }
            let v = stats.iterations % lahcLength
            stats.iterations += 1
            let moved = teamPeriod > 0 && stats.iterations % teamPeriod == 0 ? team!.move() : randomMove()
            guard moved else {
                st.undo(to: 0)
                verify?(st)
                continue
            }
            let after = st.score
            if after <= current || after <= hist[v] {
                if after < bestScore {
                    bestScore = after
                    bestDirty = true
                    lastImprovement = stats.iterations
                    onBest(after, stats.iterations)
                } else if bestDirty && after > bestScore {
                    // Leaving the best plan: take its snapshot first (undo, copy, replay).
                    let changes = st.changes(since: 0)
                    st.undo(to: 0)
                    bestCells = st.snapshot()
                    bestDirty = false
                    st.redo(changes)
                }
                st.commit()
                current = after
                stats.accepted += 1
            } else {
                st.undo(to: 0)
            }
            hist[v] = current
            verify?(st)
            if stats.iterations & 0xFFFF == 0, let elite, bestScore < elite.value {
                elite.offer(bestScore) { best().cells }
            }
            if stats.iterations - lastImprovement > restartAfter {
                // A long plateau: go back to the best plan (or a better one of another thread) and forget the history.
                var b = best()
                if let e = elite?.better(than: b.score) { b = e; bestScore = e.score; bestCells = e.cells; bestDirty = false }
                st.load(b.cells)
                current = st.score
                for i in hist.indices { hist[i] = current }
                lastImprovement = stats.iterations
                verify?(st)
            }
        }
    }

    // MARK: - Moves (each returns false when it could not apply; the caller then undoes it)

    @inline(__always) private func randomMove() -> Bool {
        let r = rng.below(1000)
        if r < mix[0] { return moveAugment() }
        if r < mix[1] { return moveChange() }
        if r < mix[2] { return moveSwapSameDay() }
        if r < mix[3] { return moveDayInWeek() }
        if r < mix[4] { return moveHandover() }
        if r < mix[5] { return moveKick() }
        if r < mix[6] { return moveSwapRuns() }
        return moveRuinRecreate()
    }

    @inline(__always) private func randomCell() -> Int { Int(movable[rng.below(movable.count)]) }

    /// A random occupied movable cell, or nil after a few tries.
    @inline(__always) private func randomOccupiedCell() -> Int? {
        for _ in 0..<8 {
            let c = randomCell()
            if st.staffAt(c) >= 0 { return c }
        }
        return nil
    }

    /// A candidate for post p: often someone already working there (continuity), else any eligible person.
    @inline(__always) private func pickStaff(post p: Int, avoid: Int32) -> Int32 {
        let lo = m.postCellStart[p], n = m.postCellStart[p + 1] - lo
        if n > 0 && rng.chance(50) {
            for _ in 0..<4 {
                let s = st.staffAt(lo + rng.below(n))
                if s >= 0 && s != avoid { return s }
            }
        }
        let e = m.eligStart[p + 1] - m.eligStart[p]
        guard e > 0 else { return -1 }
        // Half the draws lean to the nearest staff (the list is sorted by distance).
        let i = rng.chance(50) ? min(rng.below(e), rng.below(e)) : rng.below(e)
        return m.eligStaff[m.eligStart[p] + i]
    }

    /// Assign, unassign, or change the person on one post-day.
    private func moveChange() -> Bool {
        let c = randomCell()
        let p = Int(m.cellPost[c]), w = m.dayWeek[Int(m.cellDay[c])], pw = p * m.nWeeks + w
        let cur = st.staffAt(c)
        if cur < 0 {
            if st.postWeek[pw] < m.demand[pw] {
                let s = pickStaff(post: p, avoid: -1)
                return s >= 0 && st.assign(c, s)
            }
            // The week is full: move one of its days here, with the same or another person.
            let lo = Int(m.pwStart[pw]), n = Int(m.pwEnd[pw]) - lo
            let c2 = lo + rng.below(n)
            let s2 = st.staffAt(c2)
            guard c2 != c, s2 >= 0, !st.isPinned(c2) else { return false }
            st.unassign(c2)
            let s = rng.chance(50) ? s2 : pickStaff(post: p, avoid: -1)
            return s >= 0 && st.assign(c, s)
        }
        if rng.chance(5) { st.unassign(c); return true }
        let s = pickStaff(post: p, avoid: cur)
        guard s >= 0, s != cur else { return false }
        st.unassign(c)
        return st.assign(c, s)
    }

    /// Swap two staff members between posts on the same day (or hand the day to someone free).
    private func moveSwapSameDay() -> Bool {
        guard let c1 = randomOccupiedCell() else { return false }
        let s1 = st.staffAt(c1), p1 = Int(m.cellPost[c1]), d = Int(m.cellDay[c1])
        let s2 = pickStaff(post: p1, avoid: s1)
        guard s2 >= 0, s2 != s1 else { return false }
        let c2 = Int(st.staffDayCell[Int(s2) * m.nDays + d])
        if c2 < 0 {
            st.unassign(c1)
            return st.assign(c1, s2)
        }
        guard !st.isPinned(c2) else { return false }
        let p2 = Int(m.cellPost[c2])
        guard m.eligIndex[p2 * m.nStaff + Int(s1)] >= 0 else { return false }
        st.unassign(c1)
        st.unassign(c2)
        return st.assign(c1, s2) && st.assign(c2, s1)
    }

    /// Move an assignment to another day of the same post and week (or swap the two days' people).
    private func moveDayInWeek() -> Bool {
        guard let c = randomOccupiedCell() else { return false }
        let s = st.staffAt(c), p = Int(m.cellPost[c]), w = m.dayWeek[Int(m.cellDay[c])], pw = p * m.nWeeks + w
        let lo = Int(m.pwStart[pw]), n = Int(m.pwEnd[pw]) - lo
        guard n > 1 else { return false }
        let c2 = lo + rng.below(n)
        guard c2 != c, !st.isPinned(c2) else { return false }
        let s2 = st.staffAt(c2)
        st.unassign(c)
        if s2 < 0 {
            if rng.chance(70) { return st.assign(c2, s) }
            let t = pickStaff(post: p, avoid: -1)
            return t >= 0 && st.assign(c2, t)
        }
        st.unassign(c2)
        return st.assign(c2, s) && st.assign(c, s2)
    }

    /// Hand a post's run (all of it, or a stretch of weeks) from one person to another, for continuity.
    private func moveHandover() -> Bool {
        guard let c0 = randomOccupiedCell() else { return false }
        let a = st.staffAt(c0), p = Int(m.cellPost[c0])
        let b = pickStaff(post: p, avoid: a)
        guard b >= 0, b != a else { return false }
        var w0 = 0, w1 = m.nWeeks - 1
        if !rng.chance(fullRunPercent) {
            let wc = m.dayWeek[Int(m.cellDay[c0])]
            let span = 1 + rng.below(min(8, max(1, m.nWeeks / 2)))
            w0 = max(0, wc - rng.below(span)); w1 = min(m.nWeeks - 1, w0 + span - 1)
        }
        let lo = Int(m.pwStart[p * m.nWeeks + w0]), hi = Int(m.pwEnd[p * m.nWeeks + w1])
        var changed = 0
        for c in lo..<hi where st.staffAt(c) == a && !st.isPinned(c) {
            st.unassign(c)
            if st.assign(c, b) {
                changed += 1
            } else if !st.assign(c, a) {
                return false
            }
        }
        // b's other posts that day may block b; a swap of the blocked days is left to the other moves.
        return changed > 0
    }

    /// Fill an open post-day with someone who is busy or at capacity, freeing them, then refill what they left.
    private func moveKick() -> Bool {
        guard st.openCount > 0 else { return moveChange() }
        let pw = Int(st.openList[rng.below(st.openCount)])
        let lo = Int(m.pwStart[pw]), n = Int(m.pwEnd[pw]) - lo
        let c = lo + rng.below(n)
        let p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d]
        guard st.staffAt(c) < 0 else { return false }
        let s = pickStaff(post: p, avoid: -1)
        guard s >= 0, m.staffDayOK[Int(s) * m.nDays + d] else { return false }
        var freed0 = -1, freed1 = -1
        let busy = Int(st.staffDayCell[Int(s) * m.nDays + d])
        if busy >= 0 {
            guard !st.isPinned(busy) else { return false }
            st.unassign(busy)
            freed0 = busy
        }
        if st.staffWeek[Int(s) * m.nWeeks + w] >= m.cap[Int(s)] {
            let lo = weekDayStart[w], n = weekDayStart[w + 1] - lo
            guard n > 0 else { return false }
            let start = rng.below(n)
            var out = -1
            for i in 0..<n {
                let x = Int(st.staffDayCell[Int(s) * m.nDays + lo + (start + i) % n])
                if x >= 0 && !st.isPinned(x) { out = x; break }
            }
            guard out >= 0 else { return false }
            st.unassign(out)
            freed1 = out
        }
        guard st.assign(c, s) else { return false }
        if freed0 >= 0 { refill(freed0) }
        if freed1 >= 0 { refill(freed1) }
        return true
    }

    /// Two people exchange their runs on two posts (all weeks or a stretch), where their days allow.
    private func moveSwapRuns() -> Bool {
        guard let c1 = randomOccupiedCell() else { return false }
        let a = st.staffAt(c1), p = Int(m.cellPost[c1])
        let b = pickStaff(post: p, avoid: a)
        guard b >= 0, b != a, m.nDays > 0 else { return false }
        var q = -1
        for _ in 0..<8 {
            let x = Int(st.staffDayCell[Int(b) * m.nDays + rng.below(m.nDays)])
            if x >= 0 && Int(m.cellPost[x]) != p { q = Int(m.cellPost[x]); break }
        }
        guard q >= 0, m.eligIndex[q * m.nStaff + Int(a)] >= 0 else { return false }
        var w0 = 0, w1 = m.nWeeks - 1
        if !rng.chance(fullRunPercent) {
            let span = 1 + rng.below(min(8, max(1, m.nWeeks / 2)))
            w0 = rng.below(m.nWeeks); w1 = min(m.nWeeks - 1, w0 + span - 1)
        }
        var aCells: [Int] = [], bCells: [Int] = []
        for c in Int(m.pwStart[p * m.nWeeks + w0])..<Int(m.pwEnd[p * m.nWeeks + w1]) where st.staffAt(c) == a && !st.isPinned(c) { aCells.append(c) }
        for c in Int(m.pwStart[q * m.nWeeks + w0])..<Int(m.pwEnd[q * m.nWeeks + w1]) where st.staffAt(c) == b && !st.isPinned(c) { bCells.append(c) }
        guard !aCells.isEmpty || !bCells.isEmpty else { return false }
        for c in aCells { st.unassign(c) }
        for c in bCells { st.unassign(c) }
        for c in aCells where !st.assign(c, b) { _ = st.assign(c, a) }
        for c in bCells where !st.assign(c, a) { _ = st.assign(c, b) }
        return true
    }

    /// Clears a few posts over a stretch of weeks and refills every open cell there greedily (best delta first),
    /// then closes remaining gaps with augmenting chains.
    private func moveRuinRecreate() -> Bool {
        let k = 1 + rng.below(3)
        let span = 1 + rng.below(min(6, m.nWeeks))
        let w0 = rng.below(m.nWeeks), w1 = min(m.nWeeks - 1, w0 + span - 1)
        var cells: [Int] = []
        for _ in 0..<k {
            let p = Int(m.cellPost[randomCell()])
            for c in Int(m.pwStart[p * m.nWeeks + w0])..<Int(m.pwEnd[p * m.nWeeks + w1]) where !st.isPinned(c) {
                if st.staffAt(c) >= 0 { st.unassign(c) }
                cells.append(c)
            }
        }
        guard !cells.isEmpty else { return false }
        // Random order, then each cell takes its best candidate while its week still has demand open.
        for i in stride(from: cells.count - 1, to: 0, by: -1) { cells.swapAt(i, rng.below(i + 1)) }
        for c in cells where st.staffAt(c) < 0 {
            let p = Int(m.cellPost[c])
            var best: (Int, Int32)? = nil
            for j in m.eligStart[p]..<m.eligStart[p + 1] {
                let t = m.eligStaff[j]
                guard st.canAssign(c, t) else { continue }
                let delta = st.assignDelta(c, t)
                if delta < (best?.0 ?? 0) { best = (delta, t) }
            }
            if let b = best { _ = st.assign(c, b.1) }
        }
        return true
    }

    /// Give a random open post-week one more day through a chain of reassignments in its week.
    private func moveAugment() -> Bool {
        guard st.openCount > 0 else { return false }
        let pw = Int(st.openList[rng.below(st.openCount)])
        return augmenter.augment(postWeek: pw, maxExpansions: 16)
    }

    /// Puts the best of a few sampled candidates on an emptied cell when that lowers the score.
    private func refill(_ c: Int) {
        let p = Int(m.cellPost[c])
        var best: (Int, Int32)? = nil
        for _ in 0..<6 {
            let t = pickStaff(post: p, avoid: -1)
            guard t >= 0, st.canAssign(c, t) else { continue }
            let delta = st.assignDelta(c, t)
            if delta < (best?.0 ?? 0) { best = (delta, t) }
        }
        if let b = best { _ = st.assign(c, b.1) }
    }
}
