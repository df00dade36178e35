import Foundation
import JunkaiCore
import JunkaiStore
import NIOCore
import Testing

@testable import JunkaiServer

@Suite("Conflict marks")
struct ConflictMarksTests {
    static let staff = UUID(uuidString: "00000000-0000-0000-0000-0000000000a1")!
    static let post = UUID(uuidString: "00000000-0000-0000-0000-0000000000b2")!
    /// A conflict as the API writes it.
    static func conflict() throws -> ConflictRecord {
        let json = """
            {"date": "2027-04-06", "staff": "\(staff)", "post": "\(post)", "postTitle": "DX推進", "municipality": "292010",
             "rule": "H4", "change": "unavailability", "causes": ["unavailable"], "detail": "unavailable", "detailJa": "不在日です"}
            """
        return try JSONDecoder().decode(ConflictRecord.self, from: Data(json.utf8))
    }

    @Test func aScheduleBodyGainsItsConflictsAndATagThatCoversThem() throws {
        let base = CachedBody(etag: "\"abc\"", body: ByteBuffer(string: #"{"assignments":[],"from":"2027-04-01"}"#))
        let marked = ConflictMarks.mark(base, [try Self.conflict()])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: marked.body)) as? [String: Any])
        #expect(json["from"] as? String == "2027-04-01")
        let items = try #require(json["conflicts"] as? [[String: Any]])
        #expect(items.map { $0["date"] as? String } == ["2027-04-06"])
        #expect(items.first?["change"] as? String == "unavailability")
        #expect(marked.etag != base.etag)

        let none = ConflictMarks.mark(base, [])
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(buffer: none.body)) as? [String: Any])
        #expect((empty["conflicts"] as? [Any])?.isEmpty == true)
        #expect(none.etag == base.etag, "no conflicts: the representation is a function of the rows alone")
    }

    @Test func onlyTheConflictedConfirmedEventOfTheFeedIsMarked() throws {
        let s = Self.staff.uuidString.lowercased(), p = Self.post.uuidString.lowercased()
        func event(_ day: String, _ status: ICalendar.Event.Status) -> ICalendar.Event {
            ICalendar.Event(uid: "\(s)-\(p)-\(day.replacingOccurrences(of: "-", with: ""))@junkai", stamp: Date(timeIntervalSince1970: 0),
                            date: CivilDate(iso: day)!, sequence: 0, summary: "DX推進 @ 奈良市", status: status)
        }
        let calendar = ICalendar(name: "test", events: [event("2027-04-06", .confirmed), event("2027-04-08", .confirmed)])
        let marked = ConflictMarks.mark(calendar, staff: Self.staff, [try Self.conflict()])
        #expect(marked.events.map(\.conflict) == ["H4 unavailability", nil])
        let text = marked.renderString()
        #expect(text.components(separatedBy: "X-JUNKAI-CONFLICT:H4 unavailability\r\n").count == 2)
        let cancelled = ICalendar(name: "test", events: [event("2027-04-06", .cancelled)])
        #expect(ConflictMarks.mark(cancelled, staff: Self.staff, [try Self.conflict()]).events.first?.conflict == nil,
                "a cancelled event is not a day anyone works")
    }
}
