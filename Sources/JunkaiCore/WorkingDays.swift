/// Why a date is or is not a working day (rotation-model.md, "Working days").
public enum DayStatus: Hashable, Sendable {
    case working
    case weekend
    case holiday(String)
    case yearEnd
    case closed

    public var isWorking: Bool { self == .working }

    /// The reason a day is not working, in Japanese as the API shows it; nil for a working day.
    public var reason: String? {
        switch self {
        case .working: return nil
        case .weekend: return "週末"
        case .holiday(let name): return name
        case .yearEnd: return "年末年始"
        case .closed: return "閉庁日"
        }
    }
}

/// Working days: Monday–Friday, not a national holiday, not 12/29–1/3, not a consortium's closed date.
///
/// When several reasons apply the most specific one is reported: a holiday names itself even on a
/// Sunday, 年末年始 beats the weekend, and a closed date is only reported for an otherwise working day.
public struct WorkingDayCalendar: Sendable {
    public let closedDates: Set<CivilDate>
    // The solver asks `isWorkingDay` millions of times: keep the day table and a bit set of the
    // closed dates at hand instead of hashing.
    private let table: HolidayTable
    private let closedFirst: Int
    private let closedBits: [UInt64]

    public init(closedDates: Set<CivilDate> = []) {
        self.closedDates = closedDates
        table = HolidayTable.shared
        let days = closedDates.map(\.dayNumber)
        let first = days.min() ?? 0, last = days.max() ?? -1
        var bits = [UInt64](repeating: 0, count: last >= first ? (last - first) / 64 + 1 : 0)
        for n in days { bits[(n - first) / 64] |= 1 << UInt64((n - first) % 64) }
        closedFirst = first
        closedBits = bits
    }

    private func isClosed(_ n: Int) -> Bool {
        let i = n - closedFirst
        guard i >= 0, i / 64 < closedBits.count else { return false }
        return closedBits[i / 64] & (1 << UInt64(i % 64)) != 0
    }

    /// The status of one date, ignoring the closed dates.
    public static func baseStatus(of date: CivilDate) -> DayStatus {
        let table = HolidayTable.shared
        if let c = table.code(date.dayNumber) {
            switch c {
            case 0: return .working
            case 1: return .weekend
            case 2: return .yearEnd
            default: return .holiday(table.names[Int(c - 3)])
            }
        }
        // Outside the table's years: the same rules, computed directly.
        if let name = JapaneseHolidays.uncachedName(on: date) { return .holiday(name) }
        let (_, m, d) = date.components
        if (m == 12 && d >= 29) || (m == 1 && d <= 3) { return .yearEnd }
        return date.weekday >= 6 ? .weekend : .working
    }

    /// The status of one date under this calendar.
    public func status(of date: CivilDate) -> DayStatus {
        let base = Self.baseStatus(of: date)
        return base == .working && isClosed(date.dayNumber) ? .closed : base
    }

    /// Whether the date is a working day; two array reads for the years 1948–2150.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        let n = date.dayNumber
        if let c = table.code(n) { return c == 0 && !isClosed(n) }
        return Self.baseStatus(of: date) == .working && !isClosed(n)
    }

    /// Whether the date is a working day before the consortium's closed dates are applied.
    public static func isBaseWorkingDay(_ date: CivilDate) -> Bool {
        if let c = HolidayTable.shared.code(date.dayNumber) { return c == 0 }
        return baseStatus(of: date) == .working
    }

    /// Every working day from `from` through `to`, inclusive.
    public func workingDays(from: CivilDate, through to: CivilDate) -> [CivilDate] {
        guard from <= to else { return [] }
        return (from...to).filter(isWorkingDay)
    }

    /// Every working day in the range, in order.
    public func workingDays(in range: DateRange) -> [CivilDate] { range.filter(isWorkingDay) }

    /// The number of working days in the range.
    public func workingDayCount(in range: DateRange) -> Int { range.reduce(0) { $0 + (isWorkingDay($1) ? 1 : 0) } }

    /// Every date in the range with its status, in order.
    public func statuses(in range: DateRange) -> [(date: CivilDate, status: DayStatus)] {
        range.map { ($0, status(of: $0)) }
    }

    /// The working days of one ISO week that fall inside `range` (the model's short first and last weeks).
    public func workingDays(of week: ISOWeek, within range: DateRange? = nil) -> [CivilDate] {
        guard let range else { return workingDays(in: week.days) }
        return week.days.intersection(range).map(workingDays(in:)) ?? []
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: CivilDate) -> CivilDate {
        // Terminates: closed dates are finite and no run of holidays, weekends and 年末年始 is long.
        var d = date.adding(days: 1)
        while !isWorkingDay(d) { d = d.adding(days: 1) }
        return d
    }
}
