import JunkaiCore

/// What about the current data makes an assignment break a hard rule.
public enum BreakCause: String, Codable, Sendable, Hashable {
    /// H1: the staff member's skills no longer meet the post's requirements (either side may have changed).
    case skills
    /// H4: the date is one of the staff member's unavailable dates.
    case unavailable
    /// H4/H6: the date (or a day of its week) is a closed date of the consortium.
    case closedDate
    /// H4: the date is not a working day for another reason (holiday, weekend).
    case notWorkingDay
    /// H4: the staff member no longer works on that weekday.
    case staffWeekdays
    /// H4: the post no longer allows that weekday.
    case postWeekdays
    /// H5: more days that week than the staff member's maxDaysPerWeek.
    case staffCapacity
    /// H6: more days that week than the post's demand.
    case postDemand
    /// H7: the post lies beyond the staff member's maxTravelKm.
    case travel
}

/// One assignment that breaks one hard rule under the current data, with what makes it break.
public struct AssignmentBreak: Codable, Sendable, Hashable {
    public var rule: String
    public var assignment: Assignment
    public var causes: [BreakCause]
    public var ja: String
    public var en: String
}

/// Checks assignments that were valid when published against the instance as it is now, with the scorer's own rules.
public enum PublishedCheck {
    /// Every assignment dated `from` or later that breaks H1 or H4–H7, one item per assignment and rule (a weekly
    /// break of H5 or H6 names every assignment of its week). The instance's period should be whole ISO weeks.
    public static func breaks(_ instance: Instance, _ assignments: [Assignment], from: CivilDate) -> [AssignmentBreak] {
        let ctx = ScoringContext(instance, assignments)
        let names = Explainer.Names(instance)
        let closed = Set(instance.closedDates)
        let openCalendar = PeriodCalendar(period: instance.period, closedDates: [])
        var out: [AssignmentBreak] = []
        var seen = Set<AssignmentBreak>()

        func add(_ id: ConstraintID, _ a: Assignment, _ causes: [BreakCause]) {
            guard a.date >= from else { return }
            let def = ConstraintCatalogue.entry(id), rule = id.rawValue
            let who = names.who(staff: a.staff, post: a.post, date: a.date)
            let ja = causes.map(\.ja).joined(separator: "、"), en = causes.map(\.en).joined(separator: "; ")
            let item = AssignmentBreak(rule: rule, assignment: a, causes: causes,
                                       ja: "\(who.ja): \(rule)（\(def.titleJa)）違反 — \(ja)。",
                                       en: "\(who.en): breaks \(rule) (\(def.title)) — \(en).")
            if seen.insert(item).inserted { out.append(item) }
        }

        for v in Scorer.score(instance, assignments).violations {
            switch v.rule {
            case .H1, .H4, .H7:
                guard let staff = v.staff, let post = v.post, let date = v.date,
                      let s = ctx.staffIndex[staff], let p = ctx.postIndex[post] else { continue }
                let a = Assignment(staff: staff, post: post, date: date)
                let st = instance.staff[s], pt = instance.posts[p]
                var causes: [BreakCause] = []
                switch v.rule {
                case .H1: causes = [.skills]
                case .H7: causes = [.travel]
                default:
                    if closed.contains(date) { causes.append(.closedDate) }
                    else if !ctx.calendar.isWorkingDay(date) { causes.append(.notWorkingDay) }
                    if st.unavailableDates.contains(date) { causes.append(.unavailable) }
                    if !st.availableWeekdays.contains(date.weekday) { causes.append(.staffWeekdays) }
                    if !pt.allowedWeekdays.contains(date.weekday) { causes.append(.postWeekdays) }
                }
                add(v.rule, a, causes)
            case .H5:
                guard let staff = v.staff, let monday = v.date else { continue }
                for e in ctx.entries where e.assignment.staff == staff && e.assignment.date.weekStart == monday {
                    add(.H5, e.assignment, [.staffCapacity])
                }
            case .H6:
                guard let post = v.post, let monday = v.date, let p = ctx.postIndex[post] else { continue }
                let count = ctx.postWeekCount[.init(a: p, b: monday.dayNumber)] ?? 0
                // Without the closed dates the week would still have room: a closed date took the day away.
                let cause: BreakCause = openCalendar.demand(instance.posts[p], week: monday) >= count ? .closedDate : .postDemand
                for e in ctx.entries where e.assignment.post == post && e.assignment.date.weekStart == monday {
                    add(.H6, e.assignment, [cause])
                }
            default:
                continue
            }
        }
        return out.sorted { ($0.assignment.date, $0.assignment.post, $0.assignment.staff, $0.rule)
            < ($1.assignment.date, $1.assignment.post, $1.assignment.staff, $1.rule) }
    }
}

extension BreakCause {
    var ja: String {
        switch self {
        case .skills: "スキルが要件を満たしません"
        case .unavailable: "不在日です"
        case .closedDate: "閉庁日です"
        case .notWorkingDay: "勤務日ではありません"
        case .staffWeekdays: "職員の勤務曜日ではありません"
        case .postWeekdays: "ポストの勤務曜日ではありません"
        case .staffCapacity: "週の上限日数を超えています"
        case .postDemand: "ポストの週の需要を超えています"
        case .travel: "移動距離の上限を超えています"
        }
    }
    var en: String {
        switch self {
        case .skills: "the skills no longer meet the post's requirements"
        case .unavailable: "the staff member is unavailable that day"
        case .closedDate: "the day is a closed date"
        case .notWorkingDay: "the day is not a working day"
        case .staffWeekdays: "the staff member does not work on that weekday"
        case .postWeekdays: "the post does not allow that weekday"
        case .staffCapacity: "more days that week than the staff member's maximum"
        case .postDemand: "more days that week than the post's demand"
        case .travel: "the post is beyond the staff member's travel limit"
        }
    }
}
