import Foundation
import JunkaiCore
import PostgresNIO

/// One published assignment as the staff member's calendar feed shows it, cancelled ones included.
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

    public init(post: UUID, date: CivilDate, cancelled: Bool, sequence: Int, updatedAt: Date, postTitle: String,
                municipalityName: String, lat: Double, lon: Double) {
        self.post = post; self.date = date; self.cancelled = cancelled; self.sequence = sequence
        self.updatedAt = updatedAt; self.postTitle = postTitle; self.municipalityName = municipalityName
        self.lat = lat; self.lon = lon
    }
}

/// What a calendar feed secret opens: whose feed it is and the rows to publish.
public struct Feed: Sendable {
    public var staff: UUID
    public var entries: [FeedEntry]

    public init(staff: UUID, entries: [FeedEntry]) { self.staff = staff; self.entries = entries }
}

// The feed is polled by every subscribed calendar client: one named prepared statement resolves the secret
// and reads the rows (the feed row drives, the assignments are LEFT JOINed, so an unknown secret is no row).
struct CalendarFeedStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT f.staff_id, a.post_id, a.date, a.status = 'cancelled', a.sequence, a.updated_at,
               p.title, m.name, m.lat, m.lon
        FROM calendar_feeds f
        LEFT JOIN (published_assignments a
                   JOIN posts p ON p.id = a.post_id
                   JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code)
               ON a.consortium_id = f.consortium_id AND a.staff_id = f.staff_id AND a.date >= $2
              AND (a.status = 'confirmed' OR a.updated_at >= $3)
        WHERE f.token_hash = $1
        ORDER BY a.date, a.post_id
        """
    typealias Row = (UUID, UUID?, CivilDate?, Bool?, Int?, Date?, String?, String?, Double?, Double?)

    var tokenHash: Data
    var from: CivilDate
    var cancelledSince: Date

    func makeBindings() throws -> PostgresBindings {
        var b = PostgresBindings(capacity: 3)
        try b.append(tokenHash)
        b.append(from)
        b.append(cancelledSince)
        return b
    }

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

    /// The feed behind a secret's SHA-256: assignments dated `from` or later, confirmed ones and those cancelled since
    /// `cancelledSince`, by date; nil when the secret is unknown or was replaced.
    public func calendarFeed(tokenHash: Data, from: CivilDate, cancelledSince: Date,
                             logger: Logger) async throws -> Feed? {
        let statement = CalendarFeedStatement(tokenHash: tokenHash, from: from, cancelledSince: cancelledSince)
        return try await mappingStoreErrors {
            let rows = try await client.execute(statement, logger: logger)
            var feed: Feed?
            for try await (staff, post, date, cancelled, sequence, updatedAt, title, name, lat, lon) in rows {
                if feed == nil { feed = Feed(staff: staff, entries: []) }
                guard let post, let date, let cancelled, let sequence, let updatedAt, let title, let name,
                      let lat, let lon else { continue }
                feed?.entries.append(FeedEntry(post: post, date: date, cancelled: cancelled, sequence: sequence,
                                               updatedAt: updatedAt, postTitle: title, municipalityName: name,
                                               lat: lat, lon: lon))
            }
            return feed
        }
    }
}
