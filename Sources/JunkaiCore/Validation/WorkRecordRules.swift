import Foundation

/// The values a work record may take, in one place for the API, the command line and the tests.
public enum WorkRecordRules {
    public static let modes = ["onsite", "remote", "absent"]
    public static let categories = ["consultation", "meeting", "training", "planning", "system", "other"]
    public static let statuses = ["reported", "confirmed", "returned"]
    public static let maxMinutes = 1440
    public static let maxSummaryLength = 2000
    public static let maxReasonLength = 1000
    /// Records start in 2000 (the database's CHECK); no consortium kept them earlier.
    public static let earliestDate = CivilDate(year: 2000, month: 1, day: 1)!

    /// Japanese labels as the CSV shows them.
    public static let modeLabels = ["onsite": "来庁", "remote": "リモート", "absent": "不実施"]
    public static let categoryLabels = ["consultation": "相談対応", "meeting": "会議・打合せ", "training": "研修・講師",
                                        "planning": "計画策定・調達支援", "system": "システム・標準化対応", "other": "その他"]
    public static let statusLabels = ["reported": "報告済", "confirmed": "確認済", "returned": "差戻し"]

    /// Every reason the values cannot be a record, by JSON pointer; `today` is the date in Japan.
    public static func issues(date: CivilDate, mode: String, minutes: Int, category: String, summary: String,
                              today: CivilDate) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if date > today {
            issues.append(.init(pointer: "/date", detail: "\(date.iso) is after today (\(today.iso), JST): record a day once it has been worked"))
        } else if date < earliestDate {
            issues.append(.init(pointer: "/date", detail: "must be on or after \(earliestDate.iso)"))
        }
        if !modes.contains(mode) {
            issues.append(.init(pointer: "/mode", detail: "must be one of \(modes.joined(separator: ", "))"))
        } else if mode == "absent" {
            if minutes != 0 { issues.append(.init(pointer: "/minutes", detail: "must be 0 for an absent (not held) day")) }
        } else if !(1...maxMinutes).contains(minutes) {
            issues.append(.init(pointer: "/minutes", detail: "must be 1–\(maxMinutes) for a day worked \(mode)"))
        }
        if !categories.contains(category) {
            issues.append(.init(pointer: "/category", detail: "must be one of \(categories.joined(separator: ", "))"))
        }
        if let why = textIssue(summary, max: maxSummaryLength) { issues.append(.init(pointer: "/summary", detail: why)) }
        return issues
    }

    /// Why free text cannot be a summary or a reason: empty, too long (code points, as PostgreSQL counts), or NUL.
    public static func textIssue(_ text: String, max: Int) -> String? {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "must not be empty" }
        return InputRules.textProblem(text, max: max)
    }
}
