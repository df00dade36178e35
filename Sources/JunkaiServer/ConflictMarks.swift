import Foundation
import JunkaiCore
import JunkaiStore
import NIOCore

/// Marks conflicted days on the cached schedule answers and the calendar feed, beside what they already show.
enum ConflictMarks {
    /// A schedule answer with a `conflicts` array added (empty when none) and an ETag that covers it.
    static func mark(_ answer: CachedBody, _ conflicts: [ConflictRecord]) -> CachedBody {
        var body = answer.body
        // The schedule bodies are one JSON object: the key goes in before its closing brace.
        guard body.readableBytes > 1, body.getInteger(at: body.writerIndex - 1, as: UInt8.self) == UInt8(ascii: "}") else {
            return answer
        }
        body.moveWriterIndex(to: body.writerIndex - 1)
        body.writeStaticString(",\"conflicts\":")
        body.writeBytes(encoded(conflicts))
        body.writeStaticString("}")
        return CachedBody(etag: etag(answer.etag, conflicts), body: body)
    }

    /// The ETag of a representation built from `base` and the conflicts.
    static func etag(_ base: String, _ conflicts: [ConflictRecord]) -> String {
        if conflicts.isEmpty { return base }
        var f = Fingerprint("conflicts/1")
        f.add(base)
        f.add(Data(encoded(conflicts)).base64EncodedString())
        return f.etag
    }

    static func encoded(_ conflicts: [ConflictRecord]) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return Array((try? e.encode(conflicts)) ?? Data("[]".utf8))
    }

    /// A person's feed with each conflicted day marked (`X-JUNKAI-CONFLICT` names the rule and the change).
    static func mark(_ calendar: ICalendar, staff: UUID, _ conflicts: [ConflictRecord]) -> ICalendar {
        let s = staff.uuidString.lowercased()
        return mark(calendar, conflicts) { c in
            "\(s)-\(c.post.uuidString.lowercased())-\(ICalendarWriter.date(c.date))@junkai"
        }
    }

    /// A member's feed with each conflicted day at its posts marked.
    static func mark(_ calendar: ICalendar, municipality code: String, _ conflicts: [ConflictRecord]) -> ICalendar {
        mark(calendar, conflicts) { c in
            "m\(code)-\(c.staff.uuidString.lowercased())-\(c.post.uuidString.lowercased())-\(ICalendarWriter.date(c.date))@junkai"
        }
    }

    /// Marks the confirmed events whose UID (as `uid` makes it for a conflict) has conflicts.
    private static func mark(_ calendar: ICalendar, _ conflicts: [ConflictRecord],
                             uid: (ConflictRecord) -> String) -> ICalendar {
        var byUID: [String: String] = [:]
        for c in conflicts {
            let key = uid(c)
            byUID[key] = [byUID[key], "\(c.rule) \(c.change)"].compactMap { $0 }.joined(separator: ", ")
        }
        var out = calendar
        for i in out.events.indices where out.events[i].status == .confirmed {
            out.events[i].conflict = byUID[out.events[i].uid]
        }
        return out
    }
}
