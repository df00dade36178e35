import JunkaiCore

/// Lookups shared by every catalogue function while one plan is scored.
///
/// Entries naming an unknown staff member or post are dropped here: `InstanceLoader.loadPlan` rejects such
/// plans, so the scorer only meets them when a caller skips validation, and then it scores the rest.
struct ScoringContext {
    struct Entry {
        let assignment: Assignment
        let staff: Int
        let post: Int
    }
    struct Key: Hashable {
        let a: Int
        let b: Int
    }

    let instance: Instance
    let calendar: PeriodCalendar
    let staffIndex: [String: Int]
    let postIndex: [String: Int]
    /// Municipality location per post index (nil only for an unvalidated instance with an unknown municipality).
    let postLocation: [GeoPoint?]
    /// Plan entries in plan order, each counted (duplicates included).
    let entries: [Entry]
    /// Distinct plan assignments, for "is it in the plan" tests.
    let planSet: Set<Assignment>
    /// (staff, dayNumber) and (post, dayNumber) pairs that have at least one entry.
    let staffDays: Set<Key>
    let postDays: Set<Key>
    /// Entries per (staff, ISO week Monday dayNumber), all dates.
    let staffWeekCount: [Key: Int]
    /// Entries per (post, ISO week Monday dayNumber), all dates.
    let postWeekCount: [Key: Int]

    init(_ instance: Instance, _ assignments: [Assignment], calendar: PeriodCalendar? = nil) {
        self.instance = instance
        let cal = calendar ?? PeriodCalendar(period: instance.period, closedDates: instance.closedDates)
        self.calendar = cal
        var si: [String: Int] = [:]
        for (i, s) in instance.staff.enumerated() where si[s.id] == nil { si[s.id] = i }
        var pi: [String: Int] = [:]
        for (i, p) in instance.posts.enumerated() where pi[p.id] == nil { pi[p.id] = i }
        staffIndex = si
        postIndex = pi
        var muni: [String: GeoPoint] = [:]
        for m in instance.municipalities where muni[m.code] == nil { muni[m.code] = m.location }
        postLocation = instance.posts.map { muni[$0.municipality] }
        var es: [Entry] = []
        es.reserveCapacity(assignments.count)
        var sw: [Key: Int] = [:]
        var pw: [Key: Int] = [:]
        for a in assignments {
            guard let s = si[a.staff], let p = pi[a.post] else { continue }
            es.append(Entry(assignment: a, staff: s, post: p))
            let w = a.date.weekStart.dayNumber
            sw[Key(a: s, b: w), default: 0] += 1
            pw[Key(a: p, b: w), default: 0] += 1
        }
        entries = es
        staffDays = Set(es.map { Key(a: $0.staff, b: $0.assignment.date.dayNumber) })
        postDays = Set(es.map { Key(a: $0.post, b: $0.assignment.date.dayNumber) })
        planSet = Set(es.map(\.assignment))
        staffWeekCount = sw
        postWeekCount = pw
    }

    /// `km(staff, post)` as rotation-model.md defines it; 0 when the post's municipality is unknown.
    func km(staff s: Int, post p: Int) -> Int {
        guard let loc = postLocation[p] else { return 0 }
        return GeoDistance.roundedKm(instance.staff[s].home, loc)
    }

    /// Whether the staff member meets every requirement of the post (a missing skill is level 0).
    func meets(staff s: Int, post p: Int) -> Bool {
        Self.meets(instance.staff[s], instance.posts[p])
    }

    static func meets(_ staff: Staff, _ post: Post) -> Bool {
        post.requirements.allSatisfy { (staff.skills[$0.key] ?? 0) >= $0.value }
    }

    /// Entries grouped by a key, groups in order of first appearance, entries in plan order.
    func grouped(by key: (Entry) -> Key) -> [[Entry]] {
        var order: [Key] = []
        var groups: [Key: [Entry]] = [:]
        for e in entries {
            let k = key(e)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(e)
        }
        return order.compactMap { groups[$0] }
    }
}
