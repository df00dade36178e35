import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import Logging
import PostgresNIO
import Testing
@testable import JunkaiServer

/// A consortium of two municipalities (奈良市, 大和郡山市), one post each, two staff members and a published
/// plan, written straight in SQL so these tests do not depend on the registry and publish routes.
struct ScheduleWorld: Sendable {
    static let nara = "292010"
    static let koriyama = "292036"

    var consortium: UUID
    var plan: UUID
    var naraPost: UUID
    var koriyamaPost: UUID
    var staffA: UUID
    var staffB: UUID
    var coordinator: String
    var staffAToken: String
    var staffBToken: String
    var naraToken: String
    var koriyamaToken: String

    /// Builds the world; `closed` are the consortium's closed dates.
    static func make(closed: [String] = [], naraPostTitle: String = "窓口DX支援") async throws -> ScheduleWorld {
        try await withStore { store in
            let logger = store.logger
            let ids = try await store.transaction { conn -> (UUID, UUID, UUID, UUID, UUID, UUID) in
                let closedDates = closed.compactMap { CivilDate(iso: $0) }
                let c = try await conn.query("""
                    INSERT INTO consortia (name, closed_dates) VALUES ('スケジュール試験', \(closedDates)) RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                try await conn.query("""
                    INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon) VALUES
                      (\(c), \(nara), '奈良市', '奈良県', 'ならし', 34.685, 135.8047222),
                      (\(c), \(koriyama), '大和郡山市', '奈良県', 'やまとこおりやまし', 34.64944444, 135.7827778)
                    """, logger: logger)
                let naraPost = try await conn.query("""
                    INSERT INTO posts (consortium_id, municipality_code, title, days_per_week)
                    VALUES (\(c), \(nara), \(naraPostTitle), 2) RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                let koriyamaPost = try await conn.query("""
                    INSERT INTO posts (consortium_id, municipality_code, title, days_per_week)
                    VALUES (\(c), \(koriyama), 'データ利活用, 庁内研修', 1) RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                let a = try await conn.query("""
                    INSERT INTO staff (consortium_id, name, home_lat, home_lon, max_days_per_week)
                    VALUES (\(c), '山田 花子', 34.68, 135.80, 4) RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                let b = try await conn.query("""
                    INSERT INTO staff (consortium_id, name, home_lat, home_lon, max_days_per_week)
                    VALUES (\(c), '佐藤 "太郎"', 34.65, 135.78, 3) RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                let plan = try await conn.query("""
                    INSERT INTO plans (consortium_id, name, period_start, period_end, status)
                    VALUES (\(c), 'test', '2027-04-01', '2028-03-31', 'published') RETURNING id
                    """, logger: logger).decode(UUID.self).firstRow()
                return (c, naraPost, koriyamaPost, a, b, plan)
            }
            let (c, naraPost, koriyamaPost, a, b, plan) = ids
            func token(_ role: Principal.Role, municipality: String? = nil, staff: UUID? = nil) async throws -> String {
                try await store.issueToken(role: role, consortium: c, municipality: municipality, staff: staff,
                                           label: "test", by: nil).token
            }
            return ScheduleWorld(
                consortium: c, plan: plan, naraPost: naraPost, koriyamaPost: koriyamaPost, staffA: a, staffB: b,
                coordinator: try await token(.coordinator), staffAToken: try await token(.staff, staff: a),
                staffBToken: try await token(.staff, staff: b), naraToken: try await token(.municipality, municipality: nara),
                koriyamaToken: try await token(.municipality, municipality: koriyama))
        }
    }

    /// Writes one published_assignments row as the publish step would leave it.
    func assign(_ staff: UUID, _ post: UUID, _ date: CivilDate, cancelled: Bool = false, sequence: Int = 0,
                updatedDaysAgo: Int = 0) async throws {
        let status = cancelled ? "cancelled" : "confirmed"
        try await withStore { store in
            try await store.client.query("""
                INSERT INTO published_assignments (consortium_id, staff_id, post_id, date, plan_id, status, sequence,
                                                   updated_at)
                VALUES (\(consortium), \(staff), \(post), \(date), \(plan), \(status), \(sequence),
                        now() - make_interval(days => \(updatedDaysAgo)::int))
                """, logger: store.logger)
        }
    }

    func assign(_ staff: UUID, _ post: UUID, _ iso: String, cancelled: Bool = false, sequence: Int = 0) async throws {
        try await assign(staff, post, try #require(CivilDate(iso: iso)), cancelled: cancelled, sequence: sequence)
    }

    /// Runs one statement against the test database (to change something behind the API's back).
    static func sql(_ query: PostgresQuery) async throws {
        try await withStore { store in try await store.client.query(query, logger: store.logger) }
    }

    var staffPath: String { "/v1/consortia/\(consortium)/staff" }
    var municipalitiesPath: String { "/v1/consortia/\(consortium)/municipalities" }
}

extension AsyncSequence where Self: Sendable {
    /// The first element; fails the fixture when the statement returned nothing.
    func firstRow() async throws -> Element {
        for try await e in self { return e }
        throw StoreError.notFound("the fixture statement returned no row")
    }
}

extension TestHelper.Reply {
    var assignments: [[String: Any]] { json["assignments"] as? [[String: Any]] ?? [] }
    var firstPointer: String? { (json["errors"] as? [[String: Any]])?.first?["pointer"] as? String }
}

@Suite("Schedules and calendar feeds", .needsDatabase)
struct ScheduleTests {
    @Test func staffScheduleListsConfirmedAssignmentsByDateWithPostAndPlace() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await w.assign(w.staffA, w.koriyamaPost, "2027-04-07")
            try await w.assign(w.staffA, w.naraPost, "2027-04-05")
            try await w.assign(w.staffA, w.naraPost, "2027-04-06", cancelled: true, sequence: 1)
            try await w.assign(w.staffA, w.naraPost, "2027-05-10")
            try await w.assign(w.staffB, w.naraPost, "2027-04-08")
            let path = "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-04-30"
            for token in [w.coordinator, w.staffAToken] {
                let r = try await h.call(.get, path, token: token)
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(r.json["staff"] as? String == w.staffA.uuidString)
                #expect(r.json["from"] as? String == "2027-04-01")
                #expect(r.json["to"] as? String == "2027-04-30")
                #expect(r.assignments.map { $0["date"] as? String } == ["2027-04-05", "2027-04-07"])
                let first = try #require(r.assignments.first)
                #expect(first["post"] as? String == w.naraPost.uuidString)
                #expect(first["postTitle"] as? String == "窓口DX支援")
                #expect(first["municipality"] as? String == ScheduleWorld.nara)
                #expect(first["municipalityName"] as? String == "奈良市")
                #expect(first["lat"] as? Double == 34.685)
                #expect(first["lon"] as? Double == 135.8047222)
                #expect(r.assignments.last?["postTitle"] as? String == "データ利活用, 庁内研修")
                #expect(r.assignments.last?["municipalityName"] as? String == "大和郡山市")
            }
            // A staff member with nothing published has an empty schedule, not a 404.
            let empty = try await h.call(.get, "\(w.staffPath)/\(w.staffB)/schedule?from=2027-06-01&to=2027-06-30",
                                         token: w.coordinator)
            #expect(empty.status == .ok)
            #expect(empty.assignments.isEmpty)
        }
    }

    @Test func staffScheduleIsScopedToTheCallersOwnScheduleAndConsortium() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let other = try await ScheduleWorld.make()
            try await w.assign(w.staffB, w.naraPost, "2027-04-08")
            let bPath = "\(w.staffPath)/\(w.staffB)/schedule?from=2027-04-01&to=2027-04-30"
            #expect(try await h.call(.get, bPath, token: w.staffAToken).status == .notFound)
            #expect(try await h.call(.get, bPath, token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, bPath, token: other.staffBToken).status == .notFound)
            #expect(try await h.call(.get, bPath, token: w.naraToken).status == .forbidden)
            #expect(try await h.call(.get, bPath).status == .unauthorized)
            // Another consortium's staff member through this consortium's path does not exist here.
            let foreign = "\(w.staffPath)/\(other.staffA)/schedule"
            #expect(try await h.call(.get, foreign, token: w.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.staffPath)/\(UUID())/schedule", token: w.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.staffPath)/not-a-uuid/schedule", token: w.coordinator).status == .notFound)
            #expect(try await h.call(.get, bPath, token: w.staffBToken).status == .ok)
            let admin = try await adminToken()
            #expect(try await h.call(.get, bPath, token: admin).status == .ok)
        }
    }

    @Test func municipalityScheduleShowsWhoComesOnWhichDate() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await w.assign(w.staffB, w.naraPost, "2027-04-08")
            try await w.assign(w.staffA, w.naraPost, "2027-04-05")
            try await w.assign(w.staffA, w.naraPost, "2027-04-06", cancelled: true)
            try await w.assign(w.staffA, w.koriyamaPost, "2027-04-07")
            let path = "\(w.municipalitiesPath)/\(ScheduleWorld.nara)/schedule?from=2027-04-01&to=2027-04-30"
            for token in [w.coordinator, w.naraToken] {
                let r = try await h.call(.get, path, token: token)
                #expect(r.status == .ok)
                #expect(r.json["municipality"] as? String == ScheduleWorld.nara)
                #expect(r.assignments.map { $0["date"] as? String } == ["2027-04-05", "2027-04-08"])
                #expect(r.assignments.map { $0["staff"] as? String } == [w.staffA.uuidString, w.staffB.uuidString])
                #expect(r.assignments.map { $0["staffName"] as? String } == ["山田 花子", "佐藤 \"太郎\""])
                #expect(r.assignments.first?["post"] as? String == w.naraPost.uuidString)
                #expect(r.assignments.first?["postTitle"] as? String == "窓口DX支援")
            }
            let koriyama = "\(w.municipalitiesPath)/\(ScheduleWorld.koriyama)/schedule?from=2027-04-01&to=2027-04-30"
            #expect(try await h.call(.get, koriyama, token: w.naraToken).status == .notFound)
            #expect(try await h.call(.get, koriyama, token: w.koriyamaToken).json["assignments"] != nil)
            #expect(try await h.call(.get, koriyama, token: w.staffAToken).status == .forbidden)
            let other = try await ScheduleWorld.make()
            #expect(try await h.call(.get, path, token: other.coordinator).status == .notFound)
            #expect(try await h.call(.get, path, token: other.naraToken).status == .notFound)
            // 生駒市 is a real code but no member of this consortium; a malformed code is no member either.
            #expect(try await h.call(.get, "\(w.municipalitiesPath)/292095/schedule", token: w.coordinator).status == .notFound)
            #expect(try await h.call(.get, "\(w.municipalitiesPath)/292011/schedule", token: w.coordinator).status == .notFound)
        }
    }

    @Test func rangeIsValidatedAndDefaultsToTheComingFourWeeks() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let base = "\(w.staffPath)/\(w.staffA)/schedule"
            let reversed = try await h.call(.get, base + "?from=2027-04-10&to=2027-04-09", token: w.coordinator)
            #expect(reversed.status == .unprocessableContent)
            #expect(reversed.firstPointer == "/to")
            #expect(reversed.headers[.contentType] == "application/problem+json")
            let long = try await h.call(.get, base + "?from=2027-04-01&to=2028-05-06", token: w.coordinator)
            #expect(long.status == .unprocessableContent)
            #expect(long.firstPointer == "/to")
            #expect(try await h.call(.get, base + "?from=2027-04-01&to=2028-05-05", token: w.coordinator).status == .ok)
            let bad = try await h.call(.get, base + "?from=2027-02-30", token: w.coordinator)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.firstPointer == "/from")
            let onlyFrom = try await h.call(.get, base + "?from=2027-04-10", token: w.coordinator)
            #expect(onlyFrom.json["to"] as? String == "2027-05-07")
            let onlyTo = try await h.call(.get, base + "?to=2028-02-10", token: w.coordinator)
            #expect(onlyTo.json["from"] as? String == "2028-01-14")
            let neither = try await h.call(.get, base, token: w.coordinator)
            let today = JapanClock.today()
            #expect(neither.json["from"] as? String == today.iso)
            #expect(neither.json["to"] as? String == today.adding(days: 27).iso)
            let m = try await h.call(.get, "\(w.municipalitiesPath)/\(ScheduleWorld.nara)/schedule?from=2027-05-01&to=2027-04-01",
                                     token: w.coordinator)
            #expect(m.status == .unprocessableContent)
        }
    }

    @Test func rangeDefaultsArePureFunctionsOfToday() throws {
        let today = try #require(CivilDate(iso: "2028-02-17"))
        let (f, t) = try SchedulesController.range(from: nil, to: nil, today: today)
        // An open range shows what is coming (four weeks from today), not the calendar month, which near its
        // end is mostly past.
        #expect(f.iso == "2028-02-17" && t.iso == "2028-03-15")
        let (f2, t2) = try SchedulesController.range(from: "2027-12-15", to: nil, today: today)
        #expect(f2.iso == "2027-12-15" && t2.iso == "2028-01-11")
        let (f3, t3) = try SchedulesController.range(from: nil, to: "2027-04-03", today: today)
        #expect(f3.iso == "2027-03-07" && t3.iso == "2027-04-03")
        #expect(throws: InvalidInput("/to", "must not be before from")) {
            try SchedulesController.range(from: "2027-05-01", to: "2027-04-30", today: today)
        }
        #expect(JapanClock.today(now: Date(timeIntervalSince1970: 1_806_505_200)).iso == "2027-04-01")  // 2027-03-31T15:00Z
        #expect(JapanClock.today(now: Date(timeIntervalSince1970: 1_806_505_199)).iso == "2027-03-31")
    }

    @Test func schedulesAnswer304ForAMatchingETagAndANewTagAfterAChange() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await w.assign(w.staffA, w.naraPost, "2027-04-05")
            let path = "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-04-30"
            let first = try await h.call(.get, path, token: w.staffAToken)
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
            #expect(try await h.call(.get, path, token: w.coordinator).headers[.eTag] == etag)
            for header in [etag, "W/\(etag)", "\"nope\", \(etag)", "*"] {
                let again = try await h.call(.get, path, token: w.staffAToken, headers: [.ifNoneMatch: header])
                #expect(again.status == .notModified, "If-None-Match: \(header)")
                #expect(again.body.isEmpty)
                #expect(again.headers[.eTag] == etag)
            }
            #expect(try await h.call(.get, path, token: w.staffAToken, headers: [.ifNoneMatch: "\"other\""]).status == .ok)
            // Another range is another representation.
            let may = try await h.call(.get, "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-05-31",
                                       token: w.staffAToken)
            #expect(may.headers[.eTag] != etag)
            // A renamed post changes the body, so the tag.
            try await ScheduleWorld.sql("UPDATE posts SET title = '窓口DX支援（改）' WHERE id = \(w.naraPost)")
            // (Written behind the server's back, as by another server: it hears of it by notification.)
            let renamed = try await eventually { try await h.call(.get, path, token: w.staffAToken, headers: [.ifNoneMatch: etag]) }
                until: { $0.status == .ok }
            #expect(renamed.status == .ok)
            #expect(renamed.assignments.first?["postTitle"] as? String == "窓口DX支援（改）")
            let renamedTag = try #require(renamed.headers[.eTag])
            #expect(renamedTag != etag)
            // A new assignment too, and for the municipality's view as well.
            let mPath = "\(w.municipalitiesPath)/\(ScheduleWorld.nara)/schedule?from=2027-04-01&to=2027-04-30"
            let mTag = try #require(try await h.call(.get, mPath, token: w.naraToken).headers[.eTag])
            #expect(try await h.call(.get, mPath, token: w.naraToken, headers: [.ifNoneMatch: mTag]).status == .notModified)
            try await w.assign(w.staffB, w.naraPost, "2027-04-09")
            let changed = try await eventually { try await h.call(.get, mPath, token: w.naraToken, headers: [.ifNoneMatch: mTag]) }
                until: { $0.status == .ok }
            #expect(changed.status == .ok)
            #expect(changed.assignments.count == 2)
            #expect(try await h.call(.get, path, token: w.staffAToken, headers: [.ifNoneMatch: renamedTag]).status
                == .notModified)
        }
    }

    // MARK: - Calendar feeds

    static func feedPath(_ url: String) throws -> String {
        #expect(url.hasPrefix("http://junkai.test/calendars/"))
        #expect(url.hasSuffix(".ics"))
        return String(url.dropFirst("http://junkai.test".count))
    }

    @Test func feedUrlIsIssuedAndReissuingRevokesTheOldOne() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let issuePath = "\(w.staffPath)/\(w.staffA)/calendar-feed"
            let first = try await h.call(.post, issuePath, token: w.staffAToken)
            #expect(first.status == .created)
            let firstPath = try Self.feedPath(try #require(first.json["url"] as? String))
            let feed = try await h.call(.get, firstPath)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            let second = try await h.call(.post, issuePath, token: w.coordinator)
            #expect(second.status == .created)
            let secondPath = try Self.feedPath(try #require(second.json["url"] as? String))
            #expect(secondPath != firstPath)
            #expect(try await h.call(.get, firstPath).status == .notFound)
            #expect(try await h.call(.get, secondPath).status == .ok)
            // Scope: another staff member, a municipality, another consortium.
            #expect(try await h.call(.post, issuePath, token: w.staffBToken).status == .notFound)
            #expect(try await h.call(.post, issuePath, token: w.naraToken).status == .forbidden)
            let other = try await ScheduleWorld.make()
            #expect(try await h.call(.post, issuePath, token: other.coordinator).status == .notFound)
            #expect(try await h.call(.post, "\(w.staffPath)/\(other.staffA)/calendar-feed", token: w.coordinator).status
                == .notFound)
            // Revoking ends the feed; revoking again finds nothing.
            #expect(try await h.call(.delete, issuePath, token: w.staffAToken).status == .noContent)
            #expect(try await h.call(.get, secondPath).status == .notFound)
            #expect(try await h.call(.delete, issuePath, token: w.staffAToken).status == .notFound)
            // Malformed and unknown feed names.
            #expect(try await h.call(.get, "/calendars/nothing.ics").status == .notFound)
            #expect(try await h.call(.get, "/calendars/\(secondPath.dropFirst("/calendars/".count).dropLast(4))").status
                == .notFound)
        }
    }

    @Test func feedHoldsOneAllDayEventPerAssignmentWithCancelledOnesForNinetyDays() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make(naraPostTitle: "自治体DX推進・窓口改革支援（デジタル田園都市国家構想交付金事業）")
            let today = JapanClock.today()
            let confirmed = today.adding(days: 7), recentCancel = today.adding(days: 8)
            let oldCancel = today.adding(days: 9), past = today.adding(days: -10), tooOld = today.adding(days: -200)
            try await w.assign(w.staffA, w.naraPost, confirmed, sequence: 2)
            try await w.assign(w.staffA, w.naraPost, recentCancel, cancelled: true, sequence: 3, updatedDaysAgo: 10)
            try await w.assign(w.staffA, w.koriyamaPost, oldCancel, cancelled: true, sequence: 1, updatedDaysAgo: 100)
            try await w.assign(w.staffA, w.koriyamaPost, past)
            try await w.assign(w.staffA, w.koriyamaPost, tooOld)
            try await w.assign(w.staffB, w.koriyamaPost, confirmed)
            let url = try #require(try await h.call(.post, "\(w.staffPath)/\(w.staffA)/calendar-feed",
                                                    token: w.staffAToken).json["url"] as? String)
            let r = try await h.call(.get, try Self.feedPath(url))
            #expect(r.status == .ok)
            let bytes = Array(r.body)
            for (i, b) in bytes.enumerated() where b == 0x0A { #expect(i > 0 && bytes[i - 1] == 0x0D) }
            let lines = ICalendarTests.physicalLines(bytes)
            #expect(lines.allSatisfy { $0.count <= 75 })
            #expect(lines.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
            let text = ICalendarTests.unfold(lines)
            #expect(text.first == "BEGIN:VCALENDAR" && text.last == "END:VCALENDAR")
            for required in ["VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-TIMEZONE:Asia/Tokyo"] {
                #expect(text.contains(required))
            }
            #expect(text.contains { $0.hasPrefix("PRODID:") } && text.contains { $0.hasPrefix("X-WR-CALNAME:") })
            let uids = text.filter { $0.hasPrefix("UID:") }
            let staff = w.staffA.uuidString.lowercased()
            func uid(_ post: UUID, _ d: CivilDate) -> String {
                "UID:\(staff)-\(post.uuidString.lowercased())-\(ICalendarWriter.date(d))@junkai"
            }
            #expect(uids == [uid(w.koriyamaPost, past), uid(w.naraPost, confirmed), uid(w.naraPost, recentCancel)])
            #expect(text.filter { $0 == "BEGIN:VEVENT" }.count == 3)
            #expect(text.filter { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("Z") && $0.count == 24 }.count == 3)
            #expect(text.filter { $0.hasPrefix("DTSTART;VALUE=DATE:") } == [past, confirmed, recentCancel].map {
                "DTSTART;VALUE=DATE:" + ICalendarWriter.date($0) })
            #expect(text.filter { $0.hasPrefix("DTEND;VALUE=DATE:") } == [past, confirmed, recentCancel].map {
                "DTEND;VALUE=DATE:" + ICalendarWriter.date($0.adding(days: 1)) })
            #expect(text.filter { $0.hasPrefix("SEQUENCE:") } == ["SEQUENCE:0", "SEQUENCE:2", "SEQUENCE:3"])
            #expect(text.filter { $0.hasPrefix("STATUS:") } == ["STATUS:CONFIRMED", "STATUS:CONFIRMED", "STATUS:CANCELLED"])
            #expect(text.contains("SUMMARY:データ利活用\\, 庁内研修 @ 大和郡山市"))
            #expect(text.contains("SUMMARY:自治体DX推進・窓口改革支援（デジタル田園都市国家構想交付金事業） @ 奈良市"))
            #expect(text.contains("LOCATION:奈良県 奈良市役所"))
            #expect(text.contains("GEO:34.685;135.804722"))
            // The long Japanese summary had to be folded.
            #expect(lines.contains { $0.first == 0x20 })
        }
    }

    @Test func feedAnswers304UntilAnAssignmentChanges() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let day = JapanClock.today().adding(days: 3)
            try await w.assign(w.staffA, w.naraPost, day)
            let url = try #require(try await h.call(.post, "\(w.staffPath)/\(w.staffA)/calendar-feed",
                                                    token: w.coordinator).json["url"] as? String)
            let path = try Self.feedPath(url)
            let etag = try #require(try await h.call(.get, path).headers[.eTag])
            let same = try await h.call(.get, path, headers: [.ifNoneMatch: etag])
            #expect(same.status == .notModified)
            #expect(same.body.isEmpty)
            // Cancelling raises the sequence: a new document, with the event kept as cancelled.
            try await ScheduleWorld.sql("""
                UPDATE published_assignments SET status = 'cancelled', sequence = sequence + 1, updated_at = now()
                WHERE staff_id = \(w.staffA) AND date = \(day)
                """)
            let changed = try await eventually { try await h.call(.get, path, headers: [.ifNoneMatch: etag]) }
                until: { $0.status == .ok }
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != etag)
            #expect(changed.text.contains("\r\nSEQUENCE:1\r\n"))
            #expect(changed.text.contains("\r\nSTATUS:CANCELLED\r\n"))
        }
    }
}
