import JunkaiCore

/// Why one staff member can never work at a post during the period (the first rule that excludes them).
public enum Ineligibility: String, Codable, Sendable, Hashable, CaseIterable {
    /// Lacks one of the post's required skills altogether.
    case skill
    /// Has every required skill, one below the required level.
    case level
    /// Qualified, but the post lies beyond their maxTravelKm.
    case travel
    /// Qualified and in range, but no working day of the period is both one of their weekdays and the post's
    /// allowed weekdays without being one of their unavailable dates.
    case weekdays
}

/// A post with demand that nobody may staff, and how many staff each rule kept away.
public struct UnstaffablePost: Codable, Sendable, Hashable {
    public var post: String
    public var title: String
    public var municipality: String
    /// Days of demand over the period that will stay unmet whatever the search does.
    public var demandDays: Int
    /// Staff excluded per rule (each staff member counted once, under the first rule that excludes them).
    public var excluded: [String: Int]
    public var ja: String
    public var en: String
}

/// An ISO week in which the posts' demand exceeds what every eligible staff member together can work.
public struct OverloadedWeek: Codable, Sendable, Hashable {
    /// The week's Monday.
    public var week: CivilDate
    /// Demand of the posts someone may staff (unstaffable posts are reported on their own).
    public var demand: Int
    /// Σ over staff eligible for some post of min(maxDaysPerWeek, days they may work that week).
    public var capacity: Int
    public var ja: String
    public var en: String
}

/// Why a required request can never be met.
public enum UnmeetableReason: String, Codable, Sendable, Hashable {
    /// The request names a post the instance does not have.
    case unknownPost
    /// The date is not a working day of the period (holiday, weekend, closed date, outside the period).
    case notWorkingDay
    /// The post does not allow that weekday.
    case postWeekday
    /// Nobody eligible for the post may work on that date.
    case noStaff
}

/// A required request that no plan can meet.
public struct UnmeetableRequest: Codable, Sendable, Hashable {
    public var post: String
    public var date: CivilDate
    public var reason: UnmeetableReason
    public var ja: String
    public var en: String
}

/// What a planning problem makes impossible before any search: checked from the instance alone.
public struct Diagnostics: Codable, Sendable, Hashable {
    public var unstaffablePosts: [UnstaffablePost]
    public var overloadedWeeks: [OverloadedWeek]
    public var unmeetableRequests: [UnmeetableRequest]
    /// True when nothing was found.
    public var clear: Bool { unstaffablePosts.isEmpty && overloadedWeeks.isEmpty && unmeetableRequests.isEmpty }

    enum CodingKeys: String, CodingKey { case clear, unstaffablePosts, overloadedWeeks, unmeetableRequests }

    public init(unstaffablePosts: [UnstaffablePost], overloadedWeeks: [OverloadedWeek], unmeetableRequests: [UnmeetableRequest]) {
        self.unstaffablePosts = unstaffablePosts; self.overloadedWeeks = overloadedWeeks; self.unmeetableRequests = unmeetableRequests
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unstaffablePosts = try c.decode([UnstaffablePost].self, forKey: .unstaffablePosts)
        overloadedWeeks = try c.decode([OverloadedWeek].self, forKey: .overloadedWeeks)
        unmeetableRequests = try c.decode([UnmeetableRequest].self, forKey: .unmeetableRequests)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clear, forKey: .clear)
        try c.encode(unstaffablePosts, forKey: .unstaffablePosts)
        try c.encode(overloadedWeeks, forKey: .overloadedWeeks)
        try c.encode(unmeetableRequests, forKey: .unmeetableRequests)
    }

    /// One line per finding in the language asked for (`ja` or `en`), for the command line and the logs.
    public func lines(lang: String) -> [String] {
        let ja = lang == "ja"
        var out: [String] = []
        out += unstaffablePosts.map { ja ? $0.ja : $0.en }
        out += overloadedWeeks.map { ja ? $0.ja : $0.en }
        out += unmeetableRequests.map { ja ? $0.ja : $0.en }
        return out
    }
}

extension Diagnostics {
    /// Checks an instance before solving: posts nobody may staff (and why), weeks whose demand exceeds the
    /// eligible staff's capacity, required requests no plan can meet. Uses the scorer's own H1, H4 and H7 tests.
    public static func check(_ instance: Instance) -> Diagnostics {
        let ctx = ScoringContext(instance, [])
        let cal = ctx.calendar
        let names = Explainer.Names(instance)
        let unavailable = instance.staff.map { Set($0.unavailableDates) }

        /// Working days of the period on which staff s may work at post p (calendar rules only).
        func days(staff s: Int, post p: Int) -> [CivilDate] {
            let st = instance.staff[s], post = instance.posts[p]
            return cal.workingDays.filter {
                st.availableWeekdays.contains($0.weekday) && post.allowedWeekdays.contains($0.weekday) && !unavailable[s].contains($0)
            }
        }

        func exclusion(staff s: Int, post p: Int) -> Ineligibility? {
            let st = instance.staff[s], post = instance.posts[p]
            if post.requirements.contains(where: { (st.skills[$0.key] ?? 0) == 0 }) { return .skill }
            if !ctx.meets(staff: s, post: p) { return .level }
            if let limit = st.maxTravelKm, ctx.km(staff: s, post: p) > limit { return .travel }
            if days(staff: s, post: p).isEmpty { return .weekdays }
            return nil
        }

        var eligible: [[Int]] = Array(repeating: [], count: instance.posts.count)
        var unstaffable: [UnstaffablePost] = []
        for p in instance.posts.indices {
            var excluded: [Ineligibility: Int] = [:]
            for s in instance.staff.indices {
                if let why = exclusion(staff: s, post: p) { excluded[why, default: 0] += 1 } else { eligible[p].append(s) }
            }
            let post = instance.posts[p]
            let demand = cal.weeks.reduce(0) { $0 + cal.demand(post, week: $1) }
            guard eligible[p].isEmpty, demand > 0 else { continue }
            let title = names.post(post.id)
            let req = post.requirements.sorted { $0.key < $1.key }.map { "\($0.key) ≥ \($0.value)" }.joined(separator: ", ")
            let jaWhy = Ineligibility.allCases.compactMap { k in excluded[k].map { "\(k.ja)\($0)人" } }.joined(separator: "、")
            let enWhy = Ineligibility.allCases.compactMap { k in excluded[k].map { "\($0) \(k.en)" } }.joined(separator: ", ")
            unstaffable.append(UnstaffablePost(
                post: post.id, title: post.title, municipality: post.municipality, demandDays: demand,
                excluded: Dictionary(uniqueKeysWithValues: excluded.map { ($0.key.rawValue, $0.value) }),
                ja: "\(title.ja)（要件 \(req.isEmpty ? "なし" : req)）は誰も担当できません: 需要\(demand)日分が必ず未充足になります（\(instance.staff.isEmpty ? "職員がいません" : jaWhy)）。",
                en: "\(title.en) (requires \(req.isEmpty ? "nothing" : req)) cannot be staffed by anyone: \(demand) days of demand will stay unmet (\(instance.staff.isEmpty ? "no staff" : enWhy))."))
        }

        var overloaded: [OverloadedWeek] = []
        let useful = Set(eligible.flatMap { $0 })
        for monday in cal.weeks {
            let weekDays = cal.workingDays(inWeek: monday)
            guard !weekDays.isEmpty else { continue }
            let demand = instance.posts.indices.reduce(0) { eligible[$1].isEmpty ? $0 : $0 + cal.demand(instance.posts[$1], week: monday) }
            var capacity = 0
            for s in useful.sorted() {
                let st = instance.staff[s]
                let free = weekDays.filter { st.availableWeekdays.contains($0.weekday) && !unavailable[s].contains($0) }.count
                capacity += min(st.maxDaysPerWeek, free)
            }
            guard demand > capacity else { continue }
            let day = names.day(monday)
            overloaded.append(OverloadedWeek(
                week: monday, demand: demand, capacity: capacity,
                ja: "\(day.ja)の週: 需要\(demand)日に対し、勤務可能な職員全員の上限は\(capacity)日です（\(demand - capacity)日分が必ず未充足）。",
                en: "Week of \(day.en): demand is \(demand) days but every eligible staff member together can work \(capacity) (\(demand - capacity) days stay unmet)."))
        }

        var unmeetable: [UnmeetableRequest] = []
        for r in instance.requests where r.kind == .required {
            let day = names.day(r.date)
            guard let p = ctx.postIndex[r.post] else {
                unmeetable.append(UnmeetableRequest(post: r.post, date: r.date, reason: .unknownPost,
                                                    ja: "\(day.ja)の必須依頼は存在しないポスト\(r.post)宛てです。",
                                                    en: "The required request on \(day.en) names an unknown post \(r.post)."))
                continue
            }
            let post = names.post(r.post)
            let reason: UnmeetableReason?
            if !cal.isWorkingDay(r.date) {
                reason = .notWorkingDay
            } else if !instance.posts[p].allowedWeekdays.contains(r.date.weekday) {
                reason = .postWeekday
            } else if !eligible[p].contains(where: { s in
                instance.staff[s].availableWeekdays.contains(r.date.weekday) && !unavailable[s].contains(r.date)
            }) {
                reason = .noStaff
            } else {
                reason = nil
            }
            guard let reason else { continue }
            let why: (ja: String, en: String)
            switch reason {
            case .notWorkingDay: why = ("勤務日ではありません（休日・閉庁日・期間外）", "it is not a working day of the period (holiday, closed date or outside the period)")
            case .postWeekday: why = ("ポストの勤務曜日ではありません", "the post does not allow that weekday")
            case .noStaff: why = ("その日に勤務できる要件を満たす職員がいません", "nobody eligible for the post can work that day")
            case .unknownPost: why = ("", "")
            }
            unmeetable.append(UnmeetableRequest(post: r.post, date: r.date, reason: reason,
                                                ja: "\(post.ja)の\(day.ja)の必須依頼は満たせません: \(why.ja)。",
                                                en: "The required request for \(post.en) on \(day.en) cannot be met: \(why.en)."))
        }
        return Diagnostics(unstaffablePosts: unstaffable, overloadedWeeks: overloaded, unmeetableRequests: unmeetable)
    }
}

extension Ineligibility {
    var ja: String {
        switch self {
        case .skill: "スキルなし"
        case .level: "レベル不足"
        case .travel: "移動距離超過"
        case .weekdays: "勤務曜日が合わない"
        }
    }
    var en: String {
        switch self {
        case .skill: "lack a required skill"
        case .level: "below a required level"
        case .travel: "beyond their travel limit"
        case .weekdays: "never free on an allowed weekday"
        }
    }
}
