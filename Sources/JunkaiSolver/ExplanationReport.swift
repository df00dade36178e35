import JunkaiCore

/// A plan's explanation for a reader: the few causes that account for most of the objective, then the
/// Explainer's items grouped by post, by staff member and by week, in one language.
public struct ExplanationReport: Codable, Sendable {
    /// One cause: a soft term (for unmet demand, together with why the weeks stayed open) and its share.
    public struct Cause: Codable, Sendable, Hashable {
        public var term: ConstraintID
        public var reason: UncoveredReason?
        public var value: Int
        /// Percent of the objective, rounded down.
        public var percent: Int
        public var items: Int
        public var text: String
    }

    /// The items about one post, staff member or week, with their total.
    public struct Group: Codable, Sendable {
        /// A post or staff id, or a week's Monday.
        public var key: String
        public var label: String
        public var value: Int
        public var items: [Item]
    }

    public struct Item: Codable, Sendable, Hashable {
        public var term: ConstraintID
        public var staff: String?
        public var post: String?
        public var date: CivilDate?
        public var count: Int
        public var value: Int
        public var reason: UncoveredReason?
        public var text: String
    }

    public var lang: String
    public var objective: Int
    public var feasible: Bool
    /// The summary in one paragraph, then `causes` line by line.
    public var headline: String
    public var causes: [Cause]
    public var byPost: [Group]
    public var byStaff: [Group]
    public var byWeek: [Group]

    /// The summary lines that `junkai explain` prints before its items.
    public func summaryLines() -> [String] { [headline] + causes.map { "  - " + $0.text } }
}

extension ExplanationReport {
    /// The smallest number of leading causes (at most `maxCauses`) that reach `coverage` percent of the objective.
    public static let maxCauses = 5
    public static let coverage = 80

    /// Builds the report from the Explainer's items (the same ones `junkai explain` prints).
    public static func build(_ instance: Instance, _ assignments: [Assignment], lang: String) -> ExplanationReport {
        let ja = lang == "ja"
        let explanations = Explainer.explain(instance, assignments)
        let names = Explainer.Names(instance)
        let objective = explanations.reduce(0) { $0 + $1.value }
        let feasible = !explanations.contains { ConstraintCatalogue.entry($0.term).level == .hard }
        let items = explanations.map {
            Item(term: $0.term, staff: $0.staff, post: $0.post, date: $0.date, count: $0.count, value: $0.value,
                 reason: $0.reason, text: ja ? $0.ja : $0.en)
        }

        struct CauseKey: Hashable { var term: ConstraintID; var reason: UncoveredReason? }
        var totals: [CauseKey: (value: Int, items: Int)] = [:]
        for e in explanations where e.value > 0 {
            totals[CauseKey(term: e.term, reason: e.reason), default: (0, 0)].value += e.value
            totals[CauseKey(term: e.term, reason: e.reason), default: (0, 0)].items += 1
        }
        let ranked = totals.sorted { a, b in
            a.value.value != b.value.value ? a.value.value > b.value.value
                : (a.key.term.rawValue, a.key.reason?.rawValue ?? "") < (b.key.term.rawValue, b.key.reason?.rawValue ?? "")
        }
        var causes: [Cause] = []
        var covered = 0
        for (key, total) in ranked {
            if causes.count >= maxCauses || (objective > 0 && covered * 100 >= objective * coverage) { break }
            covered += total.value
            let percent = objective > 0 ? total.value * 100 / objective : 0
            let def = ConstraintCatalogue.entry(key.term)
            let title = ja ? def.titleJa : def.title
            let why = key.reason.map { ja ? "（\($0.ja)）" : " (\($0.en))" } ?? ""
            let text = ja ? "\(title)\(why): \(total.value)点（\(percent)%、\(total.items)件）"
                : "\(title)\(why): \(total.value) points (\(percent)%, \(total.items) item\(total.items == 1 ? "" : "s"))"
            causes.append(Cause(term: key.term, reason: key.reason, value: total.value, percent: percent, items: total.items, text: text))
        }
        let share = objective > 0 ? covered * 100 / objective : 0
        let hard = explanations.filter { ConstraintCatalogue.entry($0.term).level == .hard }.count
        let headline: String
        if ja {
            headline = "目的関数 \(objective)点" + (feasible ? "" : "（必須ルール違反\(hard)件: 実行不可能な計画）")
                + (causes.isEmpty ? "。減点はありません。" : "。その\(share)%は次の\(causes.count)つの原因によるものです:")
        } else {
            headline = "Objective \(objective) points" + (feasible ? "" : " (\(hard) hard-rule breaks: the plan is infeasible)")
                + (causes.isEmpty ? ". Nothing is penalised." : "; \(share)% of it comes from these \(causes.count) causes:")
        }

        func groups(_ key: (Item) -> String?, label: (String) -> String) -> [Group] {
            var order: [String] = []
            var by: [String: [Item]] = [:]
            for i in items {
                guard let k = key(i) else { continue }
                if by[k] == nil { order.append(k) }
                by[k, default: []].append(i)
            }
            return order.map { k in Group(key: k, label: label(k), value: by[k]!.reduce(0) { $0 + $1.value }, items: by[k]!) }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        }
        let byPost = groups({ $0.post }, label: { ja ? names.post($0).ja : names.post($0).en })
        let byStaff = groups({ $0.staff }, label: { names.staff($0) })
        let byWeek = groups({ $0.date.map { $0.weekStart.iso } }, label: { iso in
            CivilDate(iso: iso).map { ja ? "\(names.day($0).ja)の週" : "week of \(names.day($0).en)" } ?? iso
        })
        return ExplanationReport(lang: ja ? "ja" : "en", objective: objective, feasible: feasible, headline: headline,
                                 causes: causes, byPost: byPost, byStaff: byStaff, byWeek: byWeek)
    }
}

extension UncoveredReason {
    var ja: String {
        switch self {
        case .noQualifiedStaff: "要件を満たす職員がいない"
        case .calendar: "勤務できる曜日・日付がない"
        case .capacity: "職員が他で勤務中か週の上限"
        case .staffAvailable: "割当可能な職員がいる"
        case .tooCostly: "割り当てる方が高くつく"
        }
    }
    var en: String {
        switch self {
        case .noQualifiedStaff: "nobody qualified"
        case .calendar: "no qualified staff on the open days"
        case .capacity: "qualified staff busy or at their weekly maximum"
        case .staffAvailable: "someone could still be added"
        case .tooCostly: "adding someone costs more"
        }
    }
}
