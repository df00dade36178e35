import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// The staff member's pages: my month (予定) with the calendar feed, and my unavailable dates (不在日).
/// A coordinator may open them for anyone of the consortium; a staff member only for themselves (404 otherwise).
struct StaffPages {
    let web: WebEnvironment
    var store: Store { web.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/staff/:staffId", use: { _, context -> Response in
            let cid = try context.consortiumID()
            let sid = try StaffController.staffInScope(context, cid: cid)
            return WebResponse.redirect("/consortia/\(cid)/staff/\(sid)/schedule")
        })
        group.get("consortia/:cid/staff/:staffId/schedule", use: schedule)
        group.post("consortia/:cid/staff/:staffId/calendar-feed", use: issueFeed)
        group.get("consortia/:cid/staff/:staffId/unavailability", use: unavailability)
        group.post("consortia/:cid/staff/:staffId/unavailability", use: addUnavailability)
        group.post("consortia/:cid/staff/:staffId/unavailability/:id/delete", use: removeUnavailability)
    }

    static let kindNames = ["unavailable": "勤務できない日", "undesired": "できれば避けたい日"]

    @Sendable func schedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        let staff = try await store.staffMember(sid, consortium: cid)
        let today = JapanClock.today()
        let asked = MonthCalendar(parameter: request.uri.queryParameters["month"].map(String.init))
        var month = asked ?? MonthCalendar(containing: today)
        var rows: [StaffScheduleEntry]
        if asked == nil {
            // With no month asked for, open on this month or, when it has no days, the month of the next one.
            let ahead = try await store.staffSchedule(consortium: cid, staff: sid, from: month.first,
                                                      to: month.first.adding(days: 366), logger: context.logger) ?? []
            if !ahead.contains(where: { $0.date <= month.last }), let next = ahead.first {
                month = MonthCalendar(containing: next.date)
            }
            rows = ahead.filter { $0.date >= month.first && $0.date <= month.last }
        } else {
            guard let found = try await store.staffSchedule(consortium: cid, staff: sid, from: month.first, to: month.last,
                                                            logger: context.logger) else { throw Problem.notFound }
            rows = found
        }
        let closed = try await store.consortiumClosedDates(cid, logger: context.logger)
        var items: [CivilDate: [[String: Any]]] = [:]
        for r in rows {
            items[r.date, default: []].append(["text": PlaceName.of(municipality: r.municipalityName, post: r.postLabel)])
        }
        let model: [String: Any] = [
            "userName": staff.name,
            "staffName": staff.name,
            "month": month.title,
            "weeks": month.weeks(calendar: WorkingDayCalendar(closedDates: closed), items: items),
            "days": rows.map { ["iso": $0.date.iso, "label": JapaneseFormat.day($0.date), "municipality": $0.municipalityName,
                                "post": $0.postLabel] as [String: Any] },
            "count": rows.count,
            "prev": "?month=\(month.previous.parameter)", "prevTitle": month.previous.title,
            "next": "?month=\(month.next.parameter)", "nextTitle": month.next.title,
            "feedAction": "/consortia/\(cid)/staff/\(sid)/calendar-feed",
        ]
        return try web.page("staff-schedule", title: "予定", section: .sSchedule, consortium: cid, model: model,
                            context: context)
    }

    /// Issues a new feed URL (the old one stops working) and shows it once, with how to subscribe.
    @Sendable func issueFeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        let staff = try await store.staffMember(sid, consortium: cid)
        let secret = try await store.issueCalendarFeed(consortium: cid, staff: sid, by: try context.caller())
        let url = SchedulesController.feedURL(base: web.publicBaseURL, secret: secret)
        let webcal = url.replacingOccurrences(of: "https://", with: "webcal://").replacingOccurrences(of: "http://", with: "webcal://")
        return try web.page("staff-feed", title: "カレンダー用URL", section: .sSchedule, consortium: cid,
                            model: ["userName": staff.name, "url": url, "webcal": webcal,
                                    "back": "/consortia/\(cid)/staff/\(sid)/schedule"],
                            scripts: ["copy.js"], context: context)
    }

    @Sendable func unavailability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        return try await unavailabilityPage(cid: cid, sid: sid, form: [:], errors: nil, context: context)
    }

    func unavailabilityPage(cid: UUID, sid: UUID, form: [String: Any], errors: WebFormErrors?,
                            context: AppRequestContext) async throws -> Response {
        let staff = try await store.staffMember(sid, consortium: cid)
        let today = JapanClock.today()
        let entries = try await store.unavailability(staff: sid, consortium: cid, from: today.adding(days: -31))
        let rows: [[String: Any]] = entries.map { e in
            ["iso": e.date.iso, "label": JapaneseFormat.fullDay(e.date), "kind": Self.kindNames[e.kind.rawValue] ?? e.kind.rawValue,
             "note": e.note ?? "", "past": e.date < today,
             "delete": "/consortia/\(cid)/staff/\(sid)/unavailability/\(e.id)/delete"]
        }
        var model: [String: Any] = [
            "userName": staff.name, "entries": rows, "hasEntries": !rows.isEmpty, "action": "/consortia/\(cid)/staff/\(sid)/unavailability",
            "form": form, "today": today.iso,
        ]
        let kind = form["kind"] as? String ?? "unavailable"
        model["kindUnavailable"] = kind == "unavailable"
        model["kindUndesired"] = kind == "undesired"
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("staff-unavailability", title: "不在日", section: .sUnavailability, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func addUnavailability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        let form = context.web?.form ?? FormData()
        let typed: [String: Any] = ["date": form["date"] ?? "", "kind": form["kind"] ?? "", "note": form.raw("note") ?? ""]
        do {
            guard let raw = form["date"] else { throw InvalidInput("/date", "is required") }
            guard let date = CivilDate(iso: raw) else { throw InvalidInput("/date", "must be a date YYYY-MM-DD") }
            let note = form.raw("note").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            let body = UnavailabilityController.AddBody(date: date, kind: form["kind"] ?? "", note: note)
            let entry = try await RegistryActions.addUnavailability(body, staff: sid, consortium: cid, by: try context.caller(),
                                                                    store: store)
            return web.redirect("/consortia/\(cid)/staff/\(sid)/unavailability",
                                flash: "\(JapaneseFormat.fullDay(entry.date))を「\(Self.kindNames[entry.kind.rawValue] ?? "")」として登録しました。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return try await unavailabilityPage(cid: cid, sid: sid, form: typed, errors: errors, context: context)
        }
    }

    @Sendable func removeUnavailability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        try await store.removeUnavailability(try context.uuidParameter("id"), staff: sid, consortium: cid, by: try context.caller())
        return web.redirect("/consortia/\(cid)/staff/\(sid)/unavailability", flash: "登録を削除しました。", context: context)
    }
}
