import Foundation
import JunkaiCore
import NIOCore
import Testing
@testable import JunkaiServer

@Suite("ICalendar writer")
struct ICalendarTests {
    static func physicalLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                lines.append(current)
                current = []
                i += 2
            } else {
                current.append(bytes[i])
                i += 1
            }
        }
        #expect(current.isEmpty, "the document must end with CRLF")
        return lines
    }

    /// Undoes folding: a line that starts with a space continues the previous one.
    static func unfold(_ lines: [[UInt8]]) -> [String] {
        var out: [[UInt8]] = []
        for l in lines {
            if l.first == 0x20, !out.isEmpty { out[out.count - 1].append(contentsOf: l.dropFirst()) } else { out.append(l) }
        }
        return out.map { String(decoding: $0, as: UTF8.self) }
    }

    static let stamp = Date(timeIntervalSince1970: 1_811_000_000)  // 2027-05-22T15:33:20Z

    static func event(summary: String = "DX推進 @ 奈良市", location: String? = "奈良市",
                      status: ICalendar.Event.Status = .confirmed) -> ICalendar.Event {
        ICalendar.Event(uid: "a-b-20270405@junkai", stamp: stamp, date: CivilDate(iso: "2027-04-05")!, sequence: 3,
                        summary: summary, location: location, geo: GeoPoint(lat: 34.685087, lon: 135.805),
                        status: status)
    }

    @Test func everyLineEndsWithCRLFAndNoBareLineFeedRemains() {
        let bytes = ICalendar(name: "巡回", events: [Self.event(summary: "line1\nline2\r\nline3")]).render()
        for (i, b) in bytes.enumerated() where b == 0x0A {
            #expect(i > 0 && bytes[i - 1] == 0x0D, "LF at \(i) without CR")
        }
        for (i, b) in bytes.enumerated() where b == 0x0D {
            #expect(i + 1 < bytes.count && bytes[i + 1] == 0x0A, "CR at \(i) without LF")
        }
        #expect(Array(bytes.suffix(2)) == [0x0D, 0x0A])
    }

    @Test func calendarHeaderHasTheRequiredProperties() {
        let lines = Self.unfold(Self.physicalLines(ICalendar(name: "Junkai 巡回予定", events: []).render()))
        #expect(lines == [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Junkai//Junkai rotation schedule//JA",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:Junkai 巡回予定", "X-WR-TIMEZONE:Asia/Tokyo",
            "END:VCALENDAR",
        ])
    }

    @Test func allDayEventHasEveryPropertyWithDtendTheNextDay() {
        let lines = Self.unfold(Self.physicalLines(ICalendar(name: "x", events: [Self.event()]).render()))
        let begin = try! #require(lines.firstIndex(of: "BEGIN:VEVENT"))
        let end = try! #require(lines.firstIndex(of: "END:VEVENT"))
        #expect(Array(lines[begin...end]) == [
            "BEGIN:VEVENT", "UID:a-b-20270405@junkai", "DTSTAMP:20270522T153320Z",
            "DTSTART;VALUE=DATE:20270405", "DTEND;VALUE=DATE:20270406", "SEQUENCE:3",
            "SUMMARY:DX推進 @ 奈良市", "LOCATION:奈良市", "GEO:34.685087;135.805", "STATUS:CONFIRMED", "END:VEVENT",
        ])
    }

    @Test func dtendCrossesMonthAndYearEnds() {
        var e = Self.event()
        e.date = CivilDate(iso: "2027-12-31")!
        let lines = Self.unfold(Self.physicalLines(ICalendar(name: "x", events: [e]).render()))
        #expect(lines.contains("DTEND;VALUE=DATE:20280101"))
        e.date = CivilDate(iso: "2028-02-28")!
        #expect(Self.unfold(Self.physicalLines(ICalendar(name: "x", events: [e]).render()))
            .contains("DTEND;VALUE=DATE:20280229"))
    }

    @Test func cancelledEventSaysSo() {
        let text = ICalendar(name: "x", events: [Self.event(status: .cancelled)]).renderString()
        #expect(text.contains("\r\nSTATUS:CANCELLED\r\n"))
        #expect(!text.contains("STATUS:CONFIRMED"))
    }

    @Test func textEscapesBackslashSemicolonCommaAndNewlines() {
        #expect(ICalendarWriter.escapeText(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendarWriter.escapeText("一行目\n二行目\r\n三行目\r四") == #"一行目\n二行目\n三行目\n四"#)
        #expect(ICalendarWriter.escapeText("tab\tok\u{7}bell") == "tab\tokbell")
        // Colons and double quotes need no escaping in TEXT values.
        #expect(ICalendarWriter.escapeText("時刻: \"9:00\"") == "時刻: \"9:00\"")
    }

    @Test func escapedSummaryRoundTripsThroughTheDocument() {
        let text = ICalendar(name: "x", events: [Self.event(summary: "会議室A;B, 2F\\東")]).renderString()
        #expect(Self.unfold(Self.physicalLines(Array(text.utf8))).contains(#"SUMMARY:会議室A\;B\, 2F\\東"#))
    }

    @Test func asciiLineFoldsAtExactly75Octets() {
        var out: [UInt8] = []
        let content = Array(String(repeating: "a", count: 200).utf8)
        ICalendarWriter.fold(content, into: &out)
        let lines = Self.physicalLines(out)
        #expect(lines.map(\.count) == [75, 75, 52])  // 75, then a space + 74, then a space + the last 51
        #expect(lines[1].first == 0x20 && lines[2].first == 0x20)
        #expect(Self.unfold(lines) == [String(repeating: "a", count: 200)])
    }

    @Test func lineOfExactly75OctetsIsNotFolded() {
        var out: [UInt8] = []
        ICalendarWriter.fold(Array(String(repeating: "x", count: 75).utf8), into: &out)
        #expect(Self.physicalLines(out).map(\.count) == [75])
        out = []
        ICalendarWriter.fold(Array(String(repeating: "x", count: 76).utf8), into: &out)
        #expect(Self.physicalLines(out).map(\.count) == [75, 2])
    }

    @Test func japaneseTextFoldsWithoutSplittingACharacter() {
        // "SUMMARY:" is 8 octets; each kanji is 3. 8 + 22*3 = 74, so the 23rd kanji would end at octet 77:
        // the first line must stop at 74 octets, before it.
        let summary = String(repeating: "巡", count: 60)
        let bytes = ICalendar(name: "x", events: [Self.event(summary: summary)]).render()
        let lines = Self.physicalLines(bytes)
        for line in lines {
            #expect(line.count <= 75)
            #expect(String(validating: line, as: UTF8.self) != nil, "a line split a character")
        }
        let summaryLines = lines.drop { !$0.starts(with: Array("SUMMARY:".utf8)) }.prefix(3)
        #expect(summaryLines.map(\.count) == [74, 73, 43])  // 22 kanji; space + 24 = 73 (25 would be 76); the last 14
        #expect(Self.unfold(lines).contains("SUMMARY:" + summary))
    }

    @Test func mixedWidthTextFoldsAtTheLastCharacterBoundaryBefore75() {
        // 73 ASCII octets then a 3-octet character: it would end at 76, so the break comes after octet 73.
        var out: [UInt8] = []
        let text = String(repeating: "a", count: 73) + "東京" + "b"
        ICalendarWriter.fold(Array(text.utf8), into: &out)
        let lines = Self.physicalLines(out)
        #expect(lines.map(\.count) == [73, 1 + 7])
        #expect(Self.unfold(lines) == [text])
        // Four-octet characters (emoji) are kept whole too.
        out = []
        let emoji = String(repeating: "b", count: 72) + "😀" + "c"
        ICalendarWriter.fold(Array(emoji.utf8), into: &out)
        #expect(Self.physicalLines(out).map(\.count) == [72, 1 + 5])
        #expect(Self.unfold(Self.physicalLines(out)) == [emoji])
    }

    @Test func utcStampsAndDatesAreFormattedExactly() {
        #expect(ICalendarWriter.utcDateTime(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(ICalendarWriter.utcDateTime(Date(timeIntervalSince1970: 1_811_000_000.9)) == "20270522T153320Z")
        #expect(ICalendarWriter.utcDateTime(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
        #expect(ICalendarWriter.date(CivilDate(iso: "2028-02-29")!) == "20280229")
    }

    @Test func floatsNeverUseExponents() {
        #expect(ICalendarWriter.float(34.685087) == "34.685087")
        #expect(ICalendarWriter.float(135.0) == "135.0")
        #expect(ICalendarWriter.float(0.00001) == "0.00001")
        #expect(ICalendarWriter.float(-0.5) == "-0.5")
        #expect(ICalendarWriter.float(-0.0000001) == "0.0")
    }

    @Test func feedEventsUseStableUidsAndSummaryFromRows() {
        let staff = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
        let post = UUID(uuidString: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")!
        let entry = FeedEntryFixture.make(post: post, date: "2027-05-06", cancelled: true)
        let cal = CalendarFeedController.calendar(.init(staff: staff, entries: [entry]))
        #expect(cal.events.count == 1)
        #expect(cal.events[0].uid == "11111111-2222-3333-4444-555555555555-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-20270506@junkai")
        #expect(cal.events[0].summary == "窓口DX支援 @ 奈良市")
        #expect(cal.events[0].status == .cancelled)
        #expect(cal.events[0].sequence == 2)
        // The tag follows the content: a new sequence is a new tag, the same rows the same tag.
        let same = CalendarFeedController.etag(.init(staff: staff, entries: [entry]))
        #expect(same == CalendarFeedController.etag(.init(staff: staff, entries: [entry])))
        var changed = entry
        changed.sequence += 1
        #expect(same != CalendarFeedController.etag(.init(staff: staff, entries: [changed])))
    }

    @Test func cachedFeedStaysRightUntilItsOldestCancellationLeavesTheWindow() {
        let staff = UUID()
        let stamp = Date(timeIntervalSince1970: 1_800_000_000)
        func entry(_ day: Int, cancelled: Bool, updated: TimeInterval) -> FeedEntry {
            FeedEntry(post: UUID(), date: CivilDate(dayNumber: 20_900 + day), cancelled: cancelled, sequence: 1,
                      updatedAt: stamp.addingTimeInterval(updated), postTitle: "窓口DX支援", municipalityName: "奈良市",
                      lat: 34.685, lon: 135.8047222)
        }
        let confirmedOnly = Feed(staff: staff, entries: [entry(1, cancelled: false, updated: 0)])
        #expect(CalendarFeedController.validUntil(confirmedOnly) == .distantFuture)
        let mixed = Feed(staff: staff, entries: [entry(1, cancelled: true, updated: 500), entry(2, cancelled: false, updated: 0),
                                                 entry(3, cancelled: true, updated: 100)])
        #expect(CalendarFeedController.validUntil(mixed)
                == stamp.addingTimeInterval(100 + CalendarFeedController.cancelledKeptSeconds))
    }

    @Test func feedSecretMustBeAnIcsFileOfUrlSafeCharacters() {
        #expect(CalendarFeedController.secret(fromFile: "jkc_abc-DEF_123.ics") == "jkc_abc-DEF_123")
        #expect(CalendarFeedController.secret(fromFile: "jkc_abc") == nil)
        #expect(CalendarFeedController.secret(fromFile: ".ics") == nil)
        #expect(CalendarFeedController.secret(fromFile: "a b.ics") == nil)
        #expect(CalendarFeedController.secret(fromFile: String(repeating: "a", count: 200) + ".ics") == nil)
        #expect(CalendarFeedController.secret(fromFile: nil) == nil)
    }
}

import JunkaiStore

enum FeedEntryFixture {
    static func make(post: UUID, date: String, cancelled: Bool) -> FeedEntry {
        FeedEntry(post: post, date: CivilDate(iso: date)!, cancelled: cancelled, sequence: 2,
                  updatedAt: Date(timeIntervalSince1970: 1_811_000_000), postTitle: "窓口DX支援",
                  municipalityName: "奈良市", lat: 34.685087, lon: 135.804994)
    }
}
