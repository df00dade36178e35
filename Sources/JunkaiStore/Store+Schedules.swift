import Foundation
import JunkaiCore
import PostgresNIO

/// One confirmed published assignment as a staff member's schedule shows it.
public struct StaffScheduleEntry: Sendable, Equatable {
    public var date: CivilDate
    public var post: UUID
    public var postTitle: String
    public var municipality: String
    public var municipalityName: String
    public var lat: Double
    public var lon: Double
    public var postCode: String?

    public init(date: CivilDate, post: UUID, postTitle: String, municipality: String, municipalityName: String,
                lat: Double, lon: Double, postCode: String? = nil) {
        self.date = date; self.post = post; self.postTitle = postTitle; self.municipality = municipality
        self.municipalityName = municipalityName; self.lat = lat; self.lon = lon; self.postCode = postCode
    }

    public var postLabel: String { PostLabel.label(title: postTitle, code: postCode) }
}

/// One confirmed published assignment as a municipality's schedule shows it.
public struct MunicipalityScheduleEntry: Sendable, Equatable {
    public var date: CivilDate
    public var post: UUID
    public var postTitle: String
    public var staff: UUID
    public var staffName: String
    public var postCode: String?

    public init(date: CivilDate, post: UUID, postTitle: String, staff: UUID, staffName: String, postCode: String? = nil) {
        self.date = date; self.post = post; self.postTitle = postTitle; self.staff = staff; self.staffName = staffName
        self.postCode = postCode
    }

    public var postLabel: String { PostLabel.label(title: postTitle, code: postCode) }
}

/// One confirmed published assignment as the consortium-wide schedule shows it.
public struct ConsortiumScheduleEntry: Sendable, Equatable {
    public var date: CivilDate
    public var municipality: String
    public var municipalityName: String
    public var post: UUID
    public var postTitle: String
    public var postCode: String?
    public var staff: UUID
    public var staffName: String

    public var postLabel: String { PostLabel.label(title: postTitle, code: postCode) }
}

// The schedule routes are the hot read path: each is one named prepared statement (parsed and planned once
// per connection, not per request) that both checks the subject exists in the consortium and reads its rows.
// The subject is the driving row and the assignments are LEFT JOINed, so "no such staff" (no row) and "no
// assignments" (one row of NULLs) come back in the same round trip. After five executions PostgreSQL settles
// on the generic plan, which reads a staff member's confirmed days through the partial unique index
// published_one_place_a_day (staff_id, date) and a municipality's through posts_by_municipality and
// published_by_post_date.

struct StaffScheduleStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT a.date, a.post_id, p.title, p.municipality_code, m.name, m.lat, m.lon, p.code
        FROM staff s
        LEFT JOIN (published_assignments a
                   JOIN posts p ON p.id = a.post_id
                   JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code)
               ON a.consortium_id = s.consortium_id AND a.staff_id = s.id
              AND a.date BETWEEN $3 AND $4 AND a.status = 'confirmed'
        WHERE s.consortium_id = $1 AND s.id = $2
        ORDER BY a.date, a.post_id
        """
    typealias Row = (CivilDate?, UUID?, String?, String?, String?, Double?, Double?, String?)

    var consortium: UUID
    var staff: UUID
    var from: CivilDate
    var to: CivilDate

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 4)
        b.append(consortium)
        b.append(staff)
        b.append(from)
        b.append(to)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

struct MunicipalityScheduleStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT a.date, a.post_id, p.title, a.staff_id, st.name, p.code
        FROM municipalities m
        LEFT JOIN (posts p
                   JOIN published_assignments a
                     ON a.consortium_id = p.consortium_id AND a.post_id = p.id
                    AND a.date BETWEEN $3 AND $4 AND a.status = 'confirmed'
                   JOIN staff st ON st.id = a.staff_id)
               ON p.consortium_id = m.consortium_id AND p.municipality_code = m.code
        WHERE m.consortium_id = $1 AND m.code = $2::bpchar
        ORDER BY a.date, p.title, p.code, a.post_id
        """
    typealias Row = (CivilDate?, UUID?, String?, UUID?, String?, String?)

    var consortium: UUID
    var municipality: String
    var from: CivilDate
    var to: CivilDate

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 4)
        b.append(consortium)
        b.append(municipality)
        b.append(from)
        b.append(to)
        return b
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension Store {
    /// The staff member's confirmed published assignments from `from` through `to`, by date;
    /// nil when the staff member is not in the consortium.
    public func staffSchedule(consortium: UUID, staff: UUID, from: CivilDate, to: CivilDate,
                              logger: Logger) async throws -> [StaffScheduleEntry]? {
        try await mappingStoreErrors {
            let rows = try await client.execute(
                StaffScheduleStatement(consortium: consortium, staff: staff, from: from, to: to), logger: logger)
            var found = false
            var out: [StaffScheduleEntry] = []
            for try await (date, post, title, code, name, lat, lon, postCode) in rows {
                found = true
                guard let date, let post, let title, let code, let name, let lat, let lon else { continue }
                out.append(StaffScheduleEntry(date: date, post: post, postTitle: title, municipality: code,
                                              municipalityName: name, lat: lat, lon: lon, postCode: postCode))
            }
            return found ? out : nil
        }
    }

    /// Who comes to the municipality on each confirmed published date from `from` through `to`;
    /// nil when the municipality is not a member of the consortium.
    public func municipalitySchedule(consortium: UUID, municipality: String, from: CivilDate, to: CivilDate,
                                     logger: Logger) async throws -> [MunicipalityScheduleEntry]? {
        try await mappingStoreErrors {
            let rows = try await client.execute(
                MunicipalityScheduleStatement(consortium: consortium, municipality: municipality, from: from, to: to),
                logger: logger)
            var found = false
            var out: [MunicipalityScheduleEntry] = []
            for try await (date, post, title, staff, name, postCode) in rows {
                found = true
                guard let date, let post, let title, let staff, let name else { continue }
                out.append(MunicipalityScheduleEntry(date: date, post: post, postTitle: title, staff: staff,
                                                     staffName: name, postCode: postCode))
            }
            return found ? out : nil
        }
    }

    /// Every member's confirmed published assignments from `from` through `to`, by date, municipality code and
    /// post; nil when the consortium does not exist.
    public func consortiumSchedule(consortium: UUID, from: CivilDate, to: CivilDate,
                                   logger: Logger) async throws -> [ConsortiumScheduleEntry]? {
        try await mappingStoreErrors {
            let rows = try await client.query("""
                SELECT a.date, p.municipality_code, m.name, a.post_id, p.title, p.code, a.staff_id, st.name
                FROM consortia c
                LEFT JOIN (published_assignments a
                           JOIN posts p ON p.id = a.post_id
                           JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code
                           JOIN staff st ON st.id = a.staff_id)
                       ON a.consortium_id = c.id AND a.date BETWEEN \(from) AND \(to) AND a.status = 'confirmed'
                WHERE c.id = \(consortium)
                ORDER BY a.date, p.municipality_code, p.title, p.code, a.post_id
                """, logger: logger)
            var found = false
            var out: [ConsortiumScheduleEntry] = []
            for try await (date, code, municipalityName, post, title, postCode, staff, staffName)
                in rows.decode((CivilDate?, String?, String?, UUID?, String?, String?, UUID?, String?).self) {
                found = true
                guard let date, let code, let municipalityName, let post, let title, let staff, let staffName else { continue }
                out.append(ConsortiumScheduleEntry(date: date, municipality: code, municipalityName: municipalityName,
                                                   post: post, postTitle: title, postCode: postCode, staff: staff,
                                                   staffName: staffName))
            }
            return found ? out : nil
        }
    }

    /// The consortium's own closed dates (閉庁日), which the working-day calendar adds to the national rules.
    public func consortiumClosedDates(_ consortium: UUID, logger: Logger) async throws -> Set<CivilDate> {
        try await mappingStoreErrors {
            let rows = try await client.query(
                "SELECT closed_dates FROM consortia WHERE id = \(consortium)", logger: logger)
            for try await dates in rows.decode([CivilDate].self) { return Set(dates) }
            throw StoreError.notFound("consortium not found")
        }
    }

    /// Runs a pool call and maps constraint failures to `StoreError`, as `connection` does.
    func mappingStoreErrors<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw StoreError.from(error) ?? error }
    }
}
