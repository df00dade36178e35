import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct ExplanationReportTests {
    typealias F = Fixtures
    let inst = Fixtures.twoPostsTwoWeeks()
    let plan = [F.a("sa", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-13"), F.a("sc", "pA", "2027-04-12"),
                F.a("sb", "pB", "2027-04-05")]

    @Test func theSummaryNamesTheLargestCausesFirst() {
        let report = ExplanationReport.build(inst, plan, lang: "en")
        let score = Scorer.score(inst, plan)
        #expect(report.objective == score.objective)
        #expect(report.feasible == score.feasible)
        #expect(report.headline.hasPrefix("Objective \(score.objective) points"))
        #expect(!report.causes.isEmpty && report.causes.count <= ExplanationReport.maxCauses)
        #expect(zip(report.causes, report.causes.dropFirst()).allSatisfy { $0.value >= $1.value })
        let covered = report.causes.reduce(0) { $0 + $1.value }
        // Either the causes reach 80% of the objective, or five of them were not enough.
        #expect(covered * 100 >= score.objective * ExplanationReport.coverage || report.causes.count == ExplanationReport.maxCauses)
        // Dropping the last cause would fall short: the list is as short as it can be.
        #expect((covered - (report.causes.last?.value ?? 0)) * 100 < score.objective * ExplanationReport.coverage)
        let unmet = Explainer.explain(inst, plan).filter { $0.term == .unmetDemand }.reduce(0) { $0 + $1.value }
        let unmetCauses = report.causes.filter { $0.term == .unmetDemand }.reduce(0) { $0 + $1.value }
        #expect(unmetCauses <= unmet)
    }

    @Test func theDetailsHoldEveryItemOnceByPostAndAddUp() {
        let report = ExplanationReport.build(inst, plan, lang: "ja")
        let items = Explainer.explain(inst, plan)
        for g in report.byPost + report.byStaff + report.byWeek {
            #expect(g.value == g.items.reduce(0) { $0 + $1.value }, "\(g.key)")
        }
        let onPosts = report.byPost.reduce(0) { $0 + $1.items.count }
        #expect(onPosts == items.filter { $0.post != nil }.count)
        let total = report.byPost.reduce(0) { $0 + $1.value } + items.filter { $0.post == nil }.reduce(0) { $0 + $1.value }
        #expect(total == report.objective)
        #expect(report.byPost.first?.items.first.map { t in items.contains { $0.ja == t.text } } == true, "the Explainer's own Japanese text")
        #expect(report.headline.hasPrefix("目的関数"))
        #expect(report.byWeek.allSatisfy { CivilDate(iso: $0.key)?.weekday == 1 })
    }

    @Test func aHardBreakMakesTheReportInfeasible() {
        let report = ExplanationReport.build(inst, [F.a("sb", "pA", "2027-04-06")], lang: "en")
        #expect(!report.feasible)
        #expect(report.headline.contains("infeasible"))
    }
}
