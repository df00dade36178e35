import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// The built-in 全国地方公共団体コード register, for any token. (`/calendar/working-days` needs the store for a
/// consortium's closed dates, so SchedulesController serves it with the helpers of `WorkingDaysEndpoint`.)
struct RegisterController {
    static let defaultSearchLimit = 20
    static let maxSearchLimit = 200

    struct SearchResult: ResponseCodable {
        var q: String
        var limit: Int
        var items: [RegisterEntry]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("register/municipalities/:code") { _, context -> RegisterEntry in
            _ = try context.caller()
            return try Self.entry(code: context.parameters.get("code") ?? "")
        }
        group.get("register/municipalities") { request, context -> SearchResult in
            _ = try context.caller()
            return try Self.search(q: request.uri.queryParameters["q"].map(String.init),
                                   limit: request.uri.queryParameters["limit"].map(String.init))
        }
    }

    /// The register entry for a code: 422 naming /code when it is not a valid code, 404 when unknown.
    static func entry(code raw: String) throws -> RegisterEntry {
        let code: LocalGovCode
        do { code = try LocalGovCode(validating: raw) } catch { throw InvalidInput("/code", error.description) }
        guard let entry = MunicipalRegister.shared.entry(code) else {
            throw Problem(.notFound, "no municipality \(code) in the built-in register")
        }
        return entry
    }

    /// Entries matching a code prefix, name or reading, best first.
    static func search(q: String?, limit rawLimit: String?) throws -> SearchResult {
        guard let q, !q.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InvalidInput("/q", "query parameter is required (a code prefix, a name or a reading)")
        }
        guard q.count <= 100 else { throw InvalidInput("/q", "must be at most 100 characters") }
        var limit = defaultSearchLimit
        if let rawLimit {
            guard let n = Int(rawLimit), (1...maxSearchLimit).contains(n) else {
                throw InvalidInput("/limit", "must be an integer from 1 to \(maxSearchLimit)")
            }
            limit = n
        }
        return SearchResult(q: q, limit: limit, items: MunicipalRegister.shared.search(q, limit: limit))
    }
}

/// `GET /v1/calendar/working-days?from=&to=&consortium=`: every date of the range with its working-day status.
enum WorkingDaysEndpoint {
    /// The longest date range answered, as for a plan's period.
    static let maxRangeDays = 400

    struct Day: ResponseCodable {
        var date: CivilDate
        var working: Bool
        /// weekend, holiday, yearEnd or closed; absent on a working day.
        var kind: String?
        /// Why the day is not working (the holiday's name, 年末年始, 週末, 閉庁日); absent on a working day.
        var reason: String?
    }

    struct WorkingDays: ResponseCodable {
        var from: CivilDate
        var to: CivilDate
        var consortium: UUID?
        var workingDayCount: Int
        var days: [Day]
    }

    /// A required `from`/`to` pair: 422 naming the field when missing, malformed, reversed or too long.
    static func range(from rawFrom: String?, to rawTo: String?) throws -> (CivilDate, CivilDate) {
        let from = try date("from", rawFrom)
        let to = try date("to", rawTo)
        guard to >= from else { throw InvalidInput("/to", "must not be before from") }
        guard to.dayNumber - from.dayNumber <= maxRangeDays else {
            throw InvalidInput("/to", "the range may span at most \(maxRangeDays) days")
        }
        return (from, to)
    }

    static func date(_ name: String, _ raw: String?) throws -> CivilDate {
        guard let raw else { throw InvalidInput("/\(name)", "query parameter is required (YYYY-MM-DD)") }
        guard let d = CivilDate(iso: raw) else { throw InvalidInput("/\(name)", DateText.problem(raw) ?? "must be a date YYYY-MM-DD") }
        return d
    }

    /// Every date of the range with its status under the calendar.
    static func workingDays(from: CivilDate, to: CivilDate, calendar: WorkingDayCalendar,
                            consortium: UUID?) -> WorkingDays {
        var days: [Day] = []
        days.reserveCapacity(to.dayNumber - from.dayNumber + 1)
        var working = 0
        for (date, status) in calendar.statuses(in: DateRange(from...to)) {
            if status.isWorking { working += 1 }
            days.append(Day(date: date, working: status.isWorking, kind: kind(status), reason: status.reason))
        }
        return WorkingDays(from: from, to: to, consortium: consortium, workingDayCount: working, days: days)
    }

    static func kind(_ status: DayStatus) -> String? {
        switch status {
        case .working: return nil
        case .weekend: return "weekend"
        case .holiday: return "holiday"
        case .yearEnd: return "yearEnd"
        case .closed: return "closed"
        }
    }
}

extension RegisterEntry: ResponseEncodable {}
