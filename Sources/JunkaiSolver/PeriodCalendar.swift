import JunkaiCore

/// The working days and ISO weeks of a planning period (rotation-model.md, "Working days").
struct PeriodCalendar: Sendable {
    let period: Period
    let calendar: WorkingDayCalendar
    /// Working days inside the period, ascending.
    let workingDays: [CivilDate]
    /// Mondays of every ISO week that overlaps the period, ascending.
    let weeks: [CivilDate]
    private let workingSet: Set<Int>
    /// Working days inside the period per week Monday (dayNumber).
    private let workingByWeek: [Int: [CivilDate]]

    init(period: Period, closedDates: [CivilDate]) {
        self.period = period
        let cal = WorkingDayCalendar(closedDates: Set(closedDates))
        self.calendar = cal
        let days = cal.workingDays(from: period.start, through: period.end)
        workingDays = days
        workingSet = Set(days.map(\.dayNumber))
        var w: [CivilDate] = []
        if period.start <= period.end {
            var m = period.start.weekStart
            while m <= period.end { w.append(m); m = m.adding(days: 7) }
        }
        weeks = w
        workingByWeek = Dictionary(grouping: days, by: { $0.weekStart.dayNumber })
    }

    /// Whether the date is a working day inside the period.
    func isWorkingDay(_ d: CivilDate) -> Bool { workingSet.contains(d.dayNumber) }

    /// The working days inside the period of the ISO week starting on this Monday.
    func workingDays(inWeek monday: CivilDate) -> [CivilDate] { workingByWeek[monday.dayNumber] ?? [] }

    /// `demand(post, week)`: min(daysPerWeek, working days of the week inside the period on an allowed weekday).
    func demand(_ post: Post, week monday: CivilDate) -> Int { post.demand(workingDays: workingDays(inWeek: monday)) }
}
