import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore
import NIOCore

/// `GET /calendars/{secret}.ics`: a staff member's published assignments, or who comes to a member municipality,
/// as an iCalendar feed.
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
    static let calendarName = "巡回予定"

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
                    secret: secret, from: today.adding(days: -Self.historyDays),
                    cancelledSince: now.addingTimeInterval(-Self.cancelledKeptSeconds), logger: context.logger) else {
                    throw Problem.notFound
                }
                // Each conflicted day is marked: a person's own, or those at the member's posts.
                var calendar = Self.calendar(feed)
                var marks: [ConflictRecord] = []
                switch feed.owner {
                case .staff(let staff):
                    marks = try await store.staffConflicts(staff: staff, today: today)
                    calendar = ConflictMarks.mark(calendar, staff: staff, marks)
                case .municipality(let code):
                    if let consortium = feed.consortium {
                        marks = try await store.conflicts(consortium: consortium, scope: .municipality(code), today: today)
                        calendar = ConflictMarks.mark(calendar, municipality: code, marks)
                    }
                }
                return CachedFeed(etag: ConflictMarks.etag(Self.etag(feed), marks),
                                  body: ByteBuffer(bytes: calendar.render()),
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

    /// The feed's document: one all-day event per assignment, cancelled ones marked so. A staff member's events
    /// read `役職 @ 団体名`, a member's `氏名（役職）`; each carries the post, the accepted request's note and the
    /// coordinator's contact, the office as LOCATION and its position as GEO. The calendar is named after the
    /// person or member and the consortium.
    static func calendar(_ feed: Feed) -> ICalendar {
        let events = feed.entries.map { e in
            let uid: String
            let summary: String
            var lines: [String] = []
            switch feed.owner {
            case .staff(let staff):
                uid = "\(staff.uuidString.lowercased())-\(e.post.uuidString.lowercased())-\(ICalendarWriter.date(e.date))@junkai"
                summary = "\(role(e)) @ \(e.municipalityName)"
                lines.append("役職: \(role(e))")
                lines.append("団体: \(e.municipalityName)")
            case .municipality(let code):
                uid = "m\(code)-\((e.staff ?? UUID()).uuidString.lowercased())-\(e.post.uuidString.lowercased())-"
                    + "\(ICalendarWriter.date(e.date))@junkai"
                summary = "\(e.staffName)（\(role(e))）"
                lines.append("担当者: \(e.staffName)")
                lines.append("役職: \(role(e))")
            }
            if let note = e.requestNote, !note.isEmpty { lines.append("依頼メモ: \(note)") }
            if let contact = feed.contact { lines.append("連絡先（\(feed.consortiumName)）: \(contact)") }
            return ICalendar.Event(
                uid: uid, stamp: e.updatedAt, date: e.date, sequence: e.sequence, summary: summary,
                detail: lines.joined(separator: "\n"), location: officeLocation(e),
                geo: GeoPoint(lat: e.lat, lon: e.lon), status: e.cancelled ? .cancelled : .confirmed)
        }
        return ICalendar(name: calendarName(feed), events: events)
    }

    /// The post's label without the member's name when the title starts with it (「奈良市 CIO補佐官」 at 奈良市 is
    /// 「CIO補佐官」), so that a summary names the place once.
    static func role(_ e: FeedEntry) -> String {
        var title = Substring(e.postTitle)
        if !e.municipalityName.isEmpty, title.hasPrefix(e.municipalityName) {
            let rest = title.dropFirst(e.municipalityName.count).drop { $0 == " " || $0 == "　" }
            if !rest.isEmpty { title = rest }
        }
        return PostLabel.label(title: String(title), code: e.postCode)
    }

    /// `巡回予定 — 氏名（協議会名）` for a person, `来庁予定 — 団体名（協議会名）` for a member.
    static func calendarName(_ feed: Feed) -> String {
        let what: String
        switch feed.owner {
        case .staff: what = calendarName
        case .municipality: what = "来庁予定"
        }
        guard !feed.ownerName.isEmpty else { return what }
        return feed.consortiumName.isEmpty ? "\(what) — \(feed.ownerName)" : "\(what) — \(feed.ownerName)（\(feed.consortiumName)）"
    }

    /// The member's office: its address when given, else its name (奈良県 奈良市役所, 奈良県 斑鳩町役場).
    static func officeLocation(_ e: FeedEntry) -> String {
        let office = officeName(e.municipalityName)
        guard let address = e.address else { return e.prefecture.isEmpty ? office : "\(e.prefecture) \(office)" }
        return "\(office)、\(address)"
    }

    /// 市 → 市役所, 区 → 区役所, 町・村 → 町役場・村役場; anything else as it is.
    static func officeName(_ name: String) -> String {
        if name.hasSuffix("市") || name.hasSuffix("区") { return name + "役所" }
        if name.hasSuffix("町") || name.hasSuffix("村") { return name + "役場" }
        return name
    }

    /// A strong tag from every field the document is rendered from.
    static func etag(_ feed: Feed) -> String {
        var f = Fingerprint("calendar-feed/2")
        switch feed.owner {
        case .staff(let staff): f.add("staff"); f.add(staff)
        case .municipality(let code): f.add("municipality"); f.add(code)
        }
        f.add(feed.ownerName); f.add(feed.consortiumName); f.add(feed.contact ?? "")
        for e in feed.entries {
            f.add(e.post); f.add(e.date); f.add(e.cancelled); f.add(e.sequence); f.add(e.updatedAt)
            f.add(e.postTitle); f.add(e.postCode ?? ""); f.add(e.municipalityName); f.add(e.lat); f.add(e.lon)
            f.add(e.prefecture); f.add(e.address ?? ""); f.add(e.staff.map(\.uuidString) ?? ""); f.add(e.staffName)
            f.add(e.requestNote ?? "")
        }
        return f.etag
    }
}
