import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import Testing
@testable import JunkaiServer

/// Issue 9, point 7: feeds people read — what, where, whom to call, whose calendar; and a member's feed of who
/// comes when.
@Suite("Feed content")
struct FeedContentTests {
    static func feedLines(_ h: TestHelper, _ url: String) async throws -> [String] {
        let r = try await h.call(.get, try ScheduleTests.feedPath(url))
        #expect(r.status == .ok)
        return ICalendarTests.unfold(ICalendarTests.physicalLines(Array(r.body)))
    }

    @Test("a staff member's events say post @ member, with the request's note, the contact, the office and GEO")
    func staffFeedReads() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let root = "/v1/consortia/\(w.consortium)"
            let contact = try await h.call(.patch, root, token: w.coordinator, json: ["contact": "奈良DX共同任用事務局 0742-00-0000"])
            #expect(contact.json["contact"] as? String == "奈良DX共同任用事務局 0742-00-0000", "\(contact.text)")
            try await ScheduleWorld.sql("UPDATE posts SET code = 'NARA-1' WHERE id = \(w.naraPost)")
            try await ScheduleWorld.sql("""
                UPDATE municipalities SET address = '奈良県奈良市二条大路南1-1-1'
                WHERE consortium_id = \(w.consortium) AND code = \(ScheduleWorld.nara)
                """)
            let day = JapanClock.today().adding(days: 14)
            try await ScheduleWorld.sql("""
                INSERT INTO requests (consortium_id, post_id, date, kind, note, status)
                VALUES (\(w.consortium), \(w.naraPost), \(day), 'required', '庁内クラウド移行の打合せ', 'accepted')
                """)
            try await w.assign(w.staffA, w.naraPost, day)
            try await w.assign(w.staffA, w.koriyamaPost, day.adding(days: 1))
            let url = try #require(try await h.call(.post, "\(w.staffPath)/\(w.staffA)/calendar-feed",
                                                    token: w.staffAToken).json["url"] as? String)
            let text = try await Self.feedLines(h, url)
            #expect(text.contains("X-WR-CALNAME:巡回予定 — 山田 花子（スケジュール試験）"))
            #expect(text.contains("SUMMARY:窓口DX支援（NARA-1） @ 奈良市"))
            #expect(text.contains("DESCRIPTION:役職: 窓口DX支援（NARA-1）\\n団体: 奈良市\\n依頼メモ: 庁内クラウド移行の打合せ\\n"
                                  + "連絡先（スケジュール試験）: 奈良DX共同任用事務局 0742-00-0000"))
            #expect(text.contains("LOCATION:奈良市役所、奈良県奈良市二条大路南1-1-1"))
            #expect(text.contains("LOCATION:奈良県 大和郡山市役所"), "without an address the office is named")
            #expect(text.contains("GEO:34.685;135.804722"))
            // The day without a request has no note line.
            #expect(text.contains("DESCRIPTION:役職: データ利活用\\, 庁内研修\\n団体: 大和郡山市\\n"
                                  + "連絡先（スケジュール試験）: 奈良DX共同任用事務局 0742-00-0000"))
            // A change to the contact reaches the feed (new ETag, new text).
            _ = try await h.call(.patch, root, token: w.coordinator, json: ["contact": NSNull()])
            let after = try await Self.feedLines(h, url)
            #expect(!after.contains { $0.contains("連絡先") })
        }
    }

    @Test("a member's feed lists who comes when; issued by its desk or the coordinator, revocable, scoped")
    func municipalityFeed() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            let day = JapanClock.today().adding(days: 7)
            try await w.assign(w.staffA, w.naraPost, day)
            try await w.assign(w.staffB, w.naraPost, day.adding(days: 1), cancelled: true, sequence: 2)
            try await w.assign(w.staffB, w.koriyamaPost, day)
            let path = "\(w.municipalitiesPath)/\(ScheduleWorld.nara)/calendar-feed"
            #expect(try await h.call(.post, path, token: w.koriyamaToken).status == .notFound)
            #expect(try await h.call(.post, path, token: w.staffAToken).status == .forbidden)
            let issued = try await h.call(.post, path, token: w.naraToken)
            #expect(issued.status == .created)
            let url = try #require(issued.json["url"] as? String)
            #expect(issued.headers[.location] == url)
            #expect(url.contains("/calendars/jkm_"))
            let text = try await Self.feedLines(h, url)
            #expect(text.contains("X-WR-CALNAME:来庁予定 — 奈良市（スケジュール試験）"))
            #expect(text.filter { $0 == "BEGIN:VEVENT" }.count == 2, "only 奈良市's posts")
            #expect(text.contains("SUMMARY:山田 花子（窓口DX支援）"))
            #expect(text.contains("SUMMARY:佐藤 \"太郎\"（窓口DX支援）"))
            #expect(text.filter { $0.hasPrefix("STATUS:") } == ["STATUS:CONFIRMED", "STATUS:CANCELLED"])
            let uid = "UID:m\(ScheduleWorld.nara)-\(w.staffA.uuidString.lowercased())-\(w.naraPost.uuidString.lowercased())-"
                + "\(ICalendarWriter.date(day))@junkai"
            #expect(text.contains(uid))
            #expect(text.contains("LOCATION:奈良県 奈良市役所"))

            // A new URL replaces the old; revoking ends it.
            let second = try #require(try await h.call(.post, path, token: w.coordinator).json["url"] as? String)
            #expect(try await h.call(.get, try ScheduleTests.feedPath(url)).status == .notFound)
            #expect(try await h.call(.delete, path, token: w.naraToken).status == .noContent)
            #expect(try await h.call(.get, try ScheduleTests.feedPath(second)).status == .notFound)
            #expect(try await h.call(.delete, path, token: w.naraToken).status == .notFound)
        }
    }

    @Test func summariesNameThePlaceOnce() {
        let e = FeedEntry(post: UUID(), date: CivilDate(dayNumber: 21_000), cancelled: false, sequence: 0, updatedAt: Date(),
                          postTitle: "大和郡山市 RPA・ローコード開発支援", municipalityName: "大和郡山市", lat: 34.6, lon: 135.7,
                          postCode: "p0007")
        #expect(CalendarFeedController.role(e) == "RPA・ローコード開発支援（p0007）")
        let cal = CalendarFeedController.calendar(Feed(staff: UUID(), entries: [e]))
        #expect(cal.events.first?.summary == "RPA・ローコード開発支援（p0007） @ 大和郡山市")
        var bare = e
        bare.postTitle = "大和郡山市"
        #expect(CalendarFeedController.role(bare) == "大和郡山市（p0007）", "a title that is only the name stays")
    }

    @Test func officeNames() {
        #expect(CalendarFeedController.officeName("奈良市") == "奈良市役所")
        #expect(CalendarFeedController.officeName("斑鳩町") == "斑鳩町役場")
        #expect(CalendarFeedController.officeName("十津川村") == "十津川村役場")
        #expect(CalendarFeedController.officeName("千代田区") == "千代田区役所")
    }
}
