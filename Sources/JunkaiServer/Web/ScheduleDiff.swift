import Foundation
import JunkaiCore
import JunkaiStore

/// What publishing a plan would change for each person, against the schedule published now (inside the plan's
/// period): days gained, days lost, and days that move — to another post on the same date, or to another date of
/// the same ISO week at the same post. Pure, so it is tested on its own.
struct ScheduleDiff: Equatable {
    struct Move: Equatable {
        var from: CivilDate
        var to: CivilDate
        var fromPost: UUID
        var toPost: UUID
    }

    struct Person: Equatable {
        var staff: UUID
        var gained: [PublishedAssignment] = []
        var lost: [PublishedAssignment] = []
        var moved: [Move] = []
        var unchanged = 0
        var changed: Bool { !gained.isEmpty || !lost.isEmpty || !moved.isEmpty }
    }

    /// People with a change, in the order of `staffOrder` (then by id).
    var people: [Person]
    var gained: Int { people.reduce(0) { $0 + $1.gained.count } }
    var lost: Int { people.reduce(0) { $0 + $1.lost.count } }
    var moved: Int { people.reduce(0) { $0 + $1.moved.count } }
    var unchanged: Int

    static func compute(current: [PublishedAssignment], proposed: [PublishedAssignment], staffOrder: [UUID] = []) -> ScheduleDiff {
        let rank = Dictionary(staffOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var byStaff: [UUID: (now: [CivilDate: UUID], next: [CivilDate: UUID])] = [:]
        for a in current { byStaff[a.staff, default: ([:], [:])].now[a.date] = a.post }
        for a in proposed { byStaff[a.staff, default: ([:], [:])].next[a.date] = a.post }
        var people: [Person] = []
        var unchangedTotal = 0
        for (staff, days) in byStaff {
            var p = Person(staff: staff)
            var lost: [PublishedAssignment] = [], gained: [PublishedAssignment] = []
            for (date, post) in days.now {
                if let other = days.next[date] {
                    if other == post { p.unchanged += 1 } else {
                        p.moved.append(Move(from: date, to: date, fromPost: post, toPost: other))
                    }
                } else {
                    lost.append(PublishedAssignment(staff: staff, post: post, date: date))
                }
            }
            for (date, post) in days.next where days.now[date] == nil {
                gained.append(PublishedAssignment(staff: staff, post: post, date: date))
            }
            lost.sort { $0.date < $1.date }
            gained.sort { $0.date < $1.date }
            // A lost day and a gained day at the same post in the same week is the day moving, not two changes.
            for l in lost {
                if let i = gained.firstIndex(where: { $0.post == l.post && $0.date.weekStart == l.date.weekStart }) {
                    p.moved.append(Move(from: l.date, to: gained[i].date, fromPost: l.post, toPost: l.post))
                    gained.remove(at: i)
                } else {
                    p.lost.append(l)
                }
            }
            p.gained = gained
            p.moved.sort { ($0.from, $0.to) < ($1.from, $1.to) }
            unchangedTotal += p.unchanged
            if p.changed { people.append(p) }
        }
        people.sort { a, b in
            let ra = rank[a.staff] ?? Int.max, rb = rank[b.staff] ?? Int.max
            return ra != rb ? ra < rb : a.staff.uuidString < b.staff.uuidString
        }
        return ScheduleDiff(people: people, unchanged: unchangedTotal)
    }
}
