import Crypto
import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore
import NIOCore

/// Published schedules (per staff member and per municipality), calendar feed secrets and working days.
///
/// The two schedule routes are on the hot path (staff apps poll them): answered from memory until something
/// they are built from changes (`ReadCaches`), otherwise one prepared statement, a strong ETag fingerprinted
/// from the rows and a hand-written JSON encoder for the body.
struct SchedulesController {
    let store: Store
    let caches: ReadCaches
    let publicBaseURL: String

    /// The longest schedule range answered, as for a plan's period.
    static let maxRangeDays = 400

    struct FeedURL: ResponseCodable { var url: String }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/staff/:staffId/schedule") { request, context -> Response in
            let cid = try context.consortiumID()
            let staffId = try context.uuidParameter("staffId")
            let caller = try context.authorize(cid, [.coordinator, .staff])
            if caller.role == .staff && caller.staffId != staffId { throw Problem.notFound }
            let (from, to) = try Self.range(request, today: JapanClock.today())
            let key = ScheduleKey(consortium: cid, subject: .staff(staffId), from: from, to: to)
            let answer = try await caches.schedules.value(key) {
                guard let rows = try await store.staffSchedule(consortium: cid, staff: staffId, from: from, to: to,
                                                               logger: context.logger) else {
                    throw Problem.notFound
                }
                let marks = try await store.conflicts(consortium: cid, scope: .staff(staffId), today: JapanClock.today(), through: to)
                    .filter { $0.staff == staffId && from <= $0.date && $0.date <= to }
                return ConflictMarks.mark(CachedBody(etag: Self.etag(staff: staffId, from: from, to: to, rows: rows),
                                                     body: Self.body(staff: staffId, from: from, to: to, rows: rows)), marks)
            }
            return Self.respond(answer, request)
        }
        group.get("consortia/:cid/municipalities/:code/schedule") { request, context -> Response in
            let cid = try context.consortiumID()
            let caller = try context.authorize(cid, [.coordinator, .municipality])
            // A code that is not even well-formed names no member: not found, as a malformed id.
            guard let code = context.parameters.get("code").flatMap({ LocalGovCode($0) })?.value else {
                throw Problem.notFound
            }
            if caller.role == .municipality && caller.municipalityCode != code { throw Problem.notFound }
            let (from, to) = try Self.range(request, today: JapanClock.today())
            let key = ScheduleKey(consortium: cid, subject: .municipality(code), from: from, to: to)
            let answer = try await caches.schedules.value(key) {
                guard let rows = try await store.municipalitySchedule(consortium: cid, municipality: code, from: from,
                                                                      to: to, logger: context.logger) else {
                    throw Problem.notFound
                }
                let marks = try await store.conflicts(consortium: cid, scope: .municipality(code), today: JapanClock.today(), through: to)
                    .filter { $0.municipality == code && from <= $0.date && $0.date <= to }
                return ConflictMarks.mark(CachedBody(etag: Self.etag(municipality: code, from: from, to: to, rows: rows),
                                                     body: Self.body(municipality: code, from: from, to: to, rows: rows)), marks)
            }
            return Self.respond(answer, request)
        }
        group.get("consortia/:cid/schedule") { request, context -> Response in
            let cid = try context.consortiumID()
            try context.authorize(cid, [.coordinator])
            let csv = try CSVResponse.wanted(request)
            let (from, to) = try Self.range(request, today: JapanClock.today())
            guard let rows = try await store.consortiumSchedule(consortium: cid, from: from, to: to, logger: context.logger) else {
                throw Problem.notFound
            }
            if csv {
                return CSVResponse.response(Self.consortiumCSV(rows), filename: "巡回予定_\(from.iso)_\(to.iso).csv",
                                            fallback: "schedule_\(from.iso)_\(to.iso).csv")
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "private, no-cache"],
                            body: .init(byteBuffer: Self.body(consortium: cid, from: from, to: to, rows: rows)))
        }
        group.post("consortia/:cid/staff/:staffId/calendar-feed") { _, context -> EditedResponse<FeedURL> in
            let cid = try context.consortiumID()
            let staffId = try context.uuidParameter("staffId")
            let caller = try context.authorize(cid, [.coordinator, .staff])
            if caller.role == .staff && caller.staffId != staffId { throw Problem.notFound }
            let secret = try await store.issueCalendarFeed(consortium: cid, staff: staffId, by: caller)
            context.logger.info("calendar feed issued", metadata: ["staff": .string(staffId.uuidString)])
            return EditedResponse(status: .created, headers: [.cacheControl: "no-store"],
                                  response: FeedURL(url: Self.feedURL(base: publicBaseURL, secret: secret)))
        }
        group.delete("consortia/:cid/staff/:staffId/calendar-feed") { _, context -> HTTPResponse.Status in
            let cid = try context.consortiumID()
            let staffId = try context.uuidParameter("staffId")
            let caller = try context.authorize(cid, [.coordinator, .staff])
            if caller.role == .staff && caller.staffId != staffId { throw Problem.notFound }
            try await store.revokeCalendarFeed(consortium: cid, staff: staffId, by: caller)
            context.logger.info("calendar feed revoked", metadata: ["staff": .string(staffId.uuidString)])
            return .noContent
        }
        group.post("consortia/:cid/municipalities/:code/calendar-feed") { _, context -> EditedResponse<FeedURL> in
            let cid = try context.consortiumID()
            let (caller, code) = try Self.memberInScope(context, cid: cid)
            let secret = try await store.issueMunicipalityCalendarFeed(consortium: cid, municipality: code, by: caller)
            context.logger.info("municipality calendar feed issued", metadata: ["municipality": .string(code)])
            return EditedResponse(status: .created, headers: [.cacheControl: "no-store"],
                                  response: FeedURL(url: Self.feedURL(base: publicBaseURL, secret: secret)))
        }
        group.delete("consortia/:cid/municipalities/:code/calendar-feed") { _, context -> HTTPResponse.Status in
            let cid = try context.consortiumID()
            let (caller, code) = try Self.memberInScope(context, cid: cid)
            try await store.revokeMunicipalityCalendarFeed(consortium: cid, municipality: code, by: caller)
            context.logger.info("municipality calendar feed revoked", metadata: ["municipality": .string(code)])
            return .noContent
        }
        group.get("calendar/working-days") { request, context -> WorkingDaysEndpoint.WorkingDays in
            let caller = try context.caller()
            let params = request.uri.queryParameters
            let (from, to) = try WorkingDaysEndpoint.range(from: params["from"].map(String.init),
                                                           to: params["to"].map(String.init))
            var closed: Set<CivilDate> = []
            var consortium: UUID?
            if let raw = params["consortium"] {
                guard let cid = UUID(uuidString: String(raw)) else {
                    throw InvalidInput("/consortium", "must be a consortium id (UUID)")
                }
                // A consortium's closed dates are its members' business: anyone else gets 404, as for any
                // resource out of scope.
                guard caller.role == .admin || caller.consortiumId == cid else { throw Problem.notFound }
                closed = try await store.consortiumClosedDates(cid, logger: context.logger)
                consortium = cid
            }
            return WorkingDaysEndpoint.workingDays(from: from, to: to, calendar: WorkingDayCalendar(closedDates: closed),
                                                   consortium: consortium)
        }
    }

    /// The caller and the member code of `:code` for the coordinator or that municipality; 404 otherwise.
    static func memberInScope(_ context: AppRequestContext, cid: UUID) throws -> (Principal, String) {
        let caller = try context.authorize(cid, [.coordinator, .municipality])
        guard let code = context.parameters.get("code").flatMap({ LocalGovCode($0) })?.value else { throw Problem.notFound }
        if caller.role == .municipality && caller.municipalityCode != code { throw Problem.notFound }
        return (caller, code)
    }

    /// The public feed URL for a secret.
    static func feedURL(base: String, secret: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/calendars/\(secret).ics"
    }

    // MARK: - Range

    /// How many days a schedule shows when the query leaves its range open: the coming four weeks.
    static let defaultRangeDays = 28

    /// The schedule range from the query: `from` defaults to today in Japan (or four weeks before `to`), `to` to
    /// four weeks from `from`, so an open query shows what is coming. 422 when reversed or over 400 days.
    static func range(_ request: Request, today: CivilDate) throws -> (CivilDate, CivilDate) {
        let params = request.uri.queryParameters
        return try range(from: params["from"].map(String.init), to: params["to"].map(String.init), today: today)
    }

    /// The pure rule behind `range(_:today:)`.
    static func range(from rawFrom: String?, to rawTo: String?, today: CivilDate) throws -> (CivilDate, CivilDate) {
        let from = try rawFrom.map { try WorkingDaysEndpoint.date("from", $0) }
        let to = try rawTo.map { try WorkingDaysEndpoint.date("to", $0) }
        let start = from ?? to.map { $0.adding(days: 1 - defaultRangeDays) } ?? today
        let end = to ?? start.adding(days: defaultRangeDays - 1)
        guard end >= start else { throw InvalidInput("/to", "must not be before from") }
        guard end.dayNumber - start.dayNumber <= maxRangeDays else {
            throw InvalidInput("/to", "the range may span at most \(maxRangeDays) days")
        }
        return (start, end)
    }

    // MARK: - ETags

    static func etag(staff: UUID, from: CivilDate, to: CivilDate, rows: [StaffScheduleEntry]) -> String {
        var f = Fingerprint("staff-schedule/2")
        f.add(staff); f.add(from); f.add(to)
        for r in rows {
            f.add(r.date); f.add(r.post); f.add(r.postTitle); f.add(r.postCode ?? ""); f.add(r.municipality); f.add(r.municipalityName)
            f.add(r.lat); f.add(r.lon)
        }
        return f.etag
    }

    static func etag(municipality: String, from: CivilDate, to: CivilDate, rows: [MunicipalityScheduleEntry]) -> String {
        var f = Fingerprint("municipality-schedule/2")
        f.add(municipality); f.add(from); f.add(to)
        for r in rows {
            f.add(r.date); f.add(r.post); f.add(r.postTitle); f.add(r.postCode ?? ""); f.add(r.staff); f.add(r.staffName)
        }
        return f.etag
    }

    // MARK: - Bodies

    static func body(staff: UUID, from: CivilDate, to: CivilDate, rows: [StaffScheduleEntry]) -> ByteBuffer {
        var w = JSONBodyWriter(capacity: 96 + rows.count * 240)
        w.raw("{\"assignments\":[")
        for (i, r) in rows.enumerated() {
            w.raw(i == 0 ? "{\"date\":" : ",{\"date\":"); w.string(r.date.iso)
            w.raw(",\"lat\":"); w.number(r.lat)
            w.raw(",\"lon\":"); w.number(r.lon)
            w.raw(",\"municipality\":"); w.string(r.municipality)
            w.raw(",\"municipalityName\":"); w.string(r.municipalityName)
            w.raw(",\"post\":"); w.string(r.post.uuidString)
            w.raw(",\"postCode\":"); w.optionalString(r.postCode)
            w.raw(",\"postLabel\":"); w.string(r.postLabel)
            w.raw(",\"postTitle\":"); w.string(r.postTitle)
            w.raw("}")
        }
        w.raw("],\"from\":"); w.string(from.iso)
        w.raw(",\"staff\":"); w.string(staff.uuidString)
        w.raw(",\"to\":"); w.string(to.iso)
        w.raw("}")
        return w.buffer
    }

    static func body(municipality: String, from: CivilDate, to: CivilDate,
                     rows: [MunicipalityScheduleEntry]) -> ByteBuffer {
        var w = JSONBodyWriter(capacity: 96 + rows.count * 200)
        w.raw("{\"assignments\":[")
        for (i, r) in rows.enumerated() {
            w.raw(i == 0 ? "{\"date\":" : ",{\"date\":"); w.string(r.date.iso)
            w.raw(",\"post\":"); w.string(r.post.uuidString)
            w.raw(",\"postCode\":"); w.optionalString(r.postCode)
            w.raw(",\"postLabel\":"); w.string(r.postLabel)
            w.raw(",\"postTitle\":"); w.string(r.postTitle)
            w.raw(",\"staff\":"); w.string(r.staff.uuidString)
            w.raw(",\"staffName\":"); w.string(r.staffName)
            w.raw("}")
        }
        w.raw("],\"from\":"); w.string(from.iso)
        w.raw(",\"municipality\":"); w.string(municipality)
        w.raw(",\"to\":"); w.string(to.iso)
        w.raw("}")
        return w.buffer
    }

    static func body(consortium: UUID, from: CivilDate, to: CivilDate, rows: [ConsortiumScheduleEntry]) -> ByteBuffer {
        var w = JSONBodyWriter(capacity: 128 + rows.count * 320)
        w.raw("{\"assignments\":[")
        for (i, r) in rows.enumerated() {
            w.raw(i == 0 ? "{\"date\":" : ",{\"date\":"); w.string(r.date.iso)
            w.raw(",\"municipality\":"); w.string(r.municipality)
            w.raw(",\"municipalityName\":"); w.string(r.municipalityName)
            w.raw(",\"post\":"); w.string(r.post.uuidString)
            w.raw(",\"postCode\":"); w.optionalString(r.postCode)
            w.raw(",\"postLabel\":"); w.string(r.postLabel)
            w.raw(",\"postTitle\":"); w.string(r.postTitle)
            w.raw(",\"staff\":"); w.string(r.staff.uuidString)
            w.raw(",\"staffName\":"); w.string(r.staffName)
            w.raw("}")
        }
        w.raw("],\"consortium\":"); w.string(consortium.uuidString)
        w.raw(",\"from\":"); w.string(from.iso)
        w.raw(",\"to\":"); w.string(to.iso)
        w.raw("}")
        return w.buffer
    }

    static let consortiumHeader = ["日付", "曜日", "市町村コード", "市町村名", "ポスト", "ポストコード", "担当者"]
    static let weekdayNames = ["月", "火", "水", "木", "金", "土", "日"]

    /// The consortium-wide schedule as CSV for Excel (delivery.md's CSV rules): the same rows as the JSON.
    static func consortiumCSV(_ rows: [ConsortiumScheduleEntry]) -> [UInt8] {
        ExcelCSV.document(header: consortiumHeader, rows: rows.map { r in
            [.plain(r.date.iso), .plain(weekdayNames[r.date.weekday - 1]), .plain(r.municipality),
             .text(r.municipalityName), .text(r.postTitle), r.postCode.map(ExcelCSV.Field.text) ?? .empty, .text(r.staffName)]
        })
    }

    /// 304 when the request already holds this answer (`If-None-Match`), else the answer as JSON.
    static func respond(_ answer: CachedBody, _ request: Request) -> Response {
        if ETag.matches(request.headers[.ifNoneMatch], answer.etag) { return ETag.notModified(answer.etag) }
        return Response(status: .ok,
                        headers: [.contentType: "application/json; charset=utf-8", .eTag: answer.etag,
                                  .cacheControl: "private, no-cache"],
                        body: .init(byteBuffer: answer.body))
    }
}

/// Today's date in Japan (JST is UTC+9 all year: no daylight saving since 1951).
enum JapanClock {
    static func today(now: Date = Date()) -> CivilDate {
        let seconds = Int((now.timeIntervalSince1970 + 9 * 3600).rounded(.down))
        return CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}

/// Strong entity tags and `If-None-Match` (RFC 9110 §8.8.3, §13.1.2).
enum ETag {
    /// Whether an `If-None-Match` header matches the tag: `*`, or any listed tag under weak comparison.
    static func matches(_ header: String?, _ etag: String) -> Bool {
        guard let header else { return false }
        let opaque = etag.hasPrefix("W/") ? etag.dropFirst(2) : Substring(etag)
        for part in header.split(separator: ",") {
            var candidate = part.trimmingCharacters(in: .whitespaces)[...]
            if candidate == "*" { return true }
            if candidate.hasPrefix("W/") { candidate = candidate.dropFirst(2) }
            if candidate == opaque { return true }
        }
        return false
    }

    /// 304 with the validator and no body.
    static func notModified(_ etag: String) -> Response {
        Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "private, no-cache"])
    }
}

/// A SHA-256 over the fields a representation is built from: equal fields give an equal tag, and any change
/// (including a renamed post or municipality) gives a new one, without building the representation.
struct Fingerprint {
    private var bytes: [UInt8] = []

    /// Starts a fingerprint for one kind and version of representation.
    init(_ kind: String) {
        bytes.reserveCapacity(2048)
        add(kind)
    }

    mutating func add(_ s: String) {
        // Length-prefixed so that adjacent fields cannot run into each other.
        add(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    mutating func add(_ i: Int) {
        withUnsafeBytes(of: Int64(i).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func add(_ x: Double) { add(Int(bitPattern: UInt(x.bitPattern))) }
    mutating func add(_ d: CivilDate) { add(d.dayNumber) }
    mutating func add(_ u: UUID) { withUnsafeBytes(of: u.uuid) { bytes.append(contentsOf: $0) } }
    mutating func add(_ b: Bool) { bytes.append(b ? 1 : 0) }
    mutating func add(_ d: Date) { add(d.timeIntervalSince1970) }

    /// The quoted strong entity tag: the first 128 bits of the digest in hex.
    var etag: String {
        let digest = SHA256.hash(data: bytes)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(34)
        for b in digest.prefix(16) {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0x0F)])
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}
