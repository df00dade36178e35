import Foundation
import Hummingbird
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore

/// The coordinator's plans: create, 最適化 with live progress, the rotation grid with manual edits, coverage with
/// the explainer's reasons, the objective's terms, and 公開 with the difference against the current schedule.
struct PlanPages {
    let web: WebEnvironment
    var store: Store { web.store }

    /// How many days the grid shows at once (a quarter).
    static let gridDays = 91

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/plans", use: list)
        group.post("consortia/:cid/plans", use: create)
        group.get("consortia/:cid/plans/:pid", use: overview)
        group.get("consortia/:cid/plans/:pid/progress", use: progress)
        group.post("consortia/:cid/plans/:pid/solve", use: solve)
        group.post("consortia/:cid/plans/:pid/publish", use: publish)
        group.get("consortia/:cid/plans/:pid/grid", use: grid)
        group.post("consortia/:cid/plans/:pid/assignments", use: edit)
        group.get("consortia/:cid/plans/:pid/coverage", use: coverage)
    }

    func planner(_ context: AppRequestContext) async throws -> (UUID, Principal) {
        let cid = try context.consortiumID()
        return (cid, try context.authorize(cid, PlanActions.planners))
    }

    static func root(_ cid: UUID, _ pid: UUID) -> String { "/consortia/\(cid)/plans/\(pid)" }

    // MARK: - List and create

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await planner(context)
        let today = JapanClock.today()
        let start = MonthCalendar(containing: today).next.first
        let end = MonthCalendar(containing: start.adding(days: 62)).last
        return try await listPage(cid: cid, form: ["start": start.iso, "end": end.iso, "name": ""], errors: nil, context: context)
    }

    func listPage(cid: UUID, form: [String: Any], errors: WebFormErrors?, context: AppRequestContext) async throws -> Response {
        let plans = try await store.listPlans(consortium: cid)
        var model: [String: Any] = [
            "plans": plans.map { Self.planRow($0, cid: cid) }, "hasPlans": !plans.isEmpty,
            "action": "/consortia/\(cid)/plans", "form": form,
        ]
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("plans", title: "計画", section: .plans, consortium: cid, model: model,
                            status: errors?.status ?? .ok, context: context)
    }

    static func planRow(_ p: PlanRecord, cid: UUID) -> [String: Any] {
        var row: [String: Any] = [
            "name": p.name, "href": root(cid, p.id), "status": JapaneseFormat.statusNames[p.status.rawValue] ?? p.status.rawValue,
            "statusKey": p.status, "start": p.period.start.iso, "startLabel": JapaneseFormat.fullDay(p.period.start),
            "end": p.period.end.iso, "endLabel": JapaneseFormat.fullDay(p.period.end), "assignments": p.assignmentCount,
            "objective": p.objective.map(JapaneseFormat.number) ?? "—",
        ]
        if let unmet = p.terms?.term(.unmetDemand) { row["unmet"] = "\(unmet.count)日" } else { row["unmet"] = "—" }
        if let missed = p.terms?.term(.missedRequiredRequest) { row["missed"] = "\(missed.count)件" } else { row["missed"] = "—" }
        return row
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await planner(context)
        let form = context.web?.form ?? FormData()
        let typed: [String: Any] = ["name": form.raw("name") ?? "", "start": form["start"] ?? "", "end": form["end"] ?? ""]
        do {
            guard let s = form["start"] else { throw InvalidInput("/period/start", "is required") }
            guard let start = CivilDate(iso: s) else { throw InvalidInput("/period/start", "must be a date YYYY-MM-DD") }
            guard let e = form["end"] else { throw InvalidInput("/period/end", "is required") }
            guard let end = CivilDate(iso: e) else { throw InvalidInput("/period/end", "must be a date YYYY-MM-DD") }
            let body = PlansController.CreateBody(period: Period(start: start, end: end), name: form["name"])
            let plan = try await PlanActions.create(body, consortium: cid, by: who, store: store)
            return web.redirect(Self.root(cid, plan.id), flash: "計画「\(plan.name)」を作成しました。次に「最適化」を押してください。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return try await listPage(cid: cid, form: typed, errors: errors, context: context)
        }
    }

    // MARK: - Overview: solve, progress, terms, publish

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await planner(context)
        return try await overviewPage(cid: cid, pid: try context.uuidParameter("pid"), form: [:], errors: nil, context: context)
    }

    func overviewPage(cid: UUID, pid: UUID, form: [String: Any], errors: WebFormErrors?,
                      context: AppRequestContext) async throws -> Response {
        let plan = try await store.plan(pid, consortium: cid)
        let root = Self.root(cid, pid)
        var model = Self.planRow(plan, cid: cid)
        model["planName"] = plan.name
        model["version"] = plan.version
        model["tabs"] = Self.tabs(root, current: 0)
        model["canSolve"] = plan.status.refusal(.solve) == nil
        model["solveAction"] = "\(root)/solve"
        // A plan with assignments is re-solved from them (a warm start), which after a small change settles within
        // a second even on 160 posts (README, warm re-solves): the form suggests a short limit there.
        let warm = plan.assignmentCount > 0
        model["warm"] = warm
        model["seconds"] = form["seconds"] as? String ?? (warm ? "5" : "30")
        if let published = plan.publishedAt { model["publishedAt"] = JapaneseFormat.instant(published) }
        if let job = plan.solve {
            model["job"] = Self.jobModel(job)
            model["progressURL"] = "\(root)/progress"
            model["live"] = !job.status.isFinished
        }
        model["terms"] = Self.termRows(plan.terms)
        model["hasTerms"] = plan.terms != nil
        if plan.status.refusal(.publish(hasAssignments: plan.assignmentCount > 0)) == nil {
            model["publish"] = try await publishModel(plan, cid: cid)
            model["publishAction"] = "\(root)/publish"
        }
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("plan", title: "計画 \(plan.name)", section: .plans, consortium: cid, model: model,
                            scripts: plan.solve == nil ? [] : ["progress.js"], status: errors?.status ?? .ok, context: context)
    }

    static func tabs(_ root: String, current: Int) -> [[String: Any]] {
        [("概要", root), ("割当表", "\(root)/grid"), ("カバー状況", "\(root)/coverage")].enumerated().map { i, t in
            ["label": t.0, "href": t.1, "current": i == current]
        }
    }

    static func jobModel(_ job: SolveJobRecord) -> [String: Any] {
        var m: [String: Any] = [
            "status": JapaneseFormat.statusNames[job.status.rawValue] ?? job.status.rawValue, "statusKey": job.status.rawValue,
            "seconds": JapaneseFormat.number(Int(job.seconds)), "points": chartPoints(progressLine(job), seconds: job.seconds),
        ]
        if let last = job.progress.last {
            m["elapsed"] = String(format: "%.1f", last.elapsed)
            m["best"] = JapaneseFormat.number(last.objective)
        }
        if let first = job.progress.first { m["firstObjective"] = JapaneseFormat.number(first.objective) }
        if let error = job.error { m["error"] = error }
        return m
    }

    /// A finished solve's progress carried on to its end, so the line shows how long the best held.
    static func progressLine(_ job: SolveJobRecord) -> [SolveProgressPoint] {
        guard let last = job.progress.last, let start = job.startedAt, let end = job.finishedAt else { return job.progress }
        let total = end.timeIntervalSince(start)
        return total > last.elapsed ? job.progress + [SolveProgressPoint(elapsed: total, objective: last.objective)] : job.progress
    }

    /// The SVG polyline of the best objective over time, in a 400 × 150 box (the script draws the same).
    static func chartPoints(_ progress: [SolveProgressPoint], seconds: Double) -> String {
        guard let lo = progress.map(\.objective).min(), let hi = progress.map(\.objective).max() else { return "" }
        let span = Double(max(hi - lo, 1))
        let total = max(seconds, progress.last?.elapsed ?? 1, 0.001)
        return progress.map { p in
            let x = 10 + 380 * min(p.elapsed / total, 1)
            let y = 140 - 130 * Double(p.objective - lo) / span
            return String(format: "%.1f,%.1f", x, y)
        }.joined(separator: " ")
    }

    static func termRows(_ terms: [String: TermScore]?) -> [[String: Any]] {
        guard let terms else { return [] }
        return ConstraintCatalogue.all.compactMap { def in
            guard def.level == .soft else { return nil }
            let t = terms[def.name] ?? TermScore(count: 0, value: 0)
            return ["name": def.name, "title": def.titleJa, "count": JapaneseFormat.number(t.count),
                    "value": JapaneseFormat.number(t.value), "zero": t.value == 0]
        }
    }

    /// What the pages show of a post, from the store's record or a planning problem's.
    struct PostInfo {
        var id: UUID
        var municipality: String
        var title: String
        var requirements: [String: Int]
        var daysPerWeek: Int
        var allowedWeekdays: [Int]
        var preferredWeekdays: [Int]

        init(id: UUID, municipality: String, title: String, requirements: [String: Int], daysPerWeek: Int,
             allowedWeekdays: [Int], preferredWeekdays: [Int]) {
            self.id = id; self.municipality = municipality; self.title = title; self.requirements = requirements
            self.daysPerWeek = daysPerWeek; self.allowedWeekdays = allowedWeekdays; self.preferredWeekdays = preferredWeekdays
        }

        init(_ r: PostRecord) {
            // The label: two posts of one title are told apart by their codes on every page.
            self.init(id: r.id, municipality: r.municipality, title: r.label, requirements: r.requirements,
                      daysPerWeek: r.daysPerWeek, allowedWeekdays: r.allowedWeekdays, preferredWeekdays: r.preferredWeekdays)
        }
    }

    /// Names of the consortium's people, posts and members for the plan pages.
    struct Names {
        var staff: [UUID: String]
        var staffOrder: [UUID]
        var posts: [PostInfo]
        var postById: [UUID: PostInfo]
        var members: [String: MunicipalityRecord]

        /// The names a plan's own planning problem carries (no extra query).
        init(_ instance: Instance) {
            staff = Dictionary(instance.staff.compactMap { s in UUID(uuidString: s.id).map { ($0, s.name) } }, uniquingKeysWith: { a, _ in a })
            staffOrder = instance.staff.sorted { $0.name < $1.name }.compactMap { UUID(uuidString: $0.id) }
            posts = instance.posts.compactMap { p -> PostInfo? in
                guard let id = UUID(uuidString: p.id) else { return nil }
                return PostInfo(id: id, municipality: p.municipality, title: p.title, requirements: p.requirements,
                                daysPerWeek: p.daysPerWeek, allowedWeekdays: p.allowedWeekdays,
                                preferredWeekdays: p.preferredWeekdays)
            }.sorted { ($0.municipality, $0.title) < ($1.municipality, $1.title) }
            postById = Dictionary(posts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            members = Dictionary(instance.municipalities.map {
                ($0.code, MunicipalityRecord(code: $0.code, name: $0.name, prefecture: "", kana: "", lat: $0.lat, lon: $0.lon))
            }, uniquingKeysWith: { a, _ in a })
        }

        init(staff: [UUID: String], staffOrder: [UUID], posts: [PostInfo], postById: [UUID: PostInfo],
             members: [String: MunicipalityRecord]) {
            self.staff = staff; self.staffOrder = staffOrder; self.posts = posts; self.postById = postById; self.members = members
        }

        func post(_ id: UUID) -> String {
            guard let p = postById[id] else { return "（削除されたポスト）" }
            return PlaceName.of(municipality: members[p.municipality]?.name ?? p.municipality, post: p.title)
        }
    }

    func names(_ cid: UUID) async throws -> Names {
        let staff = try await store.staffMembers(consortium: cid)
        let members = try await store.municipalities(consortium: cid)
        let posts = try await store.posts(consortium: cid).map(PostInfo.init)
            .sorted { ($0.municipality, $0.title) < ($1.municipality, $1.title) }
        return Names(staff: Dictionary(staff.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                     staffOrder: staff.map(\.id), posts: posts,
                     postById: Dictionary(posts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                     members: Dictionary(members.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    func publishModel(_ plan: PlanRecord, cid: UUID) async throws -> [String: Any] {
        let current = try await store.publishedAssignments(consortium: cid, from: plan.period.start, to: plan.period.end)
        let proposed = plan.assignments.map { PublishedAssignment(staff: $0.staff, post: $0.post, date: $0.date) }
        let n = try await names(cid)
        let diff = ScheduleDiff.compute(current: current, proposed: proposed, staffOrder: n.staffOrder)
        func day(_ a: PublishedAssignment) -> [String: Any] {
            ["iso": a.date.iso, "label": JapaneseFormat.day(a.date), "post": n.post(a.post)]
        }
        let people: [[String: Any]] = diff.people.map { p in
            var row: [String: Any] = [
                "name": n.staff[p.staff] ?? "（削除された人材）",
                "gained": p.gained.map(day), "lost": p.lost.map(day),
                "moved": p.moved.map { m -> [String: Any] in
                    ["from": m.from.iso, "fromLabel": JapaneseFormat.day(m.from), "to": m.to.iso, "toLabel": JapaneseFormat.day(m.to),
                     "post": n.post(m.toPost), "samePost": m.fromPost == m.toPost, "fromPost": n.post(m.fromPost)]
                },
            ]
            // Present only when non-zero: a mustache section shows for any number, 0 included.
            if !p.gained.isEmpty { row["gainedCount"] = p.gained.count }
            if !p.lost.isEmpty { row["lostCount"] = p.lost.count }
            if !p.moved.isEmpty { row["movedCount"] = p.moved.count }
            return row
        }
        return ["people": people, "hasChanges": !people.isEmpty, "gained": diff.gained, "lost": diff.lost,
                "moved": diff.moved, "unchanged": diff.unchanged, "affected": people.count,
                "firstPublish": current.isEmpty]
    }

    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await planner(context)
        let plan = try await store.plan(try context.uuidParameter("pid"), consortium: cid)
        struct Body: Encodable {
            var planStatus: String
            var planStatusName: String
            var objective: Int?
            var job: SolveJobRecord?
            var jobStatusName: String?
        }
        let body = Body(planStatus: plan.status.rawValue, planStatusName: JapaneseFormat.statusNames[plan.status.rawValue] ?? plan.status.rawValue,
                        objective: plan.objective, job: plan.solve,
                        jobStatusName: plan.solve.map { JapaneseFormat.statusNames[$0.status.rawValue] ?? $0.status.rawValue })
        let data = try AppRequestContext.encoder.encode(body)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func solve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await planner(context)
        let pid = try context.uuidParameter("pid")
        let form = context.web?.form ?? FormData()
        do {
            var seconds: Double?
            if let raw = form["seconds"] {
                guard let s = Double(raw), s.isFinite else { throw InvalidInput("/seconds", "must be between 1 and 600") }
                seconds = s
            }
            let (_, job) = try await PlanActions.solve(pid, PlansController.SolveBody(seconds: seconds, seed: nil),
                                                       consortium: cid, by: who, store: store)
            return web.redirect(Self.root(cid, pid),
                                flash: "最適化を開始しました（最大\(Int(job.seconds))秒）。進み具合はこのページに表示されます。",
                                context: context)
        } catch {
            guard let errors = WebFormErrors.from(error) else { throw error }
            return try await overviewPage(cid: cid, pid: pid, form: ["seconds": form["seconds"] ?? ""], errors: errors,
                                          context: context)
        }
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await planner(context)
        let pid = try context.uuidParameter("pid")
        let form = context.web?.form ?? FormData()
        do {
            guard let version = form["version"].flatMap(Int.init) else {
                throw Problem(.preconditionRequired, "the version you reviewed is missing")
            }
            let (_, summary) = try await Planner(store: store).publish(plan: pid, consortium: cid, version: version, by: who)
            var text = "公開しました。新しい割当 \(summary.inserted)件"
            if summary.reconfirmed > 0 { text += "、再確定 \(summary.reconfirmed)件" }
            text += "、取り消し \(summary.cancelled)件。人材と団体の予定・カレンダーに反映されました。"
            return web.redirect(Self.root(cid, pid), flash: text, context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else {
                if ProblemMiddleware<AppRequestContext>.problem(for: error).status == .preconditionRequired {
                    return try await overviewPage(cid: cid, pid: pid, form: [:],
                                                  errors: WebFormErrors(status: .preconditionRequired,
                                                                        summary: "ページを読み込み直してから公開してください。", fields: [:]),
                                                  context: context)
                }
                throw error
            }
            errors.summary = "公開できませんでした。" + errors.summary
            return try await overviewPage(cid: cid, pid: pid, form: [:], errors: errors, context: context)
        }
    }

    // MARK: - Grid and manual edits

    @Sendable func grid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await planner(context)
        let pid = try context.uuidParameter("pid")
        let q = request.uri.queryParameters
        let form: [String: Any] = ["post": q["post"].map(String.init) ?? "", "date": q["date"].map(String.init) ?? "",
                                   "staff": q["staff"].map(String.init) ?? "", "pinned": true]
        let from = q["from"].flatMap { CivilDate(iso: $0) }
        return try await gridPage(cid: cid, pid: pid, from: from, form: form, errors: nil, context: context)
    }

    func gridPage(cid: UUID, pid: UUID, from: CivilDate?, form: [String: Any], errors: WebFormErrors?,
                  context: AppRequestContext) async throws -> Response {
        // The names and the calendar are read beside the plan (three connections, not three round trips in a row).
        async let namesRead = names(cid)
        async let closedRead = store.consortiumClosedDates(cid, logger: context.logger)
        let days = Self.gridDays
        let (plan, start, end) = try await store.planGrid(pid, consortium: cid) { period in
            let start = max(period.start, max(period.start, min(from ?? period.start, period.end)).weekStart)
            return (start, min(period.end, start.adding(days: days - 1)))
        }
        let n = try await namesRead
        let closed = try await closedRead
        let root = Self.root(cid, pid)
        let period = plan.period
        let calendar = WorkingDayCalendar(closedDates: closed)

        // Municipalities in code order get the colours; each cell shows a short unique name.
        let codes = n.members.keys.sorted()
        let colour = Dictionary(codes.enumerated().map { ($1, "m\($0 % 12)") }, uniquingKeysWith: { a, _ in a })
        let short = Self.shortNames(codes.map { ($0, n.members[$0]?.name ?? $0) })

        // The grid is thousands of cells: written straight as escaped HTML rather than through a template. Each
        // post's cell (plain and pinned) and each day's empty cell is made once; a row is then a run of appends
        // indexed by column, with no dictionary look-up per cell. Every text in it is fixed markup or
        // passed through `HTML.escape`.
        var holidays: [[String: Any]] = []
        var columns: [(date: CivilDate, cls: String?)] = []
        var day = start
        while day <= end {
            let status = calendar.status(of: day)
            switch status {
            case .working: columns.append((day, nil))
            case .weekend: columns.append((day, "off"))
            default:
                columns.append((day, "hol"))
                holidays.append(["iso": day.iso, "label": JapaneseFormat.day(day), "name": status.reason ?? ""])
            }
            day = day.adding(days: 1)
        }
        let emptyCell = columns.map { c in c.cls.map { "<td class=\"\($0)\"></td>" } ?? "<td></td>" }
        var postCell: [UUID: (plain: String, pinned: String)] = [:]
        for (i, p) in n.posts.enumerated() {
            let cls = colour[p.municipality] ?? "m0", text = HTML.escape(short[p.municipality] ?? p.municipality)
            postCell[p.id] = ("<td class=\"a \(cls)\" data-p=\"\(i)\">\(text)</td>",
                              "<td class=\"a \(cls) pin\" data-p=\"\(i)\">\(text)</td>")
        }
        let unknownCell = (plain: "<td class=\"a m0\" data-p=\"-1\"></td>", pinned: "<td class=\"a m0 pin\" data-p=\"-1\"></td>")
        // Each staff member's row as the cell of each column (nil: no assignment that day).
        var rows: [UUID: [String?]] = [:]
        for a in plan.cells {
            let col = a.date.dayNumber - start.dayNumber
            guard col >= 0, col < columns.count else { continue }
            let cell = postCell[a.post] ?? unknownCell
            rows[a.staff, default: Array(repeating: nil, count: columns.count)][col] = a.pinned ? cell.pinned : cell.plain
        }
        var html = ""
        html.reserveCapacity(1024 + columns.count * 80 + n.staffOrder.count * (columns.count * 36 + 120))
        html += "<thead><tr><th scope=\"col\" class=\"who\">人材</th><th scope=\"col\">日数</th>"
        for c in columns {
            html += "<th scope=\"col\""
            if let cls = c.cls { html += " class=\"\(cls)\"" }
            html += " data-d=\"\(c.date.iso)\"><time datetime=\"\(c.date.iso)\">\(c.date.month)/\(c.date.day)</time><br>"
            html += JapaneseFormat.weekdayNames[c.date.weekday] + "</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for sid in n.staffOrder {
            let row = rows[sid]
            let count = row?.reduce(0) { $1 == nil ? $0 : $0 + 1 } ?? 0
            html += "<tr data-s=\"\(sid.uuidString)\"><th scope=\"row\" class=\"who\">\(HTML.escape(n.staff[sid] ?? ""))</th><td>\(count)</td>"
            if let row {
                for (i, cell) in row.enumerated() { html += cell ?? emptyCell[i] }
            } else {
                for cell in emptyCell { html += cell }
            }
            html += "</tr>\n"
        }
        html += "</tbody>"
        let legend: [[String: Any]] = codes.map { ["cls": colour[$0] ?? "m0", "short": short[$0] ?? $0, "name": n.members[$0]?.name ?? $0] }
        let chosenPost = form["post"] as? String ?? "", chosenStaff = form["staff"] as? String ?? ""
        var model: [String: Any] = [
            "planName": plan.name, "tabs": Self.tabs(root, current: 1), "gridHTML": html, "legend": legend,
            "holidays": holidays, "hasHolidays": !holidays.isEmpty,
            "windowStart": start.iso, "windowStartLabel": JapaneseFormat.fullDay(start),
            "windowEnd": end.iso, "windowEndLabel": JapaneseFormat.fullDay(end),
            "editable": plan.status.refusal(.edit) == nil, "status": JapaneseFormat.statusNames[plan.status.rawValue] ?? plan.status.rawValue,
            "action": "\(root)/assignments", "version": plan.version, "form": form,
            "periodStart": period.start.iso, "periodEnd": period.end.iso,
            "posts": n.posts.enumerated().map { i, p -> [String: Any] in
                ["id": p.id.uuidString, "label": n.post(p.id), "i": String(i), "selected": p.id.uuidString == chosenPost]
            },
            "staff": n.staffOrder.map { sid -> [String: Any] in
                ["id": sid.uuidString, "name": n.staff[sid] ?? "", "selected": sid.uuidString == chosenStaff]
            },
        ]
        if start > period.start { model["prev"] = "\(root)/grid?from=\(max(period.start, start.adding(days: -Self.gridDays)).iso)" }
        if end < period.end { model["next"] = "\(root)/grid?from=\(end.adding(days: 1).iso)" }
        if let errors { model.merge(errors.model) { _, new in new } }
        return try web.page("plan-grid", title: "割当表 \(plan.name)", section: .plans, consortium: cid, model: model,
                            scripts: ["grid.js"], status: errors?.status ?? .ok, context: context)
    }

    /// The shortest prefix of each name (without 市・町・村, at least two characters) that no other name shares.
    static func shortNames(_ items: [(code: String, name: String)]) -> [String: String] {
        func stem(_ s: String) -> [Character] {
            var c = Array(s)
            if c.count > 2, let last = c.last, "市町村区".contains(last) { c.removeLast() }
            return c
        }
        let stems = items.map { stem($0.name) }
        var out: [String: String] = [:]
        for (i, item) in items.enumerated() {
            let mine = stems[i]
            var n = min(2, mine.count)
            while n < mine.count, stems.enumerated().contains(where: { $0.offset != i && $0.element.starts(with: mine.prefix(n)) }) {
                n += 1
            }
            out[item.code] = String(mine.prefix(n))
        }
        return out
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, who) = try await planner(context)
        let pid = try context.uuidParameter("pid")
        let form = context.web?.form ?? FormData()
        let unassign = form["action"] == "unassign"
        let typed: [String: Any] = ["post": form["post"] ?? "", "date": form["date"] ?? "", "staff": form["staff"] ?? "",
                                    "pinned": form["pinned"] != nil]
        let typedDate = form["date"].flatMap { CivilDate(iso: $0) }
        do {
            guard let post = form["post"].flatMap(UUID.init(uuidString:)) else { throw InvalidInput("/post", "is required") }
            guard let rawDate = form["date"] else { throw InvalidInput("/date", "is required") }
            guard let date = CivilDate(iso: rawDate) else { throw InvalidInput("/date", "must be a date YYYY-MM-DD") }
            var staff: UUID?
            if !unassign {
                guard let s = form["staff"].flatMap(UUID.init(uuidString:)) else { throw InvalidInput("/staff", "is required") }
                staff = s
            }
            let plan = try await Planner(store: store).editAssignment(plan: pid, consortium: cid, post: post, date: date, staff: staff,
                                                      pinned: !unassign && form["pinned"] != nil,
                                                      ifMatch: form["version"].flatMap(Int.init), by: who)
            let n = try await names(cid)
            let what = staff.map { "\(n.staff[$0] ?? "")さんを割り当てました" + (form["pinned"] != nil ? "（固定）" : "") } ?? "割当を外しました"
            return web.redirect("\(Self.root(cid, pid))/grid?from=\(date.weekStart.iso)",
                                flash: "\(JapaneseFormat.fullDay(date)) \(n.post(post)): \(what)。目的関数 \(plan.objective.map(JapaneseFormat.number) ?? "—")。",
                                context: context)
        } catch {
            guard var errors = WebFormErrors.from(error) else {
                if ProblemMiddleware<AppRequestContext>.problem(for: error).status == .notFound, form["post"] != nil {
                    let e = WebFormErrors(status: .notFound, summary: "その日・ポストには割当がありません。", fields: [:])
                    return try await gridPage(cid: cid, pid: pid, from: typedDate, form: typed, errors: e, context: context)
                }
                throw error
            }
            if errors.status == .conflict { errors.summary = "変更できません: " + errors.summary }
            return try await gridPage(cid: cid, pid: pid, from: typedDate, form: typed, errors: errors, context: context)
        }
    }

    // MARK: - Coverage

    static let reasonNames: [UncoveredReason: String] = [
        .noQualifiedStaff: "有資格者なし", .calendar: "勤務日が合わない", .capacity: "人手不足",
        .staffAvailable: "追加可能", .tooCostly: "費用が見合わない",
    ]

    @Sendable func coverage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (cid, _) = try await planner(context)
        let pid = try context.uuidParameter("pid")
        let view = try await web.coverage.value(WebEnvironment.PlanKey(consortium: cid, plan: pid)) {
            try await coverageView(cid: cid, pid: pid)
        }
        let model: [String: Any] = [
            "planName": view.planName, "tabs": Self.tabs(Self.root(cid, pid), current: 2),
            "weeks": view.weeks.map { ["iso": $0.iso, "label": "\($0.month)/\($0.day)〜"] as [String: Any] },
            "rowsHTML": view.rowsHTML, "hasGaps": !view.gaps.isEmpty, "solved": view.solved,
            "gaps": view.gaps.map { g -> [String: Any] in
                ["post": g.post, "count": g.weeks.count,
                 "weeks": g.weeks.map { ["week": $0.iso, "weekLabel": $0.label, "text": $0.text] as [String: Any] }]
            },
            "demand": view.demand, "covered": view.covered,
            "rate": view.demand == 0 ? "—" : String(format: "%.1f%%", Double(view.covered) * 100 / Double(view.demand)),
        ]
        return try web.page("plan-coverage", title: "カバー状況 \(view.planName)", section: .plans, consortium: cid, model: model,
                            context: context)
    }

    /// Posts × weeks of a plan: days assigned over demand, and for each week left short the explainer's reason.
    func coverageView(cid: UUID, pid: UUID) async throws -> CoverageView {
        // The plan's header without its assignments, and everything else (names included) from its planning problem.
        guard let plan = try await store.listPlans(consortium: cid).first(where: { $0.id == pid }) else { throw Problem.notFound }
        let problem = try await store.transaction { conn in try await store.planProblem(plan: pid, consortium: cid, on: conn) }
        let instance = problem.instance
        let n = Names(instance)
        let period = instance.period
        let calendar = WorkingDayCalendar(closedDates: Set(instance.closedDates))
        var weeks: [CivilDate] = []
        var m = period.start.weekStart
        while m <= period.end { weeks.append(m); m = m.adding(days: 7) }
        let open: [Int: [CivilDate]] = Dictionary(uniqueKeysWithValues: weeks.map { w in
            (w.dayNumber, calendar.workingDays(from: max(w, period.start), through: min(w.adding(days: 6), period.end)))
        })
        var assigned: [String: Int] = [:]
        for a in problem.assignments where period.contains(a.date) { assigned["\(a.post)|\(a.date.weekStart.dayNumber)", default: 0] += 1 }
        var gaps: [String: Explanation] = [:]
        let explanations = problem.assignments.isEmpty ? [] : Explainer.explain(instance, problem.assignments)
        for e in explanations where e.term == .unmetDemand {
            if let p = e.post, let d = e.date { gaps["\(p)|\(d.dayNumber)"] = e }
        }
        var totalDemand = 0, totalAssigned = 0
        var gapList: [CoverageView.Gap] = []
        // Written as escaped HTML, as the grid is (posts × weeks cells).
        var html = ""
        html.reserveCapacity(n.posts.count * weeks.count * 40)
        for post in n.posts {
            let key = post.id.uuidString
            var postGaps: [(iso: String, label: String, text: String)] = []
            html += "<tr><th scope=\"row\" class=\"who\">\(HTML.escape(n.post(post.id)))</th>"
            for w in weeks {
                let days = open[w.dayNumber] ?? []
                let demand = min(post.daysPerWeek, days.filter { post.allowedWeekdays.contains($0.weekday) }.count)
                let got = assigned["\(key)|\(w.dayNumber)"] ?? 0
                totalDemand += demand
                totalAssigned += min(got, demand)
                if let gap = gaps["\(key)|\(w.dayNumber)"] {
                    let reason = gap.reason.flatMap { Self.reasonNames[$0] } ?? ""
                    html += "<td class=\"gap\">\(got)/\(demand)<br>\(reason)</td>"
                    postGaps.append((w.iso, JapaneseFormat.day(w) + "の週", gap.ja))
                } else {
                    html += demand > 0 ? "<td class=\"full\">\(got)/\(demand)</td>" : "<td>\(got)/\(demand)</td>"
                }
            }
            html += "</tr>\n"
            if !postGaps.isEmpty { gapList.append(.init(post: n.post(post.id), weeks: postGaps)) }
        }
        return CoverageView(planName: plan.name, rowsHTML: html, weeks: weeks, gaps: gapList, demand: totalDemand,
                            covered: totalAssigned, solved: !explanations.isEmpty)
    }
}
