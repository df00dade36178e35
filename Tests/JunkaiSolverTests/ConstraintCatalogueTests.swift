import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

/// One test per catalogue function, each on the hand-checked `twoPostsTwoWeeks` fixture.
@Suite struct ConstraintCatalogueTests {
    let inst = Fixtures.twoPostsTwoWeeks()
    typealias F = Fixtures

    func violations(_ rule: ConstraintID, _ plan: [Assignment], _ i: Instance? = nil) -> [Violation] {
        Scorer.evaluate(rule, i ?? inst, plan).violations
    }

    func count(_ term: ConstraintID, _ plan: [Assignment], _ i: Instance? = nil) -> Int {
        Scorer.evaluate(term, i ?? inst, plan).contributions.reduce(0) { $0 + $1.count }
    }

    /// The fixture loads through the real loader (not the fallback that keeps other tests running) and has the
    /// hand-checked numbers its comment states, which the other tests rely on.
    @Test func fixtureLoadsWithItsHandCheckedNumbers() throws {
        let loaded = try InstanceLoader.load(json: Data(Fixtures.twoPostsTwoWeeksJSON.utf8))
        try InstanceLoader.validate(loaded)
        #expect(loaded.posts.map(\.id) == ["pA", "pB"])
        #expect(loaded.staff.map(\.id) == ["sa", "sb", "sc"])
        #expect(count(.unmetDemand, [], loaded) == 6, "demand: pA 2 + 2, pB 1 + 1")
        #expect(loaded.requests.filter { $0.kind == .required }.count == 2)
    }

    @Test func catalogueNamesAreUniqueAndOrdered() {
        let names = ConstraintCatalogue.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names == ["H1", "H2", "H3", "H4", "H5", "H6", "H7", "H8", "unmetDemand", "missedRequiredRequest",
                          "missedPreferredRequest", "continuity", "undesiredDate", "overTarget", "nonPreferredWeekday",
                          "disruption", "travelPerKm"])
        let table = ConstraintCatalogue.markdownTable()
        #expect(table.contains("| `unmetDemand` unmet demand (需要未充足) | soft | 1000 |"))
        #expect(table.split(separator: "\n").count == names.count + 2)
    }

    @Test func h1SkillsOnePerEntry() {
        let plan = [F.a("sb", "pA", "2027-04-05"), F.a("sb", "pA", "2027-04-05"), F.a("sa", "pA", "2027-04-06"), F.a("sb", "pB", "2027-04-07")]
        #expect(violations(.H1, plan) == [F.v(.H1, "sb", "pA", "2027-04-05"), F.v(.H1, "sb", "pA", "2027-04-05")])
    }

    @Test func h2OnePlaceADayNamesTheFirstPost() {
        let plan = [F.a("sa", "pB", "2027-04-07"), F.a("sa", "pA", "2027-04-07"), F.a("sa", "pA", "2027-04-07"), F.a("sc", "pA", "2027-04-08")]
        #expect(violations(.H2, plan) == [F.v(.H2, "sa", "pB", "2027-04-07")])
    }

    @Test func h3OnePersonASeatNamesTheFirstStaff() {
        let plan = [F.a("sc", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-07")]
        #expect(violations(.H3, plan) == [F.v(.H3, "sc", "pA", "2027-04-06")])
        // A duplicated entry is two assignments: it breaks both H2 and H3.
        let dup = [F.a("sa", "pA", "2027-04-07"), F.a("sa", "pA", "2027-04-07")]
        #expect(violations(.H3, dup).count == 1)
        #expect(violations(.H2, dup).count == 1)
    }

    @Test func h4CalendarCoversEveryReason() {
        let plan = [
            F.a("sa", "pA", "2027-04-09"),  // closed date
            F.a("sa", "pA", "2027-04-10"),  // Saturday
            F.a("sa", "pA", "2027-04-12"),  // sa unavailable
            F.a("sb", "pB", "2027-04-06"),  // Tuesday: pB not allowed, sb not available
            F.a("sc", "pA", "2027-04-19"),  // after the period
            F.a("sa", "pA", "2027-04-07"),  // fine
            F.a("sc", "pB", "2027-04-14"),  // fine
        ]
        #expect(violations(.H4, plan) == [
            F.v(.H4, "sb", "pB", "2027-04-06"), F.v(.H4, "sa", "pA", "2027-04-09"), F.v(.H4, "sa", "pA", "2027-04-10"),
            F.v(.H4, "sa", "pA", "2027-04-12"), F.v(.H4, "sc", "pA", "2027-04-19"),
        ])
        // A national holiday is not a working day: 2027-04-29 (昭和の日) in a period that contains it.
        var wide = inst
        wide.period = Period(start: F.date("2027-04-26"), end: F.date("2027-04-30"))
        #expect(violations(.H4, [F.a("sc", "pA", "2027-04-29")], wide) == [F.v(.H4, "sc", "pA", "2027-04-29")])
        #expect(violations(.H4, [F.a("sc", "pA", "2027-04-28")], wide).isEmpty)
    }

    @Test func h5StaffCapacityPerIsoWeekOnMonday() {
        let plan = [F.a("sb", "pB", "2027-04-05"), F.a("sb", "pB", "2027-04-07"), F.a("sb", "pB", "2027-04-09"),
                    F.a("sb", "pB", "2027-04-12"), F.a("sb", "pB", "2027-04-14")]
        #expect(violations(.H5, plan) == [F.v(.H5, "sb", nil, "2027-04-05")])
        // Entries outside the period still count in their ISO week.
        let outside = [F.a("sb", "pB", "2027-04-14"), F.a("sb", "pB", "2027-04-16"), F.a("sb", "pB", "2027-04-17")]
        #expect(violations(.H5, outside) == [F.v(.H5, "sb", nil, "2027-04-12")])
    }

    @Test func h6DemandCeilingPerPostWeek() {
        let plan = [F.a("sa", "pA", "2027-04-05"), F.a("sc", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-07"),
                    F.a("sc", "pB", "2027-04-12"), F.a("sc", "pA", "2027-04-19")]
        // pA week 1: 3 > 2; the week of 04-19 has no working day inside the period, so its demand is 0.
        #expect(violations(.H6, plan) == [F.v(.H6, nil, "pA", "2027-04-05"), F.v(.H6, nil, "pA", "2027-04-19")])
    }

    @Test func h7TravelUsesRoundedKm() {
        let plan = [F.a("sb", "pA", "2027-04-05"), F.a("sa", "pB", "2027-04-05"), F.a("sc", "pB", "2027-04-07")]
        #expect(violations(.H7, plan) == [F.v(.H7, "sb", "pA", "2027-04-05")])
        var tight = inst
        tight.staff[0].maxTravelKm = 43  // sa→pB is 44 km
        #expect(violations(.H7, [F.a("sa", "pB", "2027-04-05")], tight).count == 1)
        tight.staff[0].maxTravelKm = 44
        #expect(violations(.H7, [F.a("sa", "pB", "2027-04-05")], tight).isEmpty)
    }

    @Test func h8PinnedMustBeInThePlan() {
        var pinned = inst
        pinned.pinned = [F.a("sa", "pA", "2027-04-06")]
        #expect(violations(.H8, [], pinned) == [F.v(.H8, "sa", "pA", "2027-04-06")])
        #expect(violations(.H8, [F.a("sa", "pA", "2027-04-06")], pinned).isEmpty)
    }

    @Test func unmetDemandNeverBelowZeroPerWeek() {
        #expect(count(.unmetDemand, []) == 6)
        #expect(count(.unmetDemand, [F.a("sa", "pA", "2027-04-05")]) == 5)
        // Three in pA's first week cover its 2 but do not make up for the second week.
        let over = [F.a("sa", "pA", "2027-04-05"), F.a("sc", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-07")]
        #expect(count(.unmetDemand, over) == 4)
        // A short first week: the period starting on Thursday leaves Thu and Fri.
        var short = inst
        short.period = Period(start: F.date("2027-04-08"), end: F.date("2027-04-16"))
        short.closedDates = []
        // pA: min(2, 2) + 2; pB: min(1, Fri) + 1.
        #expect(count(.unmetDemand, [], short) == 6)
        short.period = Period(start: F.date("2027-04-09"), end: F.date("2027-04-16"))
        // pA: min(2, 1) + 2; pB: 1 (Fri) + 1.
        #expect(count(.unmetDemand, [], short) == 5)
    }

    @Test func missedRequiredRequestByPostAndDate() {
        #expect(count(.missedRequiredRequest, []) == 2)
        #expect(count(.missedRequiredRequest, [F.a("sc", "pA", "2027-04-06")]) == 1)
        #expect(count(.missedRequiredRequest, [F.a("sc", "pB", "2027-04-06")]) == 2)
    }

    @Test func missedPreferredRequestByPostAndDate() {
        #expect(count(.missedPreferredRequest, []) == 1)
        #expect(count(.missedPreferredRequest, [F.a("sc", "pB", "2027-04-07")]) == 0)
        var twice = inst
        twice.requests.append(Request(post: "pB", date: F.date("2027-04-07"), kind: .preferred))
        #expect(count(.missedPreferredRequest, [], twice) == 2)
    }

    @Test func continuityCountsDistinctStaffInsideThePeriod() {
        let plan = [F.a("sa", "pA", "2027-04-05"), F.a("sc", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-13"),
                    F.a("sb", "pA", "2027-04-19"), F.a("sb", "pB", "2027-04-05")]
        #expect(count(.continuity, plan) == 1)
        #expect(count(.continuity, []) == 0)
    }

    @Test func undesiredDatePerEntry() {
        #expect(count(.undesiredDate, [F.a("sa", "pA", "2027-04-13"), F.a("sc", "pA", "2027-04-13"), F.a("sa", "pB", "2027-04-14")]) == 1)
    }

    @Test func overTargetPerStaffWeek() {
        let plan = [F.a("sc", "pA", "2027-04-05"), F.a("sc", "pB", "2027-04-07"),  // sc target 1: +1
                    F.a("sa", "pA", "2027-04-06"), F.a("sa", "pA", "2027-04-07"), F.a("sa", "pB", "2027-04-08"),  // sa target 2: +1
                    F.a("sb", "pB", "2027-04-12"), F.a("sb", "pB", "2027-04-14")]  // sb target = max 2: 0
        #expect(count(.overTarget, plan) == 2)
        let items = Scorer.evaluate(.overTarget, inst, plan).contributions
        #expect(items.map(\.staff) == ["sa", "sc"])
        #expect(items.allSatisfy { $0.date == F.date("2027-04-05") })
    }

    @Test func nonPreferredWeekdayOnlyForPostsWithPreferences() {
        let plan = [F.a("sa", "pA", "2027-04-05"), F.a("sa", "pA", "2027-04-06"), F.a("sc", "pB", "2027-04-07")]
        #expect(count(.nonPreferredWeekday, plan) == 1)
    }

    @Test func disruptionCountsBaselineInsideThePeriodOnly() {
        #expect(count(.disruption, []) == 2)
        #expect(count(.disruption, [F.a("sa", "pA", "2027-04-08")]) == 1)
        #expect(count(.disruption, [F.a("sc", "pA", "2027-04-08"), F.a("sb", "pB", "2027-04-05")]) == 1)
    }

    @Test func travelPerKmSumsRoundedKm() {
        let plan = [F.a("sa", "pA", "2027-04-06"), F.a("sb", "pB", "2027-04-05"), F.a("sc", "pB", "2027-04-07"), F.a("sa", "pB", "2027-04-14")]
        #expect(count(.travelPerKm, plan) == 11 + 0 + 56 + 44)
    }
}
