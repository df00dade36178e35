import JunkaiCore

/// Whether breaking a constraint makes a plan infeasible (hard) or only costs objective points (soft).
public enum ConstraintLevel: String, Codable, Sendable, Hashable {
    case hard
    case soft
}

/// Every rule and term of the catalogue by its stable name: code names a term through this type, never by a string,
/// so a misspelt name does not compile (names from outside — an instance's `weights` — are checked by the loader).
public enum ConstraintID: String, CaseIterable, Codable, Sendable, Hashable {
    case H1, H2, H3, H4, H5, H6, H7, H8
    case unmetDemand, missedRequiredRequest, missedPreferredRequest, continuity, undesiredDate, overTarget
    case nonPreferredWeekday, disruption, travelPerKm
}

/// One hard-rule break found in a plan.
public struct Violation: Codable, Sendable, Hashable {
    public var rule: ConstraintID
    public var staff: String?
    public var post: String?
    public var date: CivilDate?
    public init(rule: ConstraintID, staff: String?, post: String?, date: CivilDate?) {
        self.rule = rule; self.staff = staff; self.post = post; self.date = date
    }

    enum CodingKeys: String, CodingKey { case rule, staff, post, date }

    // Every key is always written (null when absent) so the --json shape is fixed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(staff, forKey: .staff)
        try c.encode(post, forKey: .post)
        try c.encode(date, forKey: .date)
    }

    private static func optionalLess(_ x: String?, _ y: String?) -> Bool {
        guard let y else { return false }
        guard let x else { return true }
        return x < y
    }

    /// Catalogue order of rules, then date, staff and post (absent values first).
    static func sortKey(_ a: Violation, _ b: Violation) -> Bool {
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        if a.date != b.date { return (a.date?.dayNumber ?? Int.min) < (b.date?.dayNumber ?? Int.min) }
        if a.staff != b.staff { return optionalLess(a.staff, b.staff) }
        if a.post != b.post { return optionalLess(a.post, b.post) }
        return false
    }
}

/// One itemised share of a soft term: who/where/when and how many units it counts.
public struct Contribution: Codable, Sendable, Hashable {
    public var term: ConstraintID
    public var staff: String?
    public var post: String?
    /// The assignment's or request's date; the ISO week's Monday for weekly terms; nil for continuity.
    public var date: CivilDate?
    public var count: Int
    public init(term: ConstraintID, staff: String?, post: String?, date: CivilDate?, count: Int) {
        self.term = term; self.staff = staff; self.post = post; self.date = date; self.count = count
    }
}

/// One constraint of the model: a stable name, its level, its default weight and the function that counts it.
///
/// Penalties are proportional: a soft term's count grows by one per unit of badness (a missing day, a km, an
/// extra staff member), and the objective adds weight × count. A hard rule yields one `Violation` per break.
public struct ConstraintDefinition: Sendable {
    public let id: ConstraintID
    /// The stable name (`id`'s raw value) used in instances, plans, reports and the README.
    public var name: String { id.rawValue }
    public let level: ConstraintLevel
    /// The default weight of a soft term (overridable by `Instance.weights`); 0 for hard rules, which are not weighed.
    public let defaultWeight: Int
    public let title: String
    public let titleJa: String
    /// What one unit counts, as rotation-model.md states it.
    public let counts: String

    enum Evaluate: Sendable {
        case hard(@Sendable (ScoringContext) -> [Violation])
        case soft(@Sendable (ScoringContext) -> [Contribution])
    }
    let evaluate: Evaluate
}

/// The constraint provider: every hard rule and soft term of rotation-model.md, each one named function.
///
/// Interpretations where the model page leaves room (shared with the independent Python scorer):
/// - Every plan entry counts: a duplicated entry is two assignments (it breaks H2 and H3 and counts twice in
///   every term).
/// - Weeks are ISO weeks (Monday–Sunday). unmetDemand sums over the ISO weeks that overlap the period; H5, H6,
///   overTarget and unmetDemand count every entry dated in the ISO week, even one outside the period (which
///   also breaks H4); demand for a week with no working day inside the period is 0.
/// - continuity counts distinct staff per post over entries dated inside the period; disruption counts baseline
///   entries dated inside the period; undesiredDate, nonPreferredWeekday and travelPerKm count every entry.
/// - Violations: H1, H4, H7 one per offending entry (staff, post, date); H2 one per (staff, date) with more than
///   one entry, naming the first such entry's post; H3 one per (post, date), naming the first entry's staff;
///   H5 one per (staff, week) over maxDaysPerWeek and H6 one per (post, week) over demand, dated that week's
///   Monday; H8 one per missing pin. Reports sort them by rule, date, staff, post (absent values first).
public enum ConstraintCatalogue {
    /// Every constraint, hard rules first, soft terms in the model's table order.
    public static let all: [ConstraintDefinition] = [
        .init(id: .H1, level: .hard, defaultWeight: 0, title: "skills", titleJa: "スキル要件",
              counts: "each assignment whose staff member does not meet the post's requirements", evaluate: .hard(skills)),
        .init(id: .H2, level: .hard, defaultWeight: 0, title: "one place a day", titleJa: "1日1か所",
              counts: "each (staff, date) with more than one assignment", evaluate: .hard(onePlaceADay)),
        .init(id: .H3, level: .hard, defaultWeight: 0, title: "one person a seat", titleJa: "1席1人",
              counts: "each (post, date) with more than one assignment", evaluate: .hard(onePersonASeat)),
        .init(id: .H4, level: .hard, defaultWeight: 0, title: "calendar", titleJa: "勤務日・曜日・不在日",
              counts: "each assignment not on a working day of the period, an available weekday of the staff member, an allowed weekday of the post, or on an unavailable date",
              evaluate: .hard(calendar)),
        .init(id: .H5, level: .hard, defaultWeight: 0, title: "staff capacity", titleJa: "週あたり上限日数",
              counts: "each (staff, ISO week) with more than maxDaysPerWeek assignments", evaluate: .hard(staffCapacity)),
        .init(id: .H6, level: .hard, defaultWeight: 0, title: "post demand ceiling", titleJa: "ポスト需要上限",
              counts: "each (post, ISO week) with more than demand(post, week) assignments", evaluate: .hard(postDemandCeiling)),
        .init(id: .H7, level: .hard, defaultWeight: 0, title: "travel", titleJa: "移動距離上限",
              counts: "each assignment with km(staff, post) above the staff member's maxTravelKm", evaluate: .hard(travel)),
        .init(id: .H8, level: .hard, defaultWeight: 0, title: "pinned", titleJa: "固定割当",
              counts: "each pinned assignment missing from the plan", evaluate: .hard(pinned)),
        .init(id: .unmetDemand, level: .soft, defaultWeight: 1000, title: "unmet demand", titleJa: "需要未充足",
              counts: "per post and ISO week overlapping the period, demand(post, week) minus its assignments, never below 0",
              evaluate: .soft(unmetDemand)),
        .init(id: .missedRequiredRequest, level: .soft, defaultWeight: 500, title: "missed required request", titleJa: "必須依頼の未対応",
              counts: "each required request with no assignment at that post on that date", evaluate: .soft(missedRequiredRequest)),
        .init(id: .missedPreferredRequest, level: .soft, defaultWeight: 50, title: "missed preferred request", titleJa: "希望依頼の未対応",
              counts: "each preferred request with no assignment at that post on that date", evaluate: .soft(missedPreferredRequest)),
        .init(id: .continuity, level: .soft, defaultWeight: 100, title: "continuity", titleJa: "担当者の継続性",
              counts: "per post, distinct staff assigned inside the period minus 1 (0 when none)", evaluate: .soft(continuity)),
        .init(id: .undesiredDate, level: .soft, defaultWeight: 30, title: "undesired date", titleJa: "希望しない日",
              counts: "each assignment on one of the staff member's undesiredDates", evaluate: .soft(undesiredDate)),
        .init(id: .overTarget, level: .soft, defaultWeight: 15, title: "over target", titleJa: "目標日数超過",
              counts: "per staff and ISO week, assignments above targetDaysPerWeek, never below 0", evaluate: .soft(overTarget)),
        .init(id: .nonPreferredWeekday, level: .soft, defaultWeight: 10, title: "non-preferred weekday", titleJa: "希望外の曜日",
              counts: "each assignment on a weekday outside a non-empty preferredWeekdays of its post", evaluate: .soft(nonPreferredWeekday)),
        .init(id: .disruption, level: .soft, defaultWeight: 20, title: "disruption", titleJa: "前回計画からの変更",
              counts: "each baseline assignment dated inside the period that is not in the plan", evaluate: .soft(disruption)),
        .init(id: .travelPerKm, level: .soft, defaultWeight: 1, title: "travel", titleJa: "移動距離",
              counts: "each assignment counts km(staff, post)", evaluate: .soft(travelPerKm)),
    ]

    /// The soft terms in catalogue order.
    public static var softTerms: [ConstraintDefinition] { all.filter { $0.level == .soft } }

    /// The hard rules in catalogue order.
    public static var hardRules: [ConstraintDefinition] { all.filter { $0.level == .hard } }

    /// The definition with this stable name, or nil (for names read from outside, e.g. an instance's weights).
    public static func entry(named name: String) -> ConstraintDefinition? { ConstraintID(rawValue: name).map(entry) }

    private static let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The definition of `id` (every id has one; a test holds the catalogue to that).
    public static func entry(_ id: ConstraintID) -> ConstraintDefinition { byID[id]! }

    /// The catalogue as a Markdown table (name, level, default weight, what it counts) for the README.
    public static func markdownTable() -> String {
        var lines = ["| name | level | default weight | counts |", "| --- | --- | --- | --- |"]
        for c in all {
            let w = c.level == .hard ? "—" : String(c.defaultWeight)
            lines.append("| `\(c.name)` \(c.title) (\(c.titleJa)) | \(c.level.rawValue) | \(w) | \(c.counts) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - Hard rules

    /// H1: one violation per plan entry whose staff member lacks a required skill level.
    static func skills(_ ctx: ScoringContext) -> [Violation] {
        ctx.entries.filter { !ctx.meets(staff: $0.staff, post: $0.post) }.map {
            Violation(rule: .H1, staff: $0.assignment.staff, post: $0.assignment.post, date: $0.assignment.date)
        }
    }

    /// H2: one violation per (staff, date) with more than one entry; `post` is the first such entry's post.
    static func onePlaceADay(_ ctx: ScoringContext) -> [Violation] {
        ctx.grouped(by: { .init(a: $0.staff, b: $0.assignment.date.dayNumber) }).filter { $0.count > 1 }.map {
            Violation(rule: .H2, staff: $0[0].assignment.staff, post: $0[0].assignment.post, date: $0[0].assignment.date)
        }
    }

    /// H3: one violation per (post, date) with more than one entry; `staff` is the first such entry's staff member.
    static func onePersonASeat(_ ctx: ScoringContext) -> [Violation] {
        ctx.grouped(by: { .init(a: $0.post, b: $0.assignment.date.dayNumber) }).filter { $0.count > 1 }.map {
            Violation(rule: .H3, staff: $0[0].assignment.staff, post: $0[0].assignment.post, date: $0[0].assignment.date)
        }
    }

    /// H4: one violation per entry not on a working day of the period, or on a weekday the staff member or the post
    /// does not allow, or on one of the staff member's unavailable dates.
    static func calendar(_ ctx: ScoringContext) -> [Violation] {
        ctx.entries.filter { e in
            let d = e.assignment.date
            let s = ctx.instance.staff[e.staff], p = ctx.instance.posts[e.post]
            return !(ctx.calendar.isWorkingDay(d) && s.availableWeekdays.contains(d.weekday)
                     && p.allowedWeekdays.contains(d.weekday) && !s.unavailableDates.contains(d))
        }.map { Violation(rule: .H4, staff: $0.assignment.staff, post: $0.assignment.post, date: $0.assignment.date) }
    }

    /// H5: one violation per (staff, ISO week) with more entries than maxDaysPerWeek, dated that week's Monday.
    /// Every entry dated in the week counts, even one outside the period.
    static func staffCapacity(_ ctx: ScoringContext) -> [Violation] {
        ctx.staffWeekCount.filter { $0.value > ctx.instance.staff[$0.key.a].maxDaysPerWeek }.map {
            Violation(rule: .H5, staff: ctx.instance.staff[$0.key.a].id, post: nil, date: CivilDate(dayNumber: $0.key.b))
        }
    }

    /// H6: one violation per (post, ISO week) with more entries than demand(post, week), dated that week's Monday.
    /// A week with no working day inside the period has demand 0.
    static func postDemandCeiling(_ ctx: ScoringContext) -> [Violation] {
        ctx.postWeekCount.filter { kv in
            kv.value > ctx.calendar.demand(ctx.instance.posts[kv.key.a], week: CivilDate(dayNumber: kv.key.b))
        }.map { Violation(rule: .H6, staff: nil, post: ctx.instance.posts[$0.key.a].id, date: CivilDate(dayNumber: $0.key.b)) }
    }

    /// H7: one violation per entry whose rounded distance exceeds the staff member's maxTravelKm.
    static func travel(_ ctx: ScoringContext) -> [Violation] {
        ctx.entries.filter { e in
            guard let limit = ctx.instance.staff[e.staff].maxTravelKm else { return false }
            return ctx.km(staff: e.staff, post: e.post) > limit
        }.map { Violation(rule: .H7, staff: $0.assignment.staff, post: $0.assignment.post, date: $0.assignment.date) }
    }

    /// H8: one violation per pinned assignment that is not in the plan.
    static func pinned(_ ctx: ScoringContext) -> [Violation] {
        ctx.instance.pinned.filter { !ctx.planSet.contains($0) }.map {
            Violation(rule: .H8, staff: $0.staff, post: $0.post, date: $0.date)
        }
    }

    // MARK: - Soft terms

    /// unmetDemand: per post and ISO week overlapping the period, demand minus every entry dated in that week.
    static func unmetDemand(_ ctx: ScoringContext) -> [Contribution] {
        var out: [Contribution] = []
        for (pi, p) in ctx.instance.posts.enumerated() {
            for monday in ctx.calendar.weeks {
                let demand = ctx.calendar.demand(p, week: monday)
                let have = ctx.postWeekCount[.init(a: pi, b: monday.dayNumber)] ?? 0
                if demand > have {
                    out.append(Contribution(term: .unmetDemand, staff: nil, post: p.id, date: monday, count: demand - have))
                }
            }
        }
        return out
    }

    /// missedRequiredRequest: each required request (each listed entry) with no assignment at its post on its date.
    static func missedRequiredRequest(_ ctx: ScoringContext) -> [Contribution] {
        missedRequests(ctx, kind: .required, term: .missedRequiredRequest)
    }

    /// missedPreferredRequest: each preferred request (each listed entry) with no assignment at its post on its date.
    static func missedPreferredRequest(_ ctx: ScoringContext) -> [Contribution] {
        missedRequests(ctx, kind: .preferred, term: .missedPreferredRequest)
    }

    private static func missedRequests(_ ctx: ScoringContext, kind: RequestKind, term: ConstraintID) -> [Contribution] {
        ctx.instance.requests.filter { r in
            guard r.kind == kind else { return false }
            guard let p = ctx.postIndex[r.post] else { return true }
            return !ctx.postDays.contains(.init(a: p, b: r.date.dayNumber))
        }.map { Contribution(term: term, staff: nil, post: $0.post, date: $0.date, count: 1) }
    }

    /// continuity: per post, distinct staff among entries dated inside the period, minus 1 (0 when none).
    static func continuity(_ ctx: ScoringContext) -> [Contribution] {
        var staffByPost: [Int: Set<Int>] = [:]
        for e in ctx.entries where ctx.instance.period.contains(e.assignment.date) {
            staffByPost[e.post, default: []].insert(e.staff)
        }
        return ctx.instance.posts.indices.compactMap { pi in
            let n = staffByPost[pi]?.count ?? 0
            return n > 1 ? Contribution(term: .continuity, staff: nil, post: ctx.instance.posts[pi].id, date: nil, count: n - 1) : nil
        }
    }

    /// undesiredDate: each entry dated on one of its staff member's undesiredDates.
    static func undesiredDate(_ ctx: ScoringContext) -> [Contribution] {
        let undesired = ctx.instance.staff.map { Set($0.undesiredDates) }
        return ctx.entries.filter { undesired[$0.staff].contains($0.assignment.date) }.map {
            Contribution(term: .undesiredDate, staff: $0.assignment.staff, post: $0.assignment.post, date: $0.assignment.date, count: 1)
        }
    }

    /// overTarget: per staff and ISO week (every entry dated in it), entries above targetDaysPerWeek.
    static func overTarget(_ ctx: ScoringContext) -> [Contribution] {
        ctx.staffWeekCount.sorted { ($0.key.b, $0.key.a) < ($1.key.b, $1.key.a) }.compactMap { kv in
            let s = ctx.instance.staff[kv.key.a]
            let over = kv.value - s.effectiveTarget
            return over > 0 ? Contribution(term: .overTarget, staff: s.id, post: nil, date: CivilDate(dayNumber: kv.key.b), count: over) : nil
        }
    }

    /// nonPreferredWeekday: each entry on a weekday outside its post's non-empty preferredWeekdays.
    static func nonPreferredWeekday(_ ctx: ScoringContext) -> [Contribution] {
        ctx.entries.filter { e in
            let pref = ctx.instance.posts[e.post].preferredWeekdays
            return !pref.isEmpty && !pref.contains(e.assignment.date.weekday)
        }.map { Contribution(term: .nonPreferredWeekday, staff: $0.assignment.staff, post: $0.assignment.post, date: $0.assignment.date, count: 1) }
    }

    /// disruption: each baseline entry dated inside the period that is not in the plan.
    static func disruption(_ ctx: ScoringContext) -> [Contribution] {
        ctx.instance.baseline.filter { ctx.instance.period.contains($0.date) && !ctx.planSet.contains($0) }.map {
            Contribution(term: .disruption, staff: $0.staff, post: $0.post, date: $0.date, count: 1)
        }
    }

    /// travelPerKm: each entry counts km(staff, post).
    static func travelPerKm(_ ctx: ScoringContext) -> [Contribution] {
        ctx.entries.compactMap { e in
            let km = ctx.km(staff: e.staff, post: e.post)
            return km > 0 ? Contribution(term: .travelPerKm, staff: e.assignment.staff, post: e.assignment.post, date: e.assignment.date, count: km) : nil
        }
    }
}
