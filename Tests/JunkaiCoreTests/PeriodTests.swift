import Foundation
import JunkaiCore
import Testing

private func date(_ iso: String) -> CivilDate {
    guard let d = CivilDate(iso: iso) else { preconditionFailure("bad fixture date \(iso)") }
    return d
}

@Suite("Civil dates, ISO weeks, fiscal years and ranges")
struct PeriodTests {
    @Test("weekday, ISO week and components agree with Foundation's ISO 8601 calendar, 1960–2060")
    func agreesWithFoundation() {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = TimeZone(identifier: "UTC") ?? iso.timeZone
        var mismatches: [String] = []
        for n in stride(from: date("1960-01-01").dayNumber, through: date("2060-12-31").dayNumber, by: 1) {
            let d = CivilDate(dayNumber: n)
            let f = iso.dateComponents([.year, .month, .day, .weekday, .weekOfYear, .yearForWeekOfYear],
                                       from: Date(timeIntervalSince1970: Double(n) * 86_400))
            // Foundation numbers weekdays 1 = Sunday … 7 = Saturday.
            let isoWeekday = ((f.weekday ?? 0) + 5) % 7 + 1
            if (d.year, d.month, d.day) != (f.year, f.month, f.day) || d.weekday != isoWeekday
                || d.isoWeek.year != f.yearForWeekOfYear || d.isoWeek.week != f.weekOfYear {
                mismatches.append(d.iso)
            }
        }
        #expect(mismatches == [])
    }

    @Test("ISO parsing is strict and round-trips")
    func isoParsing() {
        #expect(CivilDate(iso: "2027-04-01")?.iso == "2027-04-01")
        for bad in ["2027-4-01", "2027-02-29", "2027/04/01", "２０２７-04-01", "2027-04-01 ", "", "2027-13-01"] {
            #expect(CivilDate(iso: bad) == nil, "\(bad)")
        }
        #expect(CivilDate(iso: "2028-02-29") != nil)
        #expect(CivilDate(dayNumber: 0).iso == "1970-01-01")
        #expect(CivilDate(dayNumber: 0).weekday == 4)
        #expect((date("2027-04-01")...date("2027-04-30")).count == 30)
        #expect(date("2027-04-01").distance(to: date("2027-05-01")) == 30)
    }

    @Test("ISO weeks: 53-week years, year boundaries and text form")
    func isoWeeks() throws {
        for y in 1900...2200 {
            let jan1 = date(String(y) + "-01-01").weekday
            let long = jan1 == 4 || (jan1 == 3 && CivilDate.isLeapYear(y))
            #expect(ISOWeek.weeks(inYear: y) == (long ? 53 : 52), "\(y)")
        }
        #expect(ISOWeek(containing: date("2021-01-03")).description == "2020-W53")
        #expect(ISOWeek(containing: date("2024-12-30")).description == "2025-W01")
        #expect(ISOWeek(containing: date("2027-04-01")).description == "2027-W13")
        let w53 = try #require(ISOWeek(year: 2026, week: 53))
        #expect(w53.monday == date("2026-12-28") && w53.sunday == date("2027-01-03"))
        #expect(w53.adding(weeks: 1) == ISOWeek(year: 2027, week: 1))
        #expect(w53.adding(weeks: -53) == ISOWeek(year: 2025, week: 52))
        #expect(ISOWeek(year: 2027, week: 53) == nil)
        #expect(ISOWeek(year: 2027, week: 0) == nil)
        #expect(ISOWeek(iso: "2027-W14") == ISOWeek(year: 2027, week: 14))
        for bad in ["2027-W53", "2027-14", "2027-W1", "2027W14", "27-W14", "2027-W1a"] {
            #expect(ISOWeek(iso: bad) == nil, "\(bad)")
        }
        var d = date("2020-12-20")
        while d <= date("2028-01-10") {
            let w = ISOWeek(containing: d)
            #expect(w.days.contains(d) && w.monday.weekday == 1 && w.days.count == 7 && ISOWeek(iso: w.description) == w)
            d = d.adding(days: 1)
        }
        #expect(try #require(ISOWeek(year: 2027, week: 2)) > w53)
    }

    @Test("fiscal years run April to March, with quarters that partition them")
    func fiscalYears() throws {
        let fy = FiscalYear(2027)
        #expect(fy.start == date("2027-04-01") && fy.end == date("2028-03-31"))
        #expect(fy.days.count == 366)  // 2028-02-29
        #expect(FiscalYear(2026).days.count == 365)
        #expect(fy.contains(date("2028-03-31")) && !fy.contains(date("2028-04-01")) && !fy.contains(date("2027-03-31")))
        #expect(FiscalYear(containing: date("2027-03-31")) == FiscalYear(2026))
        #expect(FiscalYear(containing: date("2027-04-01")) == fy)
        #expect(fy.description == "2027年度")
        #expect(fy.adding(years: 1) > fy)
        #expect(fy.quarter(of: date("2027-04-01")) == 1 && fy.quarter(of: date("2027-06-30")) == 1)
        #expect(fy.quarter(of: date("2027-07-01")) == 2 && fy.quarter(of: date("2027-12-31")) == 3)
        #expect(fy.quarter(of: date("2028-01-01")) == 4 && fy.quarter(of: date("2028-04-01")) == nil)
        let quarters = try (1...4).map { try #require(fy.quarter($0)) }
        #expect(quarters.first?.start == fy.start && quarters.last?.end == fy.end)
        #expect(zip(quarters, quarters.dropFirst()).allSatisfy { $0.end.adding(days: 1) == $1.start })
        #expect(quarters.map(\.count).reduce(0, +) == fy.days.count)
        #expect(quarters[3] == DateRange(start: date("2028-01-01"), end: date("2028-03-31")))
        #expect(fy.quarter(0) == nil && fy.quarter(5) == nil)
        let encoded = try JSONEncoder().encode(fy)
        #expect(String(decoding: encoded, as: UTF8.self) == "2027")
        #expect(try JSONDecoder().decode(FiscalYear.self, from: encoded) == fy)
    }

    @Test("date ranges: bounds, indexing, weeks, intersection and JSON")
    func dateRanges() throws {
        #expect(DateRange(start: date("2027-04-02"), end: date("2027-04-01")) == nil)
        let period = try #require(DateRange(start: date("2027-04-01"), end: date("2027-06-30")))
        #expect(period.count == 91 && period[0] == period.start && period[90] == period.end && period.last == period.end)
        #expect(period.contains(date("2027-05-06")) && !period.contains(date("2027-07-01")))
        #expect(period.isoWeeks.first?.description == "2027-W13" && period.isoWeeks.last?.description == "2027-W26")
        #expect(period.isoWeeks.count == 14)
        let may = try #require(DateRange(start: date("2027-05-01"), end: date("2027-07-31")))
        #expect(period.intersection(may) == DateRange(start: date("2027-05-01"), end: date("2027-06-30")))
        #expect(period.intersection(DateRange(date("2027-07-01")...date("2027-07-02"))) == nil)
        let json = try JSONEncoder().encode(period)
        #expect(try JSONDecoder().decode(DateRange.self, from: json) == period)
        let backwards = Data(#"{"start":"2027-06-30","end":"2027-04-01"}"#.utf8)
        #expect {
            _ = try JSONDecoder().decode(DateRange.self, from: backwards)
        } throws: { error in
            "\(error)".contains("end") && "\(error)".contains("before start")
        }
    }
}
