import Foundation
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// One post in 奈良市 (Mon–Fri, 2 days a week, PM level 3) over one week, with one PM who may come and one who lacks
/// the skill; ids are UUIDs, as the store's plans use.
enum OnePostOneWeek {
    static let post = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
    static let skilled = UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!
    static let unskilled = UUID(uuidString: "00000000-0000-4000-8000-0000000000b2")!
    static let monday = CivilDate(iso: "2027-04-05")!
    static let tuesday = CivilDate(iso: "2027-04-06")!

    static let instance: Instance = {
        let json = """
        {
          "format": "junkai.instance/1", "name": "one-post-one-week",
          "period": { "start": "2027-04-05", "end": "2027-04-09" },
          "skills": [ { "id": "pm", "name": "PM" } ],
          "municipalities": [ { "code": "292010", "name": "奈良市", "lat": 34.68, "lon": 135.80 } ],
          "posts": [ { "id": "\(post)", "municipality": "292010", "title": "DX", "requirements": { "pm": 3 }, "daysPerWeek": 2 } ],
          "staff": [
            { "id": "\(skilled)", "name": "A", "home": { "lat": 34.68, "lon": 135.80 }, "skills": { "pm": 4 }, "maxDaysPerWeek": 3 },
            { "id": "\(unskilled)", "name": "B", "home": { "lat": 34.68, "lon": 135.80 }, "skills": { "pm": 1 }, "maxDaysPerWeek": 3 }
          ]
        }
        """
        do { return try InstanceLoader.load(json: Data(json.utf8)) } catch { fatalError("fixture: \(error)") }
    }()

    /// The plan with `assignments` (pinned ones listed in `pins`).
    static func problem(_ assignments: [(UUID, CivilDate)], pins: [(UUID, CivilDate)] = []) -> PlanProblem {
        var inst = instance
        inst.pinned = pins.map { Assignment(staff: $0.0.uuidString, post: post.uuidString, date: $0.1) }
        return PlanProblem(instance: inst,
                           assignments: assignments.map { Assignment(staff: $0.0.uuidString, post: post.uuidString, date: $0.1) },
                           pinnedKeys: Set(pins.map { SeatDay(post: post.uuidString, date: $0.1) }))
    }
}
