/// Min-cost transshipment on a fixed graph: route every node's supply (negative: demand) at least cost.
///
/// The lower bound solves the same week graphs many times with different arc costs (the Lagrangian
/// multipliers change, the topology does not), so the graph is built once in compressed rows and each solve
/// only resets residual capacities and excesses. The algorithm is cost scaling (Goldberg's push–relabel
/// `refine`, FIFO, costs multiplied by n + 1 so that a 1-optimal flow is optimal). Prices carry over from one
/// solve to the next, so a re-solve after small cost changes starts from a small ε.
final class MinCostFlow {
    let nodeCount: Int
    let arcCount: Int
    /// Arcs leaving node u are positions `first[u] ..< first[u + 1]` (forward and residual reverse arcs).
    private let first: UnsafeMutablePointer<Int32>
    private let to: UnsafeMutablePointer<Int32>
    private let rev: UnsafeMutablePointer<Int32>
    private let cap0: UnsafeMutablePointer<Int32>
    private let cap: UnsafeMutablePointer<Int32>
    private let cost: UnsafeMutablePointer<Int>
    /// Position of the forward arc of input arc i.
    private let position: UnsafeMutablePointer<Int32>
    private let positions: Int
    private let supply: [Int]
    // Prices (in costs × scale), excesses, current arcs, the FIFO of active nodes.
    private let price: UnsafeMutablePointer<Int>, excess: UnsafeMutablePointer<Int>
    private let current: UnsafeMutablePointer<Int32>
    private let active: UnsafeMutablePointer<Int32>, isActive: UnsafeMutablePointer<Bool>
    private let scale: Int
    /// Relabels done by the last `solve` (a cost measure for tuning).
    @exclusivity(unchecked) private(set) var relabels = 0
    /// Whether `price` holds a previous solve's prices.
    @exclusivity(unchecked) private var primed = false
    /// The first solve's starting ε in cost units (0: the largest violation), and whether every arc goes from a
    /// lower to a higher node (then the first prices come from the DAG's shortest distances).
    private let firstEpsilon: Int
    private let inOrder: Bool
    // Global price updates: distances to the deficits, a heap.
    private let level: UnsafeMutablePointer<Int>, done: UnsafeMutablePointer<Bool>
    private let bucketHead: UnsafeMutablePointer<Int32>, bucketNext: UnsafeMutablePointer<Int32>
    private let bucketPrev: UnsafeMutablePointer<Int32>

    /// Arcs as (from, to, capacity, cost); `supply` per node sums to zero and must be routable. `firstEpsilon`
    /// (cost units) starts the first solve's scaling there, which pays when the largest costs are far above the
    /// differences that decide the optimum.
    init(nodes: Int, from: [Int32], to arcTo: [Int32], capacity: [Int32], cost arcCost: [Int], supply: [Int],
         firstEpsilon: Int = 0) {
        precondition(supply.count == nodes && supply.reduce(0, +) == 0, "supplies must balance")
        self.firstEpsilon = firstEpsilon
        inOrder = zip(from, arcTo).allSatisfy { $0 < $1 }
        nodeCount = nodes
        arcCount = from.count
        positions = 2 * arcCount
        scale = nodes + 1
        self.supply = supply
        func alloc<T>(_ n: Int, _ v: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(1, n))
            p.initialize(repeating: v, count: max(1, n))
            return p
        }
        first = alloc(nodes + 1, 0)
        to = alloc(positions, 0); rev = alloc(positions, 0); cap0 = alloc(positions, 0); cap = alloc(positions, 0)
        cost = alloc(positions, 0); position = alloc(arcCount, 0)
        price = alloc(nodes, 0); excess = alloc(nodes, 0); current = alloc(nodes, 0)
        active = alloc(nodes, 0); isActive = alloc(nodes, false)
        level = alloc(nodes, 0); done = alloc(nodes, false)
        bucketHead = alloc(nodes + 1, -1); bucketNext = alloc(nodes, -1); bucketPrev = alloc(nodes, -1)
        var degree = [Int32](repeating: 0, count: nodes + 1)
        for i in 0..<arcCount { degree[Int(from[i])] += 1; degree[Int(arcTo[i])] += 1 }
        var acc: Int32 = 0
        for u in 0..<nodes { first[u] = acc; acc += degree[u] }
        first[nodes] = acc
        var fill = [Int32](repeating: 0, count: nodes)
        for u in 0..<nodes { fill[u] = first[u] }
        for i in 0..<arcCount {
            let u = Int(from[i]), v = Int(arcTo[i])
            let a = Int(fill[u]); fill[u] += 1
            let b = Int(fill[v]); fill[v] += 1
            to[a] = Int32(v); rev[a] = Int32(b); cap0[a] = capacity[i]; cost[a] = arcCost[i]
            to[b] = Int32(u); rev[b] = Int32(a); cap0[b] = 0; cost[b] = -arcCost[i]
            position[i] = Int32(a)
        }
    }

    deinit {
        first.deallocate(); to.deallocate(); rev.deallocate(); cap0.deallocate(); cap.deallocate(); cost.deallocate()
        position.deallocate(); price.deallocate(); excess.deallocate(); current.deallocate()
        active.deallocate(); isActive.deallocate(); level.deallocate(); done.deallocate()
        bucketHead.deallocate(); bucketNext.deallocate(); bucketPrev.deallocate()
    }

    /// Changes the cost of input arc i (before a solve).
    @inline(__always) func setCost(arc i: Int, _ c: Int) {
        let a = Int(position[i])
        cost[a] = c
        cost[Int(rev[a])] = -c
    }

    /// The flow on input arc i after a solve.
    @inline(__always) func flow(arc i: Int) -> Int32 {
        let a = Int(position[i])
        return cap0[a] - cap[a]
    }

    /// Routes every supply at least cost. Returns the flow's cost and a lower bound on the optimum: equal when
    /// the scaling ran to the end (exact), or, once the flow is within `tolerance` of the bound its prices prove,
    /// the LP dual bound −Σ price·supply + Σ capacity·min(0, reduced cost), which is valid for any prices.
    func solve(tolerance: Int = 0) -> (cost: Int, bound: Int) {
        let n = nodeCount
        guard n >= 2 else { return (0, 0) }
        cap.update(from: cap0, count: positions)
        for u in 0..<n { excess[u] = supply[u] }
        let K = scale
        // Start from the last solve's prices: ε is the worst violation of optimality they leave on the empty flow
        // (at least 1, so the supplies are routed).
        var epsilon = 1
        if !primed && firstEpsilon > 0 && inOrder {
            // First solve: prices from shortest distances in the DAG (every arc then has reduced cost ≥ 0 on the
            // empty flow), and a first ε of `firstEpsilon` cost units instead of the largest cost.
            for v in 0..<n { price[v] = 0 }
            for u in 0..<n {
                let pu = price[u]
                for a in Int(first[u])..<Int(first[u + 1]) where cap[a] > 0 {
                    let v = Int(to[a])
                    if v > u && pu + cost[a] * K < price[v] { price[v] = pu + cost[a] * K }
                }
            }
            epsilon = firstEpsilon * K
        }
        primed = true
        for u in 0..<n {
            let pu = price[u]
            for a in Int(first[u])..<Int(first[u + 1]) where cap[a] > 0 {
                let rc = cost[a] * K + pu - price[Int(to[a])]
                if -rc > epsilon { epsilon = -rc }
            }
        }
        relabels = 0
        let alpha = 12
        var result: (Int, Int)
        while true {
            refine(epsilon)
            if epsilon == 1 {
                let c = flowCost()
                result = (c, c)
                break
            }
            if tolerance > 0 && epsilon <= K * 64 {
                let c = flowCost(), b = dualBound()
                if c - b <= tolerance { result = (c, b); break }
            }
            epsilon = max(1, epsilon / alpha)
        }
        // Only price differences matter; keep them near zero across many solves.
        let shift = price[0]
        for u in 0..<n { price[u] -= shift }
        return result
    }

    private func flowCost() -> Int {
        var total = 0
        for i in 0..<arcCount {
            let a = Int(position[i])
            total += cost[a] * Int(cap0[a] - cap[a])
        }
        return total
    }

    /// The LP dual bound of the current prices, in cost units (rounded down).
    private func dualBound() -> Int {
        let K = scale
        var total = 0
        for u in 0..<nodeCount { total -= price[u] * supply[u] }
        for i in 0..<arcCount {
            let a = Int(position[i])
            let rc = cost[a] * K + price[Int(to[Int(rev[a])])] - price[Int(to[a])]
            if rc < 0 { total += Int(cap0[a]) * rc }
        }
        return total >= 0 ? total / K : -((-total + K - 1) / K)
    }

    /// Makes the current pseudo-flow an ε-optimal flow: saturate every arc of negative reduced cost, then push
    /// excesses along admissible arcs (residual, reduced cost < 0), relabelling a node when it has none.
    private func refine(_ epsilon: Int) {
        let n = nodeCount, K = scale
        var head = 0, tail = 0, queued = 0
        for u in 0..<n {
            let pu = price[u]
            for a in Int(first[u])..<Int(first[u + 1]) where cap[a] > 0 {
                let v = Int(to[a])
                if cost[a] * K + pu - price[v] < 0 {
                    let d = Int(cap[a])
                    cap[a] = 0; cap[Int(rev[a])] += Int32(d)
                    excess[u] -= d; excess[v] += d
                }
            }
        }
        priceUpdate(epsilon)
        for u in 0..<n {
            current[u] = first[u]
            isActive[u] = excess[u] > 0
            if excess[u] > 0 { active[tail] = Int32(u); tail += 1; queued += 1 }
        }
        if tail == n { tail = 0 }
        var sinceUpdate = 0
        while queued > 0 {
            if sinceUpdate > n {
                // Many local relabels: recompute prices globally from the distances to the deficits.
                priceUpdate(epsilon)
                for v in 0..<n { current[v] = first[v] }
                sinceUpdate = 0
            }
            let u = Int(active[head]); head += 1; if head == n { head = 0 }
            queued -= 1; isActive[u] = false
            // Discharge u.
            let end = Int(first[u + 1])
            while excess[u] > 0 {
                var a = Int(current[u])
                let pu = price[u]
                while a < end {
                    if cap[a] > 0 {
                        let v = Int(to[a])
                        if cost[a] * K + pu - price[v] < 0 {
                            let d = min(excess[u], Int(cap[a]))
                            cap[a] -= Int32(d); cap[Int(rev[a])] += Int32(d)
                            excess[u] -= d
                            excess[v] += d
                            if excess[v] > 0 && !isActive[v] {
                                active[tail] = Int32(v); tail += 1; if tail == n { tail = 0 }
                                queued += 1; isActive[v] = true
                            }
                            if excess[u] == 0 { break }
                        }
                    }
                    a += 1
                }
                current[u] = Int32(a)
                guard excess[u] > 0 else { break }
                // Relabel: the highest price that leaves every residual arc at reduced cost ≥ −ε, minus ε.
                var best = Int.min
                for b in Int(first[u])..<end where cap[b] > 0 {
                    let cand = price[Int(to[b])] - cost[b] * K
                    if cand > best { best = cand }
                }
                price[u] = best - epsilon
                current[u] = first[u]
                relabels += 1
                sinceUpdate += 1
            }
        }
    }

    /// Goldberg's global price update: with arc length ⌊reduced cost / ε⌋ + 1 on residual arcs, the distance
    /// d(v) from v to the nearest deficit (found backwards from the deficits, stopping once every node with
    /// excess is reached; the rest get the last level); then price(v) −= ε·d(v). The flow stays ε-optimal and
    /// every node with excess gets an admissible path towards a deficit.
    private func priceUpdate(_ epsilon: Int) {
        let n = nodeCount, K = scale
        let inf = Int.max / 4
        // Buckets by level (Dial), doubly linked so a node moves when its level drops; levels above n are not
        // queued (those nodes end at the last level scanned, which keeps the update valid).
        @inline(__always) func insert(_ v: Int, _ l: Int) {
            let h = bucketHead[l]
            bucketNext[v] = h; bucketPrev[v] = -1
            if h >= 0 { bucketPrev[Int(h)] = Int32(v) }
            bucketHead[l] = Int32(v)
        }
        @inline(__always) func unlink(_ v: Int, _ l: Int) {
            let p = bucketPrev[v], x = bucketNext[v]
            if p >= 0 { bucketNext[Int(p)] = x } else { bucketHead[l] = x }
            if x >= 0 { bucketPrev[Int(x)] = p }
        }
        var waiting = 0
        for l in 0...n { bucketHead[l] = -1 }
        for v in 0..<n {
            done[v] = false
            if excess[v] < 0 {
                level[v] = 0; insert(v, 0)
            } else {
                level[v] = inf
            }
            if excess[v] > 0 { waiting += 1 }
        }
        var last = 0
        var l = 0
        while l <= n && waiting > 0 {
            let w32 = bucketHead[l]
            if w32 < 0 { l += 1; continue }
            let w = Int(w32)
            unlink(w, l)
            done[w] = true
            last = l
            if excess[w] > 0 { waiting -= 1 }
            let pw = price[w]
            for a in Int(first[w])..<Int(first[w + 1]) {
                let r = Int(rev[a])
                guard cap[r] > 0 else { continue }
                let v = Int(to[a])
                guard !done[v] else { continue }
                let rc = cost[r] * K + price[v] - pw
                // ⌊rc / ε⌋ + 1, never below 0 (an ε-optimal arc has rc ≥ −ε).
                let q = rc >= 0 ? rc / epsilon : -((-rc + epsilon - 1) / epsilon)
                let nd = l + max(0, q + 1)
                if nd < level[v] && nd <= n {
                    if level[v] <= n { unlink(v, level[v]) }
                    level[v] = nd
                    insert(v, nd)
                }
            }
        }
        for v in 0..<n {
            let d = done[v] ? level[v] : min(level[v], last)
            price[v] -= epsilon * d
        }
    }
}
