import Foundation
import JunkaiCore
import PostgresNIO

/// A municipality's request for a post to be staffed on one date, as stored.
public struct RequestRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var post: UUID
    public var municipality: String
    public var date: CivilDate
    public var kind: String
    public var note: String?
    public var status: String
    public var declineReason: String?
    /// Whether a confirmed published assignment staffs the post on that date.
    public var fulfilled: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// Filters of `GET …/requests`; nil means "any".
public struct RequestFilter: Sendable {
    public var status: String?
    public var from: CivilDate?
    public var to: CivilDate?
    public var post: UUID?
    public init(status: String? = nil, from: CivilDate? = nil, to: CivilDate? = nil, post: UUID? = nil) {
        self.status = status; self.from = from; self.to = to; self.post = post
    }
}

extension Store {
    /// The request statuses a decision may start from.
    static let acceptableFrom = ["submitted", "declined"]
    static let declinableFrom = ["submitted", "accepted"]

    // One projection for every request query so the tuple decode stays in one place.
    static let requestColumns = """
        r.id, r.post_id, p.municipality_code, to_char(r.date, 'YYYY-MM-DD'), r.kind, r.note, r.status, r.decline_reason,
        EXISTS (SELECT 1 FROM published_assignments pa
                WHERE pa.post_id = r.post_id AND pa.date = r.date AND pa.status = 'confirmed'),
        r.created_at, r.updated_at
        """

    typealias RequestRow = (UUID, UUID, String, String, String, String?, String, String?, Bool, Date, Date)

    static func requestRecord(_ row: RequestRow) -> RequestRecord {
        RequestRecord(id: row.0, post: row.1, municipality: row.2, date: CivilDate(iso: row.3) ?? CivilDate(dayNumber: 0),
                      kind: row.4, note: row.5, status: row.6, declineReason: row.7, fulfilled: row.8,
                      createdAt: row.9, updatedAt: row.10)
    }

    /// The consortium's closed dates (閉庁日), or notFound when the consortium does not exist.
    public func closedDates(consortium: UUID, on conn: PostgresConnection) async throws -> Set<CivilDate> {
        let rows = try await conn.query("""
            SELECT ARRAY(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(closed_dates) AS d) FROM consortia WHERE id = \(consortium)
            """, logger: logger)
        for try await dates in rows.decode([String].self) {
            return Set(dates.compactMap { CivilDate(iso: $0) })
        }
        throw StoreError.notFound("consortium not found")
    }

    /// Creates a request for a post of the caller's scope on a working day of the consortium.
    public func createRequest(consortium: UUID, post: UUID, date: CivilDate, kind: String, note: String?,
                              by who: Principal) async throws -> RequestRecord {
        try await transaction { conn in
            let municipalityScope = who.role == .municipality ? who.municipalityCode : nil
            let postRows = try await conn.query("""
                SELECT municipality_code, allowed_weekdays FROM posts
                WHERE id = \(post) AND consortium_id = \(consortium)
                  AND (\(municipalityScope)::text IS NULL OR municipality_code = \(municipalityScope))
                """, logger: logger)
            var allowed: [Int]?
            for try await (_, weekdays) in postRows.decode((String, [Int]).self) { allowed = weekdays }
            guard let allowed else { throw StoreError.notFound("post not found") }

            let calendar = WorkingDayCalendar(closedDates: try await closedDates(consortium: consortium, on: conn))
            let status = calendar.status(of: date)
            if let reason = status.reason {
                throw InvalidInput("/date", "\(date.iso) is not a working day (\(reason))")
            }
            if !allowed.contains(date.weekday) {
                throw InvalidInput("/date", "the post does not work on that weekday (\(date.iso))")
            }
            let dup = try await conn.query("""
                SELECT 1 FROM requests WHERE post_id = \(post) AND date = \(date.iso)::date
                  AND status IN ('submitted', 'accepted')
                """, logger: logger)
            for try await _ in dup.decode(Int.self) {
                throw StoreError.conflict("an open request for that post on \(date.iso) already exists")
            }
            let rows = try await conn.query("""
                WITH r AS (
                    INSERT INTO requests (consortium_id, post_id, date, kind, note, created_by)
                    VALUES (\(consortium), \(post), \(date.iso)::date, \(kind), \(note), \(who.tokenId))
                    RETURNING *)
                SELECT \(unescaped: Self.requestColumns) FROM r JOIN posts p ON p.id = r.post_id
                """, logger: logger)
            guard let record = try await rows.decode(RequestRow.self).first(where: { _ in true }).map(Self.requestRecord) else {
                throw StoreError.conflict("request not created")
            }
            try await conn.audit(who, consortium: consortium, action: "create", resource: "request",
                                 id: record.id.uuidString, logger: logger)
            return record
        }
    }

    /// The requests the caller may see (a municipality only its own posts'), filtered, by date then creation.
    public func listRequests(consortium: UUID, filter: RequestFilter, by who: Principal) async throws -> [RequestRecord] {
        let scope = who.role == .municipality ? who.municipalityCode : nil
        return try await connection { conn in
            let rows = try await conn.query("""
                SELECT \(unescaped: Self.requestColumns) FROM requests r JOIN posts p ON p.id = r.post_id
                WHERE r.consortium_id = \(consortium)
                  AND (\(scope)::text IS NULL OR p.municipality_code = \(scope))
                  AND (\(filter.status)::text IS NULL OR r.status = \(filter.status))
                  AND (\(filter.from?.iso)::date IS NULL OR r.date >= \(filter.from?.iso)::date)
                  AND (\(filter.to?.iso)::date IS NULL OR r.date <= \(filter.to?.iso)::date)
                  AND (\(filter.post)::uuid IS NULL OR r.post_id = \(filter.post))
                ORDER BY r.date, r.created_at, r.id
                """, logger: logger)
            var out: [RequestRecord] = []
            for try await row in rows.decode(RequestRow.self) { out.append(Self.requestRecord(row)) }
            return out
        }
    }

    /// One request in the caller's scope.
    public func request(_ id: UUID, consortium: UUID, by who: Principal) async throws -> RequestRecord {
        try await connection { conn in try await request(id, consortium: consortium, by: who, on: conn, lock: false) }
    }

    func request(_ id: UUID, consortium: UUID, by who: Principal, on conn: PostgresConnection, lock: Bool) async throws -> RequestRecord {
        let scope = who.role == .municipality ? who.municipalityCode : nil
        let rows = try await conn.query("""
            SELECT \(unescaped: Self.requestColumns) FROM requests r JOIN posts p ON p.id = r.post_id
            WHERE r.id = \(id) AND r.consortium_id = \(consortium)
              AND (\(scope)::text IS NULL OR p.municipality_code = \(scope))
            \(unescaped: lock ? "FOR UPDATE OF r" : "")
            """, logger: logger)
        guard let record = try await rows.decode(RequestRow.self).first(where: { _ in true }).map(Self.requestRecord) else {
            throw StoreError.notFound("request not found")
        }
        return record
    }

    /// Accepts (`accept: true`) or declines a request; 409 when its status does not allow the decision.
    public func decideRequest(_ id: UUID, consortium: UUID, accept: Bool, reason: String?,
                              by who: Principal) async throws -> RequestRecord {
        try await transaction { conn in
            let current = try await request(id, consortium: consortium, by: who, on: conn, lock: true)
            let allowedFrom = accept ? Self.acceptableFrom : Self.declinableFrom
            guard allowedFrom.contains(current.status) else {
                throw StoreError.conflict("\(Wording.a(current.status)) request cannot be \(accept ? "accepted" : "declined")")
            }
            let newStatus = accept ? "accepted" : "declined"
            try await conn.query("""
                UPDATE requests SET status = \(newStatus), decline_reason = \(accept ? nil : reason), updated_at = now()
                WHERE id = \(id)
                """, logger: logger)
            try await conn.audit(who, consortium: consortium, action: accept ? "accept" : "decline", resource: "request",
                                 id: id.uuidString, logger: logger)
            return try await request(id, consortium: consortium, by: who, on: conn, lock: false)
        }
    }

    /// Withdraws a request that is not yet fulfilled by a confirmed published assignment.
    public func withdrawRequest(_ id: UUID, consortium: UUID, by who: Principal) async throws {
        try await transaction { conn in
            // Shares the lock publish takes, so "not yet fulfilled" cannot change under us.
            try await conn.query("SELECT 1 FROM consortia WHERE id = \(consortium) FOR SHARE", logger: logger)
            let current = try await request(id, consortium: consortium, by: who, on: conn, lock: true)
            guard current.status != "withdrawn" else { throw StoreError.conflict("the request is already withdrawn") }
            guard !current.fulfilled else {
                throw StoreError.conflict("the request is already fulfilled by the published schedule")
            }
            try await conn.query("UPDATE requests SET status = 'withdrawn', updated_at = now() WHERE id = \(id)",
                                 logger: logger)
            try await conn.audit(who, consortium: consortium, action: "withdraw", resource: "request",
                                 id: id.uuidString, logger: logger)
        }
    }
}
