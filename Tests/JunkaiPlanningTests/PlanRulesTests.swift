import Foundation
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore
import Testing

@Suite struct PlanRulesTests {
    typealias F = OnePostOneWeek

    @Test("a manual assignment is scored exactly and kept")
    func assignScores() throws {
        let edit = try PlanRules.edit(F.problem([]), post: F.post, date: F.monday, staff: F.skilled, pinned: true)
        #expect(edit.assignments == [Assignment(staff: F.skilled.uuidString, post: F.post.uuidString, date: F.monday)])
        #expect(edit.report.objective == Scorer.score(F.instance, edit.assignments).objective)
        #expect(edit.report.feasible)
    }

    @Test("an assignment that adds a hard-rule break is refused, naming the rule")
    func hardRuleGate() {
        #expect {
            try PlanRules.edit(F.problem([]), post: F.post, date: F.monday, staff: F.unskilled, pinned: false)
        } throws: { error in
            guard case StoreError.conflict(let why)? = error as? StoreError else { return false }
            return why.hasPrefix("the change breaks hard rule H1")
        }
    }

    @Test("a break the plan already had does not block an unrelated edit")
    func existingBreaksDoNotBlock() throws {
        let broken = F.problem([(F.unskilled, F.monday)])
        let edit = try PlanRules.edit(broken, post: F.post, date: F.tuesday, staff: F.skilled, pinned: false)
        #expect(edit.assignments.count == 2)
        #expect(!edit.report.feasible)
    }

    @Test("dates outside the period, unknown staff and an empty day to clear are refused with their field")
    func refusals() {
        let outside = CivilDate(iso: "2027-04-12")!
        #expect(throws: InvalidInput("/date", "2027-04-12 is outside the plan's period 2027-04-05–2027-04-09")) {
            try PlanRules.edit(F.problem([]), post: F.post, date: outside, staff: F.skilled, pinned: false)
        }
        let stranger = UUID()
        #expect(throws: InvalidInput("/staff", "unknown staff \(stranger.uuidString)")) {
            try PlanRules.edit(F.problem([]), post: F.post, date: F.monday, staff: stranger, pinned: false)
        }
        #expect(throws: StoreError.notFound("no assignment at that post on 2027-04-05")) {
            try PlanRules.edit(F.problem([]), post: F.post, date: F.monday, staff: nil, pinned: false)
        }
        #expect(throws: StoreError.notFound("post not found")) {
            try PlanRules.edit(F.problem([]), post: UUID(), date: F.monday, staff: F.skilled, pinned: false)
        }
    }

    @Test("publishing refuses a plan with a hard-rule break and scores a clean one")
    func publishable() throws {
        #expect(throws: StoreError.self) { try PlanRules.publishable(F.problem([(F.unskilled, F.monday)])) }
        let clean = try PlanRules.publishable(F.problem([(F.skilled, F.monday), (F.skilled, F.tuesday)]))
        #expect(clean.feasible && clean.violations.isEmpty)
    }

    @Test("a stored solve keeps its pins out of the rows, ends its curve at the exact objective, and its gap is never negative")
    func solveResult() throws {
        var inst = F.instance
        inst.pinned = [Assignment(staff: F.skilled.uuidString, post: F.post.uuidString, date: F.monday)]
        let assignments = [Assignment(staff: F.skilled.uuidString, post: F.post.uuidString, date: F.monday),
                           Assignment(staff: F.skilled.uuidString, post: F.post.uuidString, date: F.tuesday)]
        let exact = Scorer.score(inst, assignments).objective
        let result = try PlanRules.solveResult(inst, assignments: assignments,
                                               progress: [SolveProgressPoint(elapsed: 1, objective: exact + 7)],
                                               bound: exact + 5)
        #expect(result.rows.count == 1 && result.rows[0].date == F.tuesday)
        #expect(result.progress.last?.objective == exact)
        #expect(result.gap == 0)
        let bogus = [Assignment(staff: "not-a-uuid", post: F.post.uuidString, date: F.tuesday)]
        #expect(throws: InvalidInput.self) {
            try PlanRules.solveResult(F.instance, assignments: bogus, progress: [], bound: nil)
        }
    }

    @Test("solve limits: 1–600 seconds and a seed that is not negative, both reported at once")
    func solveIssues() {
        #expect(PlanRules.solveIssues(seconds: 30, seed: 1).isEmpty)
        #expect(PlanRules.solveIssues(seconds: 0.5, seed: -1).map(\.pointer) == ["/seconds", "/seed"])
        #expect(PlanRules.solveIssues(seconds: 601, seed: 0).map(\.pointer) == ["/seconds"])
    }

    @Test("introduced violations count repeats: one more of the same break is new")
    func introduced() {
        let v = Violation(rule: .H1, staff: "s", post: "p", date: F.monday)
        #expect(PlanRules.introducedViolations(before: [v], after: [v]).isEmpty)
        #expect(PlanRules.introducedViolations(before: [v], after: [v, v]) == [v])
    }
}
