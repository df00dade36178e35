import Foundation
import Hummingbird
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// Work records (実績) for each role, the delivery report (実績報告) and the cost share (負担金), with CSV downloads:
/// staff record their days, a municipality confirms or returns the records at its posts and reads its figures, the
/// coordinator does both for everyone and keeps the year's cost share. Same rules as the JSON API (delivery.md).
struct DeliveryPages {
    let web: WebEnvironment
    var store: Store { web.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        // Staff: record a day.
        group.get("consortia/:cid/staff/:staffId/work-records", use: staffRecords)
        group.post("consortia/:cid/staff/:staffId/work-records", use: createRecord)
        group.post("consortia/:cid/staff/:staffId/work-records/:wid/delete", use: deleteRecord)
        // Municipality: confirm or return records at its posts; its figures.
        group.get("consortia/:cid/municipalities/:code/work-records", use: municipalityRecords)
        group.post("consortia/:cid/municipalities/:code/work-records/:wid/confirm", use: confirm)
        group.get("consortia/:cid/municipalities/:code/work-records/:wid/return", use: returnForm)
        group.post("consortia/:cid/municipalities/:code/work-records/:wid/return", use: returnRecord)
        // Coordinator: everything, the report and the cost share.
        group.get("consortia/:cid/work-records", use: coordinatorRecords)
        group.post("consortia/:cid/work-records/:wid/confirm", use: confirm)
        group.get("consortia/:cid/work-records/:wid/return", use: returnForm)
        group.post("consortia/:cid/work-records/:wid/return", use: returnRecord)
        group.get("consortia/:cid/cost-share", use: costShare)
        group.post("consortia/:cid/cost-share", use: setCostShare)
        group.post("consortia/:cid/cost-share/fix", use: fixCostShare)
        group.post("consortia/:cid/cost-share/reopen", use: reopenCostShare)
    }

    /// The contract's names for the modes (形態) and the categories (区分) in their order.
    static let modes: [(String, String)] = [("onsite", "来庁"), ("remote", "リモート"), ("absent", "中止")]
    static let categories: [(String, String)] = WorkRecordRules.categories.map { ($0, WorkRecordRules.categoryLabels[$0] ?? $0) }
    static let statusNames = ["reported": "報告済み", "confirmed": "確認済み", "returned": "差戻し"]

    static func modeName(_ mode: String) -> String { modes.first { $0.0 == mode }?.1 ?? mode }

    /// The fiscal year of `?fiscalYear=`, else the current one in Japan.
    static func fiscalYear(_ request: Request) -> Int {
        request.uri.queryParameters["fiscalYear"].flatMap { try? ReportsController.checkedFiscalYear(String($0), pointer: "") }
            ?? JapanClock.today().fiscalYear
    }

    static func fiscalRange(_ fy: Int) -> (CivilDate, CivilDate) {
        (CivilDate(year: fy, month: 4, day: 1)!, CivilDate(year: fy + 1, month: 3, day: 31)!)
    }

    /// A record as the lists show it; `decide` is the path under which 確認 / 差戻し act, when the caller may.
    static func row(_ r: WorkRecord, decide: String?, delete: String?) -> [String: Any] {
        var row: [String: Any] = [
            "iso": r.date.iso, "label": JapaneseFormat.fullDay(r.date), "staff": r.staffName,
            "place": PlaceName.of(municipality: r.municipalityName, post: r.postTitle),
            "mode": modeName(r.mode), "minutes": r.mode == "absent" ? "—" : "\(r.minutes)分",
            "category": WorkRecordRules.categoryLabels[r.category] ?? r.category, "summary": r.summary,
            "status": statusNames[r.status] ?? r.status, "statusKey": r.status, "planned": r.planned,
        ]
        if let reason = r.returnReason, r.status == "returned" { row["returnReason"] = reason }
        if let decide, r.status == "reported" {
            row["confirm"] = "\(decide)/\(r.id)/confirm"
            row["return"] = "\(decide)/\(r.id)/return"
        }
        if let delete, r.status != "confirmed" { row["delete"] = "\(delete)/\(r.id)/delete" }
        return row
    }

    func collect(_ cid: UUID, _ filter: WorkRecordFilter, _ who: Principal) async throws -> [WorkRecord] {
        var out: [WorkRecord] = []
        for try await r in try await store.workRecords(consortium: cid, filter: filter, by: who) { out.append(r) }
        return out
    }

    // MARK: - Staff

    @Sendable func staffRecords(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        return try await staffPage(cid: cid, sid: sid, form: [:], errors: nil, context: context)
    }

    func staffPage(cid: UUID, sid: UUID, form typed: [String: Any], errors: WebFormErrors?,
                   context: AppRequestContext) async throws -> Response {
        let who = try context.caller()
        let staff = try await store.staffMember(sid, consortium: cid)
        let today = JapanClock.today()
        let names = try await PlanPages(web: web).names(cid)
        var form = typed
        if form.isEmpty {
            // The day's post, or the latest one worked in the last month, is the likely one.
            let recent = try await store.staffSchedule(consortium: cid, staff: sid, from: today.adding(days: -31), to: today,
                                                       logger: context.logger) ?? []
            form = ["date": today.iso, "post": recent.last?.post.uuidString ?? "", "mode": "onsite", "minutes": "420",
                    "category": "consultation", "summary": ""]
        }
        let records = try await collect(cid, WorkRecordFilter(from: today.adding(days: -92), staff: sid), who)
        let root = "/consortia/\(cid)/staff/\(sid)/work-records"
        let post = form["post"] as? String ?? "", mode = form["mode"] as? String ?? "", category = form["category"] as? String ?? ""
        var model: [String: Any] = [
            "userName": staff.name, "staffName": staff.name, "action": root, "form": form, "today": today.iso,
            "posts": names.posts.map { ["id": $0.id.uuidString, "label": names.post($0.id), "selected": $0.id.uuidString == post] },
            "modes": Self.modes.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == mode] },
            "categories": Self.categories.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == category] },
            "records": records.reversed().map { Self.row($0, decide: nil, delete: root) }, "hasRecords": !records.isEmpty,
        ]
        if let errors { model.merge(errors.model) { _, new in new } }
        let section: WebEnvironment.Section = who.role == .staff ? .sWorkRecords : .staff
        return try web.page("staff-work-records", title: "実績", section: section, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func createRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        let who = try context.authorize(cid, WorkRecordActions.recorders)
        let f = context.web?.form ?? FormData()
        let typed: [String: Any] = ["post": f["post"] ?? "", "date": f["date"] ?? "", "mode": f["mode"] ?? "",
                                    "minutes": f["minutes"] ?? "", "category": f["category"] ?? "", "summary": f.raw("summary") ?? ""]
        do {
            guard let post = f["post"].flatMap(UUID.init(uuidString:)) else { throw InvalidInput("/post", "is required") }
            guard let raw = f["date"] else { throw InvalidInput("/date", "is required") }
            guard let date = CivilDate(iso: raw) else { throw InvalidInput("/date", "must be a date YYYY-MM-DD") }
            let mode = f["mode"] ?? ""
            // 中止 takes no time: an empty field means 0 there.
            let minutes: Int
            if let m = f["minutes"] {
                guard let n = Int(m) else { throw InvalidInput("/minutes", "must be a whole number of minutes") }
                minutes = n
            } else if mode == "absent" { minutes = 0 } else { throw InvalidInput("/minutes", "is required") }
            let body = WorkRecordsController.CreateBody(staff: sid, post: post, date: date, mode: mode, minutes: minutes,
                                                        category: f["category"] ?? "", summary: f.raw("summary") ?? "")
            let r = try await WorkRecordActions.create(body, consortium: cid, by: who, store: store)
            return web.redirect("/consortia/\(cid)/staff/\(sid)/work-records",
                                flash: "\(JapaneseFormat.fullDay(r.date))の実績（\(Self.modeName(r.mode))）を記録しました。団体の確認をお待ちください。",
                                context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else {
                if ProblemMiddleware<AppRequestContext>.problem(for: error).status == .notFound {
                    let e = WebFormErrors.field("post", "ポストが見つかりません。一覧から選んでください。")
                    return try await staffPage(cid: cid, sid: sid, form: typed, errors: e, context: context)
                }
                throw error
            }
            errors.place(on: "date")
            return try await staffPage(cid: cid, sid: sid, form: typed, errors: errors, context: context)
        }
    }

    @Sendable func deleteRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let sid = try StaffController.staffInScope(context, cid: cid)
        let who = try context.authorize(cid, WorkRecordActions.recorders)
        let back = "/consortia/\(cid)/staff/\(sid)/work-records"
        do {
            try await store.deleteWorkRecord(try context.uuidParameter("wid"), consortium: cid, version: nil, by: who)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return web.redirect(back, flash: "削除できませんでした: \(errors.summary)", context: context)
        }
        return web.redirect(back, flash: "実績を削除しました。", context: context)
    }

    // MARK: - Municipality and coordinator lists

    @Sendable func municipalityRecords(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, member) = try await MunicipalityPages(web: web).scope(context)
        let fy = Self.fiscalYear(request)
        let root = "/consortia/\(cid)/municipalities/\(member.code)/work-records"
        if let csv = request.uri.queryParameters["csv"] {
            return try await csvAnswer(String(csv), cid: cid, fy: fy, municipality: member.code, who: who,
                                       status: request.uri.queryParameters["status"].map(String.init))
        }
        let report = try await store.deliveryReport(consortium: cid, fiscalYear: FiscalYear(fy), municipality: member.code)
        let status = Self.statusFilter(request)
        let (from, to) = Self.fiscalRange(fy)
        let (records, paging) = try await pageOfRecords(cid, WorkRecordFilter(from: from, to: to, municipality: member.code,
                                                                              status: status),
                                                        who, request: request, fy: fy, root: root)
        var model = Self.listModel(records: records, decide: root, status: status, fy: fy, root: root, report: report)
        model["paging"] = paging
        model["userName"] = member.name
        model["heading"] = member.name
        let section: WebEnvironment.Section = who.role == .municipality ? .mWorkRecords : .members
        return try web.page("work-records", title: "実績", section: section, consortium: cid, model: model, context: context)
    }

    @Sendable func coordinatorRecords(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let fy = Self.fiscalYear(request)
        let root = "/consortia/\(cid)/work-records"
        if let csv = request.uri.queryParameters["csv"] {
            return try await csvAnswer(String(csv), cid: cid, fy: fy, municipality: nil, who: who,
                                       status: request.uri.queryParameters["status"].map(String.init))
        }
        let status = Self.statusFilter(request)
        let (from, to) = Self.fiscalRange(fy)
        let (records, paging) = try await pageOfRecords(cid, WorkRecordFilter(from: from, to: to, status: status), who,
                                                        request: request, fy: fy, root: root)
        // Every member's twelve months would be hundreds of rows: the page shows each member's year (added up by the
        // database), the CSV the months.
        let byMember = try await store.deliveryYearTotals(consortium: cid, fiscalYear: FiscalYear(fy))
        var model = Self.listModel(records: records, decide: root, status: status, fy: fy, root: root, report: byMember)
        model["paging"] = paging
        model["heading"] = "全団体"
        model["coordinator"] = true
        return try web.page("work-records", title: "実績", section: .workRecords, consortium: cid, model: model, context: context)
    }

    /// Rows a page of the coordinator's and the desks' lists shows: a year of records is thousands of rows.
    static let pageSize = 100

    /// `?page=` of the lists: a number from 1 (anything else is the first page).
    static func pageNumber(_ request: Request) -> Int {
        request.uri.queryParameters["page"].flatMap { Int(String($0)) }.map { max(1, $0) } ?? 1
    }

    /// One page of the filtered records (a page past the last shows the last) and what the pager shows: the rows' place
    /// in the list and links to the previous and next pages that keep the year and the status filter.
    func pageOfRecords(_ cid: UUID, _ filter: WorkRecordFilter, _ who: Principal, request: Request, fy: Int,
                       root: String) async throws -> ([WorkRecord], [String: Any]) {
        let total = try await store.workRecordCount(consortium: cid, filter: filter, by: who)
        let (page, pages) = Self.pageBounds(asked: Self.pageNumber(request), total: total, size: Self.pageSize)
        var records: [WorkRecord] = []
        for try await r in try await store.workRecords(consortium: cid, filter: filter, by: who, limit: Self.pageSize,
                                                       offset: (page - 1) * Self.pageSize) {
            records.append(r)
        }
        return (records, Self.pager(page: page, pages: pages, total: total, shown: records.count, size: Self.pageSize,
                                    base: "\(root)?fiscalYear=\(fy)&status=\(filter.status ?? "all")"))
    }

    /// The page to show for `asked` (1 … the last, which is 1 for an empty list) and the number of pages.
    static func pageBounds(asked: Int, total: Int, size: Int) -> (page: Int, pages: Int) {
        let pages = max(1, (total + size - 1) / size)
        return (min(max(1, asked), pages), pages)
    }

    /// The pager's model; `base` is the list's address with its filters, to which `&page=N` is added.
    static func pager(page: Int, pages: Int, total: Int, shown: Int, size: Int, base: String) -> [String: Any] {
        let first = (page - 1) * size
        var model: [String: Any] = [
            "total": JapaneseFormat.number(total), "page": page, "pages": pages,
            "from": JapaneseFormat.number(shown == 0 ? 0 : first + 1), "to": JapaneseFormat.number(first + shown),
            "size": size, "several": pages > 1,
        ]
        if page > 1 { model["prev"] = "\(base)&page=\(page - 1)"; model["firstPage"] = "\(base)&page=1" }
        if page < pages { model["next"] = "\(base)&page=\(page + 1)"; model["lastPage"] = "\(base)&page=\(pages)" }
        return model
    }

    /// `?status=` of the lists: reported (waiting for a decision) unless another or `all` is asked for.
    static func statusFilter(_ request: Request) -> String? {
        let asked = request.uri.queryParameters["status"].map(String.init)
        if asked == "all" { return nil }
        return asked.flatMap { WorkRecordRules.statuses.contains($0) ? $0 : nil } ?? "reported"
    }

    static func listModel(records: [WorkRecord], decide: String, status: String?, fy: Int, root: String,
                          report: DeliveryReport) -> [String: Any] {
        let filters: [(String?, String)] = [("reported", "未確認"), ("returned", "差戻し中"), ("confirmed", "確認済み"), (nil, "すべて")]
        let statusQuery = status ?? "all"
        return [
            "records": records.map { row($0, decide: decide, delete: nil) }, "hasRecords": !records.isEmpty,
            "filters": filters.map { f in
                ["label": f.1, "href": "\(root)?fiscalYear=\(fy)&status=\(f.0 ?? "all")", "current": f.0 == status] as [String: Any]
            },
            "filterName": filters.first { $0.0 == status }?.1 ?? "すべて",
            "fiscalYear": fy, "prevYear": "\(root)?fiscalYear=\(fy - 1)", "nextYear": "\(root)?fiscalYear=\(fy + 1)",
            "recordsCSV": "\(root)?fiscalYear=\(fy)&status=\(statusQuery)&csv=records",
            "reportCSV": "\(root)?fiscalYear=\(fy)&csv=report",
            "report": report.rows.map { r -> [String: Any] in
                var row: [String: Any] = counts(r)
                row["name"] = r.municipalityName
                row["month"] = r.month
                row["monthLabel"] = r.month.count == 7 ? "\(Int(r.month.suffix(2)) ?? 0)月" : "\(r.month)年度"
                return row
            },
            "totals": counts(report.rows.dropFirst().reduce(report.rows.first) { $0?.adding($1) }),
        ]
    }

    /// A report row's day counts by the names of the page's columns (all 0 without a row).
    static func counts(_ r: DeliveryReportRow?) -> [String: Int] {
        ["demanded": r?.demandedDays ?? 0, "planned": r?.plannedDays ?? 0, "accepted": r?.requestsAccepted ?? 0,
         "met": r?.requestsMet ?? 0, "reported": r?.reportedDays ?? 0, "confirmed": r?.confirmedDays ?? 0,
         "onsite": r?.onsiteDays ?? 0, "remote": r?.remoteDays ?? 0, "absent": r?.absentDays ?? 0]
    }

    /// The report with one row per member: its months added up (`month` is the fiscal year).
    static func yearTotals(_ report: DeliveryReport) -> DeliveryReport {
        var order: [String] = []
        var sums: [String: DeliveryReportRow] = [:]
        for r in report.rows {
            guard let t = sums[r.municipality] else {
                order.append(r.municipality)
                var first = r
                first.month = "\(report.fiscalYear)"
                sums[r.municipality] = first
                continue
            }
            sums[r.municipality] = t.adding(r)
        }
        var totals = report
        totals.rows = order.compactMap { sums[$0] }
        return totals
    }

    /// The lists' CSV downloads: the records (`csv=records`) or the delivery report (`csv=report`), as the API makes them.
    func csvAnswer(_ what: String, cid: UUID, fy: Int, municipality: String?, who: Principal,
                   status: String?) async throws -> Response {
        if what == "report" {
            let report = try await store.deliveryReport(consortium: cid, fiscalYear: FiscalYear(fy), municipality: municipality)
            let suffix = municipality.map { "_\($0)" } ?? ""
            return CSVResponse.response(DeliveryExports.deliveryReportCSV(report), filename: "実績報告_\(fy)年度\(suffix).csv",
                                        fallback: "delivery-report_FY\(fy)\(suffix).csv")
        }
        let (from, to) = Self.fiscalRange(fy)
        let filter = WorkRecordFilter(from: from, to: to, municipality: municipality,
                                      status: status.flatMap { WorkRecordRules.statuses.contains($0) ? $0 : nil })
        let rows = try await store.workRecordRows(consortium: cid, filter: filter, by: who)
        let (name, fallback) = WorkRecordsController.filename(filter)
        return CSVResponse.streamed(header: WorkRecordsController.csvHeader, rows: rows, filename: name, fallback: fallback,
                                    append: { row, out in try WorkRecordCSV.append(row, to: &out) })
    }

    // MARK: - Confirm and return (確認 / 差戻し)

    /// The list a decision returns to, after checking the caller may decide there (a desk only at its own posts).
    func decisionScope(_ context: AppRequestContext) async throws -> (UUID, Principal, String) {
        let cid = try context.consortiumID()
        if context.parameters.get("code") != nil {
            let (_, who, member) = try await MunicipalityPages(web: web).scope(context)
            guard WorkRecordActions.deciders.contains(who.role) || who.role == .admin else { throw Problem.forbidden }
            return (cid, who, "/consortia/\(cid)/municipalities/\(member.code)/work-records")
        }
        return (cid, try context.authorize(cid, [.coordinator]), "/consortia/\(cid)/work-records")
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, back) = try await decisionScope(context)
        let wid = try context.uuidParameter("wid")
        do {
            let r = try await store.transitionWorkRecord(wid, consortium: cid, .confirm, version: nil, by: who)
            return web.redirect(back, flash: "\(r.staffName)さんの\(JapaneseFormat.fullDay(r.date))の実績を確認しました。", context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return web.redirect(back, flash: "確認できませんでした: \(errors.summary)", context: context)
        }
    }

    @Sendable func returnForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, back) = try await decisionScope(context)
        return try await returnPage(cid: cid, who: who, back: back, wid: try context.uuidParameter("wid"), reason: "",
                                    errors: nil, context: context)
    }

    func returnPage(cid: UUID, who: Principal, back: String, wid: UUID, reason: String, errors: WebFormErrors?,
                    context: AppRequestContext) async throws -> Response {
        let r = try await store.workRecord(wid, consortium: cid, by: who)
        var model = Self.row(r, decide: nil, delete: nil)
        model["action"] = "\(back)/\(wid)/return"
        model["back"] = back
        model["reason"] = reason
        if let errors { model.merge(errors.model) { _, new in new } }
        let section: WebEnvironment.Section = who.role == .municipality ? .mWorkRecords : .workRecords
        return try web.page("work-record-return", title: "実績を差し戻す", section: section, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func returnRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who, back) = try await decisionScope(context)
        let wid = try context.uuidParameter("wid")
        let reason = context.web?.form.raw("reason") ?? ""
        do {
            let r = try await WorkRecordActions.returnRecord(wid, reason: reason, version: nil, consortium: cid, by: who,
                                                             store: store)
            return web.redirect(back, flash: "\(r.staffName)さんの\(JapaneseFormat.fullDay(r.date))の実績を差し戻しました。",
                                context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else { throw error }
            errors.place(on: "reason")
            return try await returnPage(cid: cid, who: who, back: back, wid: wid, reason: reason, errors: errors, context: context)
        }
    }

    // MARK: - Cost share (負担金)

    @Sendable func costShare(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        let fy = Self.fiscalYear(request)
        if request.uri.queryParameters["csv"] != nil {
            let record = try await store.costShare(consortium: cid, fiscalYear: fy)
            return CSVResponse.response(DeliveryExports.costShareCSV(record), filename: "負担金_\(fy)年度.csv",
                                        fallback: "cost-share_FY\(fy).csv")
        }
        return try await costSharePage(cid: cid, fy: fy, form: nil, errors: nil, context: context)
    }

    func costSharePage(cid: UUID, fy: Int, form typed: [String: Any]?, errors: WebFormErrors?,
                       context: AppRequestContext) async throws -> Response {
        let members = try await store.municipalities(consortium: cid)
        var record: CostShareRecord?
        do { record = try await store.costShare(consortium: cid, fiscalYear: fy) } catch StoreError.notFound { record = nil }
        let root = "/consortia/\(cid)/cost-share"
        var form = typed ?? [:]
        if typed == nil {
            let lines = record?.costs ?? [CostLine(label: "人件費", yen: 0), CostLine(label: "旅費", yen: 0)]
            for i in 0..<3 {
                form["label\(i)"] = i < lines.count ? lines[i].label : ""
                form["yen\(i)"] = i < lines.count ? "\(lines[i].yen)" : ""
            }
            let rule = record?.rule ?? CostShare.Rule(equal: 50, population: 0, days: 50)
            form["equal"] = "\(rule.equal)"; form["population"] = "\(rule.population)"; form["days"] = "\(rule.days)"
            form["basis"] = record?.populationBasis ?? ""
            for m in members { form["pop_\(m.code)"] = record?.populations[m.code].map { "\($0)" } ?? "" }
        }
        var model: [String: Any] = [
            "fiscalYear": fy, "prevYear": "\(root)?fiscalYear=\(fy - 1)", "nextYear": "\(root)?fiscalYear=\(fy + 1)",
            "action": root, "fixAction": "\(root)/fix", "reopenAction": "\(root)/reopen", "form": form,
            "lines": (0..<3).map { i -> [String: Any] in
                ["i": i, "n": i + 1, "label": form["label\(i)"] ?? "", "yen": form["yen\(i)"] ?? "",
                 "labelError": errors?.fields["costs_\(i)_label"] ?? "", "yenError": errors?.fields["costs_\(i)_yen"] ?? "",
                 "hasLabelError": errors?.fields["costs_\(i)_label"] != nil, "hasYenError": errors?.fields["costs_\(i)_yen"] != nil]
            },
            "members": members.map { m -> [String: Any] in
                var row: [String: Any] = ["code": m.code, "name": m.name, "population": form["pop_\(m.code)"] ?? ""]
                if let e = errors?.fields["populations_\(m.code)"] { row["error"] = e }
                return row
            },
        ]
        if let r = record {
            model["record"] = [
                "status": r.status == "fixed" ? "確定" : "未確定", "fixed": r.status == "fixed",
                "total": JapaneseFormat.number(Int(r.totalYen)),
                "rule": "均等割 \(r.rule.equal)%・人口割 \(r.rule.population)%・実績割 \(r.rule.days)%",
                "shares": r.shares.map { s -> [String: Any] in
                    ["name": s.municipalityName, "code": s.municipality, "population": s.population.map { JapaneseFormat.number(Int($0)) } ?? "—",
                     "days": s.days, "equal": JapaneseFormat.number(Int(s.equalYen)),
                     "pop": JapaneseFormat.number(Int(s.populationYen)), "daysYen": JapaneseFormat.number(Int(s.daysYen)),
                     "total": JapaneseFormat.number(Int(s.totalYen))]
                },
                "problems": r.problems.map { "\($0.pointer): \(WebFormErrors.japanese($0.detail))" },
                "hasProblems": !r.problems.isEmpty,
                "csv": "\(root)?fiscalYear=\(fy)&csv=1",
            ] as [String: Any]
            model["editable"] = r.status != "fixed"
        } else {
            model["editable"] = true
        }
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("cost-share", title: "負担金 \(fy)年度", section: .costShare, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    @Sendable func setCostShare(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let f = context.web?.form ?? FormData()
        let fy = f["fiscalYear"].flatMap { try? ReportsController.checkedFiscalYear($0, pointer: "") } ?? JapanClock.today().fiscalYear
        let members = try await store.municipalities(consortium: cid)
        var typed: [String: Any] = [:]
        for name in ["equal", "population", "days", "basis"] { typed[name] = f[name] ?? "" }
        for i in 0..<3 { typed["label\(i)"] = f["label\(i)"] ?? ""; typed["yen\(i)"] = f["yen\(i)"] ?? "" }
        for m in members { typed["pop_\(m.code)"] = f["pop_\(m.code)"] ?? "" }
        do {
            var issues: [ValidationIssue] = []
            var costs: [CostLine] = []
            for i in 0..<3 {
                let label = f["label\(i)"], yen = f["yen\(i)"]
                if label == nil && yen == nil { continue }
                guard let label else { issues.append(.init(pointer: "/costs/\(costs.count)/label", detail: "is required")); continue }
                guard let y = yen.flatMap({ Int64($0.replacingOccurrences(of: ",", with: "")) }) else {
                    issues.append(.init(pointer: "/costs/\(i)/yen", detail: "must be a whole number of yen")); continue
                }
                costs.append(CostLine(label: label, yen: y))
            }
            func percent(_ name: String) -> Int {
                guard let n = f[name].flatMap(Int.init) else {
                    issues.append(.init(pointer: "/rule/\(name)", detail: "must be a whole percentage")); return 0
                }
                return n
            }
            let rule = CostShare.Rule(equal: percent("equal"), population: percent("population"), days: percent("days"))
            var populations: [String: Int64] = [:]
            for m in members {
                guard let raw = f["pop_\(m.code)"] else { continue }
                guard let n = Int64(raw.replacingOccurrences(of: ",", with: "")) else {
                    issues.append(.init(pointer: "/populations/\(m.code)", detail: "must be a whole number")); continue
                }
                populations[m.code] = n
            }
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
            // The same store call as `PUT /cost-shares/{fy}`, which checks the input against the members.
            let input = CostShareInput(costs: costs, rule: rule, populations: populations, populationBasis: f["basis"])
            _ = try await store.putCostShare(consortium: cid, fiscalYear: fy, input, by: who)
            return web.redirect("/consortia/\(cid)/cost-share?fiscalYear=\(fy)", flash: "\(fy)年度の負担金の条件を保存しました。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return try await costSharePage(cid: cid, fy: fy, form: typed, errors: errors, context: context)
        }
    }

    @Sendable func fixCostShare(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await costShareTransition(context, fix: true)
    }

    @Sendable func reopenCostShare(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await costShareTransition(context, fix: false)
    }

    func costShareTransition(_ context: AppRequestContext, fix: Bool) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let fy = context.web?.form["fiscalYear"].flatMap { try? ReportsController.checkedFiscalYear($0, pointer: "") }
            ?? JapanClock.today().fiscalYear
        let back = "/consortia/\(cid)/cost-share?fiscalYear=\(fy)"
        do {
            if fix { _ = try await store.fixCostShare(consortium: cid, fiscalYear: fy, by: who) } else {
                _ = try await store.reopenCostShare(consortium: cid, fiscalYear: fy, by: who)
            }
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return web.redirect(back, flash: "\(fix ? "確定" : "再開")できませんでした: \(errors.summary)", context: context)
        }
        return web.redirect(back, flash: fix ? "\(fy)年度の負担金を確定しました。以後の実績では変わりません。" : "\(fy)年度の負担金の確定を解除しました。",
                            context: context)
    }
}

extension DeliveryReportRow {
    /// This row with another row's day counts added (municipality and month stay this row's).
    fileprivate func adding(_ r: DeliveryReportRow) -> DeliveryReportRow {
        var t = self
        t.demandedDays += r.demandedDays; t.plannedDays += r.plannedDays; t.requestsAccepted += r.requestsAccepted
        t.requestsMet += r.requestsMet; t.reportedDays += r.reportedDays; t.confirmedDays += r.confirmedDays
        t.onsiteDays += r.onsiteDays; t.remoteDays += r.remoteDays; t.absentDays += r.absentDays
        return t
    }
}
