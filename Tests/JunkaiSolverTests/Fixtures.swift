import Foundation
import JunkaiCore
@testable import JunkaiSolver

/// Hand-checked numbers for `twoPostsTwoWeeks`:
/// - period 2027-04-05 (Mon) … 2027-04-16 (Fri), 2027-04-09 closed, no national holiday: 9 working days.
/// - demand: pA 2 + 2 (daysPerWeek 2), pB 1 + 1 (Mon/Wed/Fri only) = 6.
/// - km: sa→pA 11, sa→pB 44, sb→pA 56, sb→pB 0, sc→pA 0, sc→pB 56 (latitude offsets of 0.1°, 0.4°, 0.5°).
enum Fixtures {
    static let twoPostsTwoWeeksJSON = """
    {
      "format": "junkai.instance/1",
      "name": "two-posts-two-weeks",
      "period": { "start": "2027-04-05", "end": "2027-04-16" },
      "closedDates": ["2027-04-09", "2027-08-01"],
      "skills": [ { "id": "pm", "name": "PM" }, { "id": "data", "name": "データ" } ],
      "municipalities": [
        { "code": "292010", "name": "奈良市", "lat": 34.0, "lon": 135.0 },
        { "code": "292044", "name": "天理市", "lat": 34.5, "lon": 135.0 }
      ],
      "posts": [
        { "id": "pA", "municipality": "292010", "title": "DX", "requirements": { "pm": 3 }, "daysPerWeek": 2, "preferredWeekdays": [2, 4] },
        { "id": "pB", "municipality": "292044", "title": "データ", "requirements": { "data": 2 }, "daysPerWeek": 1, "allowedWeekdays": [1, 3, 5] }
      ],
      "staff": [
        { "id": "sa", "name": "A", "home": { "lat": 34.1, "lon": 135.0 }, "skills": { "pm": 4, "data": 2 },
          "maxDaysPerWeek": 3, "targetDaysPerWeek": 2, "maxTravelKm": 50,
          "unavailableDates": ["2027-04-12"], "undesiredDates": ["2027-04-13"] },
        { "id": "sb", "name": "B", "home": { "lat": 34.5, "lon": 135.0 }, "skills": { "pm": 2, "data": 3 },
          "maxDaysPerWeek": 2, "availableWeekdays": [1, 3, 5], "maxTravelKm": 20 },
        { "id": "sc", "name": "C", "home": { "lat": 34.0, "lon": 135.0 }, "skills": { "pm": 5, "data": 5 },
          "maxDaysPerWeek": 5, "targetDaysPerWeek": 1 }
      ],
      "requests": [
        { "post": "pA", "date": "2027-04-06", "kind": "required" },
        { "post": "pB", "date": "2027-04-07", "kind": "preferred" },
        { "post": "pA", "date": "2027-04-13", "kind": "required" }
      ],
      "baseline": [
        { "staff": "sa", "post": "pA", "date": "2027-04-08" },
        { "staff": "sc", "post": "pA", "date": "2027-04-20" },
        { "staff": "sb", "post": "pB", "date": "2027-04-05" }
      ]
    }
    """

    static func twoPostsTwoWeeks() -> Instance {
        // The fixture is valid by construction; a failure here is a test bug, reported by the tests that use it.
        (try? InstanceLoader.load(json: Data(twoPostsTwoWeeksJSON.utf8)))
            ?? Instance(name: "broken-fixture", period: Period(start: date("2027-04-05"), end: date("2027-04-05")),
                        skills: [], municipalities: [], posts: [], staff: [])
    }

    /// One post wanting two days a week over four weeks and two people who can each give one: every plan that
    /// covers it needs both (continuity paid once), which the week flows alone cannot see.
    static func postNobodyCarriesAlone() throws -> Instance {
        let json = """
        { "format": "junkai.instance/1", "name": "two-halves",
          "period": { "start": "2027-04-05", "end": "2027-04-30" },
          "skills": [ { "id": "pm", "name": "PM" } ],
          "municipalities": [ { "code": "292010", "name": "奈良市", "lat": 34.0, "lon": 135.0 } ],
          "posts": [ { "id": "p", "municipality": "292010", "title": "DX", "requirements": { "pm": 1 }, "daysPerWeek": 2 } ],
          "staff": [
            { "id": "a", "name": "A", "home": { "lat": 34.0, "lon": 135.0 }, "skills": { "pm": 1 }, "maxDaysPerWeek": 1 },
            { "id": "b", "name": "B", "home": { "lat": 34.1, "lon": 135.0 }, "skills": { "pm": 1 }, "maxDaysPerWeek": 1 }
          ] }
        """
        return try InstanceLoader.load(json: Data(json.utf8))
    }

    static func date(_ s: String) -> CivilDate { CivilDate(iso: s) ?? CivilDate(dayNumber: 0) }

    /// `a("sa", "pA", "2027-04-06")`
    static func a(_ staff: String, _ post: String, _ d: String) -> Assignment {
        Assignment(staff: staff, post: post, date: date(d))
    }

    static func v(_ rule: ConstraintID, _ staff: String?, _ post: String?, _ d: String?) -> Violation {
        Violation(rule: rule, staff: staff, post: post, date: d.map(date))
    }

    /// Replaces one JSON member path in the fixture and returns the new document (for invalid-input tests).
    static func mutated(_ edit: (inout [String: Any]) -> Void) -> Data {
        guard var obj = (try? JSONSerialization.jsonObject(with: Data(twoPostsTwoWeeksJSON.utf8))) as? [String: Any] else { return Data() }
        edit(&obj)
        return (try? JSONSerialization.data(withJSONObject: obj)) ?? Data()
    }
}
