import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct PublishedCheckTests {
    typealias F = Fixtures
    let inst = Fixtures.twoPostsTwoWeeks()
    /// Valid under the fixture: sa at pA on Tuesday, sb at pB on Monday, sc at pA on Thursday.
    let published = [F.a("sa", "pA", "2027-04-06"), F.a("sb", "pB", "2027-04-05"), F.a("sc", "pA", "2027-04-08")]
    let from = F.date("2027-04-05")

    func breaks(_ i: Instance, _ plan: [Assignment]? = nil, from: CivilDate? = nil) -> [String] {
        PublishedCheck.breaks(i, plan ?? published, from: from ?? self.from).map {
            "\($0.rule) \($0.assignment.staff) \($0.assignment.post) \($0.assignment.date.iso) \($0.causes.map(\.rawValue).joined(separator: "+"))"
        }
    }

    @Test func theUnchangedScheduleHasNoBreaks() {
        #expect(Scorer.score(inst, published).feasible)
        #expect(breaks(inst).isEmpty)
    }

    @Test func calendarChangesAreNamed() {
        var i = inst
        i.staff[0].unavailableDates.append(F.date("2027-04-06"))
        i.closedDates.append(F.date("2027-04-05"))
        i.staff[2].availableWeekdays = [1, 2, 3]
        #expect(breaks(i) == ["H4 sb pB 2027-04-05 closedDate", "H4 sa pA 2027-04-06 unavailable",
                              "H4 sc pA 2027-04-08 staffWeekdays"])
        var j = inst
        j.posts[0].allowedWeekdays = [1, 3, 5]
        #expect(breaks(j) == ["H4 sa pA 2027-04-06 postWeekdays", "H4 sc pA 2027-04-08 postWeekdays"])
    }

    @Test func skillsAndTravel() {
        var i = inst
        i.staff[0].skills["pm"] = 2
        i.staff[0].maxTravelKm = 5  // pA is 11 km from sa
        #expect(breaks(i) == ["H1 sa pA 2027-04-06 skills", "H7 sa pA 2027-04-06 travel"])
    }

    @Test func weeklyBreaksNameEveryDayOfTheirWeek() {
        var i = inst
        i.staff[2].maxDaysPerWeek = 1
        i.staff[2].targetDaysPerWeek = 1
        let plan = [F.a("sc", "pA", "2027-04-06"), F.a("sc", "pB", "2027-04-07"), F.a("sc", "pA", "2027-04-13")]
        #expect(breaks(i, plan) == ["H5 sc pA 2027-04-06 staffCapacity", "H5 sc pB 2027-04-07 staffCapacity"])

        var j = inst
        j.posts[0].daysPerWeek = 1
        let two = [F.a("sa", "pA", "2027-04-06"), F.a("sc", "pA", "2027-04-08")]
        #expect(breaks(j, two) == ["H6 sa pA 2027-04-06 postDemand", "H6 sc pA 2027-04-08 postDemand"])
    }

    @Test func daysBeforeFromAreLeftOut() {
        var i = inst
        i.staff[0].unavailableDates.append(F.date("2027-04-06"))
        #expect(breaks(i, from: F.date("2027-04-07")).isEmpty)
        #expect(PublishedCheck.breaks(i, published, from: from).first?.en.contains("unavailable") == true)
    }
}
