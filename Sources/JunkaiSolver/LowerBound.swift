import Foundation

/// What `LowerBound.compute` proved about an instance.
public struct BoundReport: Sendable, Codable, Equatable {
    /// No plan that keeps every hard rule scores below this.
    public var bound: Int
    /// The bound with continuity dropped (every multiplier zero): the sum of the week flows.
    public var flowBound: Int
    /// Lagrangian iterations completed (each solves every week once).
    public var iterations: Int
    public var seconds: Double

    public init(bound: Int, flowBound: Int, iterations: Int, seconds: Double) {
        self.bound = bound; self.flowBound = flowBound; self.iterations = iterations; self.seconds = seconds
    }

    /// (objective − bound) / objective, 0 when the objective is 0.
    public func gap(objective: Int) -> Double {
        objective > 0 ? Double(max(0, objective - bound)) / Double(objective) : 0
    }
}

/// A lower bound on the objective of every feasible plan, by Lagrangian relaxation of continuity.
///
/// Without continuity every term and hard rule is local to one ISO week, and a week is the min-cost flow of
/// `WeekFlow` with every eligible person allowed: source → staff (up to target free, then overTarget each, up to
/// the weekly maximum) → staff-day (1) → cell (the person's fixed share there) → post-week (its demand) → sink.
/// Continuity couples the weeks through y(p, s) = "s works on p at all", which costs
/// wContinuity × (Σₛ y(p, s) − 1)⁺. Two families of valid inequalities link the flows to y:
///
///     x(c, s) ≤ y(p, s)                       for every cell c of post p
///     Σ_{c in week w} x(c, s) ≤ U(p, s, w) y(p, s)   U = the most days s can work on p that week
///
/// (the second is what makes "nobody can carry this post's week alone" cost a second person). Relaxing both with
/// multipliers λ, ν ≥ 0 splits the problem into the week flows (each arc pays its multipliers) and, per post, a
/// choice of y that is solved exactly by sorting. For any λ, ν ≥ 0 the sum of the parts is a lower bound, so
/// every iteration's value is valid; a projected subgradient method with Polyak steps towards the best known
/// plan raises it. Pins are fixed assignments (their people are forced into y). All arithmetic is in integers
/// (costs × `scale`, multipliers rounded to 1/scale before use), so the bound is exact for the multipliers used,
/// and it is rounded up because every objective is an integer.
final class LagrangianBound {
    static let scale = 64

    let m: CompiledModel
    private let weeks: [WeekGraph]
    /// Scaled constant: the model's constant plus every pin's share (fixed cost, overTarget among pins).
    private let constantScaled: Int
    /// Slots (post, staff) forced into y by a pin.
    private let forced: [Bool]
    /// Multipliers (scaled units): λ per cell arc (all weeks, in order), ν per (post-week, slot) row.
    private var lambda: [Double]
    private var nu: [Double]
    /// ν rows: slot and U.
    private let nuSlot: [Int32]
    private let nuU: [Int32]
    /// Per cell arc (all weeks, in order): its slot and ν row.
    private let arcSlot: [Int32]
    private let arcNu: [Int32]

    private(set) var best = Int.min
    private(set) var flowBound = Int.min
    private(set) var iterations = 0
    /// Post p's share of the best bound: its cells' flow costs plus its continuity part (scaled), for steering.
    private(set) var postShare: [Int] = []
    /// Per eligible slot (post, staff): whether the best bound's relaxation staffs the post with that person.
    private(set) var bestTeams: [Bool] = []

    private struct WeekGraph {
        let flow: MinCostFlow
        /// Input arc index of each cell arc, its base cost (scaled fixed cost) and its global index.
        let cellArc: [Int32]
        let base: [Int]
        let cell: [Int32]
        let offset: Int
        /// How far (scaled) the week's proven bound may stay below its flow's cost before the scaling stops early.
        let tolerance: Int
    }

    /// `exact` solves every week flow to optimality. Otherwise instances above 100 posts stop each week at a
    /// proven bound within about one objective unit per 50 posts of its optimum (much faster on large weeks, still
    /// valid); smaller ones stay exact, where the bound may prove a plan optimal.
    init(_ model: CompiledModel, exact: Bool = false) {
        m = model
        let S = Self.scale
        let nW = m.nWeeks
        // Pins: fixed cells, counted per staff-week, staff-day, post-week and slot.
        var pinUsed = [Int32](repeating: 0, count: m.nStaff * nW)
        var pinDay = [Bool](repeating: false, count: m.nStaff * m.nDays)
        var pinPW = [Int32](repeating: 0, count: m.nPosts * nW)
        var forced = [Bool](repeating: false, count: m.eligStaff.count)
        var constant = m.constant
        let probe = SearchState(m)
        for c in 0..<m.nCells where probe.staffAt(c) >= 0 {
            let s = Int(probe.staffAt(c)), p = Int(m.cellPost[c]), d = Int(m.cellDay[c]), w = m.dayWeek[d]
            pinUsed[s * nW + w] += 1
            pinDay[s * m.nDays + d] = true
            pinPW[p * nW + w] += 1
            forced[m.eligStart[p] + Int(m.eligIndex[p * m.nStaff + s])] = true
            constant += probe.fixedCost(c, Int32(s))
        }
        for s in 0..<m.nStaff {
            for w in 0..<nW { constant += m.wOverTarget * max(0, Int(pinUsed[s * nW + w] - m.target[s])) }
        }
        self.forced = forced
        constantScaled = constant * S

        var graphs: [WeekGraph] = []
        var arcSlot: [Int32] = [], arcNu: [Int32] = [], nuSlot: [Int32] = [], nuU: [Int32] = []
        var staffNode = [Int32](repeating: -1, count: m.nStaff)
        var dayNode = [Int32](repeating: -1, count: m.nStaff * 7)
        for w in 0..<nW {
            let dLo = m.weekFirstDay[w]
            // Candidate arcs (cell, slot) of this week, post by post.
            var cand: [(c: Int32, k: Int32)] = []
            var postsHere: [Int32] = []
            var rowOfCand: [Int32] = []
            for p in 0..<m.nPosts {
                let pw = p * nW + w
                let room = Int(m.demand[pw] - pinPW[pw])
                guard room > 0 else { continue }
                let eLo = m.eligStart[p], eHi = m.eligStart[p + 1]
                var count = [Int32](repeating: 0, count: eHi - eLo)
                let before = cand.count
                for c in Int(m.pwStart[pw])..<Int(m.pwEnd[pw]) where m.cellPinned[c] < 0 {
                    let d = Int(m.cellDay[c])
                    for k in eLo..<eHi {
                        let s = Int(m.eligStaff[k])
                        guard m.staffDayOK[s * m.nDays + d], !pinDay[s * m.nDays + d],
                              pinUsed[s * nW + w] < m.cap[s] else { continue }
                        cand.append((Int32(c), Int32(k)))
                        count[k - eLo] += 1
                    }
                }
                guard cand.count > before else { continue }
                postsHere.append(Int32(p))
                var row = [Int32](repeating: -1, count: eHi - eLo)
                for k in eLo..<eHi where count[k - eLo] > 0 {
                    let s = Int(m.eligStaff[k])
                    row[k - eLo] = Int32(nuSlot.count)
                    nuSlot.append(Int32(k))
                    nuU.append(Int32(min(room, Int(m.cap[s] - pinUsed[s * nW + w]), Int(count[k - eLo]))))
                }
                for i in before..<cand.count { rowOfCand.append(row[Int(cand[i].k) - eLo]) }
            }
            // Nodes: per staff a supply node X (their free days this week) and a node Y, staff-days, cells,
            // post-weeks, the sink. X → Y carries the days worked (up to target free, the rest at overTarget),
            // X → sink the days not worked, so every supply is routed and the flow may be any amount.
            var next: Int32 = 0
            var staffList: [Int] = []
            for (_, k) in cand {
                let s = Int(m.eligStaff[Int(k)])
                if staffNode[s] < 0 { staffNode[s] = next; next += 2; staffList.append(s) }
            }
            var dayKeys: [Int] = []
            for (c, k) in cand {
                let key = Int(m.eligStaff[Int(k)]) * 7 + Int(m.cellDay[Int(c)]) - dLo
                if dayNode[key] < 0 { dayNode[key] = next; next += 1; dayKeys.append(key) }
            }
            var cellNode: [Int32: Int32] = [:]
            for (c, _) in cand where cellNode[c] == nil { cellNode[c] = next; next += 1 }
            var pwNode: [Int32: Int32] = [:]
            for p in postsHere { pwNode[p] = next; next += 1 }
            let sink = next
            var supply = [Int](repeating: 0, count: Int(sink) + 1)
            var from: [Int32] = [], to: [Int32] = [], cap: [Int32] = [], cost: [Int] = []
            func arc(_ a: Int32, _ b: Int32, _ c: Int, _ w: Int) {
                from.append(a); to.append(b); cap.append(Int32(c)); cost.append(w)
            }
            for s in staffList {
                let used = Int(pinUsed[s * nW + w])
                let free = max(0, Int(m.target[s]) - used), total = Int(m.cap[s]) - used
                let x = staffNode[s], y = x + 1
                supply[Int(x)] = total; supply[Int(sink)] -= total
                if free > 0 { arc(x, y, free, 0) }
                if total > free { arc(x, y, total - free, m.wOverTarget * S) }
                arc(x, sink, total, 0)
            }
            for key in dayKeys { arc(staffNode[key / 7] + 1, dayNode[key], 1, 0) }
            var cellArc: [Int32] = [], base: [Int] = [], cells: [Int32] = []
            for (i, (c, k)) in cand.enumerated() {
                let s = m.eligStaff[Int(k)]
                cellArc.append(Int32(from.count))
                base.append(probe.fixedCost(Int(c), s) * S)
                cells.append(c)
                arcSlot.append(k); arcNu.append(rowOfCand[i])
                arc(dayNode[Int(s) * 7 + Int(m.cellDay[Int(c)]) - dLo], cellNode[c]!, 1, 0)
            }
            for (c, node) in cellNode.sorted(by: { $0.value < $1.value }) { arc(node, pwNode[m.cellPost[Int(c)]]!, 1, 0) }
            for p in postsHere {
                let pw = Int(p) * nW + w
                arc(pwNode[p]!, sink, Int(m.demand[pw] - pinPW[pw]), 0)
            }
            let flow = MinCostFlow(nodes: Int(sink) + 1, from: from, to: to, capacity: cap, cost: cost, supply: supply,
                                   firstEpsilon: 4 * S)
            graphs.append(WeekGraph(flow: flow, cellArc: cellArc, base: base, cell: cells, offset: arcSlot.count - cand.count,
                                    tolerance: exact || m.nPosts <= 100 ? 0 : S * max(1, postsHere.count / 50)))
            for s in staffList { staffNode[s] = -1 }
            for key in dayKeys { dayNode[key] = -1 }
        }
        weeks = graphs
        self.arcSlot = arcSlot; self.arcNu = arcNu; self.nuSlot = nuSlot; self.nuU = nuU
        lambda = [Double](repeating: 0, count: arcSlot.count)
        nu = [Double](repeating: 0, count: nuSlot.count)
    }

    /// Runs subgradient iterations until `stop()` (checked between iterations; the first always completes),
    /// `maxIterations`, a proof that `upperBound()` is optimal, or the step size vanishes. Returns the best bound.
    @discardableResult
    /// `onPlan` receives each iteration's week flows as a plan (staff per cell): they keep every hard rule, so
    /// with continuity priced by the multipliers they are good plans themselves (a Lagrangian heuristic).
    func run(maxIterations: Int?, upperBound: () -> Int?, stop: () -> Bool, onBound: (Int) -> Void = { _ in },
             onPlan: (([Int32]) -> Void)? = nil) -> Int {
        let S = Self.scale
        let nArcs = arcSlot.count, nRows = nuSlot.count
        var x = [Int32](repeating: 0, count: nArcs)
        var xRow = [Int32](repeating: 0, count: nRows)
        var y = [Bool](repeating: false, count: m.eligStaff.count)
        var mu = [Int](repeating: 0, count: m.eligStaff.count)
        var share = [Int](repeating: 0, count: m.nPosts)
        var theta = 1.0
        var sinceBest = 0
        let W = m.wContinuity * S
        // Local copies: writes to a class's arrays in these loops would pay exclusivity and uniqueness checks.
        var lambda = self.lambda, nu = self.nu
        let arcSlot = self.arcSlot, arcNu = self.arcNu, nuSlot = self.nuSlot, nuU = self.nuU, forced = self.forced
        defer { self.lambda = lambda; self.nu = nu }
        while true {
            if let limit = maxIterations, iterations >= limit { break }
            if iterations > 0 && stop() { break }
            // Week flows with multiplier-adjusted arc costs.
            for i in 0..<nRows { xRow[i] = 0 }
            for i in mu.indices { mu[i] = 0 }
            for p in 0..<m.nPosts { share[p] = 0 }
            var total = constantScaled
            for g in weeks {
                for (j, a) in g.cellArc.enumerated() {
                    let i = g.offset + j
                    let l = Int(lambda[i].rounded()), r = arcNu[i] >= 0 ? Int(nu[Int(arcNu[i])].rounded()) : 0
                    g.flow.setCost(arc: Int(a), g.base[j] + l + r)
                }
                total += g.flow.solve(tolerance: g.tolerance).bound
                for (j, a) in g.cellArc.enumerated() {
                    let i = g.offset + j
                    let f = g.flow.flow(arc: Int(a))
                    x[i] = f
                    if f > 0 {
                        if arcNu[i] >= 0 { xRow[Int(arcNu[i])] += f }
                        let p = Int(m.cellPost[Int(g.cell[j])])
                        share[p] += g.base[j] + Int(lambda[i].rounded()) + (arcNu[i] >= 0 ? Int(nu[Int(arcNu[i])].rounded()) : 0)
                    }
                }
            }
            // μ(p, s): what y(p, s) = 1 earns back.
            for i in 0..<nArcs { mu[Int(arcSlot[i])] += Int(lambda[i].rounded()) }
            for r in 0..<nRows { mu[Int(nuSlot[r])] += Int(nu[r].rounded()) * Int(nuU[r]) }
            // y per post, exactly: forced people, then the best by μ.
            for p in 0..<m.nPosts {
                let lo = m.eligStart[p], hi = m.eligStart[p + 1]
                var nForced = 0
                var top = -1
                for k in lo..<hi {
                    y[k] = false
                    if forced[k] { nForced += 1; y[k] = true } else if top < 0 || mu[k] > mu[top] { top = k }
                }
                var part = nForced > 0 ? W * (nForced - 1) : 0
                for k in lo..<hi where !forced[k] {
                    if nForced == 0 && k == top {
                        if mu[k] > 0 { y[k] = true; part -= mu[k] }
                    } else if mu[k] > W {
                        y[k] = true; part += W - mu[k]
                    }
                }
                total += part
                share[p] += part
            }
            if let onPlan {
                var cells = [Int32](repeating: -1, count: m.nCells)
                for c in 0..<m.nCells where m.cellPinned[c] >= 0 { cells[c] = m.cellPinned[c] }
                for g in weeks {
                    for j in g.cellArc.indices where x[g.offset + j] > 0 {
                        cells[Int(g.cell[j])] = m.eligStaff[Int(arcSlot[g.offset + j])]
                    }
                }
                onPlan(cells)
            }
            let value = max(0, Self.ceilDiv(total, S))
            iterations += 1
            if iterations == 1 { flowBound = value }
            if value > best {
                best = value
                postShare = share
                bestTeams = y
                sinceBest = 0
                onBound(value)
            } else {
                sinceBest += 1
                if sinceBest >= 6 { theta *= 0.5; sinceBest = 0 }
            }
            let ub = upperBound() ?? Int.max
            if best >= ub || theta < 0.004 { break }
            // Projected subgradient and a Polyak step towards the best known plan.
            var norm = 0.0
            for i in 0..<nArcs {
                let k = Int(arcSlot[i])
                guard !forced[k] else { continue }
                let g = Double(x[i]) - (y[k] ? 1 : 0)
                if g < 0 && lambda[i] <= 0 { continue }
                norm += g * g
            }
            for r in 0..<nRows {
                let k = Int(nuSlot[r])
                guard !forced[k] else { continue }
                let g = Double(xRow[r]) - (y[k] ? Double(nuU[r]) : 0)
                if g < 0 && nu[r] <= 0 { continue }
                norm += g * g
            }
            guard norm > 0 else { break }
            let target = ub == Int.max ? Double(total) * 1.05 + Double(S) * 1000 : Double(ub) * Double(S)
            let step = theta * max(Double(S), target - Double(total)) / norm
            for i in 0..<nArcs {
                let k = Int(arcSlot[i])
                guard !forced[k] else { continue }
                let g = Double(x[i]) - (y[k] ? 1 : 0)
                lambda[i] = max(0, lambda[i] + step * g)
            }
            for r in 0..<nRows {
                let k = Int(nuSlot[r])
                guard !forced[k] else { continue }
                let g = Double(xRow[r]) - (y[k] ? Double(nuU[r]) : 0)
                nu[r] = max(0, nu[r] + step * g)
            }
        }
        return best
    }

    static func ceilDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a > 0) == (b > 0)) ? q + 1 : q
    }
}

/// The lower bound of an instance, alone (`junkai bound`) or beside a solve.
public enum LowerBound {
    /// A valid lower bound for a validated instance, improved for about `seconds` (the first pass always completes).
    /// `upperBound` is the best known objective (it steers the steps and ends the search when reached); without
    /// it the greedy construction's objective is used.
    public static func compute(_ instance: Instance, seconds: Double, maxIterations: Int? = nil,
                               upperBound: (@Sendable () -> Int?)? = nil,
                               shouldStop: @escaping @Sendable () -> Bool = { false }) -> BoundReport {
        let started = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9 }
        let model = CompiledModel(instance)
        var ub: () -> Int? = { upperBound?() }
        if upperBound == nil {
            let st = SearchState(model)
            Construction.build(st)
            let greedy = st.score
            ub = { greedy }
        }
        let lagrangian = LagrangianBound(model)
        let best = lagrangian.run(maxIterations: maxIterations, upperBound: ub,
                                  stop: { shouldStop() || (maxIterations == nil && elapsed() >= seconds) })
        return BoundReport(bound: best, flowBound: lagrangian.flowBound, iterations: lagrangian.iterations, seconds: elapsed())
    }
}
