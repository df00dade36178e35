import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore
import NIOCore

/// `GET /calendars/{secret}.ics`: a staff member's published assignments as an iCalendar feed.
///
/// Public (calendar apps cannot send bearer tokens): the unguessable secret in the URL is the credential,
/// and a replaced or unknown secret answers 404 like any unknown resource.
struct CalendarFeedController {
    let store: Store
    let caches: ReadCaches

    /// How far back the feed reaches: a half year of history is plenty for a calendar app.
    static let historyDays = 180
    /// How long a cancelled assignment stays in the feed (as STATUS:CANCELLED) after its cancellation, so
    /// subscribed clients see it disappear instead of keeping a stale copy.
    static let cancelledKeptSeconds: TimeInterval = 90 * 86_400
    static let calendarName = "Junkai 巡回予定"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("calendars/{feedToken}.ics") { request, context -> Response in
            guard let secret = Self.secret(context.parameters.get("feedToken")) else { throw Problem.notFound }
            let now = Date()
            let today = JapanClock.today(now: now)
            let hash = Secret.hash(secret)
            // Besides changes to the data, the document changes with the day (the window's start) and when its
            // oldest cancellation leaves the window.
            let feed = try await caches.feeds.value(hash, usable: { $0.today == today && now < $0.validUntil }) {
                guard let feed = try await store.calendarFeed(
                    tokenHash: hash, from: today.adding(days: -Self.historyDays),
                    cancelledSince: now.addingTimeInterval(-Self.cancelledKeptSeconds), logger: context.logger) else {
                    throw Problem.notFound
                }
                let marks = try await store.staffConflicts(staff: feed.staff, today: today)
                return CachedFeed(etag: ConflictMarks.etag(Self.etag(feed), marks),
                                  body: ByteBuffer(bytes: ConflictMarks.mark(Self.calendar(feed), staff: feed.staff, marks).render()),
                                  today: today, validUntil: Self.validUntil(feed))
            }
            if ETag.matches(request.headers[.ifNoneMatch], feed.etag) { return ETag.notModified(feed.etag) }
            return Response(status: .ok,
                            headers: [.contentType: "text/calendar; charset=utf-8", .eTag: feed.etag,
                                      .cacheControl: "private, no-cache"],
                            body: .init(byteBuffer: feed.body))
        }
    }

    /// When the feed's document would change without any change to the data: the moment its oldest
    /// cancelled assignment leaves the window (the day's change is checked apart).
    static func validUntil(_ feed: Feed) -> Date {
        feed.entries.lazy.filter(\.cancelled).map { $0.updatedAt.addingTimeInterval(cancelledKeptSeconds) }
            .min() ?? .distantFuture
    }

    /// The secret in `<secret>.ics`, or nil when the file name is not of that form.
    static func secret(fromFile file: String?) -> String? {
        guard let file, file.hasSuffix(".ics") else { return nil }
        return secret(String(file.dropLast(4)))
    }

    /// `candidate` when it can be a feed secret, else nil.
    static func secret(_ candidate: String?) -> String? {
        guard let secret = candidate else { return nil }
        // Secrets are URL-safe base64 with a prefix; anything else cannot be one, so spare the database.
        guard !secret.isEmpty, secret.utf8.count <= 128,
              secret.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0)
                                       || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            return nil
        }
        return String(secret)
    }

    /// The feed's document: one all-day event per assignment, cancelled ones marked so.
    static func calendar(_ feed: Feed) -> ICalendar {
        let staff = feed.staff.uuidString.lowercased()
        let events = feed.entries.map { e in
            ICalendar.Event(
                uid: "\(staff)-\(e.post.uuidString.lowercased())-\(ICalendarWriter.date(e.date))@junkai",
                stamp: e.updatedAt, date: e.date, sequence: e.sequence,
                summary: "\(e.postTitle) @ \(e.municipalityName)", location: e.municipalityName,
                geo: GeoPoint(lat: e.lat, lon: e.lon), status: e.cancelled ? .cancelled : .confirmed)
        }
        return ICalendar(name: calendarName, events: events)
    }

    /// A strong tag from every field the document is rendered from.
    static func etag(_ feed: Feed) -> String {
        var f = Fingerprint("calendar-feed/1")
        f.add(feed.staff)
        for e in feed.entries {
            f.add(e.post); f.add(e.date); f.add(e.cancelled); f.add(e.sequence); f.add(e.updatedAt)
            f.add(e.postTitle); f.add(e.municipalityName); f.add(e.lat); f.add(e.lon)
        }
        return f.etag
    }
}
