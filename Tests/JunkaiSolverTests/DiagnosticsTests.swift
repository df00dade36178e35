import Foundation
import JunkaiCore
import Testing
@testable import JunkaiSolver

@Suite struct DiagnosticsTests {
    typealias F = Fixtures
    let inst = Fixtures.twoPostsTwoWeeks()

    @Test func theFixtureHasNothingImpossible() {
        let d = Diagnostics.check(inst)
        #expect(d.clear, "\(d.lines(lang: "en"))")
    }

    @Test func aSkillNobodyHasMakesThePostUnstaffable() {
        var i = inst
        i.posts[0].requirements = ["ai": 1]
        let d = Diagnostics.check(i)
        #expect(d.unstaffablePosts.map(\.post) == ["pA"])
        // pA: 2 days in each of the two weeks (the closed Friday leaves four working days in the first).
        #expect(d.unstaffablePosts.first?.demandDays == 4)
        #expect(d.unstaffablePosts.first?.excluded == ["skill": 3])
        #expect(d.unstaffablePosts.first?.en.contains("3 lack a required skill") == true)
        #expect(!d.clear)
    }

    @Test func eachStaffMemberIsCountedUnderTheFirstRuleThatExcludesThem() {
        var i = inst
        i.posts[0].requirements = ["pm": 5]       // sa pm 4 and sb pm 2: level
        i.staff[2].availableWeekdays = [6]        // sc qualifies but only works Saturdays: weekdays
        #expect(Diagnostics.check(i).unstaffablePosts.first?.excluded == ["level": 2, "weekdays": 1])

        var j = inst
        j.posts[1].requirements = ["data": 5]     // sa data 2 and sb data 3: level
        j.staff[2].maxTravelKm = 10               // sc has data 5 but pB is 56 km away: travel
        let d = Diagnostics.check(j)
        #expect(d.unstaffablePosts.map(\.post) == ["pB"])
        #expect(d.unstaffablePosts.first?.excluded == ["level": 2, "travel": 1])
        #expect(d.unstaffablePosts.first?.ja.contains("移動距離超過1人") == true)
    }

    @Test func weeksWhoseDemandExceedsEveryonesCapacity() {
        var i = inst
        i.staff = [i.staff[2]]
        i.staff[0].maxDaysPerWeek = 1
        i.staff[0].targetDaysPerWeek = 1
        i.requests = []
        let d = Diagnostics.check(i)
        #expect(d.unstaffablePosts.isEmpty)
        // pA 2 + pB 1 each week against one person working at most one day.
        #expect(d.overloadedWeeks.map(\.week) == [F.date("2027-04-05"), F.date("2027-04-12")])
        #expect(d.overloadedWeeks.allSatisfy { $0.demand == 3 && $0.capacity == 1 })
    }

    @Test func requiredRequestsThatNoPlanCanMeet() {
        var i = inst
        i.staff[2].unavailableDates = [F.date("2027-04-12")]  // sa is unavailable that day too; sb is not qualified for pA
        i.requests = [
            Request(post: "pA", date: F.date("2027-04-09"), kind: .required),   // closed date
            Request(post: "pB", date: F.date("2027-04-06"), kind: .required),   // pB allows Mon/Wed/Fri only
            Request(post: "pA", date: F.date("2027-04-12"), kind: .required),   // nobody eligible is free
            Request(post: "pZ", date: F.date("2027-04-07"), kind: .required),
            Request(post: "pB", date: F.date("2027-04-06"), kind: .preferred),  // preferred requests are not checked
            Request(post: "pA", date: F.date("2027-04-13"), kind: .required),   // fine
        ]
        let reasons = Diagnostics.check(i).unmeetableRequests.map { "\($0.post) \($0.date.iso) \($0.reason.rawValue)" }
        #expect(reasons == ["pA 2027-04-09 notWorkingDay", "pB 2027-04-06 postWeekday", "pA 2027-04-12 noStaff",
                            "pZ 2027-04-07 unknownPost"])
    }

    @Test func encodesClearAndEveryList() throws {
        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(Diagnostics.check(inst))) as? [String: Any]
        #expect(json?["clear"] as? Bool == true)
        #expect((json?["unstaffablePosts"] as? [Any])?.isEmpty == true)
        let back = try JSONDecoder().decode(Diagnostics.self, from: try JSONEncoder().encode(Diagnostics.check(inst)))
        #expect(back == Diagnostics.check(inst))
    }
}
