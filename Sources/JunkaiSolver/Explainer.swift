import JunkaiCore

/// Why a post-week with unmet demand stayed open.
public enum UncoveredReason: String, Codable, Sendable, Hashable {
    /// Nobody has the required skill levels within their travel range.
    case noQualifiedStaff
    /// Qualified staff exist, but none of them may work on any open day of the post that week
    /// (their available weekdays, their unavailable dates).
    case calendar
    /// Qualified staff could come on an open day, but each is already working elsewhere that day or has
    /// reached their maxDaysPerWeek that week.
    case capacity
    /// Someone qualified was free and under their weekly maximum on an open day, and adding them would lower
    /// the objective: the plan could still cover it.
    case staffAvailable
    /// Someone qualified was free, but every such addition would cost more than the unmet day (a long trip,
    /// an undesired date, a new face on the post, …), so leaving it open is cheaper under the weights.
    case tooCostly
}

/// One itemised line of a plan's score, in Japanese and English.
public struct Explanation: Codable, Sendable, Hashable {
    /// The catalogue name: a soft term (`travelPerKm`, …) or a hard rule (`H4`, …).
    public var term: ConstraintID
    public var staff: String?
    public var post: String?
    /// The day, or the ISO week's Monday for weekly terms; nil for continuity.
    public var date: CivilDate?
    public var count: Int
    /// weight × count (0 for hard-rule breaks, which make the plan infeasible instead).
    public var value: Int
    /// Set for `unmetDemand` items only.
    public var reason: UncoveredReason?
    public var ja: String
    public var en: String

    public init(term: ConstraintID, staff: String?, post: String?, date: CivilDate?, count: Int, value: Int,
                reason: UncoveredReason?, ja: String, en: String) {
        self.term = term; self.staff = staff; self.post = post; self.date = date
        self.count = count; self.value = value; self.reason = reason; self.ja = ja; self.en = en
    }
}

/// Explanations of a plan: every hard-rule break and every soft-term contribution, itemised by post, staff and date.
public enum Explainer {
    /// Itemises the plan's score in catalogue order; each uncovered post-week says why it stayed open.
    public static func explain(_ instance: Instance, _ assignments: [Assignment]) -> [Explanation] {
        let ctx = ScoringContext(instance, assignments)
        let names = Names(instance)
        var staffOnPost: [Int: [String]] = [:]
        var seen = Set<ScoringContext.Key>()
        for e in ctx.entries where instance.period.contains(e.assignment.date) && seen.insert(.init(a: e.post, b: e.staff)).inserted {
            staffOnPost[e.post, default: []].append(e.assignment.staff)
        }
        var requestWeight: [ScoringContext.Key: Int] = [:]
        for r in instance.requests {
            guard let p = ctx.postIndex[r.post] else { continue }
            requestWeight[.init(a: p, b: r.date.dayNumber), default: 0] += instance.weight(r.kind == .required ? .missedRequiredRequest : .missedPreferredRequest)
        }
        let costs = AdditionCosts(requestWeight: requestWeight, baseline: Set(instance.baseline), onPost: seen,
                                  staffedPosts: Set(seen.map(\.a)))
        var out: [Explanation] = []
        for def in ConstraintCatalogue.all {
            switch def.evaluate {
            case .hard(let f):
                for v in f(ctx).sorted(by: Violation.sortKey) {
                    let who = names.who(staff: v.staff, post: v.post, date: v.date)
                    out.append(Explanation(term: v.rule, staff: v.staff, post: v.post, date: v.date, count: 1, value: 0, reason: nil,
                                           ja: "必須ルール違反 \(v.rule.rawValue)（\(def.titleJa)）: \(who.ja)。",
                                           en: "Breaks hard rule \(v.rule.rawValue) (\(def.title)): \(who.en)."))
                }
            case .soft(let f):
                let weight = instance.weight(def.id)
                for c in f(ctx) {
                    out.append(describe(c, value: c.count * weight, ctx: ctx, names: names, staffOnPost: staffOnPost, costs: costs))
                }
            }
        }
        return out
    }

    private static func describe(_ c: Contribution, value: Int, ctx: ScoringContext, names: Names,
                                 staffOnPost: [Int: [String]], costs: AdditionCosts) -> Explanation {
        let post: (ja: String, en: String) = c.post.map { names.post($0) } ?? ("", "")
        let staff = c.staff.map { names.staff($0) } ?? ""
        let day: (ja: String, en: String) = c.date.map { names.day($0) } ?? ("", "")
        let pts = "\(value)"
        var reason: UncoveredReason? = nil
        let ja: String, en: String
        switch c.term {
        case .unmetDemand:
            let why = c.post.flatMap { ctx.postIndex[$0] }.flatMap { p in c.date.map { uncovered(post: p, week: $0, ctx: ctx, names: names, costs: costs) } }
            reason = why?.reason
            ja = "\(post.ja)の\(day.ja)の週: 需要\(c.count)日分が未充足（\(pts)点）。理由: \(why?.ja ?? "不明")。"
            en = "\(post.en), week of \(day.en): \(c.count) day\(c.count == 1 ? "" : "s") of demand unmet (\(pts) points). Why: \(why?.en ?? "unknown")."
        case .missedRequiredRequest, .missedPreferredRequest:
            let required = c.term == .missedRequiredRequest
            ja = "\(post.ja)の\(day.ja)の\(required ? "必須" : "希望")依頼に割当がありません（\(pts)点）。"
            en = "The \(required ? "required" : "preferred") request for \(post.en) on \(day.en) is not staffed (\(pts) points)."
        case .continuity:
            let ids = c.post.flatMap { ctx.postIndex[$0] }.flatMap { staffOnPost[$0] } ?? []
            let list = ids.map { names.staff($0) }.joined(separator: ", ")
            ja = "\(post.ja)の担当者が期間中に\(c.count + 1)人（\(list)）: 交代\(c.count)回分（\(pts)点）。"
            en = "\(post.en) has \(c.count + 1) different staff over the period (\(list)): \(c.count) extra (\(pts) points)."
        case .undesiredDate:
            ja = "\(staff)さんは\(day.ja)を希望しない日としていますが、\(post.ja)に割り当てられています（\(pts)点）。"
            en = "\(staff) works at \(post.en) on \(day.en), one of their undesired dates (\(pts) points)."
        case .overTarget:
            let s = c.staff.flatMap { ctx.staffIndex[$0] }
            let target = s.map { ctx.instance.staff[$0].effectiveTarget } ?? 0
            ja = "\(staff)さんは\(day.ja)の週に\(target + c.count)日勤務し、目標の週\(target)日を\(c.count)日超えています（\(pts)点）。"
            en = "\(staff) works \(target + c.count) days in the week of \(day.en), \(c.count) above their target of \(target) (\(pts) points)."
        case .nonPreferredWeekday:
            ja = "\(post.ja)の\(day.ja)の割当（\(staff)さん）は希望曜日以外です（\(pts)点）。"
            en = "\(post.en) is staffed by \(staff) on \(day.en), outside its preferred weekdays (\(pts) points)."
        case .disruption:
            ja = "前回計画の\(staff)さん・\(post.ja)・\(day.ja)の割当が変更されています（\(pts)点）。"
            en = "The baseline assignment of \(staff) to \(post.en) on \(day.en) is no longer in the plan (\(pts) points)."
        case .travelPerKm:
            ja = "\(staff)さんは\(day.ja)に\(post.ja)まで\(c.count)km移動します（\(pts)点）。"
            en = "\(staff) travels \(c.count) km to \(post.en) on \(day.en) (\(pts) points)."
        case .H1, .H2, .H3, .H4, .H5, .H6, .H7, .H8:
            // Hard rules are explained as violations above; a contribution never names one.
            ja = "\(c.term.rawValue): \(c.count)（\(pts)点）"
            en = "\(c.term.rawValue): \(c.count) (\(pts) points)"
        }
        return Explanation(term: c.term, staff: c.staff, post: c.post, date: c.date, count: c.count, value: value,
                           reason: reason, ja: ja, en: en)
    }

    /// Why post p's demand in the week starting `monday` is not met by the plan.
    static func uncovered(post p: Int, week monday: CivilDate, ctx: ScoringContext, names: Names, costs: AdditionCosts)
        -> (reason: UncoveredReason, ja: String, en: String) {
        let inst = ctx.instance
        let post = inst.posts[p]
        var skilled: [Int] = [], qualified: [Int] = []
        for s in inst.staff.indices where ctx.meets(staff: s, post: p) {
            skilled.append(s)
            if let limit = inst.staff[s].maxTravelKm, ctx.km(staff: s, post: p) > limit { continue }
            qualified.append(s)
        }
        if qualified.isEmpty {
            let req = post.requirements.sorted { $0.key < $1.key }.map { "\($0.key) ≥ \($0.value)" }.joined(separator: ", ")
            if skilled.isEmpty {
                return (.noQualifiedStaff, "必要なスキル（\(req)）を満たす職員がいません",
                        "no staff member has the required skills (\(req))")
            }
            return (.noQualifiedStaff, "必要なスキル（\(req)）を満たす職員は全員、移動距離の上限より遠くに住んでいます",
                    "every staff member with the required skills (\(req)) lives beyond their travel limit")
        }
        let openDays = ctx.calendar.workingDays(inWeek: monday).filter {
            post.allowedWeekdays.contains($0.weekday) && !ctx.postDays.contains(.init(a: p, b: $0.dayNumber))
        }
        var busyStaff: [String] = [], freeStaff: [String] = []
        var cheapest: (delta: Int, staff: Int, day: CivilDate)? = nil
        for s in qualified {
            let st = inst.staff[s]
            let days = openDays.filter { st.availableWeekdays.contains($0.weekday) && !st.unavailableDates.contains($0) }
            guard !days.isEmpty else { continue }
            let weekCount = ctx.staffWeekCount[.init(a: s, b: monday.dayNumber)] ?? 0
            let freeDays = weekCount >= st.maxDaysPerWeek ? [] : days.filter { !ctx.staffDays.contains(.init(a: s, b: $0.dayNumber)) }
            if freeDays.isEmpty { busyStaff.append(st.id); continue }
            freeStaff.append(st.id)
            for d in freeDays {
                let delta = costs.delta(staff: s, post: p, date: d, weekCount: weekCount, ctx: ctx)
                if delta < (cheapest?.delta ?? Int.max) { cheapest = (delta, s, d) }
            }
        }
        func list(_ ids: [String]) -> String { ids.prefix(6).map { names.staff($0) }.joined(separator: ", ") + (ids.count > 6 ? ", …" : "") }
        if let best = cheapest {
            if best.delta < 0 {
                return (.staffAvailable, "要件を満たす職員（\(list(freeStaff))）が空いている日に勤務可能で、割り当てると目的関数が下がります",
                        "qualified staff (\(list(freeStaff))) are free and under their weekly maximum on an open day; adding one would lower the objective")
            }
            let who = names.staff(inst.staff[best.staff].id), km = ctx.km(staff: best.staff, post: p)
            return (.tooCostly, "要件を満たす職員（\(list(freeStaff))）は空いていますが、最も安い割当（\(who)、\(names.day(best.day).ja)、\(km)km）でも未充足1日分より\(best.delta)点高くつきます",
                    "qualified staff (\(list(freeStaff))) are free, but even the cheapest addition (\(who) on \(names.day(best.day).en), \(km) km) costs \(best.delta) points more than leaving the day open")
        }
        if busyStaff.isEmpty {
            return (.calendar, "要件を満たす職員（\(qualified.count)人）は、この週の空いている日（\(names.days(openDays).ja)）に勤務できる曜日・日付ではありません",
                    "the \(qualified.count) qualified staff cannot work on the week's open days (\(names.days(openDays).en)): weekdays they do not work or dates they are unavailable")
        }
        return (.capacity, "勤務可能な要件を満たす職員（\(list(busyStaff))）は、空いている日に他のポストで勤務中か、週の上限日数に達しています",
                "the qualified staff who could come (\(list(busyStaff))) are working elsewhere on the open days or have reached their weekly maximum")
    }

    /// What adding one assignment to a plan would change in the objective (the solver's own move delta).
    struct AdditionCosts {
        let requestWeight: [ScoringContext.Key: Int]
        let baseline: Set<Assignment>
        /// (post, staff) pairs already in the plan inside the period.
        let onPost: Set<ScoringContext.Key>
        let staffedPosts: Set<Int>

        func delta(staff s: Int, post p: Int, date d: CivilDate, weekCount: Int, ctx: ScoringContext) -> Int {
            let inst = ctx.instance
            let st = inst.staff[s], post = inst.posts[p]
            var delta = -inst.weight(.unmetDemand) + inst.weight(.travelPerKm) * ctx.km(staff: s, post: p)
            if st.undesiredDates.contains(d) { delta += inst.weight(.undesiredDate) }
            if !post.preferredWeekdays.isEmpty && !post.preferredWeekdays.contains(d.weekday) { delta += inst.weight(.nonPreferredWeekday) }
            if weekCount >= st.effectiveTarget { delta += inst.weight(.overTarget) }
            if !onPost.contains(.init(a: p, b: s)) && staffedPosts.contains(p) { delta += inst.weight(.continuity) }
            delta -= requestWeight[.init(a: p, b: d.dayNumber)] ?? 0
            if baseline.contains(Assignment(staff: st.id, post: post.id, date: d)) { delta -= inst.weight(.disruption) }
            return delta
        }
    }

    /// Display names for explanations.
    struct Names {
        let staffNames: [String: String]
        let postTitles: [String: String]
        init(_ inst: Instance) {
            var s: [String: String] = [:], p: [String: String] = [:]
            for x in inst.staff where s[x.id] == nil { s[x.id] = x.name }
            for x in inst.posts where p[x.id] == nil { p[x.id] = x.title }
            staffNames = s; postTitles = p
        }
        func staff(_ id: String) -> String { staffNames[id].map { $0.isEmpty ? id : "\($0) (\(id))" } ?? id }
        func post(_ id: String) -> (ja: String, en: String) {
            let t = postTitles[id] ?? ""
            return t.isEmpty ? ("ポスト\(id)", "post \(id)") : ("ポスト\(id)「\(t)」", "post \(id) \"\(t)\"")
        }
        func day(_ d: CivilDate) -> (ja: String, en: String) {
            let ja = ["月", "火", "水", "木", "金", "土", "日"], en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            return ("\(d.iso)（\(ja[d.weekday - 1])）", "\(en[d.weekday - 1]) \(d.iso)")
        }
        func days(_ ds: [CivilDate]) -> (ja: String, en: String) {
            (ds.map { day($0).ja }.joined(separator: "、"), ds.map { day($0).en }.joined(separator: ", "))
        }
        func who(staff: String?, post: String?, date: CivilDate?) -> (ja: String, en: String) {
            let s = staff.map { self.staff($0) }
            let p = post.map { self.post($0) }
            let d = date.map { day($0) }
            return ([s.map { "職員 \($0)" }, p?.ja, d?.ja].compactMap { $0 }.joined(separator: "・"),
                    [s.map { "staff \($0)" }, p?.en, d.map { "on \($0.en)" }].compactMap { $0 }.joined(separator: ", "))
        }
    }
}
