import JunkaiCore
import Testing

private func date(_ iso: String) -> CivilDate {
    guard let d = CivilDate(iso: iso) else { preconditionFailure("bad fixture date \(iso)") }
    return d
}

@Suite("Working-day calendar")
struct WorkingDayCalendarTests {
    /// The example instance's consortium closes on 2027-05-06.
    let nara = WorkingDayCalendar(closedDates: [date("2027-05-06")])

    @Test("Golden Week 2027 with a consortium closed date")
    func goldenWeek2027() {
        let expected: [(String, DayStatus)] = [
            ("2027-04-28", .working), ("2027-04-29", .holiday("昭和の日")), ("2027-04-30", .working),
            ("2027-05-01", .weekend), ("2027-05-02", .weekend), ("2027-05-03", .holiday("憲法記念日")),
            ("2027-05-04", .holiday("みどりの日")), ("2027-05-05", .holiday("こどもの日")),
            ("2027-05-06", .closed), ("2027-05-07", .working),
        ]
        for (iso, status) in expected { #expect(nara.status(of: date(iso)) == status, "\(iso)") }
        #expect(nara.status(of: date("2027-05-06")).reason == "閉庁日")
        #expect(WorkingDayCalendar().status(of: date("2027-05-06")) == .working)
    }

    @Test("each non-working day says why; the most specific reason wins")
    func reasons() {
        let cal = WorkingDayCalendar(closedDates: [date("2027-05-08"), date("2027-01-04"), date("2026-12-30")])
        #expect(cal.status(of: date("2026-12-28")).reason == nil)
        #expect(cal.status(of: date("2026-12-29")).reason == "年末年始")
        #expect(cal.status(of: date("2026-12-30")).reason == "年末年始")  // closed too, but 年末年始 is the reason
        #expect(cal.status(of: date("2027-01-01")).reason == "元日")  // a holiday names itself inside 年末年始
        #expect(cal.status(of: date("2027-01-02")).reason == "年末年始")  // a Saturday, but 年末年始 first
        #expect(cal.status(of: date("2027-01-04")).reason == "閉庁日")
        #expect(cal.status(of: date("2027-05-08")).reason == "週末")  // closed on a Saturday stays 週末
        #expect(cal.status(of: date("2027-03-21")).reason == "春分の日")  // a Sunday holiday names itself
        #expect(cal.status(of: date("2027-03-22")).reason == "休日")  // its 振替休日
    }

    @Test("isWorkingDay agrees with status(of:) for every day 1940–2200, in and outside the lookup table")
    func isWorkingAgreesWithStatus() {
        let cal = WorkingDayCalendar(closedDates: [date("2027-06-01"), date("2160-06-02"), date("1947-06-02")])
        var disagreements: [String] = []
        for n in date("1940-01-01").dayNumber...date("2200-12-31").dayNumber {
            let d = CivilDate(dayNumber: n)
            let status = cal.status(of: d)
            if cal.isWorkingDay(d) != (status == .working) || (status == .working) == (status.reason != nil) {
                disagreements.append(d.iso)
            }
            let weekendOrYearEnd = d.weekday >= 6 || (d.month == 12 && d.day >= 29) || (d.month == 1 && d.day <= 3)
            if status == .working && (weekendOrYearEnd || JapaneseHolidays.name(on: d) != nil) { disagreements.append(d.iso) }
        }
        #expect(disagreements == [])
        #expect(cal.status(of: date("2160-06-02")) == .closed)
        #expect(cal.status(of: date("1947-06-02")) == .closed)
        #expect(cal.status(of: date("2160-01-01")) == .holiday("元日"))
        #expect(cal.status(of: date("1947-01-06")) == .working)  // before the holiday law
    }

    @Test("working days of April 2027 and of the example's first, short ISO week")
    func ranges() throws {
        let april = try #require(DateRange(start: date("2027-04-01"), end: date("2027-04-30")))
        #expect(nara.workingDays(in: april).count == 21)
        #expect(nara.workingDayCount(in: april) == 21)
        #expect(nara.workingDays(from: april.start, through: april.end) == nara.workingDays(in: april))
        #expect(nara.workingDays(from: april.end, through: april.start) == [])
        let period = try #require(DateRange(start: date("2027-04-01"), end: date("2027-06-30")))
        let firstWeek = ISOWeek(containing: period.start)
        #expect(nara.workingDays(of: firstWeek, within: period) == [date("2027-04-01"), date("2027-04-02")])
        #expect(nara.workingDays(of: firstWeek).count == 5)  // 2027-03-29 … 04-02, none a holiday
        let goldenWeek = ISOWeek(containing: date("2027-05-03"))
        #expect(nara.workingDays(of: goldenWeek, within: period) == [date("2027-05-07")])
        let outside = try #require(ISOWeek(year: 2027, week: 40))
        #expect(nara.workingDays(of: outside, within: period) == [])
        let statuses = nara.statuses(in: april)
        #expect(statuses.count == 30 && statuses[28].status == .holiday("昭和の日"))
    }

    @Test("the next working day skips 年末年始, weekends, holidays and closed dates")
    func nextWorkingDay() {
        #expect(nara.nextWorkingDay(after: date("2026-12-28")) == date("2027-01-04"))
        #expect(nara.nextWorkingDay(after: date("2027-05-02")) == date("2027-05-07"))
        #expect(nara.nextWorkingDay(after: date("2027-04-27")) == date("2027-04-28"))
    }
}
