/// Augmenting paths for coverage: fill an open post-week by a chain of reassignments inside one week.
///
/// Coverage of one week is a flow problem (staff capacity → staff-days → cells → post-week demand), so an open
/// post-week can gain a day exactly when an augmenting path exists: staff s₁ leaves a cell of post Q₁ for an
/// open cell of P₀ (same day, or another day when s₁ is at the weekly maximum), Q₁ is refilled by s₂ leaving
/// Q₂, … until someone free takes the last gap. A breadth-first search over the week's posts finds such a
/// chain; running it from every open post-week until none succeeds reaches the week's maximum coverage, which
/// is how the construction starts the search at the least unmet demand the instance allows.
final class Augmenter {
    private let st: SearchState
    private let m: CompiledModel
    @exclusivity(unchecked) private var stamp: [Int32]
    @exclusivity(unchecked) private var generation: Int32 = 0
    /// Per post reached: the post it was reached from, the cell filled there, the staff moving, the cell they leave.
    @exclusivity(unchecked) private var parentPost: [Int32], parentCell: [Int32], parentStaff: [Int32], releasedCell: [Int32]
    @exclusivity(unchecked) private var queue: [Int32]
    /// Posts known not to reach a free person in a week since that week last changed (`dead[p * nWeeks + w]`).
    @exclusivity(unchecked) private var dead: [Int32]
    @exclusivity(unchecked) private var weekVersion: [Int32]
    /// When set, each post's eligible list is scanned from a random start, so repeated searches vary.
    @exclusivity(unchecked) private var rng: SeededRandom?

    init(_ state: SearchState, seed: UInt64? = nil) {
        rng = seed.map { SeededRandom(seed: $0) }
        st = state
        m = state.m
        stamp = [Int32](repeating: 0, count: m.nPosts)
        parentPost = [Int32](repeating: -1, count: m.nPosts)
        parentCell = parentPost; parentStaff = parentPost; releasedCell = parentPost
        queue = []
        queue.reserveCapacity(m.nPosts)
        dead = [Int32](repeating: -1, count: m.nPosts * m.nWeeks)
        weekVersion = [Int32](repeating: 0, count: m.nWeeks)
    }

    /// Raises coverage everywhere as far as chains allow; each accepted chain must lower the score.
    func saturate(maxExpansions: Int = .max) {
        for w in weekVersion.indices { weekVersion[w] &+= 1 }
        var improved = true
        while improved {
            improved = false
            var list: [Int32] = []
            for i in 0..<st.openCount { list.append(st.openList[i]) }
            list.sort()
            for pw in list where st.postWeek[Int(pw)] < m.demand[Int(pw)] {
                let mark = st.mark, before = st.score
                if augment(postWeek: Int(pw), maxExpansions: maxExpansions) && st.score < before {
                    st.commit()
                    improved = true
                } else {
                    st.undo(to: mark)
                }
            }
        }
    }

    /// Finds and applies one chain that gives open post-week `pw` one more day; false (state possibly
    /// partly changed, to be undone by the caller) when there is none within `maxExpansions` posts.
    func augment(postWeek pw: Int, maxExpansions: Int) -> Bool {
        let w = pw % m.nWeeks, p0 = pw / m.nWeeks
        if dead[pw] == weekVersion[w] && rng == nil { return false }
        generation &+= 1
        if generation == Int32.max { for i in stamp.indices { stamp[i] = 0 }; generation = 1 }
        queue.removeAll(keepingCapacity: true)
        queue.append(Int32(p0)); stamp[p0] = generation; parentPost[p0] = -1; releasedCell[p0] = -1; parentStaff[p0] = -1
        var head = 0
        var found: (post: Int, cell: Int, staff: Int32)? = nil
        search: while head < queue.count && head < maxExpansions {
            let p = Int(queue[head]); head += 1
            let ppw = p * m.nWeeks + w
            let lo = Int(m.pwStart[ppw]), hi = Int(m.pwEnd[ppw])
            let released = Int(releasedCell[p])
            let eLo = m.eligStart[p], eN = m.eligStart[p + 1] - eLo
            guard eN > 0, hi > lo else { continue }
            let eOff = rng != nil ? rng!.below(eN) : 0
            for c in lo..<hi {
                // Cells empty now, or the one the previous mover leaves.
                guard st.staffAt(c) < 0 || c == released else { continue }
                let d = Int(m.cellDay[c])
                for j in 0..<eN {
                    let s = m.eligStaff[eLo + (j + eOff) % eN]
                    let si = Int(s)
                    guard m.staffDayOK[si * m.nDays + d] else { continue }
                    let busy = Int(st.staffDayCell[si * m.nDays + d])
                    if busy < 0 {
                        if st.staffWeek[si * m.nWeeks + w] < m.cap[si] {
                            found = (p, c, s)
                            break search
                        }
                        // At the weekly maximum: leave one of this week's other cells.
                        let dLo = m.weekFirstDay[w], dHi = m.weekFirstDay[w + 1]
                        for dd in dLo..<dHi {
                            let r = Int(st.staffDayCell[si * m.nDays + dd])
                            guard r >= 0, !st.isPinned(r) else { continue }
                            let q = Int(m.cellPost[r])
                            if stamp[q] != generation { reach(q, from: p, cell: c, staff: s, release: r) }
                        }
                    } else if !st.isPinned(busy) {
                        let q = Int(m.cellPost[busy])
                        if stamp[q] != generation { reach(q, from: p, cell: c, staff: s, release: busy) }
                    }
                }
            }
        }
        guard let end = found else {
            if head >= queue.count && rng == nil { for q in queue { dead[Int(q) * m.nWeeks + w] = weekVersion[w] } }
            return false
        }
        // Walk back to the open post-week, then apply the moves from there outwards.
        var chain: [Int] = []
        var p = end.post
        while parentPost[p] >= 0 { chain.append(p); p = Int(parentPost[p]) }
        for q in chain.reversed() {
            let r = Int(releasedCell[q]), s = parentStaff[q], c = Int(parentCell[q])
            guard st.staffAt(r) == s else { return false }
            st.unassign(r)
            guard st.assign(c, s) else { return false }
        }
        guard st.assign(end.cell, end.staff) else { return false }
        weekVersion[w] &+= 1
        return true
    }

    @inline(__always) private func reach(_ q: Int, from p: Int, cell c: Int, staff s: Int32, release r: Int) {
        stamp[q] = generation
        parentPost[q] = Int32(p); parentCell[q] = Int32(c); parentStaff[q] = s; releasedCell[q] = Int32(r)
        queue.append(Int32(q))
    }
}
