/// Exact re-optimisation of one week for given teams, as a min-cost flow.
///
/// Once every post's team (the staff allowed on it) is fixed, continuity is fixed too (at most the team sizes),
/// and every other term is local to one ISO week: the cells' fixed shares (travel, undesired date, weekday,
/// requests, baseline, −unmetDemand), H2/H3 at most one, H5/H6 weekly ceilings and overTarget, which is convex
/// per staff-week. So one week of a set of posts is a min-cost flow
///
///     source → staff-week (target − fixed at cost 0, the rest up to cap at overTarget) → staff-day (1)
///            → cell (1, the staff member's fixed share on it) → post-week (demand − fixed) → sink
///
/// solved by successive shortest paths (Bellman–Ford with a queue: the costs are negative), stopping when no
/// path lowers the cost. Assignments outside the ruined posts, and pins, stay and only use up capacity.
/// The result is applied through the state's primitives, so the score stays exact (and continuity, which the
/// flow does not see, can only fall: nobody outside a post's team is put on it).
final class WeekFlow {
    private let st: SearchState
    private let m: CompiledModel

    // Graph in growable raw buffers (the flow runs in the inner loop of a search; no exclusivity or bounds
    // checks). Arcs come in pairs: a and a ^ 1.
    @exclusivity(unchecked) private var head = Buffer<Int32>(), next = Buffer<Int32>(), to = Buffer<Int32>(), cap = Buffer<Int32>()
    @exclusivity(unchecked) private var cost = Buffer<Int>(), arcStaff = Buffer<Int32>(), nodeCell = Buffer<Int32>()
    @exclusivity(unchecked) private var nodeCount = 0
    // Node lookup by stamp.
    private let staffNode: UnsafeMutablePointer<Int32>, staffStamp: UnsafeMutablePointer<Int32>
    private let dayNode: UnsafeMutablePointer<Int32>, dayStamp: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var stamp: Int32 = 0
    // Shortest paths.
    @exclusivity(unchecked) private var dist = Buffer<Int>(), pot = Buffer<Int>(), prevArc = Buffer<Int32>(), inQueue = Buffer<Bool>()
    @exclusivity(unchecked) private var queue = Buffer<Int32>(), heapKey = Buffer<Int>(), heapNode = Buffer<Int32>()

    init(_ state: SearchState) {
        st = state
        m = state.m
        func buffer(_ n: Int) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, n))
            p.initialize(repeating: 0, count: max(1, n))
            return p
        }
        staffNode = buffer(m.nStaff); staffStamp = buffer(m.nStaff)
        dayNode = buffer(m.nStaff * 7); dayStamp = buffer(m.nStaff * 7)
    }

    deinit {
        staffNode.deallocate(); staffStamp.deallocate(); dayNode.deallocate(); dayStamp.deallocate()
        head.free(); next.free(); to.free(); cap.free(); cost.free(); arcStaff.free(); nodeCell.free()
        dist.free(); pot.free(); prevArc.free(); inQueue.free(); queue.free(); heapKey.free(); heapNode.free()
    }

    @inline(__always) private func addNode(cell: Int32 = -1) -> Int32 {
        head.append(-1); nodeCell.append(cell)
        nodeCount += 1
        return Int32(nodeCount - 1)
    }

    @inline(__always) private func addArc(_ a: Int32, _ b: Int32, _ c: Int32, _ w: Int, staff: Int32 = -1) {
        let e = Int32(to.count)
        to.append(b); cap.append(c); cost.append(w); next.append(head[Int(a)]); head[Int(a)] = e; arcStaff.append(staff)
        to.append(a); cap.append(0); cost.append(-w); next.append(head[Int(b)]); head[Int(b)] = e + 1; arcStaff.append(staff)
    }

    /// Re-solves week w over `posts` with staff s allowed on post p when `allowed[slot]` is 1 for
    /// slot = eligStart[p] + eligIndex(p, s). On a post with `patch[p]`, the nearest few staff with `allowed` 0
    /// (not 2, banned) may also sit there at `patchCost` more a day: a one-day stand-in costs exactly one more
    /// distinct person, longer stand-ins are overcharged (the state's exact score decides anyway).
    /// Applies the result through logged primitives (the caller undoes to reject) and returns false when applying
    /// failed (the state must then be rolled back).
    func solve(week w: Int, posts: [Int], allowed: UnsafePointer<UInt8>, patch: UnsafePointer<Bool>? = nil,
               patchCost: Int = 0) -> Bool {
        guard w >= 0, w < m.nWeeks else { return true }
        let dLo = m.weekFirstDay[w], dHi = m.weekFirstDay[w + 1]
        guard dHi > dLo else { return true }
        stamp &+= 1
        if stamp == Int32.max {
            staffStamp.update(repeating: 0, count: m.nStaff)
            dayStamp.update(repeating: 0, count: m.nStaff * 7)
            stamp = 1
        }
        head.clear(); next.clear(); to.clear(); cap.clear(); cost.clear(); nodeCell.clear(); arcStaff.clear()
        nodeCount = 0
        let source = addNode(), sink = addNode()

        // Ruin: every unpinned cell of these posts this week.
        for p in posts {
            let pw = p * m.nWeeks + w
            for c in Int(m.pwStart[pw])..<Int(m.pwEnd[pw]) where !st.isPinned(c) {
                if st.staffAt(c) >= 0 { st.unassign(c) }
            }
        }
        let wOver = m.wOverTarget
        for p in posts {
            let pw = p * m.nWeeks + w
            let room = Int(m.demand[pw] - st.postWeek[pw])
            guard room > 0 else { continue }
            let lo = Int(m.pwStart[pw]), hi = Int(m.pwEnd[pw])
            let eLo = m.eligStart[p], eHi = m.eligStart[p + 1]
            var pn: Int32 = -1
            for c in lo..<hi where st.staffAt(c) < 0 && !st.isPinned(c) {
                let d = Int(m.cellDay[c])
                var cn: Int32 = -1
                let patching = patch?[p] ?? false
                var patches = 0
                for k in eLo..<eHi {
                    let extra: Int
                    if allowed[k] == 1 {
                        extra = 0
                    } else if allowed[k] == 0 && patching && patches < 8 {
                        extra = patchCost
                        patches += 1
                    } else {
                        continue
                    }
                    let s = m.eligStaff[k], si = Int(s)
                    guard m.staffDayOK[si * m.nDays + d], st.staffDayCell[si * m.nDays + d] < 0 else { continue }
                    let used = Int(st.staffWeek[si * m.nWeeks + w])
                    guard used < Int(m.cap[si]) else { continue }
                    if staffStamp[si] != stamp {
                        staffStamp[si] = stamp
                        let sn = addNode()
                        staffNode[si] = sn
                        let free = max(0, Int(m.target[si]) - used), total = Int(m.cap[si]) - used
                        if free > 0 { addArc(source, sn, Int32(free), 0) }
                        if total > free { addArc(source, sn, Int32(total - free), wOver) }
                    }
                    let dk = si * 7 + (d - dLo)
                    if dayStamp[dk] != stamp {
                        dayStamp[dk] = stamp
                        let dn = addNode()
                        dayNode[dk] = dn
                        addArc(staffNode[si], dn, 1, 0)
                    }
                    if cn < 0 {
                        cn = addNode(cell: Int32(c))
                        if pn < 0 { pn = addNode(); addArc(pn, sink, Int32(room), 0) }
                        addArc(cn, pn, 1, 0)
                    }
                    addArc(dayNode[dk], cn, 1, st.fixedCost(c, s) + extra, staff: s)
                }
            }
        }

        // Successive shortest paths while a path lowers the cost: Bellman–Ford (queue) once for potentials
        // (the costs are negative), then Dijkstra on reduced costs.
        let n = nodeCount
        dist.resize(n, 0); prevArc.resize(n, -1); inQueue.resize(n, false); pot.resize(n, 0)
        for i in 0..<n { dist[i] = Int.max; prevArc[i] = -1 }
        dist[Int(source)] = 0
        queue.clear()
        queue.append(source); inQueue[Int(source)] = true
        var qh = 0
        while qh < queue.count {
            let u = Int(queue[qh]); qh += 1
            inQueue[u] = false
            let du = dist[u]
            var e = Int(head[u])
            while e >= 0 {
                if cap[e] > 0 {
                    let v = Int(to[e]), nd = du + cost[e]
                    if nd < dist[v] {
                        dist[v] = nd; prevArc[v] = Int32(e)
                        if !inQueue[v] { inQueue[v] = true; queue.append(Int32(v)) }
                    }
                }
                e = Int(next[e])
            }
        }
        for i in 0..<n { pot[i] = dist[i] == Int.max ? 0 : dist[i] }
        // pot[sink] is the cost of the shortest augmenting path (potentials are distances from the source).
        var reachable = dist[Int(sink)] != Int.max
        while reachable && pot[Int(sink)] < 0 {
            var v = Int(sink)
            while v != Int(source) {
                let e = Int(prevArc[v])
                cap[e] -= 1; cap[e ^ 1] += 1
                v = Int(to[e ^ 1])
            }
            // Dijkstra on reduced costs cost + pot[u] − pot[v] ≥ 0.
            for i in 0..<n { dist[i] = Int.max; prevArc[i] = -1 }
            dist[Int(source)] = 0
            heapKey.clear(); heapNode.clear()
            heapPush(0, source)
            while heapKey.count > 0 {
                let (du, u32) = heapPop()
                let u = Int(u32)
                if du > dist[u] { continue }
                // Stop at the sink; nodes farther away are capped at its distance below, which keeps every
                // reduced cost non-negative.
                if u == Int(sink) { break }
                var e = Int(head[u])
                while e >= 0 {
                    if cap[e] > 0 {
                        let v = Int(to[e]), nd = du + cost[e] + pot[u] - pot[v]
                        if nd < dist[v] {
                            dist[v] = nd; prevArc[v] = Int32(e)
                            heapPush(nd, Int32(v))
                        }
                    }
                    e = Int(next[e])
                }
            }
            let ds = dist[Int(sink)]
            reachable = ds != Int.max
            guard reachable else { break }
            for i in 0..<n { pot[i] += min(dist[i], ds) }
        }

        // Read the assignment off the staff-day → cell arcs that carry flow.
        for u in 0..<n where nodeCell[u] >= 0 {
            let c = Int(nodeCell[u])
            var e = Int(head[u])
            while e >= 0 {
                // The reverse arc of a used staff-day → cell arc has capacity 1.
                if e & 1 == 1 && cap[e] > 0 && arcStaff[e] >= 0 {
                    guard st.assign(c, arcStaff[e]) else { return false }
                    break
                }
                e = Int(next[e])
            }
        }
        return true
    }

    @inline(__always) private func heapPush(_ k: Int, _ v: Int32) {
        var i = heapKey.count
        heapKey.append(k); heapNode.append(v)
        while i > 0 {
            let parent = (i - 1) >> 1
            guard heapKey[parent] > k else { break }
            heapKey[i] = heapKey[parent]; heapNode[i] = heapNode[parent]
            i = parent
        }
        heapKey[i] = k; heapNode[i] = v
    }

    @inline(__always) private func heapPop() -> (Int, Int32) {
        let top = (heapKey[0], heapNode[0])
        let k = heapKey.removeLast(), v = heapNode.removeLast()
        let n = heapKey.count
        if n > 0 {
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                if child + 1 < n && heapKey[child + 1] < heapKey[child] { child += 1 }
                guard heapKey[child] < k else { break }
                heapKey[i] = heapKey[child]; heapNode[i] = heapNode[child]
                i = child
            }
            heapKey[i] = k; heapNode[i] = v
        }
        return top
    }
}

/// A growable array in raw memory, for the flow's inner loops (no exclusivity, bounds or uniqueness checks).
struct Buffer<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity = 16

    init() { base = UnsafeMutablePointer<T>.allocate(capacity: 16) }

    func free() { base.deallocate() }

    @inline(__always) subscript(i: Int) -> T {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(__always) mutating func append(_ v: T) {
        if count == capacity { grow(capacity * 2) }
        (base + count).initialize(to: v)
        count += 1
    }

    @inline(__always) mutating func removeLast() -> T {
        count -= 1
        return base[count]
    }

    @inline(__always) mutating func clear() { count = 0 }

    /// Makes the count n, every element v.
    mutating func resize(_ n: Int, _ v: T) {
        if n > capacity { grow(max(n, capacity * 2)) }
        base.update(repeating: v, count: n)
        count = n
    }

    private mutating func grow(_ n: Int) {
        let b = UnsafeMutablePointer<T>.allocate(capacity: n)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = n
    }
}
