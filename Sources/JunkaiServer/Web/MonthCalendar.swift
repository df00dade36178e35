import Foundation
import JunkaiCore

/// A month as the calendar pages show it: Monday-first weeks, each day with why it is not a working day and
/// what is on it. Pure, so it is tested without a server.
struct MonthCalendar {
    let year: Int
    let month: Int

    /// The month of `?month=YYYY-MM`; nil when absent or malformed.
    init?(parameter raw: String?) {
        guard let raw, raw.count == 7, let d = CivilDate(iso: raw + "-01") else { return nil }
        year = d.year
        month = d.month
    }

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    init(containing d: CivilDate) { self.init(year: d.year, month: d.month) }

    var first: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    var last: CivilDate { first.adding(days: CivilDate.daysInMonth(year: year, month: month) - 1) }
    var parameter: String { String(format: "%04d-%02d", year, month) }
    var title: String { JapaneseFormat.month(year: year, month: month) }
    var previous: MonthCalendar { MonthCalendar(containing: first.adding(days: -1)) }
    var next: MonthCalendar { MonthCalendar(containing: last.adding(days: 1)) }

    /// The weeks (Monday to Sunday) covering the month; each day a dictionary for the templates with `items`
    /// (what is on the day, already text) and the holiday's name or weekend, and `empty` when nothing is on it.
    func weeks(calendar: WorkingDayCalendar, items: [CivilDate: [[String: Any]]]) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var day = first.weekStart
        while day <= last {
            var cells: [[String: Any]] = []
            for _ in 0..<7 {
                let status = calendar.status(of: day)
                let inMonth = day.month == month
                let dayItems = inMonth ? (items[day] ?? []) : []
                var cell: [String: Any] = [
                    "iso": day.iso, "day": day.day, "label": JapaneseFormat.day(day), "inMonth": inMonth,
                    "items": dayItems, "empty": dayItems.isEmpty, "sunday": day.weekday == 7,
                ]
                switch status {
                case .holiday(let name): cell["holiday"] = name
                case .yearEnd: cell["holiday"] = "年末年始"
                case .closed: cell["holiday"] = "閉庁日"
                default: break
                }
                cells.append(cell)
                day = day.adding(days: 1)
            }
            out.append(["days": cells])
        }
        return out
    }
}
