import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct ExplainerTests {
    let inst = Fixtures.twoPostsTwoWeeks()
    typealias F = Fixtures

    @Test func itemsAddUpToTheScoreTermByTerm() {
        let plan = [F.a("sa", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-13"), F.a("sc", "pA", "2027-04-12"),
                    F.a("sb", "pB", "2027-04-05")]
        let items = Explainer.explain(inst, plan)
        let report = Scorer.score(inst, plan)
        for def in ConstraintCatalogue.softTerms {
            let mine = items.filter { $0.term == def.id }
            #expect(mine.reduce(0) { $0 + $1.value } == report.terms[def.name]?.value, "\(def.name)")
            #expect(mine.reduce(0) { $0 + $1.count } == report.terms[def.name]?.count, "\(def.name)")
        }
        #expect(items.allSatisfy { !$0.ja.isEmpty && !$0.en.isEmpty })
        let travel = items.first { $0.term == .travelPerKm && $0.staff == "sa" && $0.date == F.date("2027-04-06") }
        #expect(travel?.en == "A (sa) travels 11 km to post pA \"DX\" on Tue 2027-04-06 (11 points).")
        #expect(travel?.ja.contains("11km") == true)
        let continuity = items.first { $0.term == .continuity }
        #expect(continuity?.en.contains("2 different staff") == true)
    }

    @Test func hardRuleBreaksAreListed() {
        let items = Explainer.explain(inst, [F.a("sb", "pA", "2027-04-06")])
        #expect(items.contains { $0.term == .H1 && $0.staff == "sb" && $0.en.hasPrefix("Breaks hard rule H1 (skills)") })
        #expect(items.contains { $0.term == .H7 && $0.ja.contains("移動距離上限") })
    }

    func reason(_ i: Instance, _ plan: [Assignment], post: String, week: String) -> Explanation? {
        Explainer.explain(i, plan).first { $0.term == .unmetDemand && $0.post == post && $0.date == F.date(week) }
    }

    @Test func uncoveredBecauseNobodyQualifiedInRange() {
        var i = inst
        i.posts[1].requirements = ["data": 5]  // only sc has data 5 ...
        i.staff[2].maxTravelKm = 10            // ... and sc→pB is 56 km
        let e = reason(i, [], post: "pB", week: "2027-04-05")
        #expect(e?.reason == .noQualifiedStaff)
        #expect(e?.en.contains("beyond their travel limit") == true)
        i.posts[1].requirements = ["data": 5, "pm": 5, "sec": 1]
        i.skills.append(Skill(id: "sec", name: "Security"))
        #expect(reason(i, [], post: "pB", week: "2027-04-05")?.en.contains("no staff member has the required skills") == true)
    }

    @Test func uncoveredBecauseOfTheCalendar() {
        var i = inst
        // Only sb and sc qualify for pB in range; sc is too far with a limit, sb is away on both open days.
        i.staff[2].maxTravelKm = 10
        i.staff[0].skills["data"] = 1
        i.staff[1].unavailableDates = [F.date("2027-04-05"), F.date("2027-04-07")]
        let e = reason(i, [], post: "pB", week: "2027-04-05")
        #expect(e?.reason == .calendar)
        #expect(e?.count == 1 && e?.value == 1000)
        #expect(e?.ja.contains("理由") == true)
    }

    @Test func uncoveredBecauseEveryoneIsBusyOrAtCapacity() {
        var i = inst
        i.staff[2].maxTravelKm = 10
        i.staff[0].skills["data"] = 1
        // Only sb qualifies for pB; with a weekly maximum of 1 spent on Monday, Wednesday and Friday stay open.
        i.staff[1].maxDaysPerWeek = 1
        i.staff[1].targetDaysPerWeek = 1
        i.posts[1].daysPerWeek = 2
        let plan = [F.a("sb", "pB", "2027-04-12")]
        let e = reason(i, plan, post: "pB", week: "2027-04-12")
        #expect(e?.reason == .capacity)
        #expect(e?.en.contains("B (sb)") == true)
    }

    @Test func uncoveredThoughSomeoneIsFree() {
        let e = reason(inst, [], post: "pB", week: "2027-04-12")
        #expect(e?.reason == .staffAvailable)
    }

    @Test func uncoveredBecauseCoveringCostsMoreThanTheGap() {
        var i = inst
        // An unmet day is worth 40 here; sb (0 km) cannot come on pB's days, sa is 44 km away and sc 56 km.
        i.weights = ["unmetDemand": 40]
        i.staff[1].availableWeekdays = [2]
        let e = reason(i, [], post: "pB", week: "2027-04-12")
        #expect(e?.reason == .tooCostly)
        #expect(e?.en.contains("A (sa)") == true)  // sa at 44 km is the cheapest: 44 − 40 = 4 points worse
        #expect(e?.en.contains("costs 4 points more") == true)
    }

    @Test func explainsASolvedPlan() {
        let syn = SyntheticInstances.make(seed: 81, posts: 10, staff: 6)
        let plan = Solver.solve(syn, options: SolveOptions(seconds: 10, seed: 1, threads: 1, maxIterations: 5000))
        let items = Explainer.explain(syn, plan.assignments)
        #expect(items.reduce(0) { $0 + $1.value } == plan.objective)
        // A solved plan leaves no demand open while a qualified person is free.
        #expect(!items.contains { $0.reason == .staffAvailable })
    }
}
