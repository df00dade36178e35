import Foundation

/// National holidays (国民の祝日・休日) under 国民の祝日に関する法律 and the special laws.
///
/// Years the Cabinet Office has published (syukujitsu.csv) are answered from its list; other years
/// from the law. Names follow the Cabinet Office list: 振替休日 and 国民の休日 are 「休日」.
public enum JapaneseHolidays {
    /// Why a date is a holiday.
    public enum Kind: String, Hashable, Sendable {
        /// A 国民の祝日 named in the law (including the 2019–2021 special-law moves).
        case national
        /// A one-off day made a holiday by a special law (大喪の礼, 結婚の儀, the 2019 enthronement days).
        case special
        /// 振替休日: follows a 国民の祝日 that fell on a Sunday (from 1973-04-12).
        case substitute
        /// 国民の休日: a day between two 国民の祝日 (from 1985-12-27).
        case citizens
    }

    /// One holiday as the law defines it.
    public struct Holiday: Hashable, Sendable {
        public let date: CivilDate
        public let name: String
        public let kind: Kind
    }

    /// The Cabinet Office's name for 振替休日 and 国民の休日.
    public static let restDayName = "休日"

    /// The law took effect on 1948-07-20; nothing before it is a holiday here.
    public static let lawStart = CivilDate(dayNumber: CivilDate.daysFromCivil(year: 1948, month: 7, day: 20))
    static let substituteStart = CivilDate.daysFromCivil(year: 1973, month: 4, day: 12)
    static let citizensStart = CivilDate.daysFromCivil(year: 1985, month: 12, day: 27)
    // From 2007 a 振替休日 moves past any following 国民の祝日 instead of being lost.
    static let chainedSubstituteStart = CivilDate.daysFromCivil(year: 2007, month: 1, day: 1)

    /// The years the equinox formula is defined for; later years extend its last period, which drifts.
    public static let equinoxFormulaYears = 1900...2150

    // MARK: - Published list

    struct Published: Sendable {
        var names: [Int: String] = [:]
        var years: ClosedRange<Int>? = nil
    }

    static let published: Published = {
        guard let url = Bundle.module.url(forResource: "syukujitsu", withExtension: "csv"),
              let data = try? Data(contentsOf: url) else { return Published() }
        return parsePublished(data)
    }()

    /// Parses the Cabinet Office CSV ("YYYY/M/D,name" after a header line); malformed lines are skipped.
    static func parsePublished(_ data: Data) -> Published {
        var out = Published()
        var lo = Int.max, hi = Int.min
        for row in CSV.rows(data).dropFirst() where row.fields.count >= 2 {
            let p = row.fields[0].utf8.split(separator: UInt8(ascii: "/")).map { part in
                part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && part.count <= 4
                    ? part.reduce(0) { $0 * 10 + Int($1 - 0x30) } : -1
            }
            let name = row.fields[1].trimmingCharacters(in: .whitespaces)
            guard p.count == 3, !name.isEmpty, let d = CivilDate(year: p[0], month: p[1], day: p[2]) else { continue }
            out.names[d.dayNumber] = name
            lo = min(lo, p[0]); hi = max(hi, p[0])
        }
        if lo <= hi { out.years = lo...hi }
        return out
    }

    /// The last year the Cabinet Office list covers (2027 for the bundled copy); later years follow the law.
    public static var lastPublishedYear: Int { published.years?.upperBound ?? 0 }

    /// The years answered from the Cabinet Office list rather than the law.
    public static var publishedYears: ClosedRange<Int>? { published.years }

    /// The Cabinet Office list for one year, in date order; empty outside `publishedYears`.
    public static func publishedList(year: Int) -> [(date: CivilDate, name: String)] {
        guard let first = CivilDate(year: year, month: 1, day: 1) else { return [] }
        let length = CivilDate.isLeapYear(year) ? 366 : 365
        return (first.dayNumber..<first.dayNumber + length).compactMap { n in
            published.names[n].map { (CivilDate(dayNumber: n), $0) }
        }
    }

    // MARK: - Answers

    /// The holiday's name on this date, or nil: the Cabinet Office list for published years, the law otherwise.
    public static func name(on date: CivilDate) -> String? {
        if let name = HolidayTable.shared.holidayName(date.dayNumber) { return name.isEmpty ? nil : name }
        return uncachedName(on: date)
    }

    static func uncachedName(on date: CivilDate) -> String? {
        let year = date.year
        if let years = published.years, years.contains(year) { return published.names[date.dayNumber] }
        return holidays(year: year).first { $0.date == date }?.name
    }

    /// The law alone for one year, as (date, name) in date order.
    public static func computed(year: Int) -> [(date: CivilDate, name: String)] {
        holidays(year: year).map { ($0.date, $0.name) }
    }

    /// The law alone for one year, with each holiday's kind, in date order.
    public static func holidays(year y: Int) -> [Holiday] {
        guard y >= 1948 else { return [] }
        var days: [Holiday] = []
        // Days treated as 国民の祝日 for the 振替休日 and 国民の休日 rules.
        var observed = Set<Int>()

        func add(_ m: Int, _ d: Int, _ name: String, _ kind: Kind = .national, observed counts: Bool = true) {
            let n = CivilDate.daysFromCivil(year: y, month: m, day: d)
            guard n >= lawStart.dayNumber else { return }
            days.append(Holiday(date: CivilDate(dayNumber: n), name: name, kind: kind))
            if counts { observed.insert(n) }
        }
        func monday(_ m: Int, _ nth: Int) -> Int {
            let first = CivilDate(dayNumber: CivilDate.daysFromCivil(year: y, month: m, day: 1))
            return 1 + (8 - first.weekday) % 7 + 7 * (nth - 1)
        }

        add(1, 1, "元日")
        add(1, y < 2000 ? 15 : monday(1, 2), "成人の日")
        if y >= 1967 { add(2, 11, "建国記念の日") }
        if y >= 2020 { add(2, 23, "天皇誕生日") }
        add(3, vernalEquinoxDay(year: y), "春分の日")
        switch y {
        case ...1988: add(4, 29, "天皇誕生日")
        case 1989...2006: add(4, 29, "みどりの日")
        default: add(4, 29, "昭和の日")
        }
        add(5, 3, "憲法記念日")
        if y >= 2007 { add(5, 4, "みどりの日") }
        add(5, 5, "こどもの日")
        switch y {
        case 1996...2002: add(7, 20, "海の日")
        case 2020: add(7, 23, "海の日")
        case 2021: add(7, 22, "海の日")
        case 2003...: add(7, monday(7, 3), "海の日")
        default: break
        }
        switch y {
        case 2020: add(7, 24, "スポーツの日"); add(8, 10, "山の日")
        case 2021: add(7, 23, "スポーツの日"); add(8, 8, "山の日")
        case 2016...: add(8, 11, "山の日")
        default: break
        }
        switch y {
        case 1966...2002: add(9, 15, "敬老の日")
        case 2003...: add(9, monday(9, 3), "敬老の日")
        default: break
        }
        add(9, autumnalEquinoxDay(year: y), "秋分の日")
        switch y {
        case 1966...1999: add(10, 10, "体育の日")
        case 2000...2018: add(10, monday(10, 2), "体育の日")
        // Renamed from 2020; the Cabinet Office lists 2019's day under both names.
        case 2019: add(10, monday(10, 2), "体育の日（スポーツの日）")
        case 2022...: add(10, monday(10, 2), "スポーツの日")
        default: break
        }
        add(11, 3, "文化の日")
        add(11, 23, "勤労感謝の日")
        if (1989...2018).contains(y) { add(12, 23, "天皇誕生日") }

        // Special laws. Only the 2019 enthronement days were declared 国民の祝日 for the other rules.
        switch y {
        case 1959: add(4, 10, "結婚の儀", .special, observed: false)
        case 1989: add(2, 24, "大喪の礼", .special, observed: false)
        case 1990: add(11, 12, "即位礼正殿の儀", .special, observed: false)
        case 1993: add(6, 9, "結婚の儀", .special, observed: false)
        case 2019:
            add(5, 1, "休日（祝日扱い）", .special)
            add(10, 22, "休日（祝日扱い）", .special)
        default: break
        }

        var taken = Set(days.map(\.date.dayNumber))
        let statutory = observed.sorted()
        for n in statutory where n >= substituteStart && CivilDate(dayNumber: n).weekday == 7 {
            var next = n + 1
            if n >= chainedSubstituteStart {
                while observed.contains(next) { next += 1 }
            } else if observed.contains(next) {
                continue
            }
            if taken.insert(next).inserted {
                days.append(Holiday(date: CivilDate(dayNumber: next), name: restDayName, kind: .substitute))
            }
        }
        for n in statutory where n + 1 >= citizensStart {
            let d = n + 1
            guard observed.contains(d + 1), !observed.contains(d), !taken.contains(d) else { continue }
            // Before 2007 a Sunday (or a 振替休日, already taken above) between two 祝日 stayed as it was.
            if d < chainedSubstituteStart && CivilDate(dayNumber: d).weekday == 7 { continue }
            taken.insert(d)
            days.append(Holiday(date: CivilDate(dayNumber: d), name: restDayName, kind: .citizens))
        }
        days.sort { $0.date < $1.date }
        return days
    }

    // MARK: - Equinoxes

    /// March day of 春分の日 from the standard formula (国立天文台 approximation; truncation toward zero).
    public static func vernalEquinoxDay(year y: Int) -> Int {
        equinoxDay(year: y, constants: (20.8357, 20.8431, 21.8510))
    }

    /// September day of 秋分の日 from the standard formula.
    public static func autumnalEquinoxDay(year y: Int) -> Int {
        equinoxDay(year: y, constants: (23.2588, 23.2488, 24.2488))
    }

    private static func equinoxDay(year y: Int, constants c: (Double, Double, Double)) -> Int {
        let drift = 0.242194 * Double(y - 1980)
        switch y {
        case ..<1980: return Int(c.0 + drift - Double((y - 1983) / 4))
        case 1980..<2100: return Int(c.1 + drift - Double((y - 1980) / 4))
        default: return Int(c.2 + drift - Double((y - 1980) / 4))
        }
    }
}

/// A day-by-day table of holiday names and base statuses, built once, so the solver's many
/// `isWorkingDay` calls are an array read.
struct HolidayTable: Sendable {
    static let years = 1948...2150
    static let shared = HolidayTable()

    let firstDay: Int
    /// Per day: 0 working, 1 weekend, 2 年末年始, 3 + i holiday named `names[i]`.
    let codes: [UInt8]
    let names: [String]

    init() {
        firstDay = CivilDate.daysFromCivil(year: Self.years.lowerBound, month: 1, day: 1)
        let end = CivilDate.daysFromCivil(year: Self.years.upperBound + 1, month: 1, day: 1)
        var codes = [UInt8](repeating: 0, count: end - firstDay)
        var names: [String] = []
        var nameIndex: [String: UInt8] = [:]
        let first = firstDay
        for i in codes.indices {
            let date = CivilDate(dayNumber: first + i)
            let (_, m, d) = date.components
            if (m == 12 && d >= 29) || (m == 1 && d <= 3) { codes[i] = 2 } else if date.weekday >= 6 { codes[i] = 1 }
        }
        func mark(_ date: CivilDate, _ name: String) {
            let index: UInt8
            if let known = nameIndex[name] { index = known } else {
                index = UInt8(names.count)
                names.append(name)
                nameIndex[name] = index
            }
            codes[date.dayNumber - first] = 3 + index
        }
        let published = JapaneseHolidays.published
        for (n, name) in published.names where n >= first && n < first + codes.count {
            mark(CivilDate(dayNumber: n), name)
        }
        for y in Self.years where !(published.years?.contains(y) ?? false) {
            for h in JapaneseHolidays.holidays(year: y) { mark(h.date, h.name) }
        }
        self.codes = codes
        self.names = names
    }

    /// The table's code for a day, or nil outside the table's years.
    @inline(__always) func code(_ dayNumber: Int) -> UInt8? {
        let i = dayNumber - firstDay
        return i >= 0 && i < codes.count ? codes[i] : nil
    }

    /// The holiday name, "" for a non-holiday inside the table, nil outside it.
    func holidayName(_ dayNumber: Int) -> String? {
        guard let c = code(dayNumber) else { return nil }
        return c >= 3 ? names[Int(c - 3)] : ""
    }
}
