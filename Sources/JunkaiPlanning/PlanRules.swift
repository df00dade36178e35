import Foundation
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// The planning layer's pure rules: what a manual edit, a publish and a stored solve may do to a plan.
/// No database, no HTTP: the `Planner` reads the rows, asks these, and writes what they answer.
public enum PlanRules {
    /// Issues for a solve's time limit (1–600 s) and seed (≥ 0).
    public static func solveIssues(seconds: Double, seed: Int) -> [ValidationIssue] {
        var issues = InputRules.solveSecondsIssues(seconds)
        if seed < 0 { issues.append(ValidationIssue(pointer: "/seed", detail: "must not be negative")) }
        return issues
    }

    /// A manual change of one day: the plan's assignments and score after it.
    public struct Edit: Sendable {
        public var assignments: [Assignment]
        public var report: ScoreReport
    }

    /// Applies "`staff` (or nobody) works `post` on `date`" to a plan, refusing anything that adds a hard-rule break
    /// the plan did not already have (a break it had is the coordinator's to fix, not a reason to refuse every edit).
    public static func edit(_ problem: PlanProblem, post: UUID, date: CivilDate, staff: UUID?, pinned: Bool) throws -> Edit {
        var instance = problem.instance
        let postKey = post.uuidString
        guard instance.posts.contains(where: { $0.id == postKey }) else { throw StoreError.notFound("post not found") }
        guard instance.period.contains(date) else {
            throw InvalidInput("/date", "\(date.iso) is outside the plan's period \(instance.period.start.iso)–\(instance.period.end.iso)")
        }
        let isKey = { (a: Assignment) in a.post == postKey && a.date == date }
        let before = problem.assignments
        var after = before.filter { !isKey($0) }
        instance.pinned.removeAll(where: isKey)
        if let staff {
            guard instance.staff.contains(where: { $0.id == staff.uuidString }) else {
                throw InvalidInput("/staff", "unknown staff \(staff.uuidString)")
            }
            let a = Assignment(staff: staff.uuidString, post: postKey, date: date)
            after.append(a)
            if pinned { instance.pinned.append(a) }
        } else if after.count == before.count {
            throw StoreError.notFound("no assignment at that post on \(date.iso)")
        }
        let scoreAfter = Scorer.score(instance, after)
        let introduced = introducedViolations(before: Scorer.score(problem.instance, before).violations,
                                              after: scoreAfter.violations)
        if let first = introduced.first {
            let more = introduced.count > 1 ? " (and \(introduced.count - 1) more)" : ""
            throw StoreError.conflict("the change breaks hard rule \(describe(first))\(more)")
        }
        return Edit(assignments: after, report: scoreAfter)
    }

    /// Checks that a plan may be published: every hard rule kept. Returns its exact score.
    public static func publishable(_ problem: PlanProblem) throws -> ScoreReport {
        let report = Scorer.score(problem.instance, problem.assignments)
        if let first = report.violations.first {
            let more = report.violations.count > 1 ? " (and \(report.violations.count - 1) more)" : ""
            throw StoreError.conflict("the plan breaks hard rule \(describe(first))\(more)")
        }
        return report
    }

    /// What a finished search stores: its exact score, the gap to its bound, the progress curve ending at the
    /// stored objective, and the rows of its non-pinned assignments.
    public struct SolveResult: Sendable {
        public var report: ScoreReport
        public var gap: Double?
        public var progress: [SolveProgressPoint]
        public var rows: [(staff: UUID, post: UUID, date: CivilDate)]
    }

    /// Scores a search's result exactly for storing; an id the instance does not know is refused.
    public static func solveResult(_ instance: Instance, assignments: [Assignment], progress: [SolveProgressPoint],
                                   bound: Int?) throws -> SolveResult {
        let report = Scorer.score(instance, assignments)
        // A bound above the exact objective would be a solver bug; the gap is then 0, never negative.
        let gap = bound.map { b in report.objective > 0 ? Double(max(0, report.objective - b)) / Double(report.objective) : 0 }
        var progress = progress
        if let last = progress.last, last.objective != report.objective {
            progress.append(SolveProgressPoint(elapsed: last.elapsed, objective: report.objective))
        }
        let pinnedKeys = Set(instance.pinned.map { SeatDay(post: $0.post, date: $0.date) })
        var rows: [(staff: UUID, post: UUID, date: CivilDate)] = []
        for a in assignments where !pinnedKeys.contains(SeatDay(post: a.post, date: a.date)) {
            guard let s = UUID(uuidString: a.staff), let p = UUID(uuidString: a.post) else {
                throw InvalidInput("/assignments", "the solver returned an unknown id")
            }
            rows.append((s, p, a.date))
        }
        return SolveResult(report: report, gap: gap, progress: progress, rows: rows)
    }

    /// The message a conflict names a hard-rule break with, e.g. "H5 staff capacity (週あたり上限日数): staff …".
    public static func describe(_ v: Violation) -> String {
        let def = ConstraintCatalogue.entry(v.rule)
        var parts: [String] = []
        if let s = v.staff { parts.append("staff \(s)") }
        if let p = v.post { parts.append("post \(p)") }
        if let d = v.date { parts.append("date \(d.iso)") }
        return "\(v.rule.rawValue) \(def.title) (\(def.titleJa))" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    /// The violations of `after` that `before` does not already have (as a multiset).
    public static func introducedViolations(before: [Violation], after: [Violation]) -> [Violation] {
        var remaining: [Violation: Int] = [:]
        for v in before { remaining[v, default: 0] += 1 }
        var out: [Violation] = []
        for v in after {
            if let n = remaining[v], n > 0 { remaining[v] = n - 1 } else { out.append(v) }
        }
        return out
    }
}
