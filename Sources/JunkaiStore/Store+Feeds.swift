import Foundation
import JunkaiCore
import PostgresNIO

/// One published assignment as a calendar feed shows it, cancelled ones included.
public struct FeedEntry: Sendable, Equatable {
    public var post: UUID
    public var date: CivilDate
    public var cancelled: Bool
    public var sequence: Int
    public var updatedAt: Date
    public var postTitle: String
    public var municipalityName: String
    public var lat: Double
    public var lon: Double
    public var postCode: String?
    public var municipality: String
    public var prefecture: String
    /// The member's office address, when the coordinator gave one.
    public var address: String?
    /// Who comes (a municipality's feed lists several people).
    public var staff: UUID?
    public var staffName: String
    /// The note of the accepted request this day answers (free text: never logged).
    public var requestNote: String?

    public init(post: UUID, date: CivilDate, cancelled: Bool, sequence: Int, updatedAt: Date, postTitle: String,
                municipalityName: String, lat: Double, lon: Double, postCode: String? = nil, municipality: String = "",
                prefecture: String = "", address: String? = nil, staff: UUID? = nil, staffName: String = "",
                requestNote: String? = nil) {
        self.post = post; self.date = date; self.cancelled = cancelled; self.sequence = sequence
        self.updatedAt = updatedAt; self.postTitle = postTitle; self.municipalityName = municipalityName
        self.lat = lat; self.lon = lon; self.postCode = postCode; self.municipality = municipality
        self.prefecture = prefecture; self.address = address; self.staff = staff; self.staffName = staffName
        self.requestNote = requestNote
    }

    public var postLabel: String { PostLabel.label(title: postTitle, code: postCode) }
}

/// What a calendar feed secret opens: whose feed it is, the consortium's name and contact, and the rows.
public struct Feed: Sendable {
    public enum Owner: Sendable, Equatable {
        case staff(UUID)
        case municipality(String)
    }

    public var owner: Owner
    /// The person's or the member's name, which names the calendar.
    public var ownerName: String
    public var consortiumName: String
    public var contact: String?
    public var entries: [FeedEntry]
    /// The member's consortium (a municipality code alone is not unique across consortia); nil for a person's feed.
    public var consortium: UUID?

    public init(owner: Owner, ownerName: String = "", consortiumName: String = "", contact: String? = nil,
                entries: [FeedEntry]) {
        self.owner = owner; self.ownerName = ownerName; self.consortiumName = consortiumName; self.contact = contact
        self.entries = entries
    }

    public init(staff: UUID, entries: [FeedEntry]) { self.init(owner: .staff(staff), entries: entries) }
}

// Feeds are polled by every subscribed calendar client: one named prepared statement resolves the secret and reads
// the rows (the feed row drives, the assignments are LEFT JOINed, so an unknown secret is no row). The accepted
// request of the same post and date (at most one: requests_one_open) brings its note.
struct CalendarFeedStatement: FeedStatement {
    static let sql = """
        SELECT f.staff_id, s.name, c.name, c.contact,
               a.post_id, a.date, a.status = 'cancelled', a.sequence, a.updated_at,
               p.title, p.code, p.municipality_code, m.name, m.prefecture, m.address, m.lat, m.lon, r.note
        FROM calendar_feeds f
        JOIN staff s ON s.id = f.staff_id
        JOIN consortia c ON c.id = f.consortium_id
        LEFT JOIN (published_assignments a
                   JOIN posts p ON p.id = a.post_id
                   JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code
                   LEFT JOIN requests r ON r.post_id = a.post_id AND r.date = a.date AND r.status = 'accepted')
               ON a.consortium_id = f.consortium_id AND a.staff_id = f.staff_id AND a.date >= $2
              AND (a.status = 'confirmed' OR a.updated_at >= $3)
        WHERE f.token_hash = $1
        ORDER BY a.date, a.post_id
        """
    typealias Row = (UUID, String, String, String?, UUID?, CivilDate?, Bool?, Int?, Date?, String?, String?, String?,
                     String?, String?, String?, Double?, Double?, String?)

    var tokenHash: Data
    var from: CivilDate
    var cancelledSince: Date

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// A member's feed: who comes to its posts on which date.
struct MunicipalityFeedStatement: FeedStatement {
    static let sql = """
        SELECT f.municipality_code, m.name, c.name, c.contact, f.consortium_id,
               a.post_id, a.date, a.status = 'cancelled', a.sequence, a.updated_at,
               p.title, p.code, m.prefecture, m.address, m.lat, m.lon, a.staff_id, st.name, r.note
        FROM municipality_calendar_feeds f
        JOIN municipalities m ON m.consortium_id = f.consortium_id AND m.code = f.municipality_code
        JOIN consortia c ON c.id = f.consortium_id
        LEFT JOIN (published_assignments a
                   JOIN posts p ON p.id = a.post_id
                   JOIN staff st ON st.id = a.staff_id
                   LEFT JOIN requests r ON r.post_id = a.post_id AND r.date = a.date AND r.status = 'accepted')
               ON a.consortium_id = f.consortium_id AND p.municipality_code = f.municipality_code AND a.date >= $2
              AND (a.status = 'confirmed' OR a.updated_at >= $3)
        WHERE f.token_hash = $1
        ORDER BY a.date, p.title, p.code, a.post_id, a.staff_id
        """
    typealias Row = (String, String, String, String?, UUID, UUID?, CivilDate?, Bool?, Int?, Date?, String?, String?,
                     String?, String?, Double?, Double?, UUID?, String?, String?)

    var tokenHash: Data
    var from: CivilDate
    var cancelledSince: Date

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

extension Store {
    /// Issues a calendar feed secret for the staff member, replacing any earlier one (whose URL stops working);
    /// returns the secret, shown once. Throws notFound when the staff member is not in the consortium.
    public func issueCalendarFeed(consortium: UUID, staff: UUID, by who: Principal) async throws -> String {
        let secret = Secret.generate(prefix: "jkc_")
        let hash = Secret.hash(secret)
        return try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO calendar_feeds (staff_id, consortium_id, token_hash)
                SELECT s.id, s.consortium_id, \(hash) FROM staff s
                WHERE s.consortium_id = \(consortium) AND s.id = \(staff)
                ON CONFLICT (staff_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
                RETURNING staff_id
                """, logger: logger)
            guard try await rows.decode(UUID.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("staff member not found")
            }
            try await conn.audit(who, consortium: consortium, action: "issue", resource: "calendar-feed",
                                 id: staff.uuidString, logger: logger)
            return secret
        }
    }

    /// Revokes the staff member's calendar feed; throws notFound when there is none.
    public func revokeCalendarFeed(consortium: UUID, staff: UUID, by who: Principal) async throws {
        try await transaction { conn in
            let rows = try await conn.query("""
                DELETE FROM calendar_feeds WHERE consortium_id = \(consortium) AND staff_id = \(staff)
                RETURNING staff_id
                """, logger: logger)
            guard try await rows.decode(UUID.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("no calendar feed for this staff member")
            }
            try await conn.audit(who, consortium: consortium, action: "revoke", resource: "calendar-feed",
                                 id: staff.uuidString, logger: logger)
        }
    }

    /// Issues a member's calendar feed secret (who comes when), replacing any earlier one; notFound for a non-member.
    public func issueMunicipalityCalendarFeed(consortium: UUID, municipality code: String, by who: Principal) async throws -> String {
        let secret = Secret.generate(prefix: Self.municipalityFeedPrefix)
        let hash = Secret.hash(secret)
        return try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO municipality_calendar_feeds (consortium_id, municipality_code, token_hash)
                SELECT m.consortium_id, m.code, \(hash) FROM municipalities m
                WHERE m.consortium_id = \(consortium) AND m.code = \(code)
                ON CONFLICT (consortium_id, municipality_code) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
                RETURNING municipality_code
                """, logger: logger)
            guard try await rows.decode(String.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("municipality not found")
            }
            try await conn.audit(who, consortium: consortium, action: "issue", resource: "municipality-calendar-feed",
                                 id: code, logger: logger)
            return secret
        }
    }

    /// Revokes a member's calendar feed; notFound when there is none.
    public func revokeMunicipalityCalendarFeed(consortium: UUID, municipality code: String, by who: Principal) async throws {
        try await transaction { conn in
            let rows = try await conn.query("""
                DELETE FROM municipality_calendar_feeds WHERE consortium_id = \(consortium) AND municipality_code = \(code)
                RETURNING municipality_code
                """, logger: logger)
            guard try await rows.decode(String.self).first(where: { _ in true }) != nil else {
                throw StoreError.notFound("no calendar feed for this municipality")
            }
            try await conn.audit(who, consortium: consortium, action: "revoke", resource: "municipality-calendar-feed",
                                 id: code, logger: logger)
        }
    }

    /// Members' feed secrets start so; staff feeds' with `jkc_`.
    public static let municipalityFeedPrefix = "jkm_"

    /// The feed behind a secret's SHA-256: assignments dated `from` or later, confirmed ones and those cancelled since
    /// `cancelledSince`, by date; nil when the secret is unknown or was replaced. `secret` picks the kind of feed.
    public func calendarFeed(secret: String, from: CivilDate, cancelledSince: Date, logger: Logger) async throws -> Feed? {
        let hash = Secret.hash(secret)
        if secret.hasPrefix(Self.municipalityFeedPrefix) {
            return try await municipalityFeed(tokenHash: hash, from: from, cancelledSince: cancelledSince, logger: logger)
        }
        return try await calendarFeed(tokenHash: hash, from: from, cancelledSince: cancelledSince, logger: logger)
    }

    /// A staff member's feed behind a secret's SHA-256.
    public func calendarFeed(tokenHash: Data, from: CivilDate, cancelledSince: Date,
                             logger: Logger) async throws -> Feed? {
        let statement = CalendarFeedStatement(tokenHash: tokenHash, from: from, cancelledSince: cancelledSince)
        return try await mappingStoreErrors {
            let rows = try await client.execute(statement, logger: logger)
            var feed: Feed?
            for try await (staff, staffName, consortiumName, contact, post, date, cancelled, sequence, updatedAt, title,
                           postCode, code, name, prefecture, address, lat, lon, note) in rows {
                if feed == nil {
                    feed = Feed(owner: .staff(staff), ownerName: staffName, consortiumName: consortiumName,
                                contact: contact, entries: [])
                }
                guard let post, let date, let cancelled, let sequence, let updatedAt, let title, let code, let name,
                      let prefecture, let lat, let lon else { continue }
                feed?.entries.append(FeedEntry(post: post, date: date, cancelled: cancelled, sequence: sequence,
                                               updatedAt: updatedAt, postTitle: title, municipalityName: name,
                                               lat: lat, lon: lon, postCode: postCode, municipality: code,
                                               prefecture: prefecture, address: address, staff: staff,
                                               staffName: staffName, requestNote: note))
            }
            return feed
        }
    }

    /// A member's feed behind a secret's SHA-256.
    public func municipalityFeed(tokenHash: Data, from: CivilDate, cancelledSince: Date,
                                 logger: Logger) async throws -> Feed? {
        let statement = MunicipalityFeedStatement(tokenHash: tokenHash, from: from, cancelledSince: cancelledSince)
        return try await mappingStoreErrors {
            let rows = try await client.execute(statement, logger: logger)
            var feed: Feed?
            for try await (code, name, consortiumName, contact, consortium, post, date, cancelled, sequence, updatedAt,
                           title, postCode, prefecture, address, lat, lon, staff, staffName, note) in rows {
                if feed == nil {
                    feed = Feed(owner: .municipality(code), ownerName: name, consortiumName: consortiumName,
                                contact: contact, entries: [])
                    feed?.consortium = consortium
                }
                guard let post, let date, let cancelled, let sequence, let updatedAt, let title, let prefecture,
                      let lat, let lon, let staff, let staffName else { continue }
                feed?.entries.append(FeedEntry(post: post, date: date, cancelled: cancelled, sequence: sequence,
                                               updatedAt: updatedAt, postTitle: title, municipalityName: name,
                                               lat: lat, lon: lon, postCode: postCode, municipality: code,
                                               prefecture: prefecture, address: address, staff: staff,
                                               staffName: staffName, requestNote: note))
            }
            return feed
        }
    }
}

/// A calendar feed's query: found by its secret's hash ($1), from a date ($2), with cancellations since ($3).
protocol FeedStatement: PostgresPreparedStatement {
    var tokenHash: Data { get }
    var from: CivilDate { get }
    var cancelledSince: Date { get }
}

extension FeedStatement {
    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 3)
        try b.append(tokenHash)
        b.append(from)
        b.append(cancelledSince)
        return b
    }
}
