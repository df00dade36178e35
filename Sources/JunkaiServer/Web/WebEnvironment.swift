import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// What every page controller shares: the store, the templates, the static files and the page frame.
struct WebEnvironment: Sendable {
    let store: Store
    let templates: WebTemplates
    let assets: StaticAssets
    let publicBaseURL: String
    /// Coverage pages by (consortium, plan), kept until anything they are built from changes (see `ReadCaches`).
    let coverage: GenerationCache<PlanKey, CoverageView>

    struct PlanKey: Hashable, Sendable {
        var consortium: UUID
        var plan: UUID
    }

    /// A navigation entry of the page frame.
    enum Section: String, Sendable {
        case plans, requests, staff, posts, members, workRecords, costShare
        case mRequests, mSchedule, mWorkRecords
        case sSchedule, sWorkRecords, sUnavailability
    }

    /// The role's navigation (the names are fixed by the contract), for the consortium the page belongs to.
    static func nav(for who: Principal?, consortium: UUID?, current: Section?) -> [[String: Any]] {
        guard let who else { return [] }
        var items: [(Section, String, String)] = []
        switch who.role {
        case .admin, .coordinator:
            guard let cid = consortium ?? who.consortiumId else { return [] }
            let root = "/consortia/\(cid)"
            items = [(.plans, "計画", "\(root)/plans"), (.requests, "依頼", "\(root)/requests"), (.staff, "人材", "\(root)/staff"),
                     (.posts, "ポスト", "\(root)/posts"), (.members, "団体", "\(root)/members"),
                     (.workRecords, "実績", "\(root)/work-records"), (.costShare, "負担金", "\(root)/cost-share")]
        case .municipality:
            guard let cid = who.consortiumId, let code = who.municipalityCode else { return [] }
            let root = "/consortia/\(cid)/municipalities/\(code)"
            items = [(.mRequests, "依頼", "\(root)/requests"), (.mSchedule, "予定", "\(root)/schedule"),
                     (.mWorkRecords, "実績", "\(root)/work-records")]
        case .staff:
            guard let cid = who.consortiumId, let sid = who.staffId else { return [] }
            let root = "/consortia/\(cid)/staff/\(sid)"
            items = [(.sSchedule, "予定", "\(root)/schedule"), (.sWorkRecords, "実績", "\(root)/work-records"),
                     (.sUnavailability, "不在日", "\(root)/unavailability")]
        }
        return items.map { ["href": $0.2, "label": $0.1, "current": $0.0 == current] }
    }

    /// Where a principal lands after sign-in.
    static func home(for who: Principal) -> String {
        switch who.role {
        case .admin: return "/admin"
        case .coordinator: return who.consortiumId.map { "/consortia/\($0)" } ?? "/"
        case .municipality:
            guard let cid = who.consortiumId, let code = who.municipalityCode else { return "/" }
            return "/consortia/\(cid)/municipalities/\(code)/requests"
        case .staff:
            guard let cid = who.consortiumId, let sid = who.staffId else { return "/" }
            return "/consortia/\(cid)/staff/\(sid)/schedule"
        }
    }

    /// Renders a page inside the frame (header, navigation, flash message) with `model`'s fields.
    func page(_ template: String, title: String, section: Section? = nil, consortium: UUID? = nil, model: [String: Any] = [:],
              scripts: [String] = [], status: HTTPResponse.Status = .ok, context: AppRequestContext) throws -> Response {
        var m = model
        m["title"] = title
        m["css"] = assets.url("app.css")
        m["scripts"] = scripts.map { assets.url($0) }
        m["csrf"] = context.web?.csrf ?? ""
        m["flash"] = context.web?.flash
        if let who = context.principal {
            let nav = Self.nav(for: who, consortium: consortium, current: section)
            m["nav"] = nav
            m["hasNav"] = !nav.isEmpty
            m["signedIn"] = true
            m["roleName"] = JapaneseFormat.roleNames[who.role]
            m["home"] = Self.home(for: who)
        } else {
            m["home"] = "/"
        }
        return WebResponse.html(try templates.render(template, m), status: status, context: context)
    }

    /// A page with a title and one message (errors, used links).
    func message(status: HTTPResponse.Status, title: String, text: String, context: AppRequestContext,
                 signInLink: Bool = false) throws -> Response {
        try page("message", title: title, model: ["text": text, "signInLink": signInLink || context.principal == nil],
                 status: status, context: context)
    }

    /// 303 to `location`, leaving `flash` for the page it leads to.
    func redirect(_ location: String, flash: String? = nil, context: AppRequestContext) -> Response {
        var r = WebResponse.redirect(location)
        if let flash {
            r.setCookie(Cookie(name: WebMiddleware.flashCookie, value: Flash.encode(flash), path: "/",
                               secure: false, httpOnly: true, sameSite: .lax))
        }
        return r
    }
}

/// What the coverage page shows of a plan, computed from its planning problem and the explainer.
struct CoverageView: Sendable {
    struct Gap: Sendable {
        var post: String
        var weeks: [(iso: String, label: String, text: String)]
    }

    var planName: String
    var rowsHTML: String
    var weeks: [CivilDate]
    var gaps: [Gap]
    var demand: Int
    var covered: Int
    var solved: Bool

    /// Roughly its size in memory, for the cache's bound.
    var cost: Int { rowsHTML.utf8.count + gaps.reduce(0) { $0 + $1.weeks.reduce(0) { $0 + $1.text.utf8.count + 64 } } + 1024 }
}

/// A form's errors as the page shows them in place: a summary and a message per field.
struct WebFormErrors {
    var status: HTTPResponse.Status
    var summary: String
    /// By field key: the JSON pointer without its leading slash, `/` as `_` (`/period/end` → `period_end`).
    var fields: [String: String]
    /// The message of an error that names no field, in Japanese where known.
    var detail: String? = nil

    /// The errors of a rejected form (400, 409, 412, 422); nil for anything a page shows on its own (404, 403, 500).
    static func from(_ error: any Error) -> WebFormErrors? {
        let p = ProblemMiddleware<AppRequestContext>.problem(for: error)
        let summary: String
        switch p.status {
        case .unprocessableContent: summary = "入力内容を確認してください。"
        case .conflict: summary = "現在の状態では実行できません。"
        case .preconditionFailed: summary = "他の操作で内容が更新されています。ページを読み込み直してから確認してください。"
        case .badRequest: summary = "入力を読み取れませんでした。"
        default: return nil
        }
        var fields: [String: String] = [:]
        for e in p.errors where !e.pointer.isEmpty {
            let key = e.pointer.dropFirst().replacingOccurrences(of: "/", with: "_")
            if fields[key] == nil { fields[key] = japanese(e.detail) }
        }
        let detail = p.errors.isEmpty || p.errors.allSatisfy({ $0.pointer.isEmpty }) ? japanese(p.detail) : nil
        return WebFormErrors(status: p.status, summary: detail.map { "\(summary) \($0)" } ?? summary, fields: fields,
                             detail: detail)
    }

    /// Moves a message that names no field onto `key`, so it shows beside that field (and once).
    mutating func place(on key: String) {
        guard fields.isEmpty, let detail else { return }
        fields[key] = detail
        summary = status == .conflict ? "現在の状態では実行できません。" : "入力内容を確認してください。"
    }

    /// An error for one field, found by the page itself (e.g. a date that does not parse).
    static func field(_ key: String, _ message: String) -> WebFormErrors {
        WebFormErrors(status: .unprocessableContent, summary: "入力内容を確認してください。", fields: [key: message])
    }

    var model: [String: Any] { ["errorSummary": summary, "errors": fields, "hasErrors": true] }

    /// The API's English messages, in Japanese where a page shows them often; anything else as it is.
    static func japanese(_ detail: String) -> String {
        let table: [(String, String)] = [
            ("is required", "入力してください。"),
            ("must be a date YYYY-MM-DD", "日付を選んでください（YYYY-MM-DD）。"),
            ("must not be empty", "入力してください。"),
            ("must be \"required\" or \"preferred\"", "必須か希望を選んでください。"),
            ("must be \"unavailable\" or \"undesired\"", "不可か希望しないを選んでください。"),
            ("must be at most 1000 characters", "1000文字以内で入力してください。"),
            ("must be between 1 and 600", "1〜600秒で指定してください。"),
            ("post not found", "ポストが見つかりません。"),
            ("an open request for that post on", "同じポスト・同じ日の依頼（未処理または承認済み）がすでにあります。"),
            ("there is already an open request for this post on that date", "同じポスト・同じ日の依頼（未処理または承認済み）がすでにあります。"),
            ("the post does not work on that weekday", "このポストはその曜日に勤務しません（"),
            ("the plan is already being solved", "この計画はすでに最適化中です。"),
            ("the plan has no assignments yet; solve it first", "割当がまだありません。先に最適化してください。"),
            ("the municipality is already a member", "この団体はすでに構成団体です。"),
            ("that date is already declared", "その日はすでに登録されています。"),
            ("is before the start", "が開始日より前です。"),
            ("the period is longer than 53 weeks", "期間が53週間を超えています。"),
            ("is in the past; a request is for today", "過去の日付には依頼できません。今日以降の日付を選んでください。"),
            ("another post of the consortium already has this code", "このポストコードは別のポストで使われています。"),
        ]
        for (en, ja) in table where detail.contains(en) {
            if ja.hasSuffix("（") {
                // Keeps what the API said after the phrase (the date, the reason) in brackets.
                let rest = detail.components(separatedBy: en).last?.trimmingCharacters(in: .whitespaces) ?? ""
                return ja + rest.trimmingCharacters(in: CharacterSet(charactersIn: "()")) + "）。"
            }
            if ja.hasPrefix("が") { return detail.replacingOccurrences(of: en, with: ja) }
            return ja
        }
        if let r = detail.range(of: " is not a date: ") {
            return "\(detail[..<r.lowerBound]) は存在しない日付です。"
        }
        if let r = detail.range(of: " is not a working day (") {
            let date = detail[..<r.lowerBound]
            let why = detail[r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: ")"))
            return "\(date) は勤務日ではありません（\(why)）。"
        }
        if detail.hasPrefix("the change breaks hard rule ") || detail.hasPrefix("the plan breaks hard rule ") {
            let rule = detail.components(separatedBy: "hard rule ").last ?? ""
            return "必須ルールに違反します: \(rule)"
        }
        return detail
    }
}
