/// Search over teams (who may work on which post), each team change repaired exactly week by week.
///
/// The optimal plans differ from local-search plans mostly in continuity and in who serves which post: they
/// staff a post with one or two people where late acceptance leaves three or four, because dropping a person
/// from a post means moving many assignments at once, through chains of other posts' people. Here a move
/// changes teams — drop a member, an ejection chain of replacements (optionally closing into a rotation or
/// ending in a drop), one person for a whole post, two posts exchanging teams, a member moving to another of
/// their posts, an addition — and every week the change touches is re-solved to optimality for the new teams
/// by `WeekFlow`, over the posts connected to the change through shared people (the rest of the week is an
/// independent flow problem) — on large instances only the nearest of them (see `componentLimit`).
/// The changed posts may also take one-day stand-ins from outside their team at the continuity price. Moves
/// are accepted by late acceptance on the exact score (a history of 100 moves: each move is a large step);
/// after a long stall the search restarts from the best plan, shaken by a few moves taken whatever they cost.
final class TeamSearch {
    let st: SearchState
    let m: CompiledModel
    @exclusivity(unchecked) var rng: SeededRandom
    private let flow: WeekFlow
    /// Per eligible slot: 1 in the team, 0 not (a stand-in on a patched post), 2 banned by the current move.
    private let allowed: UnsafeMutablePointer<UInt8>
    private let patch: UnsafeMutablePointer<Bool>
    private let nSlots: Int
    private let allPosts: [Int]
    private let movable: [Int32]
    private var postSeen: [Int32], staffSeen: [Int32]
    private var stamp: Int32 = 0
    @exclusivity(unchecked) private(set) var iterations = 0
    @exclusivity(unchecked) private(set) var bestScore: Int
    @exclusivity(unchecked) private var bestCells: [Int32]
    private let historyLength: Int
    /// The most posts a move re-solves. Up to `exactComponentPosts` posts the part of a week linked to the change
    /// stays small and is re-solved whole (on 50-post instances that is what closes the last 0.02%); on larger ones
    /// it spans dozens of posts (a mean of 94 of 110 on the fiscal-year benchmark) and a move cost milliseconds, so
    /// only the `componentCap` posts nearest the change are re-solved and the others keep their assignments (they
    /// only use up capacity): 8× more moves per second ended 0.3% lower in 30 s on a 160-post instance.
    private let componentLimit: Int
    private static let exactComponentPosts = 64
    private static let componentCap = 16
    /// Moves without a new best before a restart from the best plan.
    private let restartAfter: Int
    /// The lower bound's teams, when a bound runs beside the search: half of the posts and outsiders are then
    /// drawn where the plan and the relaxation differ.
    var steering: Steering?
    /// The plan shared between the threads: published at every new best, taken over at a restart when better.
    var elite: ElitePlan?
    private var steerVersion = 0
    private var steerSlots: [Bool] = []
    private var steerSizes: [Int32] = []

    init(_ state: SearchState, seed: UInt64, historyLength: Int = 100, componentLimit: Int? = nil) {
        st = state
        m = state.m
        rng = SeededRandom(seed: seed)
        flow = WeekFlow(state)
        nSlots = state.m.eligStaff.count
        allowed = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, nSlots))
        allowed.initialize(repeating: 0, count: max(1, nSlots))
        patch = UnsafeMutablePointer<Bool>.allocate(capacity: max(1, state.m.nPosts))
        patch.initialize(repeating: false, count: max(1, state.m.nPosts))
        allPosts = Array(0..<state.m.nPosts)
        postSeen = [Int32](repeating: 0, count: state.m.nPosts)
        staffSeen = [Int32](repeating: 0, count: state.m.nStaff)
        let model = state.m
        movable = (0..<model.nCells).filter { model.cellPinned[$0] < 0 }.map(Int32.init)
        bestScore = state.score
        bestCells = state.snapshot()
        self.historyLength = max(1, historyLength)
        self.componentLimit = max(1, componentLimit
            ?? (state.m.nPosts <= TeamSearch.exactComponentPosts ? state.m.nPosts : TeamSearch.componentCap))
        restartAfter = 5000
    }

    deinit { allowed.deallocate(); patch.deallocate() }

    func best() -> (score: Int, cells: [Int32]) { (bestScore, bestCells) }

    /// The current teams: the staff working on each post.
    private func loadTeams() {
        for k in 0..<nSlots { allowed[k] = st.postStaff[k] > 0 ? 1 : 0 }
    }

    @inline(__always) private func slot(_ p: Int, _ s: Int32) -> Int { m.slot(post: p, staff: Int(s)) }

    /// Re-solves the given weeks for the teams in `allowed`; false when applying failed. Only the posts
    /// connected to `changed` through shared team members (or people working there now) are re-solved, the
    /// nearest first and at most `componentLimit` of them: the rest of a week is a separate flow problem that the
    /// change does not touch.
    private func resolve(weeks: [Int], changed: [Int]) -> Bool {
        let whole = changed.count == m.nPosts
        let posts = whole ? allPosts : component(of: changed)
        if !whole { for p in changed { patch[p] = true } }
        defer { if !whole { for p in changed { patch[p] = false } } }
        for w in weeks {
            guard flow.solve(week: w, posts: posts, allowed: allowed, patch: patch, patchCost: m.wContinuity) else { return false }
        }
        return true
    }

    private func component(of seeds: [Int]) -> [Int] {
        stamp &+= 1
        if stamp == Int32.max {
            for i in postSeen.indices { postSeen[i] = 0 }
            for i in staffSeen.indices { staffSeen[i] = 0 }
            stamp = 1
        }
        var out: [Int] = []
        for p in seeds where postSeen[p] != stamp { postSeen[p] = stamp; out.append(p) }
        var head = 0
        while head < out.count && out.count < componentLimit {
            let p = out[head]; head += 1
            for k in m.eligStart[p]..<m.eligStart[p + 1] where allowed[k] == 1 || st.postStaff[k] > 0 {
                let s = Int(m.eligStaff[k])
                guard staffSeen[s] != stamp else { continue }
                staffSeen[s] = stamp
                for j in m.staffPostStart[s]..<m.staffPostStart[s + 1] {
                    let q = Int(m.staffPosts[j])
                    guard postSeen[q] != stamp else { continue }
                    let kq = slot(q, Int32(s))
                    if (allowed[kq] == 1 || st.postStaff[kq] > 0) && out.count < componentLimit {
                        postSeen[q] = stamp; out.append(q)
                    }
                }
            }
        }
        return out
    }

    /// Every week re-solved for the current teams, until nothing improves.
    func polish() {
        var improved = true
        var rounds = 0
        while improved && rounds < 5 {
            improved = false
            rounds += 1
            for w in 0..<m.nWeeks {
                loadTeams()
                let before = st.score
                if resolve(weeks: [w], changed: allPosts) && st.score < before {
                    st.commit()
                    improved = true
                } else {
                    st.undo(to: 0)
                }
            }
        }
        st.commit()
        if st.score < bestScore { bestScore = st.score; bestCells = st.snapshot() }
    }

    /// Weeks of post p's cells, in order: all of them, or those in which staff s works on it.
    private func weeksOf(post p: Int, staff s: Int32? = nil) -> [Int] {
        var out: [Int] = []
        for c in m.postCellStart[p]..<m.postCellStart[p + 1] where s == nil || st.staffAt(c) == s {
            let w = m.dayWeek[Int(m.cellDay[c])]
            if out.last != w { out.append(w) }
        }
        return out
    }

    /// A staff member eligible for post p outside its team, nearest-biased, or −1.
    private func outsider(post p: Int) -> Int32 {
        let e = m.eligStart[p + 1] - m.eligStart[p]
        guard e > 0 else { return -1 }
        if !steerSlots.isEmpty && rng.chance(50) {
            // Someone the relaxation puts on this post.
            let start = rng.below(e)
            for i in 0..<e {
                let k = m.eligStart[p] + (start + i) % e
                if steerSlots[k] && allowed[k] != 1 { return m.eligStaff[k] }
            }
        }
        for _ in 0..<6 {
            let i = rng.chance(60) ? min(rng.below(e), rng.below(e)) : rng.below(e)
            let k = m.eligStart[p] + i
            if allowed[k] != 1 { return m.eligStaff[k] }
        }
        return -1
    }

    /// A random post with at least `members` people on it, or −1 after a few tries.
    private func randomPost(members: Int) -> Int {
        if !steerSizes.isEmpty && rng.chance(50) {
            // Of a few posts, the one with the most people beyond the relaxation's team.
            var best = -1, excess: Int32 = 0
            for _ in 0..<8 {
                let p = Int(m.cellPost[Int(movable[rng.below(movable.count)])])
                let x = st.postDistinct[p] - steerSizes[p]
                if st.postDistinct[p] >= members && x > excess { best = p; excess = x }
            }
            if best >= 0 { return best }
        }
        for _ in 0..<12 {
            let p = Int(m.cellPost[Int(movable[rng.below(movable.count)])])
            if st.postDistinct[p] >= members { return p }
        }
        return -1
    }

    /// A uniformly random post other than p on which s works now, or −1.
    private func otherPost(of s: Int32, besides p: Int) -> Int {
        var pick = -1, seen = 0
        for j in m.staffPostStart[Int(s)]..<m.staffPostStart[Int(s) + 1] {
            let q = Int(m.staffPosts[j])
            guard q != p, st.postStaff[slot(q, s)] > 0 else { continue }
            seen += 1
            if rng.below(seen) == 0 { pick = q }
        }
        return pick
    }

    /// A uniformly random member of post p's team (someone working on it), or −1.
    private func member(of p: Int) -> Int32 {
        let n = Int(st.postDistinct[p])
        guard n > 0 else { return -1 }
        var pick = rng.below(n)
        for k in m.eligStart[p]..<m.eligStart[p + 1] where st.postStaff[k] > 0 {
            if pick == 0 { return m.eligStaff[k] }
            pick -= 1
        }
        return -1
    }

    /// One team move applied (not committed); false when it did not apply.
    func move() -> Bool {
        loadTeams()
        let r = rng.below(100)
        if r < 25 {
            // Drop a member from a post.
            let p = randomPost(members: 2)
            guard p >= 0 else { return false }
            let s = member(of: p)
            guard s >= 0 else { return false }
            allowed[slot(p, s)] = 2
            return resolve(weeks: weeksOf(post: p, staff: s), changed: [p])
        }
        if r < 38 {
            // Two people exchange places: b takes a's posts where b may work, a takes b's where a may.
            let p = randomPost(members: 1)
            guard p >= 0 else { return false }
            let a = member(of: p)
            let b = outsider(post: p)
            guard a >= 0, b >= 0, a != b else { return false }
            return exchange(a, b)
        }
        if r < 65 {
            // An ejection chain: b replaces a on p; b leaves one of their posts q, where c replaces b; …
            var p = randomPost(members: 1)
            guard p >= 0 else { return false }
            var a = member(of: p)
            guard a >= 0 else { return false }
            var weeks = Set<Int>()
            var changed: [Int] = []
            let length = 1 + rng.below(4)
            let first = a
            for step in 0..<length {
                // After the first step, sometimes close the cycle: the first person moves here.
                let k0 = step > 0 ? slot(p, first) : -1
                let b = k0 >= 0 && allowed[k0] != 1 && rng.chance(40) ? first : outsider(post: p)
                guard b >= 0 else { return false }
                for w in weeksOf(post: p, staff: a) { weeks.insert(w) }
                allowed[slot(p, a)] = 2
                allowed[slot(p, b)] = 1
                changed.append(p)
                guard step + 1 < length else { break }
                // Continue on one of b's other posts: half of the time a random day's, half of the time any of
                // them alike (a post where b works a day or two, the cheapest to leave, is rarely a random day's).
                var q = -1
                if rng.chance(50) {
                    q = otherPost(of: b, besides: p)
                } else {
                    for _ in 0..<6 {
                        let c = Int(st.staffDayCell[Int(b) * m.nDays + rng.below(m.nDays)])
                        if c >= 0 && Int(m.cellPost[c]) != p && !st.isPinned(c) { q = Int(m.cellPost[c]); break }
                    }
                }
                guard q >= 0 else { break }
                if st.postDistinct[q] >= 2 && rng.chance(35) {
                    // End by dropping b from q, where others stay.
                    for w in weeksOf(post: q, staff: b) { weeks.insert(w) }
                    allowed[slot(q, b)] = 2
                    changed.append(q)
                    break
                }
                p = q; a = b
            }
            return resolve(weeks: weeks.sorted(), changed: changed)
        }
        if r < 75 {
            // One person for the whole post: a member or someone new.
            let p = randomPost(members: 2)
            guard p >= 0 else { return false }
            let x = rng.chance(60) ? member(of: p) : outsider(post: p)
            guard x >= 0 else { return false }
            for k in m.eligStart[p]..<m.eligStart[p + 1] { allowed[k] = 2 }
            allowed[slot(p, x)] = 1
            return resolve(weeks: weeksOf(post: p), changed: [p])
        }
        if r < 85 {
            // Two posts exchange their whole teams (q is a post of someone near p).
            let p = randomPost(members: 1)
            guard p >= 0 else { return false }
            let b = outsider(post: p)
            guard b >= 0 else { return false }
            let c = Int(st.staffDayCell[Int(b) * m.nDays + rng.below(max(1, m.nDays))])
            guard c >= 0 else { return false }
            let q = Int(m.cellPost[c])
            guard q != p else { return false }
            var toQ: [Int] = [], toP: [Int] = []
            for k in m.eligStart[p]..<m.eligStart[p + 1] where allowed[k] == 1 {
                let kq = slot(q, m.eligStaff[k])
                guard kq >= 0 else { return false }
                toQ.append(kq)
            }
            for k in m.eligStart[q]..<m.eligStart[q + 1] where allowed[k] == 1 {
                let kp = slot(p, m.eligStaff[k])
                guard kp >= 0 else { return false }
                toP.append(kp)
            }
            for k in m.eligStart[p]..<m.eligStart[p + 1] where allowed[k] == 1 { allowed[k] = 2 }
            for k in m.eligStart[q]..<m.eligStart[q + 1] where allowed[k] == 1 { allowed[k] = 2 }
            for k in toQ + toP { allowed[k] = 1 }
            return resolve(weeks: Set(weeksOf(post: p) + weeksOf(post: q)).sorted(), changed: [p, q])
        }
        if r < 92 {
            // A member of p moves to another of their posts q.
            let p = randomPost(members: 2)
            guard p >= 0 else { return false }
            let a = member(of: p)
            guard a >= 0 else { return false }
            let lo = m.staffPostStart[Int(a)], n = m.staffPostStart[Int(a) + 1] - lo
            guard n > 1 else { return false }
            let q = Int(m.staffPosts[lo + rng.below(n)])
            let kq = slot(q, a)
            guard q != p, allowed[kq] != 1 else { return false }
            let weeks = Set(weeksOf(post: p, staff: a) + weeksOf(post: q)).sorted()
            allowed[slot(p, a)] = 2
            allowed[kq] = 1
            return resolve(weeks: weeks, changed: [p, q])
        }
        if r < 96 {
            // Re-solve one week for the current teams (it may have drifted from its optimum).
            return resolve(weeks: [rng.below(m.nWeeks)], changed: allPosts)
        }
        // Add someone to a post.
        let p = randomPost(members: 0)
        guard p >= 0 else { return false }
        let x = outsider(post: p)
        guard x >= 0 else { return false }
        allowed[slot(p, x)] = 1
        return resolve(weeks: weeksOf(post: p), changed: [p])
    }

    /// Exchanges the teams of a and b (where the other may work on the post) and re-solves their weeks (not
    /// committed); false when nothing changed. Half of the time only some of the places are exchanged (the optimum
    /// often has two people trading a few posts and keeping the rest); `only` fixes the posts instead.
    func swapPeople(_ a: Int32, _ b: Int32, only: Set<Int>? = nil) -> Bool {
        loadTeams()
        return exchange(a, b, only: only)
    }

    /// `swapPeople` on the teams already in `allowed` (a move has loaded them).
    private func exchange(_ a: Int32, _ b: Int32, only: Set<Int>? = nil) -> Bool {
        var changes: [(slotOut: Int, slotIn: Int, post: Int, leaving: Int32)] = []
        for (x, y) in [(a, b), (b, a)] {
            for j in m.staffPostStart[Int(x)]..<m.staffPostStart[Int(x) + 1] {
                let q = Int(m.staffPosts[j])
                let kx = slot(q, x), ky = slot(q, y)
                guard allowed[kx] == 1, ky >= 0, allowed[ky] == 0, only?.contains(q) ?? true else { continue }
                changes.append((kx, ky, q, x))
            }
        }
        guard !changes.isEmpty else { return false }
        if only == nil && changes.count > 1 && rng.chance(50) {
            var some = changes.filter { _ in rng.chance(50) }
            if some.isEmpty { some = [changes[rng.below(changes.count)]] }
            changes = some
        }
        var weeks = Set<Int>()
        for c in changes {
            for w in weeksOf(post: c.post, staff: c.leaving) { weeks.insert(w) }
            allowed[c.slotOut] = 2
            allowed[c.slotIn] = 1
        }
        return resolve(weeks: weeks.sorted(), changed: changes.map(\.post))
    }

    /// Takes the steering's newest teams; true when there are new ones with continuity priced.
    func takeSteering() -> Bool {
        guard let steering, let t = steering.latest(after: steerVersion) else { return false }
        steerVersion = t.version; steerSlots = t.slots; steerSizes = t.sizes
        return !steerSlots.isEmpty
    }

    /// Every week re-solved for the teams of the lower bound's relaxation, with stand-ins where they fall short
    /// (not committed); the new score. The relaxation prices continuity, so its teams are often close to the
    /// best plan's even when the search is far from it.
    func relaxationPlan() -> Int {
        for k in 0..<nSlots { allowed[k] = steerSlots[k] ? 1 : 0 }
        for p in allPosts { patch[p] = true }
        defer { for p in allPosts { patch[p] = false } }
        for w in 0..<m.nWeeks {
            guard flow.solve(week: w, posts: allPosts, allowed: allowed, patch: patch, patchCost: m.wContinuity) else { return Int.max }
        }
        return st.score
    }

    /// The current teams with a few connected posts given the relaxation's teams, their weeks re-solved (not
    /// committed); false when it did not apply. The posts are those where plan and relaxation differ, linked
    /// through the people who would leave or join them: a step of the plan towards the relaxation's teams.
    func crossWithRelaxation() -> Bool {
        loadTeams()
        func differs(_ p: Int) -> Bool {
            for k in m.eligStart[p]..<m.eligStart[p + 1] where (allowed[k] == 1) != steerSlots[k] { return true }
            return false
        }
        let diff = allPosts.filter(differs)
        guard !diff.isEmpty else { return false }
        let limit = 2 + rng.below(7)
        stamp &+= 1
        if stamp == Int32.max { for i in postSeen.indices { postSeen[i] = 0 }; stamp = 1 }
        let first = diff[rng.below(diff.count)]
        var region = [first]
        postSeen[first] = stamp
        var head = 0
        while head < region.count && region.count < limit {
            let p = region[head]; head += 1
            for k in m.eligStart[p]..<m.eligStart[p + 1] where (allowed[k] == 1) != steerSlots[k] {
                let s = Int(m.eligStaff[k])
                for j in m.staffPostStart[s]..<m.staffPostStart[s + 1] where region.count < limit {
                    let q = Int(m.staffPosts[j])
                    if postSeen[q] != stamp && differs(q) { postSeen[q] = stamp; region.append(q) }
                }
            }
        }
        var weeks = Set<Int>()
        for p in region {
            for w in weeksOf(post: p) { weeks.insert(w) }
            for k in m.eligStart[p]..<m.eligStart[p + 1] {
                allowed[k] = steerSlots[k] ? 1 : (allowed[k] == 1 ? 2 : 0)
            }
        }
        return resolve(weeks: weeks.sorted(), changed: region)
    }

    /// Runs until `stop()` (checked every move) or `maxIterations` moves.
    func run(maxIterations: Int?, stop: () -> Bool, onBest: (Int, Int) -> Void) {
        guard !movable.isEmpty else { return }
        polish()
        if bestScore < Int.max { onBest(bestScore, 0) }
        var hist = [Int](repeating: st.score, count: historyLength)
        var current = st.score
        var lastImprovement = 0
        var restarts = 0
        var staleRestarts = 0, bestAtRestart = bestScore
        while true {
            if let limit = maxIterations, iterations >= limit { break }
            if stop() { break }
            if iterations & 63 == 0 && takeSteering() {
                if relaxationPlan() < current {
                    // The relaxation's teams made into a plan beat where the search is: go on from there.
                    st.commit()
                    current = st.score
                    for i in hist.indices { hist[i] = current }
                    lastImprovement = iterations
                    if current < bestScore {
                        bestScore = current
                        bestCells = st.snapshot()
                        elite?.offer(current) { bestCells }
                        onBest(current, iterations)
                    }
                } else {
                    st.undo(to: 0)
                }
            }
            let v = iterations % historyLength
            iterations += 1
            guard move() else { st.undo(to: 0); continue }
            let after = st.score
            if after <= current || after <= hist[v] {
                st.commit()
                current = after
                if after < bestScore {
                    bestScore = after
                    bestCells = st.snapshot()
                    elite?.offer(after) { bestCells }
                    lastImprovement = iterations
                    onBest(after, iterations)
                }
            } else {
                st.undo(to: 0)
            }
            hist[v] = current
            if iterations - lastImprovement > restartAfter {
                // Stuck: back to the best plan, shaken by a few team moves taken whatever they cost.
                if let e = elite?.better(than: bestScore) {
                    // Another thread is ahead: polish its plan (exact weeks for its teams) and go on from there.
                    st.load(e.cells)
                    bestScore = st.score
                    bestCells = e.cells
                    polish()
                    if bestScore < e.score { elite?.offer(bestScore) { bestCells }; onBest(bestScore, iterations) }
                    current = st.score
                    for i in hist.indices { hist[i] = current }
                    lastImprovement = iterations
                    continue
                }
                st.load(bestCells)
                restarts += 1
                staleRestarts = bestScore < bestAtRestart ? 0 : staleRestarts + 1
                bestAtRestart = bestScore
                if !steerSlots.isEmpty && restarts % 2 == 0 {
                    // Every other restart: from the best plan a step towards the relaxation's teams.
                    if crossWithRelaxation() { st.commit() } else { st.undo(to: 0) }
                } else {
                    // Shakes grow while restarts find nothing: the way out of a deep basin takes several moves.
                    for _ in 0..<(2 + rng.below(3) + min(staleRestarts / 2, 8)) {
                        if move() { st.commit() } else { st.undo(to: 0) }
                    }
                }
                current = st.score
                for i in hist.indices { hist[i] = current }
                lastImprovement = iterations
            }
        }
    }
}
