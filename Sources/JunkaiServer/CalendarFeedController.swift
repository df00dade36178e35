import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore
import NIOCore
import Synchronization

/// `GET /calendars/{secret}.ics`: a staff member's published assignments as an iCalendar feed.
///
/// Public (calendar apps cannot send bearer tokens): the unguessable secret in the URL is the credential,
/// and a replaced or unknown secret answers 404 like any unknown resource.
struct CalendarFeedController {
    let store: Store
    /// Rendered documents by feed, reused while the rows' fingerprint is unchanged.
    let rendered = RenderedFeeds()

    /// How far back the feed reaches: a half year of history is plenty for a calendar app.
    static let historyDays = 180
    /// How long a cancelled assignment stays in the feed (as STATUS:CANCELLED) after its cancellation, so
    /// subscribed clients see it disappear instead of keeping a stale copy.
    static let cancelledKeptSeconds: TimeInterval = 90 * 86_400
    static let calendarName = "Junkai 巡回予定"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("calendars/:file") { request, context -> Response in
            guard let secret = Self.secret(fromFile: context.parameters.get("file")) else { throw Problem.notFound }
            let now = Date()
            let from = JapanClock.today(now: now).adding(days: -Self.historyDays)
            guard let feed = try await store.calendarFeed(
                secret: secret, from: from, cancelledSince: now.addingTimeInterval(-Self.cancelledKeptSeconds),
                logger: context.logger) else {
                throw Problem.notFound
            }
            let etag = Self.etag(feed)
            if ETag.matches(request.headers[.ifNoneMatch], etag) { return ETag.notModified(etag) }
            let body = rendered.body(feed: feed.staff, etag: etag) {
                ByteBuffer(bytes: Self.calendar(feed).render())
            }
            return Response(status: .ok,
                            headers: [.contentType: "text/calendar; charset=utf-8", .eTag: etag,
                                      .cacheControl: "private, no-cache"],
                            body: .init(byteBuffer: body))
        }
    }

    /// The secret in `<secret>.ics`, or nil when the file name is not of that form.
    static func secret(fromFile file: String?) -> String? {
        guard let file, file.hasSuffix(".ics") else { return nil }
        let secret = file.dropLast(4)
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

/// The last rendered document of each feed with the fingerprint it was rendered from.
///
/// Exact, not a time-based cache: the rows are read on every request and the document is reused only when
/// their fingerprint (which covers every rendered field) is the same, so a change is never served stale,
/// whichever server instance made it. Bounded in bytes; when full it starts over.
final class RenderedFeeds: Sendable {
    static let maxBytes = 64 << 20

    private struct State {
        var documents: [UUID: (etag: String, body: ByteBuffer)] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())

    /// The document for `feed` at `etag`, rendering it with `render` when it is not the one kept.
    func body(feed: UUID, etag: String, render: () -> ByteBuffer) -> ByteBuffer {
        if let kept = state.withLock({ $0.documents[feed] }), kept.etag == etag { return kept.body }
        let body = render()
        state.withLock { s in
            if let old = s.documents[feed] { s.bytes -= old.body.readableBytes }
            if s.bytes + body.readableBytes > Self.maxBytes {
                s.documents.removeAll(keepingCapacity: true)
                s.bytes = 0
            }
            s.documents[feed] = (etag, body)
            s.bytes += body.readableBytes
        }
        return body
    }
}
