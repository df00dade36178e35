import Foundation

/// The rules every input is checked by, whoever reads it: the instance loader (`junkai solve`, `junkai seed`), the
/// store, the JSON controllers and the pages. Each rule is written once, here; its messages are what users see.
public enum InputRules {
    public static let maxNameLength = 200
    public static let maxNoteLength = 1000
    /// No two places on Earth are further apart (half the 6371 km sphere's circumference is about 20015 km).
    public static let maxTravelKm = 20_000
    // The ranges below are what the OpenAPI document states as minimum/maximum; a test compares the two.
    public static let travelKm = 0...maxTravelKm
    public static let levels = 1...5
    public static let weekdays = 1...7
    public static let daysPerWeek = 1...5
    public static let targetDaysPerWeek = 0...5
    public static let latitude = -90.0...90.0
    public static let longitude = -180.0...180.0

    /// Why a display name or title is unusable, or nil when it is fine.
    public static func nameProblem(_ s: String) -> String? {
        if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return "must not be empty" }
        return textProblem(s, max: maxNameLength)
    }

    /// Why free text (a note, a label) cannot be stored, or nil: too long, or holding a NUL PostgreSQL text refuses.
    public static func textProblem(_ s: String, max: Int) -> String? {
        // Counted in code points, as PostgreSQL's length() in the CHECK constraints counts.
        if s.unicodeScalars.count > max { return "must be at most \(max) characters" }
        if s.unicodeScalars.contains("\u{0}") { return "must not contain NUL characters" }
        return nil
    }

    /// Issues for a weekday list: every entry must be an ISO weekday 1–7.
    public static func weekdayIssues(_ days: [Int], at pointer: String) -> [ValidationIssue] {
        days.enumerated().compactMap { i, d in
            weekdays.contains(d) ? nil
                : ValidationIssue(pointer: "\(pointer)/\(i)", detail: "weekday \(d) is outside 1–7 (1 = Monday … 7 = Sunday)")
        }
    }

    /// Issues for a `{skillId: level}` map: levels must be 1–5 and ids well-formed.
    public static func levelIssues(_ levels: [String: Int], at pointer: String) -> [ValidationIssue] {
        levels.keys.sorted().flatMap { id -> [ValidationIssue] in
            let p = "\(pointer)/\(JSONPointer.token(id))"
            var out: [ValidationIssue] = []
            if let why = skillIdProblem(id) { out.append(ValidationIssue(pointer: p, detail: why)) }
            if let level = levels[id], !Self.levels.contains(level) {
                out.append(ValidationIssue(pointer: p, detail: "level \(level) is outside 1–5"))
            }
            return out
        }
    }

    /// Why a skill id is malformed (the pattern the schema enforces), or nil when it is fine.
    public static func skillIdProblem(_ id: String) -> String? {
        let u = Array(id.utf8)
        func alnum(_ c: UInt8) -> Bool { (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) }
        guard let first = u.first, alnum(first), u.count <= 64,
              u.dropFirst().allSatisfy({ alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else { return "skill id \"\(id)\" must be 1–64 of A–Z a–z 0–9 _ . - and start with a letter or digit" }
        return nil
    }

    /// Issues for coordinates in WGS84 degrees.
    public static func coordinateIssues(lat: Double, lon: Double, at pointer: String) -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        if !(lat.isFinite && latitude.contains(lat)) { out.append(.init(pointer: "\(pointer)/lat", detail: "latitude \(lat) is outside −90…90")) }
        if !(lon.isFinite && longitude.contains(lon)) { out.append(.init(pointer: "\(pointer)/lon", detail: "longitude \(lon) is outside −180…180")) }
        return out
    }

    /// A solve's time limit in seconds, over the API, on the pages and in the queue.
    public static let solveSeconds = 1.0...600.0
    /// Issues for a solve's time limit.
    public static func solveSecondsIssues(_ seconds: Double, at pointer: String = "/seconds") -> [ValidationIssue] {
        solveSeconds.contains(seconds) ? [] : [ValidationIssue(pointer: pointer, detail: "must be between 1 and 600")]
    }

    /// The longest plan period: 53 ISO weeks.
    public static let maxPlanDays = 53 * 7
    /// Issues for a plan period: start not after end, at most 53 weeks.
    public static func planPeriodIssues(start: CivilDate, end: CivilDate, at pointer: String = "/period") -> [ValidationIssue] {
        if end < start {
            return [ValidationIssue(pointer: "\(pointer)/end", detail: "\(end.iso) is before the start \(start.iso)")]
        }
        if end.dayNumber - start.dayNumber + 1 > maxPlanDays {
            return [ValidationIssue(pointer: "\(pointer)/end", detail: "the period is longer than 53 weeks (\(maxPlanDays) days)")]
        }
        return []
    }

    /// Sorted, without repeats: sets of weekdays and dates are stored in one canonical order.
    public static func canonical<T: Comparable & Hashable>(_ xs: [T]) -> [T] { Array(Set(xs)).sorted() }
}
