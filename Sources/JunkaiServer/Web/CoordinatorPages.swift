import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// The coordinator's everyday pages besides plans: home, the requests inbox (承認 / 却下), people (人材) with
/// their sign-in links, posts with their skill matrix (ポスト), and members (団体).
struct CoordinatorPages {
    let web: WebEnvironment
    var store: Store { web.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid", use: home)
        group.get("consortia/:cid/requests", use: requests)
        group.post("consortia/:cid/requests/:rid/accept", use: accept)
        group.get("consortia/:cid/requests/:rid/decline", use: declinePage)
        group.post("consortia/:cid/requests/:rid/decline", use: decline)
        group.get("consortia/:cid/staff", use: staff)
        group.post("consortia/:cid/staff/:staffId/sign-in-link", use: staffLink)
        group.get("consortia/:cid/posts", use: posts)
        group.get("consortia/:cid/members", use: members)
        group.post("consortia/:cid/members", use: addMember)
        group.post("consortia/:cid/members/:code/sign-in-link", use: memberLink)
        group.post("consortia/:cid/sign-in-link", use: coordinatorLink)
    }

    func coordinator(_ context: AppRequestContext) async throws -> (UUID, Principal) {
        let cid = try context.consortiumID()
        return (cid, try context.authorize(cid, PlanActions.planners))
    }

    // MARK: - Home

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await coordinator(context)
        let consortium = try await store.consortium(cid)
        let waiting = try await store.submittedRequestCount(consortium: cid)
        let plans = try await store.listPlans(consortium: cid)
        let current = plans.first { $0.status == .published }
        var model: [String: Any] = [
            "consortiumName": consortium.name, "waiting": waiting, "requestsHref": "/consortia/\(cid)/requests",
            "plans": plans.prefix(8).map { PlanPages.planRow($0, cid: cid) }, "hasPlans": !plans.isEmpty,
            "plansHref": "/consortia/\(cid)/plans",
        ]
        if let current {
            var gaps = PlanPages.planRow(current, cid: cid)
            gaps["coverageHref"] = "\(PlanPages.root(cid, current.id))/coverage"
            model["current"] = gaps
        }
        return try web.page("coordinator-home", title: consortium.name, consortium: cid, model: model, context: context)
    }

    // MARK: - Requests

    static let statusFilters: [(String?, String)] = [("submitted", "未処理"), ("accepted", "承認済み"), ("declined", "却下"),
                                                     ("withdrawn", "取り下げ"), (nil, "すべて")]

    @Sendable func requests(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let asked = request.uri.queryParameters["status"].map(String.init)
        let status: String? = asked == "all" ? nil : (asked.flatMap { s in RequestsController.statuses.contains(s) ? s : nil } ?? "submitted")
        let records = try await store.listRequests(consortium: cid, filter: RequestFilter(status: status), by: who)
        let names = try await PlanPages(web: web).names(cid)
        let root = "/consortia/\(cid)/requests"
        let rows: [[String: Any]] = records.map { r in
            var row: [String: Any] = [
                "iso": r.date.iso, "label": JapaneseFormat.fullDay(r.date),
                "municipality": names.members[r.municipality]?.name ?? r.municipality,
                "post": names.postById[r.post]?.title ?? "（削除されたポスト）",
                "kind": JapaneseFormat.kindNames[r.kind] ?? r.kind, "required": r.kind == "required", "note": r.note ?? "",
                "status": JapaneseFormat.statusNames[r.status] ?? r.status, "statusKey": r.status, "fulfilled": r.fulfilled,
            ]
            if let reason = r.declineReason { row["declineReason"] = reason }
            if r.status == "submitted" || r.status == "declined" { row["accept"] = "\(root)/\(r.id)/accept" }
            if r.status == "submitted" || r.status == "accepted" { row["decline"] = "\(root)/\(r.id)/decline" }
            return row
        }
        let filters: [[String: Any]] = Self.statusFilters.map { f in
            ["label": f.1, "href": "\(root)?status=\(f.0 ?? "all")", "current": f.0 == status]
        }
        let model: [String: Any] = ["requests": rows, "hasRequests": !rows.isEmpty, "filters": filters,
                                    "filterName": Self.statusFilters.first { $0.0 == status }?.1 ?? "すべて"]
        return try web.page("coordinator-requests", title: "依頼", section: .requests, consortium: cid, model: model,
                            context: context)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let rid = try context.uuidParameter("rid")
        let back = "/consortia/\(cid)/requests"
        do {
            let r = try await RequestActions.accept(rid, consortium: cid, by: who, store: store)
            return web.redirect(back, flash: "\(JapaneseFormat.fullDay(r.date))の依頼を承認しました。次の最適化から計画に反映されます。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return web.redirect(back, flash: "承認できませんでした: \(errors.summary)", context: context)
        }
    }

    @Sendable func declinePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        return try await declineForm(cid: cid, who: who, rid: try context.uuidParameter("rid"), reason: "", errors: nil,
                                     context: context)
    }

    func declineForm(cid: UUID, who: Principal, rid: UUID, reason: String, errors: WebFormErrors?,
                     context: AppRequestContext) async throws -> Response {
        let r = try await store.request(rid, consortium: cid, by: who)
        let names = try await PlanPages(web: web).names(cid)
        var model: [String: Any] = [
            "iso": r.date.iso, "label": JapaneseFormat.fullDay(r.date),
            "place": names.postById[r.post] != nil ? names.post(r.post)
                : names.members[r.municipality]?.name ?? r.municipality, "kind": JapaneseFormat.kindNames[r.kind] ?? r.kind,
            "action": "/consortia/\(cid)/requests/\(rid)/decline", "back": "/consortia/\(cid)/requests", "reason": reason,
        ]
        if let note = r.note, !note.isEmpty { model["note"] = note }
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("coordinator-decline", title: "依頼を却下する", section: .requests, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let rid = try context.uuidParameter("rid")
        let reason = context.web?.form.raw("reason") ?? ""
        do {
            let r = try await RequestActions.decline(rid, reason: reason, consortium: cid, by: who, store: store)
            return web.redirect("/consortia/\(cid)/requests",
                                flash: "\(JapaneseFormat.fullDay(r.date))の依頼を却下しました。理由は団体の依頼一覧に表示されます。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return try await declineForm(cid: cid, who: who, rid: rid, reason: reason, errors: errors, context: context)
        }
    }

    // MARK: - Staff (人材)

    @Sendable func staff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await coordinator(context)
        return try await staffPage(cid: cid, link: nil, context: context)
    }

    func staffPage(cid: UUID, link: [String: Any]?, context: AppRequestContext) async throws -> Response {
        let people = try await store.staffMembers(consortium: cid)
        let skills = Dictionary(try await store.skills(consortium: cid).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = people.map { s in
            [
                "name": s.name,
                "skills": s.skills.sorted { $0.key < $1.key }.map { "\(skills[$0.key] ?? $0.key) \($0.value)" }.joined(separator: "、"),
                "days": "上限 \(s.maxDaysPerWeek)日・目標 \(s.effectiveTarget)日",
                "weekdays": s.availableWeekdays.sorted().map { JapaneseFormat.weekdayNames[$0] }.joined(),
                "travel": s.maxTravelKm.map { "\($0)km" } ?? "制限なし",
                "schedule": "/consortia/\(cid)/staff/\(s.id)/schedule",
                "unavailability": "/consortia/\(cid)/staff/\(s.id)/unavailability",
                "link": "/consortia/\(cid)/staff/\(s.id)/sign-in-link",
            ]
        }
        var model: [String: Any] = ["staff": rows, "hasStaff": !rows.isEmpty]
        if let link { model["issued"] = link }
        return try web.page("coordinator-staff", title: "人材", section: .staff, consortium: cid, model: model,
                            scripts: link == nil ? [] : ["copy.js"], context: context)
    }

    @Sendable func staffLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let sid = try context.uuidParameter("staffId")
        let person = try await store.staffMember(sid, consortium: cid)
        let subject = try await TokenActions.subject(role: "staff", municipality: nil, staff: sid.uuidString, label: nil,
                                                     consortium: cid, by: who, store: store)
        let (url, expires) = try await TokenActions.issueSignInLink(subject, consortium: cid, by: who, store: store,
                                                                    publicBaseURL: web.publicBaseURL)
        return try await staffPage(cid: cid, link: ["name": person.name, "url": url, "expires": JapaneseFormat.instant(expires)],
                                   context: context)
    }

    // MARK: - Posts (ポスト)

    @Sendable func posts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await coordinator(context)
        let skills = try await store.skills(consortium: cid)
        let names = try await PlanPages(web: web).names(cid)
        let rows: [[String: Any]] = names.posts.map { p in
            var row: [String: Any] = [
                "place": names.post(p.id),
                "days": p.daysPerWeek,
                "weekdays": p.allowedWeekdays.sorted().map { JapaneseFormat.weekdayNames[$0] }.joined(),
                "levels": skills.map { s -> [String: Any] in
                    if let level = p.requirements[s.id] { return ["level": "\(level)", "skill": s.name] }
                    return ["skill": s.name]
                },
            ]
            if !p.preferredWeekdays.isEmpty {
                row["preferred"] = p.preferredWeekdays.sorted().map { JapaneseFormat.weekdayNames[$0] }.joined()
            }
            return row
        }
        let model: [String: Any] = ["skills": skills.map { ["name": $0.name, "id": $0.id] }, "posts": rows, "hasPosts": !rows.isEmpty]
        return try web.page("coordinator-posts", title: "ポスト", section: .posts, consortium: cid, model: model, context: context)
    }

    // MARK: - Members (団体)

    @Sendable func members(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        return try await membersPage(cid: cid, who: who, code: "", errors: nil, link: nil, context: context)
    }

    func membersPage(cid: UUID, who: Principal, code: String, errors: WebFormErrors?, link: [String: Any]?,
                     context: AppRequestContext) async throws -> Response {
        let list = try await store.municipalities(consortium: cid)
        let posts = try await store.posts(consortium: cid)
        let counts = Dictionary(grouping: posts, by: \.municipality).mapValues(\.count)
        let rows: [[String: Any]] = list.map { m in
            [
                "code": m.code, "name": m.name, "prefecture": m.prefecture, "kana": m.kana, "posts": counts[m.code] ?? 0,
                "requests": "/consortia/\(cid)/municipalities/\(m.code)/requests",
                "schedule": "/consortia/\(cid)/municipalities/\(m.code)/schedule",
                "link": "/consortia/\(cid)/members/\(m.code)/sign-in-link",
            ]
        }
        var model: [String: Any] = ["members": rows, "hasMembers": !rows.isEmpty, "action": "/consortia/\(cid)/members",
                                    "code": code, "isAdmin": who.role == .admin,
                                    "coordinatorLink": "/consortia/\(cid)/sign-in-link"]
        if let errors { model.merge(errors.model) { _, new in new } }
        if let link { model["issued"] = link }
        return try web.page("coordinator-members", title: "団体", section: .members, consortium: cid, model: model,
                            scripts: link == nil ? [] : ["copy.js"], status: errors?.status ?? .ok, context: context)
    }

    @Sendable func addMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let code = context.web?.form["code"] ?? ""
        do {
            guard !code.isEmpty else { throw InvalidInput("/code", "is required") }
            let body = MunicipalitiesController.AddBody(code: code, name: nil, prefecture: nil, kana: nil, lat: nil, lon: nil)
            let added = try await RegistryActions.addMunicipality(body, consortium: cid, by: who, store: store)
            return web.redirect("/consortia/\(cid)/members", flash: "\(added.name)（\(added.code)）を構成団体に追加しました。",
                                context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else { throw error }
            errors.place(on: "code")
            return try await membersPage(cid: cid, who: who, code: code, errors: errors, link: nil, context: context)
        }
    }

    @Sendable func memberLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let code = try MunicipalitiesController.code(context)
        let member = try await store.municipality(code, consortium: cid)
        let subject = try await TokenActions.subject(role: "municipality", municipality: code, staff: nil, label: nil,
                                                     consortium: cid, by: who, store: store)
        let (url, expires) = try await TokenActions.issueSignInLink(subject, consortium: cid, by: who, store: store,
                                                                    publicBaseURL: web.publicBaseURL)
        return try await membersPage(cid: cid, who: who, code: "", errors: nil,
                                     link: ["name": "\(member.name)の窓口", "url": url, "expires": JapaneseFormat.instant(expires)],
                                     context: context)
    }

    /// An admin hands a coordinator their link (a coordinator may not create coordinators: 403, as in the API).
    @Sendable func coordinatorLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await coordinator(context)
        let subject = try await TokenActions.subject(role: "coordinator", municipality: nil, staff: nil, label: nil,
                                                     consortium: cid, by: who, store: store)
        let (url, expires) = try await TokenActions.issueSignInLink(subject, consortium: cid, by: who, store: store,
                                                                    publicBaseURL: web.publicBaseURL)
        return try await membersPage(cid: cid, who: who, code: "", errors: nil,
                                     link: ["name": "コーディネーター", "url": url, "expires": JapaneseFormat.instant(expires)],
                                     context: context)
    }
}
