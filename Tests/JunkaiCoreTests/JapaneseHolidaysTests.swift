import JunkaiCore
import Testing

private func date(_ iso: String) -> CivilDate {
    guard let d = CivilDate(iso: iso) else { preconditionFailure("bad fixture date \(iso)") }
    return d
}

@Suite("Japanese holidays")
struct JapaneseHolidaysTests {
    static let publishedYears = 1955...2027
    /// Years the law is checked on by property: the published era and well beyond it.
    static let lawYears = 1949...2150

    @Test("the bundled Cabinet Office list covers 1955–2027")
    func publishedRange() {
        #expect(JapaneseHolidays.publishedYears == Self.publishedYears)
        #expect(JapaneseHolidays.lastPublishedYear == 2027)
        for y in Self.publishedYears { #expect(JapaneseHolidays.publishedList(year: y).count >= 9, "year \(y)") }
        #expect(JapaneseHolidays.publishedList(year: 1954).isEmpty)
        #expect(JapaneseHolidays.publishedList(year: 2028).isEmpty)
    }

    @Test("the law alone reproduces every Cabinet Office entry, names included, and nothing more", arguments: publishedYears)
    func lawMatchesPublished(year: Int) {
        let law = JapaneseHolidays.computed(year: year).map { "\($0.date.iso) \($0.name)" }
        let list = JapaneseHolidays.publishedList(year: year).map { "\($0.date.iso) \($0.name)" }
        #expect(law.filter { !list.contains($0) } == [], "computed but not published")
        #expect(list.filter { !law.contains($0) } == [], "published but not computed")
    }

    @Test("name(on:) answers from the list up to 2027 and from the law after, for every day 1946–2160")
    func nameFollowsListThenLaw() {
        for y in 1946...2160 {
            let source = y <= 2027 && y >= 1955 ? JapaneseHolidays.publishedList(year: y) : JapaneseHolidays.computed(year: y)
            var expected: [Int: String] = [:]
            for h in source { expected[h.date.dayNumber] = h.name }
            let first = date(String(y) + "-01-01").dayNumber, last = date(String(y) + "-12-31").dayNumber
            var mismatches: [String] = []
            for n in first...last where JapaneseHolidays.name(on: CivilDate(dayNumber: n)) != expected[n] {
                mismatches.append(CivilDate(dayNumber: n).iso)
            }
            #expect(mismatches == [], "year \(y)")
        }
    }

    @Test("the law starts on 1948-07-20")
    func lawStart() {
        #expect(JapaneseHolidays.computed(year: 1947).isEmpty)
        #expect(JapaneseHolidays.name(on: date("1948-05-05")) == nil)
        #expect(JapaneseHolidays.name(on: date("1948-09-23")) == "秋分の日")
        #expect(JapaneseHolidays.name(on: date("1948-11-03")) == "文化の日")
        #expect(JapaneseHolidays.computed(year: 1949).first?.name == "元日")
    }

    @Test("after the published years the law applies: 振替休日 and Happy Mondays in 2028–2030")
    func lawAfterPublished() {
        // 2029-04-29 and 2029-09-23 are Sundays; 2030-05-05 too, so 5/6 is a 振替休日.
        #expect(JapaneseHolidays.name(on: date("2029-04-30")) == "休日")
        #expect(JapaneseHolidays.name(on: date("2029-09-24")) == "休日")
        #expect(JapaneseHolidays.name(on: date("2030-05-06")) == "休日")
        #expect(JapaneseHolidays.name(on: date("2028-01-10")) == "成人の日")
        #expect(JapaneseHolidays.name(on: date("2028-10-09")) == "スポーツの日")
        #expect(JapaneseHolidays.name(on: date("2028-02-23")) == "天皇誕生日")
        #expect(JapaneseHolidays.name(on: date("2028-12-23")) == nil)
    }

    @Test("every year has the fixed-date holidays", arguments: lawYears)
    func fixedDates(year: Int) {
        let names = Dictionary(JapaneseHolidays.computed(year: year).map { ($0.date.iso.suffix(5), $0.name) },
                               uniquingKeysWith: { a, _ in a })
        #expect(names["01-01"] == "元日")
        #expect(names["05-03"] == "憲法記念日")
        #expect(names["05-05"] == "こどもの日")
        #expect(names["11-03"] == "文化の日")
        #expect(names["11-23"] == "勤労感謝の日")
        if year >= 1967 { #expect(names["02-11"] == "建国記念の日") }
        if year >= 2016 && year != 2020 && year != 2021 { #expect(names["08-11"] == "山の日") }
        if year >= 2007 { #expect(names["04-29"] == "昭和の日"); #expect(names["05-04"] == "みどりの日") }
    }

    @Test("holidays of a year are in date order, distinct and inside the year", arguments: lawYears)
    func ordered(year: Int) {
        let days = JapaneseHolidays.holidays(year: year)
        #expect(zip(days, days.dropFirst()).allSatisfy { $0.date < $1.date })
        #expect(days.allSatisfy { $0.date.year == year })
        #expect(days.allSatisfy { !$0.name.isEmpty })
        let rest = days.filter { $0.kind == .substitute || $0.kind == .citizens }
        #expect(rest.allSatisfy { $0.name == "休日" })
    }

    @Test("振替休日 always follows a Sunday holiday, across a run of 祝日 only", arguments: lawYears)
    func substituteFollowsSunday(year: Int) {
        let days = JapaneseHolidays.holidays(year: year)
        let observed = Set(days.filter { $0.kind == .national || $0.kind == .special }.map(\.date))
        for h in days where h.kind == .substitute {
            #expect(h.date >= date("1973-04-12"))
            #expect(h.date.weekday != 7)
            #expect(!observed.contains(h.date))
            var back = h.date.adding(days: -1)
            while observed.contains(back) && back.weekday != 7 { back = back.adding(days: -1) }
            #expect(back.weekday == 7 && observed.contains(back), "\(h.date) follows no Sunday holiday")
            if h.date.year < 2007 { #expect(back == h.date.adding(days: -1), "\(h.date): before 2007 only the next day") }
        }
    }

    @Test("every Sunday 祝日 since 1973-04-12 is followed by a 振替休日 (unless the old law's next day was a 祝日)",
          arguments: lawYears)
    func sundayHolidayHasSubstitute(year: Int) {
        let days = JapaneseHolidays.holidays(year: year)
        let observed = Set(days.filter { $0.kind == .national || $0.kind == .special }.map(\.date))
        let substitutes = Set(days.filter { $0.kind == .substitute }.map(\.date))
        for d in observed where d.weekday == 7 && d >= date("1973-04-12") {
            var next = d.adding(days: 1)
            if year < 2007 {
                if observed.contains(next) { continue }
            } else {
                while observed.contains(next) { next = next.adding(days: 1) }
            }
            #expect(substitutes.contains(next), "\(d) has no 振替休日 on \(next)")
        }
    }

    @Test("国民の休日 is sandwiched between two 祝日, and every such weekday is one", arguments: lawYears)
    func citizensSandwich(year: Int) {
        let days = JapaneseHolidays.holidays(year: year)
        let observed = Set(days.filter { $0.kind == .national || $0.kind == .special }.map(\.date))
        let all = Set(days.map(\.date))
        for h in days where h.kind == .citizens {
            #expect(h.date >= date("1985-12-27"))
            #expect(observed.contains(h.date.adding(days: -1)) && observed.contains(h.date.adding(days: 1)), "\(h.date)")
            #expect(!observed.contains(h.date))
        }
        for d in observed where d >= date("1985-12-26") {
            let mid = d.adding(days: 1)
            guard observed.contains(mid.adding(days: 1)), !observed.contains(mid), mid.year == year else { continue }
            if year < 2007 && mid.weekday == 7 { continue }
            #expect(all.contains(mid), "\(mid) lies between two 祝日 but is not a holiday")
        }
    }

    @Test("Happy Monday holidays fall on the right Monday", arguments: 2003...2150)
    func happyMondays(year: Int) {
        let byName = Dictionary(grouping: JapaneseHolidays.holidays(year: year), by: \.name)
        func check(_ name: String, month: Int, nth: Int) {
            let days = byName[name] ?? []
            #expect(days.count == 1, "\(year) \(name)")
            for h in days {
                #expect(h.date.weekday == 1 && h.date.month == month && (h.date.day - 1) / 7 + 1 == nth, "\(h.date) \(name)")
            }
        }
        check("成人の日", month: 1, nth: 2)
        check("敬老の日", month: 9, nth: 3)
        if year != 2020 && year != 2021 {
            check("海の日", month: 7, nth: 3)
            check(year >= 2020 ? "スポーツの日" : year == 2019 ? "体育の日（スポーツの日）" : "体育の日", month: 10, nth: 2)
        }
    }

    @Test("the equinox days stay on 19–22 March and 21–24 September, 1900–2150")
    func equinoxRange() {
        for y in 1900...2150 {
            #expect((19...22).contains(JapaneseHolidays.vernalEquinoxDay(year: y)), "\(y)")
            #expect((21...24).contains(JapaneseHolidays.autumnalEquinoxDay(year: y)), "\(y)")
        }
        // The 2028 equinoxes fall near 2028-03-20 02:17 UTC and 2028-09-22 11:45 UTC: the same dates in JST.
        #expect(JapaneseHolidays.vernalEquinoxDay(year: 2028) == 20)
        #expect(JapaneseHolidays.autumnalEquinoxDay(year: 2028) == 22)
    }

    @Test("special-law days carry the Cabinet Office's names")
    func specialDays() {
        #expect(JapaneseHolidays.name(on: date("1959-04-10")) == "結婚の儀")
        #expect(JapaneseHolidays.name(on: date("1989-02-24")) == "大喪の礼")
        #expect(JapaneseHolidays.name(on: date("1990-11-12")) == "即位礼正殿の儀")
        #expect(JapaneseHolidays.name(on: date("1993-06-09")) == "結婚の儀")
        #expect(JapaneseHolidays.name(on: date("2019-05-01")) == "休日（祝日扱い）")
        #expect(JapaneseHolidays.name(on: date("2019-04-30")) == "休日")
        #expect(JapaneseHolidays.name(on: date("2020-07-24")) == "スポーツの日")
        #expect(JapaneseHolidays.name(on: date("2021-08-09")) == "休日")
        #expect(JapaneseHolidays.name(on: date("2019-12-23")) == nil)
    }
}
