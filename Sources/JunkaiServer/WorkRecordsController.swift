import Foundation
import Hummingbird
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import NIOCore

/// `/consortia/{cid}/work-records` (勤務実績・活動記録, docs/delivery.md): a staff member records a day, the
/// municipality of the post confirms it or returns it with a reason, the coordinator can reopen a confirmed one.
///
/// Scope: a staff member sees and writes only their own records, a municipality sees and decides only those at its
/// posts; anything else answers 404 as if it did not exist. A record's `version` is its ETag; `If-Match` on a write
/// makes it conditional (412 when the record moved on).
struct WorkRecordsController {
    let store: Store

    struct CreateBody: Decodable {
        var staff: UUID
        var post: UUID
        var date: CivilDate
        var mode: String
        var minutes: Int
        var category: String
        var summary: String
    }

    struct PatchBody: Decodable {
        var post: UUID?
        var date: CivilDate?
        var mode: String?
        var minutes: Int?
        var category: String?
        var summary: String?
    }

    struct ReturnBody: Decodable {
        var reason: String
    }

    /// A record as the API shows it; `returnReason` and `confirmedAt` are always present (null when not set).
    struct RecordResponse: ResponseEncodable {
        var record: WorkRecord

        init(_ record: WorkRecord) { self.record = record }

        enum CodingKeys: String, CodingKey {
            case id, staff, staffName, post, postTitle, municipality, municipalityName, date, mode, minutes, category,
                 summary, planned, status, returnReason, version, confirmedAt, createdAt, updatedAt
        }

        func encode(to encoder: any Encoder) throws {
            let r = record
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(r.id, forKey: .id)
            try c.encode(r.staff, forKey: .staff)
            try c.encode(r.staffName, forKey: .staffName)
            try c.encode(r.post, forKey: .post)
            try c.encode(r.postTitle, forKey: .postTitle)
            try c.encode(r.municipality, forKey: .municipality)
            try c.encode(r.municipalityName, forKey: .municipalityName)
            try c.encode(r.date, forKey: .date)
            try c.encode(r.mode, forKey: .mode)
            try c.encode(r.minutes, forKey: .minutes)
            try c.encode(r.category, forKey: .category)
            try c.encode(r.summary, forKey: .summary)
            try c.encode(r.planned, forKey: .planned)
            try c.encode(r.status, forKey: .status)
            try c.encode(r.returnReason, forKey: .returnReason)
            try c.encode(r.version, forKey: .version)
            try c.encode(r.confirmedAt, forKey: .confirmedAt)
            try c.encode(r.createdAt, forKey: .createdAt)
            try c.encode(r.updatedAt, forKey: .updatedAt)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/work-records", use: create)
        group.get("consortia/:cid/work-records", use: list)
        group.get("consortia/:cid/work-records/:wid", use: get)
        group.patch("consortia/:cid/work-records/:wid", use: patch)
        group.delete("consortia/:cid/work-records/:wid", use: remove)
        group.post("consortia/:cid/work-records/:wid/confirm", use: confirm)
        group.post("consortia/:cid/work-records/:wid/return", use: returnRecord)
        group.post("consortia/:cid/work-records/:wid/reopen", use: reopen)
    }

    /// A record answer with its version as a strong ETag.
    static func answer(_ record: WorkRecord, status: HTTPResponse.Status = .ok) -> EditedResponse<RecordResponse> {
        EditedResponse(status: status, headers: [.eTag: "\"\(record.version)\""], response: RecordResponse(record))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, WorkRecordActions.recorders)
        let body = try await request.decodeJSON(CreateBody.self, context: context)
        return Self.answer(try await WorkRecordActions.create(body, consortium: cid, by: who, store: store), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality, .staff])
        let csv = try CSVResponse.wanted(request)
        let filter = try Self.filter(request)
        if csv {
            let (name, fallback) = Self.filename(filter)
            // Written from the rows' bytes: the same CSV as `csvFields` of each record, without decoding them.
            let rows = try await store.workRecordRows(consortium: cid, filter: filter, by: who)
            return CSVResponse.streamed(header: Self.csvHeader, rows: rows, filename: name, fallback: fallback,
                                        append: { row, out in try WorkRecordCSV.append(row, to: &out) })
        }
        return Self.streamedJSON(try await store.workRecords(consortium: cid, filter: filter, by: who))
    }

    /// The query's filters: 422 naming the parameter when one is malformed.
    static func filter(_ request: Request) throws -> WorkRecordFilter {
        let q = request.uri.queryParameters
        var filter = WorkRecordFilter(from: try request.optionalQueryDate("from"), to: try request.optionalQueryDate("to"))
        if let from = filter.from, let to = filter.to, to < from {
            throw InvalidInput("/to", "\(to.iso) is before from \(from.iso)")
        }
        if let raw = q["municipality"] {
            guard raw.count == 6, raw.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw InvalidInput("/municipality", "must be a 6-digit municipality code")
            }
            filter.municipality = String(raw)
        }
        if let raw = q["staff"] {
            guard let id = UUID(uuidString: String(raw)) else { throw InvalidInput("/staff", "must be a staff id") }
            filter.staff = id
        }
        if let raw = q["post"] {
            guard let id = UUID(uuidString: String(raw)) else { throw InvalidInput("/post", "must be a post id") }
            filter.post = id
        }
        if let raw = q["status"] {
            guard WorkRecordRules.statuses.contains(String(raw)) else {
                throw InvalidInput("/status", "must be one of \(WorkRecordRules.statuses.joined(separator: ", "))")
            }
            filter.status = String(raw)
        }
        return filter
    }

    /// `{"items": [...]}`, written while the rows are read so that a year of records never sits in memory.
    static func streamedJSON<Rows: AsyncSequence & Sendable>(_ rows: Rows) -> Response where Rows.Element == WorkRecord {
        let body = ResponseBody { writer in
            let encoder = AppRequestContext.encoder
            var out = ByteBuffer(string: "{\"items\":[")
            var first = true
            for try await record in rows {
                if !first { out.writeInteger(UInt8(ascii: ",")) }
                first = false
                out.writeBytes(try encoder.encode(RecordResponse(record)))
                if out.readableBytes >= CSVResponse.chunkSize {
                    try await writer.write(out)
                    out.clear()
                }
            }
            out.writeString("]}")
            try await writer.write(out)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: body)
    }

    static let csvHeader = ["ID", "日付", "市町村コード", "市町村名", "ポストID", "ポスト名", "職員ID", "職員名", "形態", "時間（分）",
                            "区分", "活動内容", "予定", "状態", "差戻し理由", "版", "確認日時", "登録日時", "更新日時"]

    /// Ids, dates and times are written straight from their values (a month is some 10,000 rows).
    @Sendable static func csvFields(_ r: WorkRecord) -> [ExcelCSV.Field] {
        [.uuid(r.id), .date(r.date), .plain(r.municipality), .text(r.municipalityName),
         .uuid(r.post), .text(r.postTitle), .uuid(r.staff), .text(r.staffName),
         .plain(WorkRecordRules.modeLabels[r.mode] ?? r.mode), .int(Int64(r.minutes)),
         .plain(WorkRecordRules.categoryLabels[r.category] ?? r.category), .text(r.summary),
         .plain(r.planned ? "予定あり" : "予定外"), .plain(WorkRecordRules.statusLabels[r.status] ?? r.status),
         r.returnReason.map(ExcelCSV.Field.text) ?? .empty, .int(Int64(r.version)),
         r.confirmedAt.map(ExcelCSV.Field.japanTime) ?? .empty, .japanTime(r.createdAt), .japanTime(r.updatedAt)]
    }

    /// 勤務実績_2027-04-01_2027-04-30.csv (or 勤務実績_全期間.csv), with an ASCII twin.
    static func filename(_ f: WorkRecordFilter) -> (String, String) {
        let range = "\(f.from?.iso ?? "")_\(f.to?.iso ?? "")"
        let span = f.from == nil && f.to == nil ? ("全期間", "all") : (range, range)
        let who = f.municipality.map { "_\($0)" } ?? ""
        return ("勤務実績_\(span.0)\(who).csv", "work-records_\(span.1)\(who).csv")
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality, .staff])
        return Self.answer(try await store.workRecord(try context.uuidParameter("wid"), consortium: cid, by: who))
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .staff])
        let id = try context.uuidParameter("wid")
        let version = try PlansController.ifMatchVersion(request)
        let body = try await request.decodeJSON(PatchBody.self, context: context)
        let patch = WorkRecordPatch(post: body.post, date: body.date, mode: body.mode, minutes: body.minutes,
                                    category: body.category, summary: body.summary)
        if patch.fieldNames.isEmpty {
            throw InvalidInput("", "give at least one of post, date, mode, minutes, category, summary")
        }
        return Self.answer(try await store.updateWorkRecord(id, consortium: cid, patch, version: version,
                                                            today: JapanClock.today(), by: who))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .staff])
        let id = try context.uuidParameter("wid")
        try await store.deleteWorkRecord(id, consortium: cid, version: try PlansController.ifMatchVersion(request), by: who)
        return .noContent
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        // A staff token is never a municipality's or the coordinator's: nobody confirms their own record.
        try await transition(.confirm, request, context, roles: [.coordinator, .municipality])
    }

    @Sendable func returnRecord(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, WorkRecordActions.deciders)
        let body = try await request.decodeJSON(ReturnBody.self, context: context)
        let version = try PlansController.ifMatchVersion(request)
        return Self.answer(try await WorkRecordActions.returnRecord(try context.uuidParameter("wid"), reason: body.reason,
                                                                    version: version, consortium: cid, by: who, store: store))
    }

    @Sendable func reopen(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RecordResponse> {
        try await transition(.reopen, request, context, roles: [.coordinator])
    }

    func transition(_ t: WorkRecordTransition, _ request: Request, _ context: AppRequestContext,
                    roles: Set<Principal.Role>) async throws -> EditedResponse<RecordResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, roles)
        let id = try context.uuidParameter("wid")
        let version = try PlansController.ifMatchVersion(request)
        return Self.answer(try await store.transitionWorkRecord(id, consortium: cid, t, version: version, by: who))
    }
}
