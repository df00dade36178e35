/// xoshiro256** seeded through SplitMix64: fast, and the same seed gives the same stream on every platform.
struct SeededRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64) {
        var x = seed
        func split() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = split(); s1 = split(); s2 = split(); s3 = split()
    }

    @inline(__always) mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform integer in 0..<n (n > 0).
    @inline(__always) mutating func below(_ n: Int) -> Int { Int((next() >> 11) % UInt64(n)) }

    /// True with probability `percent`/100.
    @inline(__always) mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// Greedy construction: posts in order of scarcity, one primary person per post, then a global fill.
enum Construction {
    /// Fills the grid of `st` (pins already placed) with a good feasible plan; deterministic.
    static func build(_ st: SearchState) {
        let m = st.m
        // Scarce posts first: the fewest eligible person-days per demanded day.
        var scarcity: [(Double, Int)] = []
        for p in 0..<m.nPosts {
            var demand = 0
            for w in 0..<m.nWeeks { demand += Int(m.demand[p * m.nWeeks + w]) }
            guard demand > 0 else { continue }
            var supply = 0
            for k in m.eligStart[p]..<m.eligStart[p + 1] {
                let s = Int(m.eligStaff[k])
                for c in m.postCellStart[p]..<m.postCellStart[p + 1] where m.staffDayOK[s * m.nDays + Int(m.cellDay[c])] { supply += 1 }
            }
            scarcity.append((Double(supply) / Double(demand), p))
        }
        scarcity.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }

        // Replanning: start from the baseline, keeping every entry that still fits.
        for c in 0..<m.nCells where st.staffAt(c) < 0 {
            for i in Int(m.cellBaselineStart[c])..<Int(m.cellBaselineStart[c + 1]) {
                let s = m.baselineStaff[i]
                if st.canAssign(c, s) && st.assignDelta(c, s) < 0 { _ = st.assign(c, s); break }
            }
        }

        // Honour required requests first: they cost 500 each when missed.
        for (_, p) in scarcity {
            for c in m.postCellStart[p]..<m.postCellStart[p + 1] where st.staffAt(c) < 0 && m.cellRequired[c] {
                if let s = bestStaff(st, cell: c) { _ = st.assign(c, s) }
            }
        }

        for (_, p) in scarcity {
            // One primary person per post, then as few others as the remaining demand needs.
            for _ in 0..<4 {
                var best: (cover: Int, cost: Int, s: Int32)? = nil
                for k in m.eligStart[p]..<m.eligStart[p + 1] {
                    let s = m.eligStaff[k]
                    let cover = coverage(st, post: p, staff: s)
                    guard cover > 0 else { continue }
                    // Someone already on the post costs no continuity; prefer them on ties of coverage.
                    let onPost = st.postStaff[k] > 0 ? 0 : m.wContinuity
                    let cost = Int(m.eligTravel[k]) * cover + onPost
                    if let b = best, cover < b.cover || (cover == b.cover && cost >= b.cost) { continue }
                    best = (cover, cost, s)
                }
                guard let pick = best else { break }
                place(st, post: p, staff: pick.s)
                if remainingDemand(st, post: p) == 0 { break }
            }
        }

        // Global fill: any cell still open in its week gets the cheapest feasible person.
        let order = (0..<m.nCells).sorted { (m.cellCost[$0], $0) < (m.cellCost[$1], $1) }
        for c in order where st.staffAt(c) < 0 {
            if let s = bestStaff(st, cell: c) { _ = st.assign(c, s) }
        }
        st.commit()
        // Then chains of reassignments until every week has its maximum coverage.
        Augmenter(st).saturate()
    }

    static func remainingDemand(_ st: SearchState, post p: Int) -> Int {
        let m = st.m
        var r = 0
        for w in 0..<m.nWeeks { r += Int(m.demand[p * m.nWeeks + w] - st.postWeek[p * m.nWeeks + w]) }
        return r
    }

    /// How many of post p's open demand days staff s could take now.
    static func coverage(_ st: SearchState, post p: Int, staff s: Int32) -> Int {
        let m = st.m
        let si = Int(s)
        var total = 0
        for w in 0..<m.nWeeks {
            let i = p * m.nWeeks + w
            let open = Int(m.demand[i] - st.postWeek[i])
            guard open > 0 else { continue }
            let room = Int(m.cap[si] - st.staffWeek[si * m.nWeeks + w])
            guard room > 0 else { continue }
            var avail = 0
            for c in Int(m.pwStart[i])..<Int(m.pwEnd[i]) where st.staffAt(c) < 0 {
                let d = Int(m.cellDay[c])
                if m.staffDayOK[si * m.nDays + d] && st.isFree(s, day: d) { avail += 1 }
            }
            total += min(open, room, avail)
        }
        return total
    }

    /// Puts s on post p's open days, cheapest days first in each week.
    static func place(_ st: SearchState, post p: Int, staff s: Int32) {
        let m = st.m
        for w in 0..<m.nWeeks {
            let i = p * m.nWeeks + w
            var cells = (Int(m.pwStart[i])..<Int(m.pwEnd[i])).filter { st.canAssign($0, s) }
            cells.sort { (st.assignDelta($0, s), $0) < (st.assignDelta($1, s), $1) }
            for c in cells where st.canAssign(c, s) && st.assignDelta(c, s) < 0 { _ = st.assign(c, s) }
        }
    }

    /// The feasible staff member with the best (lowest, negative) delta on cell c, or nil.
    static func bestStaff(_ st: SearchState, cell c: Int) -> Int32? {
        let m = st.m
        let p = Int(m.cellPost[c])
        var best: (Int, Int32)? = nil
        for k in m.eligStart[p]..<m.eligStart[p + 1] {
            let s = m.eligStaff[k]
            guard st.canAssign(c, s) else { continue }
            let d = st.assignDelta(c, s)
            if d < 0 && d < (best?.0 ?? 0) { best = (d, s) }
        }
        return best?.1
    }
}
