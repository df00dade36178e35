import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// A member municipality's desk: its requests (依頼: new, withdraw, status) and who comes when (予定).
/// A desk sees only its own municipality (another's pages answer 404); a coordinator may open any member's.
struct MunicipalityPages {
    let web: WebEnvironment
    var store: Store { web.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/municipalities/:code", use: { _, context -> Response in
            let (cid, _, member) = try await scope(context)
            return WebResponse.redirect("/consortia/\(cid)/municipalities/\(member.code)/requests")
        })
        group.get("consortia/:cid/municipalities/:code/requests", use: requests)
        group.post("consortia/:cid/municipalities/:code/requests", use: createRequest)
        group.post("consortia/:cid/municipalities/:code/requests/:rid/withdraw", use: withdraw)
        group.get("consortia/:cid/municipalities/:code/schedule", use: schedule)
    }

    /// The consortium, the caller and the member the page is about: 404 for another desk's municipality or a non-member.
    func scope(_ context: AppRequestContext) async throws -> (UUID, Principal, MunicipalityRecord) {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, RequestActions.askers)
        let code = try MunicipalitiesController.code(context)
        if who.role == .municipality && who.municipalityCode != code { throw Problem.notFound }
        return (cid, who, try await store.municipality(code, consortium: cid))
    }

    static func root(_ cid: UUID, _ code: String) -> String { "/consortia/\(cid)/municipalities/\(code)" }

    @Sendable func requests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, member) = try await scope(context)
        let all = request.uri.queryParameters["all"] != nil
        return try await requestsPage(cid: cid, who: who, member: member, all: all, form: [:], errors: nil, context: context)
    }

    func requestsPage(cid: UUID, who: Principal, member: MunicipalityRecord, all: Bool, form: [String: Any],
                      errors: WebFormErrors?, context: AppRequestContext) async throws -> Response {
        let today = JapanClock.today()
        let posts = try await store.posts(consortium: cid, municipality: member.code)
        let titles = Dictionary(posts.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let filter = RequestFilter(from: all ? nil : today.adding(days: -31))
        let records = try await store.listRequests(consortium: cid, filter: filter, by: who)
            .filter { $0.municipality == member.code }
        let root = Self.root(cid, member.code)
        let rows: [[String: Any]] = records.map { r in
            var row: [String: Any] = [
                "iso": r.date.iso, "label": JapaneseFormat.fullDay(r.date), "post": titles[r.post] ?? "（削除されたポスト）",
                "kind": JapaneseFormat.kindNames[r.kind] ?? r.kind, "note": r.note ?? "",
                "status": JapaneseFormat.statusNames[r.status] ?? r.status, "statusKey": r.status,
                "fulfilled": r.fulfilled,
            ]
            if let reason = r.declineReason { row["declineReason"] = reason }
            if (r.status == "submitted" || r.status == "accepted") && !r.fulfilled {
                row["withdraw"] = "\(root)/requests/\(r.id)/withdraw"
            }
            return row
        }
        let chosenPost = form["post"] as? String ?? ""
        let kind = form["kind"] as? String ?? "required"
        var model: [String: Any] = [
            "userName": member.name, "memberName": member.name, "action": "\(root)/requests",
            "posts": posts.map { ["id": $0.id.uuidString, "title": $0.label, "selected": $0.id.uuidString == chosenPost] as [String: Any] },
            "hasPosts": !posts.isEmpty, "requests": rows, "hasRequests": !rows.isEmpty, "form": form,
            "kindRequired": kind == "required", "kindPreferred": kind == "preferred",
            "all": all, "allLink": "\(root)/requests?all=1", "recentLink": "\(root)/requests", "today": today.iso,
        ]
        if let errors { model.merge(errors.model) { _, new in new } }
        let section: WebEnvironment.Section = who.role == .municipality ? .mRequests : .members
        return try web.page("municipality-requests", title: "依頼", section: section, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func createRequest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, member) = try await scope(context)
        let form = context.web?.form ?? FormData()
        let typed: [String: Any] = ["post": form["post"] ?? "", "date": form["date"] ?? "", "kind": form["kind"] ?? "",
                                    "note": form.raw("note") ?? ""]
        do {
            guard let rawPost = form["post"] else { throw InvalidInput("/post", "is required") }
            guard let post = UUID(uuidString: rawPost) else { throw InvalidInput("/post", "post not found") }
            guard let rawDate = form["date"] else { throw InvalidInput("/date", "is required") }
            guard let date = CivilDate(iso: rawDate) else { throw InvalidInput("/date", "must be a date YYYY-MM-DD") }
            let note = form.raw("note").flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            let body = RequestsController.CreateBody(post: post, date: date, kind: form["kind"] ?? "", note: note)
            let record = try await RequestActions.create(body, consortium: cid, by: who, store: store)
            let kind = JapaneseFormat.kindNames[record.kind] ?? record.kind
            return web.redirect("\(Self.root(cid, member.code))/requests",
                                flash: "\(JapaneseFormat.fullDay(record.date))の依頼（\(kind)）を送信しました。コーディネーターの承認をお待ちください。",
                                context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else {
                // A post of another municipality is out of scope: said on the form, like any wrong choice.
                if ProblemMiddleware<AppRequestContext>.problem(for: error).status == .notFound {
                    let e = WebFormErrors.field("post", "ポストが見つかりません。一覧から選んでください。")
                    return try await requestsPage(cid: cid, who: who, member: member, all: false, form: typed, errors: e,
                                                  context: context)
                }
                throw error
            }
            errors.place(on: "date")
            return try await requestsPage(cid: cid, who: who, member: member, all: false, form: typed, errors: errors,
                                          context: context)
        }
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, member) = try await scope(context)
        let rid = try context.uuidParameter("rid")
        // The request must be one of this municipality's, whoever the caller is.
        let current = try await store.request(rid, consortium: cid, by: who)
        guard current.municipality == member.code else { throw Problem.notFound }
        let back = "\(Self.root(cid, member.code))/requests"
        do {
            try await RequestActions.withdraw(rid, consortium: cid, by: who, store: store)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return web.redirect(back, flash: "取り下げできませんでした: \(errors.summary)", context: context)
        }
        return web.redirect(back, flash: "\(JapaneseFormat.fullDay(current.date))の依頼を取り下げました。", context: context)
    }

    @Sendable func schedule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, member) = try await scope(context)
        let today = JapanClock.today()
        let asked = MonthCalendar(parameter: request.uri.queryParameters["month"].map(String.init))
        var month = asked ?? MonthCalendar(containing: today)
        var rows: [MunicipalityScheduleEntry]
        if asked == nil {
            let ahead = try await store.municipalitySchedule(consortium: cid, municipality: member.code, from: month.first,
                                                             to: month.first.adding(days: 366), logger: context.logger) ?? []
            if !ahead.contains(where: { $0.date <= month.last }), let next = ahead.first {
                month = MonthCalendar(containing: next.date)
            }
            rows = ahead.filter { $0.date >= month.first && $0.date <= month.last }
        } else {
            rows = try await store.municipalitySchedule(consortium: cid, municipality: member.code, from: month.first,
                                                        to: month.last, logger: context.logger) ?? []
        }
        let closed = try await store.consortiumClosedDates(cid, logger: context.logger)
        var items: [CivilDate: [[String: Any]]] = [:]
        for r in rows { items[r.date, default: []].append(["text": "\(r.staffName)（\(r.postLabel)）"]) }
        let people = Set(rows.map(\.staff)).count
        let model: [String: Any] = [
            "userName": member.name, "memberName": member.name, "month": month.title,
            "weeks": month.weeks(calendar: WorkingDayCalendar(closedDates: closed), items: items),
            "count": rows.count, "people": people,
            "prev": "?month=\(month.previous.parameter)", "prevTitle": month.previous.title,
            "next": "?month=\(month.next.parameter)", "nextTitle": month.next.title,
        ]
        let section: WebEnvironment.Section = who.role == .municipality ? .mSchedule : .members
        return try web.page("municipality-schedule", title: "予定", section: section, consortium: cid, model: model,
                            context: context)
    }
}
