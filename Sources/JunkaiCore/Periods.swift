/// Days are the unit of the calendar, so `a...b` is an iterable closed range of dates.
extension CivilDate: Strideable {
    /// Days from this date to `other`.
    public func distance(to other: CivilDate) -> Int { other.dayNumber - dayNumber }
    /// The date `n` days later.
    public func advanced(by n: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + n) }
}

/// An inclusive, non-empty run of dates, such as a planning period; Codable as `{"start": …, "end": …}`.
public struct DateRange: Hashable, Sendable, RandomAccessCollection, CustomStringConvertible {
    public let start: CivilDate
    public let end: CivilDate

    /// The dates from `start` through `end`; nil when `end` is before `start`.
    public init?(start: CivilDate, end: CivilDate) {
        guard start <= end else { return nil }
        self.start = start
        self.end = end
    }

    /// The dates of a closed range.
    public init(_ range: ClosedRange<CivilDate>) {
        start = range.lowerBound
        end = range.upperBound
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { end.dayNumber - start.dayNumber + 1 }
    public subscript(position: Int) -> CivilDate { start.adding(days: position) }

    /// Whether the date lies in the range (constant time).
    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// The dates in both ranges, or nil when they do not overlap.
    public func intersection(_ other: DateRange) -> DateRange? {
        DateRange(start: Swift.max(start, other.start), end: Swift.min(end, other.end))
    }

    /// The ISO weeks that touch the range, in order (the first and last may be partly outside it).
    public var isoWeeks: [ISOWeek] {
        stride(from: start.weekStart.dayNumber, through: end.dayNumber, by: 7).map {
            ISOWeek(containing: CivilDate(dayNumber: $0))
        }
    }

    /// The same dates as `start...end`.
    public var closedRange: ClosedRange<CivilDate> { start...end }
    /// ISO 8601 interval form, "2027-04-01/2027-06-30".
    public var description: String { "\(start.iso)/\(end.iso)" }
}

extension DateRange: Codable {
    private enum CodingKeys: String, CodingKey { case start, end }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let start = try c.decode(CivilDate.self, forKey: .start)
        let end = try c.decode(CivilDate.self, forKey: .end)
        guard let range = DateRange(start: start, end: end) else {
            throw DecodingError.dataCorruptedError(
                forKey: .end, in: c, debugDescription: "end \(end.iso) is before start \(start.iso)")
        }
        self = range
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
    }
}

/// An ISO 8601 week (Monday to Sunday), written "2027-W14"; the model's unit for weekly limits.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year, which differs from the calendar year around 1 January.
    public let year: Int
    public let week: Int

    /// The week `week` of ISO year `year`; nil when that year has no such week.
    public init?(year: Int, week: Int) {
        guard (1...ISOWeek.weeks(inYear: year)).contains(week) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week that contains the date.
    public init(containing date: CivilDate) {
        let w = date.isoWeek
        year = w.year
        week = w.week
    }

    /// Parses "YYYY-Www" (e.g. "2027-W14"); nil for anything else or a week the year lacks.
    public init?(iso string: some StringProtocol) {
        let parts = string.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3, parts[1].first == "W",
              parts[0].allSatisfy(\.isASCIIDigit), parts[1].dropFirst().allSatisfy(\.isASCIIDigit),
              let y = Int(parts[0]), let w = Int(parts[1].dropFirst()) else { return nil }
        self.init(year: y, week: w)
    }

    /// The number of ISO weeks in a year: 53 when the year starts on a Thursday, or on a Wednesday in a leap year.
    public static func weeks(inYear year: Int) -> Int {
        // Week 1 holds 4 January, so the last week holds 28 December.
        ISOWeek(containing: CivilDate(dayNumber: CivilDate.daysFromCivil(year: year, month: 12, day: 28))).week
    }

    /// The Monday that starts the week.
    public var monday: CivilDate {
        let jan4 = CivilDate(dayNumber: CivilDate.daysFromCivil(year: year, month: 1, day: 4))
        return jan4.weekStart.adding(days: 7 * (week - 1))
    }

    /// The Sunday that ends the week.
    public var sunday: CivilDate { monday.adding(days: 6) }

    /// The seven days of the week.
    public var days: DateRange { DateRange(monday...sunday) }

    /// The week `n` weeks later (earlier when negative).
    public func adding(weeks n: Int) -> ISOWeek { ISOWeek(containing: monday.adding(days: 7 * n)) }

    /// "2027-W14".
    public var description: String {
        let y = String(year), w = String(week)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-W" + (week < 10 ? "0" : "") + w
    }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }
}

extension ISOWeek: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let w = ISOWeek(iso: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an ISO week YYYY-Www, got \"\(s)\"")
        }
        self = w
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A Japanese fiscal year (年度): 1 April to 31 March, named by the year it starts in.
public struct FiscalYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar year of its 1 April: 2027年度 runs 2027-04-01 … 2028-03-31.
    public let year: Int

    /// 年度 `year`.
    public init(_ year: Int) { self.year = year }

    /// The 年度 a date belongs to (January–March belong to the previous year's 年度).
    public init(containing date: CivilDate) { year = date.fiscalYear }

    /// 1 April of `year`.
    public var start: CivilDate { CivilDate(dayNumber: CivilDate.daysFromCivil(year: year, month: 4, day: 1)) }

    /// 31 March of the next year.
    public var end: CivilDate { CivilDate(dayNumber: CivilDate.daysFromCivil(year: year + 1, month: 4, day: 1) - 1) }

    /// Every day of the 年度.
    public var days: DateRange { DateRange(start...end) }

    /// Whether the date falls in this 年度.
    public func contains(_ date: CivilDate) -> Bool { start <= date && date <= end }

    /// The quarter (四半期) 1–4 of a date in this 年度 (1 = April–June), or nil when it is outside.
    public func quarter(of date: CivilDate) -> Int? {
        guard contains(date) else { return nil }
        return (date.month + 8) % 12 / 3 + 1
    }

    /// The days of quarter `q` (1–4); nil for any other number.
    public func quarter(_ q: Int) -> DateRange? {
        guard (1...4).contains(q) else { return nil }
        // Months counted from January of `year`: quarter q spans months 3q ..< 3q + 3 (0-based).
        func firstOfMonth(_ m: Int) -> Int { CivilDate.daysFromCivil(year: year + m / 12, month: m % 12 + 1, day: 1) }
        let first = firstOfMonth(3 * q), next = firstOfMonth(3 * q + 3)
        return DateRange(start: CivilDate(dayNumber: first), end: CivilDate(dayNumber: next - 1))
    }

    /// The 年度 `n` years later (earlier when negative).
    public func adding(years n: Int) -> FiscalYear { FiscalYear(year + n) }

    /// "2027年度".
    public var description: String { "\(year)年度" }

    public static func < (a: FiscalYear, b: FiscalYear) -> Bool { a.year < b.year }
}

extension FiscalYear: Codable {
    public init(from decoder: any Decoder) throws { year = try decoder.singleValueContainer().decode(Int.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(year)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
