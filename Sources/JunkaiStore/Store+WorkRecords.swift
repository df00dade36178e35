import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// One day a staff member worked (or was due and did not) at a post, as stored (docs/delivery.md).
public struct WorkRecord: Sendable, Equatable {
    public var id: UUID
    public var staff: UUID
    public var staffName: String
    public var post: UUID
    public var postTitle: String
    public var municipality: String
    public var municipalityName: String
    public var date: CivilDate
    public var mode: String
    public var minutes: Int
    public var category: String
    /// 活動内容: free text about a real person's work; never logged, never in the audit detail.
    public var summary: String
    /// Whether a confirmed published assignment exists for the same staff, post and date.
    public var planned: Bool
    public var status: String
    public var returnReason: String?
    /// Raised on every change; the record's ETag.
    public var version: Int
    public var confirmedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// What `POST …/work-records` records.
public struct WorkRecordDraft: Sendable {
    public var staff: UUID
    public var post: UUID
    public var date: CivilDate
    public var mode: String
    public var minutes: Int
    public var category: String
    public var summary: String

    public init(staff: UUID, post: UUID, date: CivilDate, mode: String, minutes: Int, category: String, summary: String) {
        self.staff = staff; self.post = post; self.date = date; self.mode = mode; self.minutes = minutes
        self.category = category; self.summary = summary
    }
}

/// What `PATCH …/work-records/{id}` changes; nil leaves a field as it is.
public struct WorkRecordPatch: Sendable {
    public var post: UUID?
    public var date: CivilDate?
    public var mode: String?
    public var minutes: Int?
    public var category: String?
    public var summary: String?

    public init(post: UUID? = nil, date: CivilDate? = nil, mode: String? = nil, minutes: Int? = nil,
                category: String? = nil, summary: String? = nil) {
        self.post = post; self.date = date; self.mode = mode; self.minutes = minutes; self.category = category
        self.summary = summary
    }

    /// The names of the fields the patch sets (for the audit row: names only, never values).
    public var fieldNames: [String] {
        [("post", post != nil), ("date", date != nil), ("mode", mode != nil), ("minutes", minutes != nil),
         ("category", category != nil), ("summary", summary != nil)].filter(\.1).map(\.0)
    }
}

/// Filters of `GET …/work-records`; nil means "any".
public struct WorkRecordFilter: Sendable {
    public var from: CivilDate?
    public var to: CivilDate?
    public var municipality: String?
    public var staff: UUID?
    public var post: UUID?
    public var status: String?

    public init(from: CivilDate? = nil, to: CivilDate? = nil, municipality: String? = nil, staff: UUID? = nil,
                post: UUID? = nil, status: String? = nil) {
        self.from = from; self.to = to; self.municipality = municipality; self.staff = staff; self.post = post
        self.status = status
    }
}

/// A status change of a record: the municipality's confirm or return, the coordinator's reopen.
public enum WorkRecordTransition: Sendable, Equatable {
    case confirm
    case `return`(reason: String)
    case reopen

    var action: String {
        switch self {
        case .confirm: return "confirm"
        case .return: return "return"
        case .reopen: return "reopen"
        }
    }
    var from: String { self == .reopen ? "confirmed" : "reported" }
    var to: String {
        switch self {
        case .confirm: return "confirmed"
        case .return: return "returned"
        case .reopen: return "reported"
        }
    }
}

extension Store {
    // One projection for every record query so the decode stays in one place; `pl` is the published schedule,
    // joined by `plannedProbe` for one record and by the same date range for a list (published_confirmed_by_date):
    // as an EXISTS or a plain join the planner would rather hash the whole year's schedule for a month of records.
    static let workRecordColumns = """
        w.id, w.staff_id, s.name, w.post_id, p.title, p.municipality_code, m.name, w.date, w.mode, w.minutes,
        w.category, w.summary,
        pl.staff_id IS NOT NULL,
        w.status, w.return_reason, w.version, w.confirmed_at, w.created_at, w.updated_at
        """
    static let workRecordJoins = """
        work_records w
        JOIN staff s ON s.id = w.staff_id
        JOIN posts p ON p.id = w.post_id
        JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code
        """
    /// `planned` of one record: a probe of the published schedule's primary key.
    static let plannedProbe = """
        LEFT JOIN LATERAL (SELECT pa.staff_id FROM published_assignments pa
                           WHERE pa.staff_id = w.staff_id AND pa.post_id = w.post_id AND pa.date = w.date
                             AND pa.status = 'confirmed' LIMIT 1) pl ON true
        """

    /// A row of `workRecordColumns`, read cell by cell (a 19-column tuple decode is slow in unoptimised builds).
    static func workRecord(_ row: PostgresRow) throws -> WorkRecord {
        let c = row.makeRandomAccess()
        return WorkRecord(
            id: try c[0].decode(UUID.self), staff: try c[1].decode(UUID.self), staffName: try c[2].decode(String.self),
            post: try c[3].decode(UUID.self), postTitle: try c[4].decode(String.self),
            municipality: try c[5].decode(String.self), municipalityName: try c[6].decode(String.self),
            date: try c[7].decode(CivilDate.self), mode: try c[8].decode(String.self), minutes: try c[9].decode(Int.self),
            category: try c[10].decode(String.self), summary: try c[11].decode(String.self),
            planned: try c[12].decode(Bool.self), status: try c[13].decode(String.self),
            returnReason: try c[14].decode(String?.self), version: try c[15].decode(Int.self),
            confirmedAt: try c[16].decode(Date?.self), createdAt: try c[17].decode(Date.self),
            updatedAt: try c[18].decode(Date.self))
    }

    /// The caller's scope as SQL parameters: a municipality sees records at its posts, a staff member its own.
    static func recordScope(_ who: Principal) -> (municipality: String?, staff: UUID?) {
        switch who.role {
        case .municipality: return (who.municipalityCode, nil)
        case .staff: return (nil, who.staffId ?? UUID())
        case .admin, .coordinator: return (nil, nil)
        }
    }

    /// Records a worked day: 404 for a staff member or post outside the caller's scope, 409 when the day is recorded.
    public func createWorkRecord(consortium: UUID, _ draft: WorkRecordDraft, by who: Principal) async throws -> WorkRecord {
        try await recordWrite { conn in
            let scope = Self.recordScope(who)
            let staffRows = try await conn.query("""
                SELECT 1 FROM staff WHERE id = \(draft.staff) AND consortium_id = \(consortium)
                  AND (\(scope.staff)::uuid IS NULL OR id = \(scope.staff))
                """, logger: logger)
            guard try await staffRows.decode(Int.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("staff member not found")
            }
            try await requirePost(draft.post, consortium: consortium, on: conn)
            let rows = try await conn.query("""
                INSERT INTO work_records (consortium_id, staff_id, post_id, date, mode, minutes, category, summary,
                                          created_by, updated_by)
                VALUES (\(consortium), \(draft.staff), \(draft.post), \(draft.date), \(draft.mode), \(draft.minutes),
                        \(draft.category), \(draft.summary), \(who.tokenId), \(who.tokenId))
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.conflict("the work record was not created")
            }
            try await conn.audit(who, consortium: consortium, action: "create", resource: "work_record", id: id.uuidString,
                                 detail: Self.recordDetail(staff: draft.staff, post: draft.post, date: draft.date,
                                                           extra: ["status": "reported"]),
                                 logger: logger)
            return try await workRecord(id, consortium: consortium, by: who, on: conn, lock: false)
        }
    }

    /// 404 unless the post belongs to the consortium.
    func requirePost(_ post: UUID, consortium: UUID, on conn: PostgresConnection) async throws {
        let rows = try await conn.query("SELECT 1 FROM posts WHERE id = \(post) AND consortium_id = \(consortium)",
                                        logger: logger)
        guard try await rows.decode(Int.self).first(where: { _ in true }) != nil else {
            throw StoreError.notFound("post not found")
        }
    }

    /// One record in the caller's scope.
    public func workRecord(_ id: UUID, consortium: UUID, by who: Principal) async throws -> WorkRecord {
        try await connection { conn in try await workRecord(id, consortium: consortium, by: who, on: conn, lock: false) }
    }

    func workRecord(_ id: UUID, consortium: UUID, by who: Principal, on conn: PostgresConnection,
                    lock: Bool) async throws -> WorkRecord {
        let scope = Self.recordScope(who)
        let rows = try await conn.query("""
            SELECT \(unescaped: Self.workRecordColumns) FROM \(unescaped: Self.workRecordJoins) \(unescaped: Self.plannedProbe)
            WHERE w.id = \(id) AND w.consortium_id = \(consortium)
              AND (\(scope.municipality)::text IS NULL OR p.municipality_code = \(scope.municipality))
              AND (\(scope.staff)::uuid IS NULL OR w.staff_id = \(scope.staff))
            \(unescaped: lock ? "FOR UPDATE OF w" : "")
            """, logger: logger)
        for try await row in rows { return try Self.workRecord(row) }
        throw StoreError.notFound("work record not found")
    }

    /// The records the caller may see, filtered, by date then municipality code, as one streamed query (one
    /// snapshot); the caller iterates it while writing its answer. `limit` and `offset` cut one page of that order.
    public func workRecords(consortium: UUID, filter: WorkRecordFilter, by who: Principal, limit: Int? = nil,
                            offset: Int = 0) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, WorkRecord> {
        try await workRecordRows(consortium: consortium, filter: filter, by: who, limit: limit, offset: offset)
            .map { row in try Self.workRecord(row) }
    }

    /// The rows of `workRecords` undecoded (`workRecordColumns`), for writers that take the database's bytes as they are.
    public func workRecordRows(consortium: UUID, filter: WorkRecordFilter, by who: Principal, limit: Int? = nil,
                               offset: Int = 0) async throws -> PostgresRowSequence {
        let scope = Self.recordScope(who)
        if let limit {
            // One page: its ids are picked on the sort keys alone, and only its rows are joined with the rest and
            // probed for `planned` (the whole list's join and sort cost the paged list 3–4 times as much).
            return try await mappingStoreErrors {
                try await client.query("""
                    WITH page AS (
                        SELECT w.id, w.date, p.municipality_code, p.title, s.name
                        FROM work_records w JOIN staff s ON s.id = w.staff_id JOIN posts p ON p.id = w.post_id
                        WHERE \(recordsOf: consortium, visibleTo: scope, matching: filter)
                        ORDER BY w.date, p.municipality_code, p.title, s.name, w.id
                        LIMIT \(limit) OFFSET \(offset))
                    SELECT \(unescaped: Self.workRecordColumns)
                    FROM page JOIN \(unescaped: Self.workRecordJoins) ON w.id = page.id
                    \(unescaped: Self.plannedProbe)
                    ORDER BY page.date, page.municipality_code, page.title, page.name, page.id
                    """, logger: logger)
            }
        }
        return try await mappingStoreErrors {
            try await client.query("""
                SELECT \(unescaped: Self.workRecordColumns) FROM \(unescaped: Self.workRecordJoins)
                LEFT JOIN (SELECT staff_id, post_id, date FROM published_assignments
                           WHERE consortium_id = \(consortium) AND status = 'confirmed'
                             AND (\(filter.from)::date IS NULL OR date >= \(filter.from))
                             AND (\(filter.to)::date IS NULL OR date <= \(filter.to))) pl
                       ON pl.staff_id = w.staff_id AND pl.post_id = w.post_id AND pl.date = w.date
                WHERE \(recordsOf: consortium, visibleTo: scope, matching: filter)
                ORDER BY w.date, p.municipality_code, p.title, s.name, w.id
                """, logger: logger)
        }
    }

    /// How many records `workRecords` gives for the same filter and caller (for a list's pages).
    public func workRecordCount(consortium: UUID, filter: WorkRecordFilter, by who: Principal) async throws -> Int {
        let scope = Self.recordScope(who)
        return try await mappingStoreErrors {
            let rows = try await client.query("""
                SELECT count(*)::int FROM work_records w JOIN posts p ON p.id = w.post_id
                WHERE \(recordsOf: consortium, visibleTo: scope, matching: filter)
                """, logger: logger)
            for try await n in rows.decode(Int.self) { return n }
            return 0
        }
    }

    /// Edits a record that is not confirmed (a returned one becomes reported again); `version`, when given, must be
    /// the record's current one (412 otherwise). Validation uses `today`, the date in Japan.
    public func updateWorkRecord(_ id: UUID, consortium: UUID, _ patch: WorkRecordPatch, version expected: Int?,
                                 today: CivilDate, by who: Principal) async throws -> WorkRecord {
        try await recordWrite { conn in
            // The row lock orders this edit against a concurrent confirm: whichever commits second sees the other.
            let current = try await workRecord(id, consortium: consortium, by: who, on: conn, lock: true)
            try Self.checkEditable(current, expected: expected, action: "edited")
            let mode = patch.mode ?? current.mode
            var minutes = patch.minutes ?? current.minutes
            if patch.mode == "absent", patch.minutes == nil { minutes = 0 }
            let date = patch.date ?? current.date
            let category = patch.category ?? current.category
            let summary = patch.summary ?? current.summary
            // Only the fields the patch sets are judged: an old record may keep a date the rules allowed then.
            let issues = WorkRecordRules.issues(date: date, mode: mode, minutes: minutes, category: category,
                                                summary: summary, today: patch.date == nil ? Swift.max(today, date) : today)
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
            let post = patch.post ?? current.post
            if patch.post != nil { try await requirePost(post, consortium: consortium, on: conn) }
            try await conn.query("""
                UPDATE work_records
                SET post_id = \(post), date = \(date), mode = \(mode), minutes = \(minutes), category = \(category),
                    summary = \(summary), status = 'reported', return_reason = NULL, version = version + 1,
                    updated_at = now(), updated_by = \(who.tokenId)
                WHERE id = \(id) AND status <> 'confirmed'
                """, logger: logger)
            var extra = ["fields": patch.fieldNames.map { "\"\($0)\"" }.joined(separator: ", "), "status": "reported"]
            extra["from"] = current.status
            try await conn.audit(who, consortium: consortium, action: "update", resource: "work_record", id: id.uuidString,
                                 detail: Self.recordDetail(staff: current.staff, post: post, date: date, extra: extra),
                                 logger: logger)
            return try await workRecord(id, consortium: consortium, by: who, on: conn, lock: false)
        }
    }

    /// Deletes a record that is not confirmed.
    public func deleteWorkRecord(_ id: UUID, consortium: UUID, version expected: Int?, by who: Principal) async throws {
        try await recordWrite { conn in
            let current = try await workRecord(id, consortium: consortium, by: who, on: conn, lock: true)
            try Self.checkEditable(current, expected: expected, action: "deleted")
            try await conn.query("DELETE FROM work_records WHERE id = \(id) AND status <> 'confirmed'", logger: logger)
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "work_record", id: id.uuidString,
                                 detail: Self.recordDetail(staff: current.staff, post: current.post, date: current.date,
                                                           extra: ["from": current.status]),
                                 logger: logger)
        }
    }

    static func checkEditable(_ current: WorkRecord, expected: Int?, action: String) throws {
        if current.status == "confirmed" {
            throw StoreError.conflict("the work record is confirmed and locked; it cannot be \(action) (the coordinator can reopen it)")
        }
        if let expected, expected != current.version {
            throw StoreError.preconditionFailed("the work record is at version \(current.version), not \(expected); reload it")
        }
    }

    /// Confirms, returns or reopens a record in one conditional UPDATE: of two racing writes one wins and the other
    /// finds the status changed (409), or the version moved (412 when `version` was given).
    public func transitionWorkRecord(_ id: UUID, consortium: UUID, _ transition: WorkRecordTransition, version expected: Int?,
                                     by who: Principal) async throws -> WorkRecord {
        try await recordWrite { conn in
            let scope = Self.recordScope(who)
            var reason: String?
            if case .return(let r) = transition { reason = r }
            let confirming = transition == .confirm
            let rows = try await conn.query("""
                UPDATE work_records w
                SET status = \(transition.to), return_reason = \(reason),
                    confirmed_at = CASE WHEN \(confirming) THEN now() END,
                    confirmed_by = CASE WHEN \(confirming) THEN \(who.tokenId)::uuid END,
                    version = w.version + 1, updated_at = now(), updated_by = \(who.tokenId)
                FROM posts p
                WHERE w.id = \(id) AND w.consortium_id = \(consortium) AND p.id = w.post_id
                  AND (\(scope.municipality)::text IS NULL OR p.municipality_code = \(scope.municipality))
                  AND (\(scope.staff)::uuid IS NULL OR w.staff_id = \(scope.staff))
                  AND w.status = \(transition.from)
                  AND (\(expected)::int IS NULL OR w.version = \(expected))
                RETURNING w.staff_id, w.post_id, w.date
                """, logger: logger)
            guard let (staff, post, date) = try await rows.decode((UUID, UUID, CivilDate).self).first(where: { _ in true }) else {
                // Nothing changed: say why, from the row as it is now.
                let current = try await workRecord(id, consortium: consortium, by: who, on: conn, lock: false)
                if current.status != transition.from {
                    throw StoreError.conflict("the work record is \(current.status); only \(Wording.a(transition.from)) record can be "
                                              + "\(transition.to == "reported" ? "reopened" : transition.to)")
                }
                throw StoreError.preconditionFailed("the work record is at version \(current.version), not \(expected ?? 0); reload it")
            }
            try await conn.audit(who, consortium: consortium, action: transition.action, resource: "work_record",
                                 id: id.uuidString,
                                 detail: Self.recordDetail(staff: staff, post: post, date: date,
                                                           extra: ["from": transition.from, "status": transition.to]),
                                 logger: logger)
            return try await workRecord(id, consortium: consortium, by: who, on: conn, lock: false)
        }
    }

    /// Audit detail of a record change: ids, the date and statuses, never the summary or the reason.
    static func recordDetail(staff: UUID, post: UUID, date: CivilDate, extra: [String: String] = [:]) -> String {
        var parts = ["\"staff\": \"\(staff.uuidString)\"", "\"post\": \"\(post.uuidString)\"", "\"date\": \"\(date.iso)\""]
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) {
            parts.append(k == "fields" ? "\"\(k)\": [\(v)]" : "\"\(k)\": \"\(v)\"")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// One transaction, its failures in the API's terms: the delivery tables' own constraints first, then the
    /// store's general mapping; a validation failure comes out as itself.
    func recordWrite<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { conn in try await body(conn) }
        } catch {
            var inner: any Error = error
            if let t = error as? PostgresTransactionError { inner = t.closureError ?? t.commitError ?? error }
            if let mapped = Self.deliveryConstraintError(inner) { throw mapped }
            throw StoreError.from(inner) ?? inner
        }
    }

    /// The delivery tables' own constraint and trigger failures as domain errors; nil for anything else.
    static func deliveryConstraintError(_ error: any Error) -> StoreError? {
        guard let psql = error as? PSQLError, let code = psql.serverInfo?[.sqlState] else { return nil }
        let constraint = psql.serverInfo?[.constraintName] ?? ""
        if code == "55000" { return .conflict("the record is locked (confirmed, or its year's cost share is fixed)") }
        if code == "23505", constraint == "work_records_one_per_staff_post_date" {
            return .conflict("a work record for this staff member, post and date already exists")
        }
        if code == "23503", constraint.hasPrefix("work_records_") {
            return .conflict("the staff member or the post no longer exists")
        }
        return nil
    }
}

extension PostgresQuery.StringInterpolation {
    /// The conditions of every work-record list (`w` the record, `p` its post): the consortium, what the caller may
    /// see and the filter, written once for the page, the whole list and the count.
    mutating func appendInterpolation(recordsOf consortium: UUID, visibleTo scope: (municipality: String?, staff: UUID?),
                                      matching filter: WorkRecordFilter) throws {
        appendLiteral("w.consortium_id = "); appendInterpolation(consortium)
        func condition<V: PostgresThrowingDynamicTypeEncodable>(_ value: V?, _ type: String, _ test: String) throws {
            appendLiteral("\n  AND ("); try appendInterpolation(value)
            appendLiteral("::\(type) IS NULL OR \(test) "); try appendInterpolation(value); appendLiteral(")")
        }
        try condition(scope.municipality, "text", "p.municipality_code =")
        try condition(scope.staff, "uuid", "w.staff_id =")
        try condition(filter.from, "date", "w.date >=")
        try condition(filter.to, "date", "w.date <=")
        try condition(filter.municipality, "text", "p.municipality_code =")
        try condition(filter.staff, "uuid", "w.staff_id =")
        try condition(filter.post, "uuid", "w.post_id =")
        try condition(filter.status, "text", "w.status =")
    }
}
