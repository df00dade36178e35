import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// What `seedDeliveryDemo` created.
public struct DeliveryDemoSummary: Sendable, Codable {
    public var consortium: UUID
    public var fiscalYear: Int
    /// The past plan that was solved and published.
    public var plan: UUID
    public var period: Period
    public var publishedAssignments: Int
    public var records: Int
    public var confirmed: Int
    public var returned: Int
    public var reported: Int
    public var absent: Int
    public var unplanned: Int
    /// Published days of the last few days left unrecorded, for the walk-through to record one.
    public var leftToRecord: Int
    public var costShareTotalYen: Int64?
}

extension Store {
    /// Gives a freshly seeded demo consortium a past: a plan from the start of the fiscal year of `through` (or the whole
    /// previous one when fewer than four weeks of it have passed) to `through`, solved and published, then work records
    /// for its days — most confirmed, some returned with a reason, a few absent, the last two weeks still reported,
    /// a few unplanned remote consultations — and the year's cost share from `costShare`. Deterministic for a seed.
    /// Nil (and nothing written) when the consortium already has work records.
    public func seedDeliveryDemo(consortium: UUID, through: CivilDate, costShare: CostShareInput?, seed: UInt64,
                                 publishSolvedPlan: PublishSolvedPlan) async throws -> DeliveryDemoSummary? {
        let (coordinator, alreadySeeded) = try await connection { conn -> (Principal?, Bool) in
            let seeded = try await conn.query("SELECT 1 FROM work_records WHERE consortium_id = \(consortium) LIMIT 1",
                                              logger: logger)
            if try await seeded.decode(Int.self).first(where: { _ in true }) != nil { return (nil, true) }
            let tokens = try await conn.query("""
                SELECT id FROM tokens WHERE consortium_id = \(consortium) AND role = 'coordinator' AND revoked_at IS NULL
                ORDER BY (label = 'seed coordinator') DESC, created_at LIMIT 1
                """, logger: logger)
            let id = try await tokens.decode(UUID.self).first(where: { _ in true })
            return (id.map { Principal(tokenId: $0, role: .coordinator, consortiumId: consortium, municipalityCode: nil, staffId: nil) },
                    false)
        }
        if alreadySeeded { return nil }
        guard let coordinator else { throw StoreError.notFound("the consortium has no coordinator token to act as") }

        var fy = FiscalYear(containing: through)
        var end = through
        if through.dayNumber - fy.start.dayNumber < 28 {
            fy = fy.adding(years: -1)
            end = fy.end
        }
        let period = Period(start: fy.start, end: end)
        let published = try await publishSolvedPlan(period, "\(fy.year)年度 実績（デモ）", coordinator)
        let plan = published.plan

        var summary = DeliveryDemoSummary(consortium: consortium, fiscalYear: fy.year, plan: plan.id, period: period,
                                          publishedAssignments: published.summary.inserted + published.summary.reconfirmed,
                                          records: 0, confirmed: 0, returned: 0, reported: 0, absent: 0, unplanned: 0,
                                          leftToRecord: 0, costShareTotalYen: nil)
        try await transaction { conn in
            var deciders: [String: UUID] = [:]
            let tokenRows = try await conn.query("""
                SELECT municipality_code, id FROM tokens
                WHERE consortium_id = \(consortium) AND role = 'municipality' AND revoked_at IS NULL ORDER BY created_at
                """, logger: logger)
            for try await (code, id) in tokenRows.decode((String, UUID).self) where deciders[code] == nil { deciders[code] = id }
            var days: [(staff: UUID, post: UUID, code: String, date: CivilDate)] = []
            let rows = try await conn.query("""
                SELECT pa.staff_id, pa.post_id, p.municipality_code, pa.date
                FROM published_assignments pa JOIN posts p ON p.id = pa.post_id
                WHERE pa.consortium_id = \(consortium) AND pa.status = 'confirmed'
                  AND pa.date BETWEEN \(period.start) AND \(period.end)
                ORDER BY pa.date, p.municipality_code, pa.post_id
                """, logger: logger)
            for try await (s, p, code, d) in rows.decode((UUID, UUID, String, CivilDate).self) { days.append((s, p, code, d)) }

            var rng = DemoRandom(seed: seed)
            var batch = DemoRecordBatch()
            var taken = Set(days.map { "\($0.staff)|\($0.post)|\($0.date.dayNumber)" })
            let recent = period.end.adding(days: -4), pending = period.end.adding(days: -14)
            for day in days {
                if day.date > recent { summary.leftToRecord += 1; continue }
                if rng.chance(0.02) { continue }
                let status: String
                var reason = ""
                if day.date > pending { status = "reported" } else if rng.chance(0.04) {
                    status = "returned"
                    reason = DemoText.returnReasons[rng.below(DemoText.returnReasons.count)]
                } else { status = "confirmed" }
                if rng.chance(0.04) {
                    batch.add(day.staff, day.post, day.date, mode: "absent", minutes: 0, category: "other",
                              summary: DemoText.absent[rng.below(DemoText.absent.count)], status: status, reason: reason,
                              decider: deciders[day.code] ?? coordinator.tokenId)
                } else {
                    let category = WorkRecordRules.categories[rng.below(WorkRecordRules.categories.count)]
                    let texts = DemoText.summaries[category] ?? ["活動"]
                    batch.add(day.staff, day.post, day.date, mode: rng.chance(0.7) ? "onsite" : "remote",
                              minutes: [180, 240, 300, 360, 420, 450, 480][rng.below(7)], category: category,
                              summary: texts[rng.below(texts.count)], status: status, reason: reason,
                              decider: deciders[day.code] ?? coordinator.tokenId)
                }
                // Now and then a short remote consultation the next working day, outside the plan.
                let next = day.date.adding(days: day.date.weekday == 5 ? 3 : 1)
                if next <= pending, rng.chance(0.03), taken.insert("\(day.staff)|\(day.post)|\(next.dayNumber)").inserted {
                    batch.add(day.staff, day.post, next, mode: "remote", minutes: [60, 90, 120][rng.below(3)],
                              category: "consultation", summary: DemoText.followUp[rng.below(DemoText.followUp.count)],
                              status: "confirmed", reason: "", decider: deciders[day.code] ?? coordinator.tokenId)
                    summary.unplanned += 1
                }
            }
            try await conn.query("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary, status,
                                          return_reason, version, created_by, updated_by, confirmed_by, confirmed_at,
                                          created_at, updated_at)
                SELECT \(consortium), t.s, t.p, t.d, t.mode, t.minutes, t.category, t.summary, t.status,
                       NULLIF(t.reason, ''), CASE WHEN t.status = 'reported' THEN 1 ELSE 2 END,
                       \(coordinator.tokenId), CASE WHEN t.status = 'reported' THEN \(coordinator.tokenId) ELSE t.decider END,
                       CASE WHEN t.status = 'confirmed' THEN t.decider END,
                       CASE WHEN t.status = 'confirmed' THEN ((t.d + 2) + time '17:00') AT TIME ZONE 'Asia/Tokyo' END,
                       (t.d + time '18:00') AT TIME ZONE 'Asia/Tokyo',
                       ((CASE WHEN t.status = 'reported' THEN t.d ELSE t.d + 2 END) + time '17:00') AT TIME ZONE 'Asia/Tokyo'
                FROM unnest(\(batch.staff)::uuid[], \(batch.post)::uuid[], \(batch.date)::date[], \(batch.mode)::text[],
                            \(batch.minutes)::int[], \(batch.category)::text[], \(batch.summary)::text[],
                            \(batch.status)::text[], \(batch.reason)::text[], \(batch.decider)::uuid[])
                     AS t(s, p, d, mode, minutes, category, summary, status, reason, decider)
                """, logger: logger)
            summary.records = batch.staff.count
            summary.confirmed = batch.status.filter { $0 == "confirmed" }.count
            summary.returned = batch.status.filter { $0 == "returned" }.count
            summary.reported = batch.status.filter { $0 == "reported" }.count
            summary.absent = batch.mode.filter { $0 == "absent" }.count
            try await conn.audit(coordinator, consortium: consortium, action: "seed", resource: "work_record", id: nil,
                                 detail: "{\"records\": \(summary.records), \"plan\": \"\(plan.id.uuidString)\"}",
                                 logger: logger)
        }
        if let costShare {
            let (record, _) = try await putCostShare(consortium: consortium, fiscalYear: fy.year, costShare, by: coordinator)
            summary.costShareTotalYen = record.totalYen
        }
        return summary
    }
}

/// Column arrays of the demo's records, for one INSERT … unnest.
private struct DemoRecordBatch {
    var staff: [UUID] = [], post: [UUID] = [], date: [CivilDate] = [], mode: [String] = [], minutes: [Int] = []
    var category: [String] = [], summary: [String] = [], status: [String] = [], reason: [String] = [], decider: [UUID] = []

    mutating func add(_ s: UUID, _ p: UUID, _ d: CivilDate, mode m: String, minutes n: Int, category c: String,
                      summary text: String, status st: String, reason r: String, decider who: UUID) {
        staff.append(s); post.append(p); date.append(d); mode.append(m); minutes.append(n); category.append(c)
        summary.append(text); status.append(st); reason.append(r); decider.append(who)
    }
}

/// SplitMix64: the demo's records are the same for the same seed on every machine.
private struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

/// Invented activity texts: about work, never about a person (no names, no health or private matters).
private enum DemoText {
    static let summaries: [String: [String]] = [
        "consultation": ["窓口業務のデジタル化について担当課から相談を受け、現行の受付フローを整理した",
                         "電子申請の導入手順について庁内からの相談に対応",
                         "生成AIの利用ガイドライン案について情報政策担当と論点を確認"],
        "meeting": ["庁内DX推進本部の定例会議に出席し、進捗を報告", "ベンダーとの定例打合せで標準化対応の課題を確認",
                    "関係課と業務改善ワークショップの準備打合せ。議事メモ：\n1. 対象業務の選定\n2. 日程調整"],
        "training": ["職員向けデータ活用研修（Excel・BIツール入門）の講師", "管理職向けDX研修の講師を務めた",
                     "情報セキュリティ研修の教材を作成し、説明会を実施"],
        "planning": ["DX推進計画の改定案（重点施策・KPI）を作成", "次年度システム調達の仕様書案をレビュー、\"要件定義書\"の用語を統一",
                     "デジタル田園都市国家構想交付金の申請に向けた事業計画書の作成支援"],
        "system": ["基幹業務システム標準化の移行計画（ガバメントクラウド）を確認", "ネットワーク構成（三層分離）の見直し案を検討",
                   "電子申請システムのフォーム設定を支援"],
        "other": ["他自治体の先進事例を調査し、報告資料にまとめた", "庁内のDX推進状況アンケートを集計"],
    ]
    static let absent = ["先方都合により訪問中止（議会対応のため）", "荒天のため訪問を中止", "庁舎の設備点検のため中止"]
    static let followUp = ["前日の打合せの補足について、オンラインで担当課の質問に回答", "資料の修正点をオンラインで確認"]
    static let returnReasons = ["時間の記載が出勤簿と一致しません。確認のうえ修正してください。",
                                "活動内容をもう少し具体的に記載してください。"]
}
