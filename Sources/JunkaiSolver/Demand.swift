import JunkaiCore

extension Post {
    /// `demand(post, week)` of rotation-model.md: min(daysPerWeek, the week's working days on an allowed weekday).
    /// The solver (each week's working days inside the period) and the delivery report (the whole ISO week) share it.
    public func demand(workingDays: some Sequence<CivilDate>) -> Int {
        min(daysPerWeek, workingDays.reduce(0) { $0 + (allowedWeekdays.contains($1.weekday) ? 1 : 0) })
    }
}
