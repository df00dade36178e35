import Foundation
import JunkaiCore
@testable import JunkaiSolver

/// Seeded random instances for search tests: every feature of the model shows up (skills, weekdays,
/// travel limits, unavailable and undesired dates, requests of both kinds, baseline, a few pins).
enum SyntheticInstances {
    static func make(seed: UInt64, posts nPosts: Int, staff nStaff: Int, start: String = "2027-04-01", end: String = "2027-05-31",
                     pins: Int = 3) -> Instance {
        var rng = SeededRandom(seed: seed)
        let skillIds = ["pm", "data", "sec", "eng"]
        let skills = skillIds.map { Skill(id: $0, name: $0.uppercased()) }
        let munis: [Municipality] = (0..<6).compactMap { i in
            guard let code = LocalGovCode(fiveDigit: String(29201 + i)) else { return nil }
            return Municipality(code: code.value, name: "M\(i)", lat: 34.0 + Double(i) * 0.08, lon: 135.0 + Double(i % 3) * 0.07)
        }
        let period = Period(start: CivilDate(iso: start) ?? CivilDate(dayNumber: 0), end: CivilDate(iso: end) ?? CivilDate(dayNumber: 0))
        let days = (period.start.dayNumber...period.end.dayNumber).map(CivilDate.init(dayNumber:))
        var posts: [Post] = []
        for p in 0..<nPosts {
            var req: [String: Int] = [skillIds[rng.below(skillIds.count)]: 1 + rng.below(3)]
            if rng.chance(30) { req[skillIds[rng.below(skillIds.count)]] = 1 + rng.below(2) }
            let allowed = rng.chance(25) ? [1, 3, 5] : [1, 2, 3, 4, 5]
            let preferred = rng.chance(40) ? [allowed[rng.below(allowed.count)]] : []
            posts.append(Post(id: "p\(p)", municipality: munis[rng.below(munis.count)].code, title: "post \(p)",
                              requirements: req, daysPerWeek: 1 + rng.below(3), allowedWeekdays: allowed, preferredWeekdays: preferred))
        }
        var staff: [Staff] = []
        for s in 0..<nStaff {
            var sk: [String: Int] = [:]
            for id in skillIds where rng.chance(60) { sk[id] = 1 + rng.below(5) }
            let maxDays = 2 + rng.below(4)
            let unavailable = (0..<rng.below(4)).map { _ in days[rng.below(days.count)] }
            let undesired = (0..<rng.below(5)).map { _ in days[rng.below(days.count)] }
            staff.append(Staff(id: "s\(s)", name: "staff \(s)", home: GeoPoint(lat: 34.0 + Double(rng.below(50)) / 100, lon: 135.0 + Double(rng.below(20)) / 100),
                               skills: sk, maxDaysPerWeek: maxDays, targetDaysPerWeek: max(1, maxDays - rng.below(2)),
                               availableWeekdays: rng.chance(25) ? [1, 2, 4] : [1, 2, 3, 4, 5],
                               maxTravelKm: rng.chance(50) ? 30 + rng.below(40) : nil, unavailableDates: unavailable, undesiredDates: undesired))
        }
        let requests = (0..<(nPosts * 2)).map { _ in
            Request(post: "p\(rng.below(nPosts))", date: days[rng.below(days.count)], kind: rng.chance(40) ? .required : .preferred)
        }
        let baseline = (0..<(nPosts * 2)).map { _ in
            Assignment(staff: "s\(rng.below(nStaff))", post: "p\(rng.below(nPosts))", date: days[rng.below(days.count)])
        }
        var inst = Instance(name: "synthetic-\(seed)", period: period, closedDates: [days[days.count / 2]], skills: skills,
                            municipalities: munis, posts: posts, staff: staff, requests: requests, baseline: baseline)
        // Pins: assignments of a feasible plan, so they keep every hard rule together.
        let feasible = Solver.solve(inst, options: SolveOptions(seconds: 0, seed: seed, threads: 1, maxIterations: 0)).assignments
        if !feasible.isEmpty {
            inst.pinned = (0..<min(pins, feasible.count)).map { feasible[($0 * 7919) % feasible.count] }
            inst.pinned = Array(Set(inst.pinned)).sorted { ($0.date, $0.post) < ($1.date, $1.post) }
        }
        return inst
    }
}
