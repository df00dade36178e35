import Foundation
import JunkaiCore

/// How long and how the solver searches.
public struct SolveOptions: Sendable {
    /// Wall-clock budget in seconds (ignored when `maxIterations` is set).
    public var seconds: Double
    public var seed: UInt64
    /// Independent searches run in parallel, each with its own seed derived from `seed`; the best plan wins.
    public var threads: Int
    /// Stop each search after this many iterations instead of a time limit: the plan is then fully reproducible.
    public var maxIterations: Int?
    /// Polled during the search; returning true ends it early with the best plan so far.
    public var shouldStop: @Sendable () -> Bool
    /// Late acceptance history length for every thread; nil gives each thread its own (a portfolio).
    public var lateAcceptanceLength: Int? = nil
    /// A previous plan to start from (warm start): its assignments that still keep every hard rule are kept.
    public var start: [Assignment]? = nil
    /// Share of the time limit in which the lower bound is computed beside the search (0 turns it off). With
    /// `maxIterations` the bound runs a fixed number of iterations instead and never ends the search early.
    public var boundShare: Double = 0.08

    public init(seconds: Double = 30, seed: UInt64 = 0, threads: Int = 2, maxIterations: Int? = nil,
                shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.seconds = seconds; self.seed = seed; self.threads = threads
        self.maxIterations = maxIterations; self.shouldStop = shouldStop
    }
}

/// One report of the best objective found so far.
public struct SolveProgress: Sendable {
    public var elapsed: Double
    /// Iterations of the search that found this objective (0 for the construction).
    public var iterations: Int
    public var bestObjective: Int
    public init(elapsed: Double, iterations: Int, bestObjective: Int) {
        self.elapsed = elapsed; self.iterations = iterations; self.bestObjective = bestObjective
    }
}

/// A solved plan with what is known about its quality.
public struct SolveOutcome: Sendable {
    public var plan: Plan
    public var objective: Int
    public var feasible: Bool
    /// The lower bound computed beside the search (nil when turned off).
    public var bound: BoundReport?
    /// (objective − bound) / objective, nil without a bound.
    public var gap: Double?
    /// Wall-clock seconds of the whole solve.
    public var seconds: Double
    /// True when the search stopped because the plan was proven optimal (the bound reached it).
    public var provenOptimal: Bool
    /// Rounds of the portfolio the search ran (more than one only on mid-size instances, see `Solver`).
    public var rounds: Int = 1
}

/// The planning engine: compile, construct greedily, then improve by late acceptance local search and a
/// search over teams whose weeks are re-solved exactly (min-cost flows).
public enum Solver {
    /// Instances with at most this many posts also use team moves.
    static let teamSearchMaxPosts = 1000
    /// Instances with at most this many posts search in rounds (see `roundStall`).
    static let roundMaxPosts = 64

    /// Seconds without a better plan after which a round of the portfolio ends and a new one starts from the start
    /// plan with new seeds (nil: one round). On mid-size instances a search settles within seconds in one of a few
    /// basins and does not leave it (mid-s1: 280,789, 0.02% above the optimum, from 4 s to 30 s in 3 of 10
    /// seeds); fresh rounds are fresh draws. Large instances still improve when their time ends, and a run with
    /// an iteration limit must stay reproducible.
    static func roundStall(posts: Int, seconds: Double, reproducible: Bool) -> Double? {
        guard !reproducible, posts <= roundMaxPosts else { return nil }
        return max(2, seconds * 0.12)
    }

    /// Solves a validated instance: always a plan that keeps every hard rule (pins included), with objective and terms from `Scorer`.
    public static func solve(_ instance: Instance, options: SolveOptions,
                             progress: @escaping @Sendable (SolveProgress) -> Void = { _ in }) -> Plan {
        solveWithBound(instance, options: options, progress: progress).plan
    }

    /// `solve` with the lower bound computed beside the search: the plan, its objective, the bound and the gap.
    /// The search ends early when the bound proves the best plan optimal.
    public static func solveWithBound(_ instance: Instance, options: SolveOptions,
                                      progress: @escaping @Sendable (SolveProgress) -> Void = { _ in }) -> SolveOutcome {
        let started = DispatchTime.now().uptimeNanoseconds
        @Sendable func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds &- started) / 1e9 }

        let model = CompiledModel(instance)
        let initial = SearchState(model)
        if let start = options.start {
            WarmStart.load(initial, start)
        } else {
            Construction.build(initial)
        }
        let startCells = initial.snapshot()
        let shared = SharedBest(score: initial.score)
        progress(SolveProgress(elapsed: elapsed(), iterations: 0, bestObjective: initial.score))

        let threads = max(1, min(options.threads, 64))
        let results = ResultSlots(count: threads)
        // Keep back time for the final polish, which costs a fraction of the construction's chain search.
        let built = elapsed()
        let budget = options.seconds.isNaN ? 0 : options.seconds
        let deadline = max(built, budget - 0.5 * built)
        let maxIterations = options.maxIterations
        let stopFlag = options.shouldStop
        let lahcOverride = options.lateAcceptanceLength

        // The lower bound runs on a thread of its own while the search starts; every bound it proves is published
        // so the search can stop as soon as its best plan meets it.
        let proven = ProvenBound()
        let steering = Steering()
        let searchDone = Flag()
        let boundFinished = DispatchSemaphore(value: 0)
        let withBound = options.boundShare > 0 && !(maxIterations == 0)
        if withBound {
            let boundDeadline = max(0, budget * options.boundShare)
            let boundIterations = maxIterations == nil ? nil : 40
            let thread = Thread {
                let lagrangian = LagrangianBound(model)
                let boundStart = elapsed()
                // An iteration that would end past the deadline is not started (each solves every week once).
                let pastDeadline = { () -> Bool in
                    let now = elapsed()
                    return now + (now - boundStart) / Double(max(1, lagrangian.iterations)) >= boundDeadline
                }
                lagrangian.run(maxIterations: boundIterations, upperBound: { shared.value },
                               stop: { stopFlag() || searchDone.isSet || (boundIterations == nil && pastDeadline()) },
                               onBound: { proven.offer($0); steering.publish(lagrangian.bestTeams, model) })
                proven.finish(BoundReport(bound: lagrangian.best, flowBound: lagrangian.flowBound,
                                          iterations: lagrangian.iterations, seconds: elapsed()))
                boundFinished.signal()
            }
            thread.name = "junkai-bound"
            thread.stackSize = 8 << 20
            thread.start()
        }

        let seeds = (0..<threads).map { t in options.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(t) &* 0xD1B5_4A32_D192_ED03 &+ 1 }
        // Portfolio: even threads run late acceptance with a team move every `teamPeriod` iterations; odd
        // threads search over teams alone (see TeamSearch). Team moves re-solve whole connected parts of weeks,
        // which pays on instances up to a few hundred posts; on national-scale ones plain late acceptance wins.
        let teams = model.nPosts <= Solver.teamSearchMaxPosts
        // With a time limit, a plan the bound proves optimal ends every search.
        let finished: @Sendable () -> Bool = {
            stopFlag() || (maxIterations == nil && (elapsed() >= deadline || proven.value >= shared.value))
        }
        let stall = Solver.roundStall(posts: model.nPosts, seconds: budget, reproducible: maxIterations != nil)
        var rounds = 0, again = false
        repeat {
            let round = rounds
            let sinceBest = RoundProgress(started: elapsed(), stall: stall)
            // Threads share their best plans only with a time limit: with an iteration limit a run stays reproducible.
            let elite: ElitePlan? = maxIterations == nil ? ElitePlan() : nil
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let st = SearchState(model)
                st.load(startCells)
                let stop = { finished() || sinceBest.stalled(at: elapsed()) }
                let onBest = { (score: Int, iterations: Int) in
                    sinceBest.offer(score, at: elapsed())
                    shared.offer(score) { progress(SolveProgress(elapsed: elapsed(), iterations: iterations, bestObjective: score)) }
                }
                let seed = seeds[t] &+ UInt64(round) &* 0x632B_E59B_D9B4_E019
                if teams && t % 2 == 1 {
                    let search = TeamSearch(st, seed: seed)
                    // Steering depends on when the bound's teams arrive: with an iteration limit (a reproducible
                    // run) the search goes unsteered. Later rounds are steered too (without it they ended 0.01–0.06%
                    // higher and mid-s1 reached its optimum in 9 of 10 seeds instead of 10).
                    if maxIterations == nil { search.steering = steering }
                    search.elite = elite
                    // A team move costs about as much as a few hundred plain moves.
                    search.run(maxIterations: maxIterations.map { max(1, $0 / 200) }, stop: stop, onBest: onBest)
                    let b = search.best()
                    results.set(t, score: b.score, cells: b.cells)
                    return
                }
                let search = LocalSearch(st, seed: seed, lahcLength: lahcOverride ?? LocalSearch.defaultLength(thread: t),
                                         teamPeriod: teams ? 2000 : 0)
                search.elite = elite
                search.run(maxIterations: maxIterations, stop: stop, onBest: onBest)
                let b = search.best()
                results.set(t, score: b.score, cells: b.cells)
            }
            rounds += 1
            // Only a round that stalled gives way to another (one with nothing to move ends at once).
            again = !finished() && sinceBest.stalled(at: elapsed())
        } while again
        searchDone.set()
        // The lowest score wins; ties go to the lowest thread so the outcome does not depend on timing.
        let winner = results.best() ?? (initial.score, startCells)
        let final = SearchState(model)
        final.load(winner.1)
        // Polish: close any gap a chain can still fill (late acceptance may leave one behind in a big grid).
        Augmenter(final).saturate()
        let assignments = final.assignments()
        let report = Scorer.score(instance, assignments)
        // The polish may still lower the score: the last progress report must be the objective the plan is stored with.
        shared.finish(report.objective) { progress(SolveProgress(elapsed: elapsed(), iterations: 0, bestObjective: report.objective)) }
        let plan = Plan(instance: instance.name, assignments: assignments, objective: report.objective, terms: report.terms)
        var bound: BoundReport? = nil
        if withBound {
            boundFinished.wait()
            bound = proven.report
        }
        let gap = bound.map { $0.gap(objective: report.objective) }
        return SolveOutcome(plan: plan, objective: report.objective, feasible: report.feasible, bound: bound, gap: gap,
                            seconds: elapsed(), provenOptimal: bound.map { $0.bound >= report.objective } ?? false,
                            rounds: rounds)
    }
}

/// The best score across threads, so progress reports only global improvements.
private final class SharedBest: @unchecked Sendable {
    private let lock = NSLock()
    private var score: Int
    init(score: Int) { self.score = score }

    var value: Int { lock.withLock { score } }

    /// Reports the final objective unless it is the last one reported.
    func finish(_ s: Int, report: () -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard s != score else { return }
        score = s
        report()
    }

    /// Records a score and, when it is a new global best, reports it (under the lock, so reports stay in order).
    func offer(_ s: Int, report: () -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard s < score else { return }
        score = s
        report()
    }
}

/// Each thread's final best plan.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [(Int, [Int32])?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Keeps the thread's better plan of this and earlier rounds.
    func set(_ i: Int, score: Int, cells: [Int32]) {
        lock.lock(); defer { lock.unlock() }
        if score < slots[i]?.0 ?? Int.max { slots[i] = (score, cells) }
    }

    func best() -> (Int, [Int32])? {
        lock.lock(); defer { lock.unlock() }
        var out: (Int, [Int32])? = nil
        for case let s? in slots where s.0 < (out?.0 ?? Int.max) { out = s }
        return out
    }
}

/// When a round of the portfolio last found a better plan, and whether it has stalled (never without a stall time).
private final class RoundProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var best = Int.max
    private var last: Double
    private let stall: Double?
    init(started: Double, stall: Double?) { last = started; self.stall = stall }

    func offer(_ s: Int, at t: Double) { lock.withLock { if s < best { best = s; last = t } } }
    func stalled(at t: Double) -> Bool {
        guard let stall else { return false }
        return lock.withLock { t - last >= stall }
    }
}

/// The best lower bound proved so far (published by the bound thread while it runs) and its final report.
private final class ProvenBound: @unchecked Sendable {
    private let lock = NSLock()
    private var best = Int.min
    private var final: BoundReport?

    var value: Int { lock.withLock { best } }
    var report: BoundReport? { lock.withLock { final } }

    func offer(_ b: Int) { lock.withLock { best = max(best, b) } }
    func finish(_ r: BoundReport) { lock.withLock { final = r; best = max(best, r.bound) } }
}

/// A flag set once, read from other threads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var on = false
    var isSet: Bool { lock.withLock { on } }
    func set() { lock.withLock { on = true } }
}

/// The teams of the best bound's relaxation (who it puts on which post, and how many people per post), published
/// by the bound thread for the team search: posts staffed by more people than the relaxation needs are the
/// likeliest places where the plan loses to the bound, and the relaxation's people are the likeliest replacements.
/// While the best bound is still the first pass (no continuity priced), its teams are empty: the search is then
/// drawn to the posts with the most people.
final class Steering: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Bool] = []
    private var sizes: [Int32] = []
    private var version = 0

    func publish(_ teams: [Bool], _ m: CompiledModel) {
        guard teams.count == m.eligStaff.count else { return }
        var n = [Int32](repeating: 0, count: m.nPosts)
        for p in 0..<m.nPosts {
            for k in m.eligStart[p]..<m.eligStart[p + 1] where teams[k] { n[p] += 1 }
        }
        lock.withLock { slots = teams; sizes = n; version += 1 }
    }

    /// The latest teams when newer than `seen`.
    func latest(after seen: Int) -> (version: Int, slots: [Bool], sizes: [Int32])? {
        lock.withLock { version > seen ? (version, slots, sizes) : nil }
    }
}
