import Foundation
import JunkaiCore

/// An iCalendar (RFC 5545) document of all-day events, as the calendar feeds publish it.
///
/// Rendering is a pure function of the value: no clock, no time zone, no locale.
public struct ICalendar: Sendable, Equatable {
    /// One all-day VEVENT.
    public struct Event: Sendable, Equatable {
        public enum Status: String, Sendable { case confirmed = "CONFIRMED", cancelled = "CANCELLED" }

        /// Globally unique and stable for the life of the assignment.
        public var uid: String
        /// When the event last changed (DTSTAMP, written in UTC).
        public var stamp: Date
        /// The day of the event: DTSTART is this date, DTEND the next (DTEND is exclusive).
        public var date: CivilDate
        /// Raised on every change so clients replace their copy.
        public var sequence: Int
        public var summary: String
        /// DESCRIPTION: the event's details, lines separated by "\n".
        public var detail: String?
        public var location: String?
        public var geo: GeoPoint?
        public var status: Status
        /// Set when a later change makes the published day break a hard rule: written as X-JUNKAI-CONFLICT.
        public var conflict: String?

        public init(uid: String, stamp: Date, date: CivilDate, sequence: Int, summary: String, detail: String? = nil,
                    location: String? = nil, geo: GeoPoint? = nil, status: Status = .confirmed) {
            self.uid = uid; self.stamp = stamp; self.date = date; self.sequence = sequence
            self.summary = summary; self.detail = detail; self.location = location; self.geo = geo; self.status = status
        }
    }

    public var productID: String
    /// X-WR-CALNAME: the name clients show for the subscription.
    public var name: String
    /// X-WR-TIMEZONE: informative only, all-day dates carry no time zone.
    public var timeZone: String
    public var events: [Event]

    public init(productID: String = "-//Junkai//Junkai rotation schedule//JA", name: String,
                timeZone: String = "Asia/Tokyo", events: [Event]) {
        self.productID = productID; self.name = name; self.timeZone = timeZone; self.events = events
    }

    /// The document as UTF-8 bytes: CRLF line ends, lines folded at 75 octets.
    public func render() -> [UInt8] {
        var w = ICalendarWriter()
        w.reserve(512 + events.count * 400)
        w.line("BEGIN", "VCALENDAR")
        w.line("VERSION", "2.0")
        w.line("PRODID", ICalendarWriter.escapeText(productID))
        w.line("CALSCALE", "GREGORIAN")
        w.line("METHOD", "PUBLISH")
        w.line("X-WR-CALNAME", ICalendarWriter.escapeText(name))
        w.line("X-WR-TIMEZONE", ICalendarWriter.escapeText(timeZone))
        for e in events {
            w.line("BEGIN", "VEVENT")
            w.line("UID", ICalendarWriter.escapeText(e.uid))
            w.line("DTSTAMP", ICalendarWriter.utcDateTime(e.stamp))
            w.line("DTSTART;VALUE=DATE", ICalendarWriter.date(e.date))
            w.line("DTEND;VALUE=DATE", ICalendarWriter.date(e.date.adding(days: 1)))
            w.line("SEQUENCE", String(max(0, e.sequence)))
            w.line("SUMMARY", ICalendarWriter.escapeText(e.summary))
            if let detail = e.detail { w.line("DESCRIPTION", ICalendarWriter.escapeText(detail)) }
            if let location = e.location { w.line("LOCATION", ICalendarWriter.escapeText(location)) }
            if let geo = e.geo {
                w.line("GEO", ICalendarWriter.float(geo.lat) + ";" + ICalendarWriter.float(geo.lon))
            }
            w.line("STATUS", e.status.rawValue)
            if let conflict = e.conflict { w.line("X-JUNKAI-CONFLICT", ICalendarWriter.escapeText(conflict)) }
            w.line("END", "VEVENT")
        }
        w.line("END", "VCALENDAR")
        return w.bytes
    }

    /// The document as a string (for tests and logs).
    public func renderString() -> String { String(decoding: render(), as: UTF8.self) }
}

/// The RFC 5545 lexical rules: content lines, folding, TEXT escaping and value formats.
public struct ICalendarWriter: Sendable {
    /// The longest content line in octets, without its CRLF (RFC 5545 §3.1).
    public static let maxLineOctets = 75

    public private(set) var bytes: [UInt8] = []

    public init() {}

    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }

    /// Appends `NAME:value` (name may carry parameters) as one folded content line.
    public mutating func line(_ name: String, _ value: String) {
        var content = Array(name.utf8)
        content.append(UInt8(ascii: ":"))
        content.append(contentsOf: value.utf8)
        Self.fold(content, into: &bytes)
    }

    /// Appends one logical line folded so that no physical line exceeds 75 octets, never splitting a
    /// UTF-8 sequence; each continuation starts with one space, which counts towards its 75 octets.
    public static func fold(_ content: [UInt8], into out: inout [UInt8]) {
        var start = 0
        var limit = maxLineOctets
        while content.count - start > limit {
            var cut = start + limit
            // Back up to the first byte of a character: continuation bytes are 10xxxxxx.
            while cut > start && content[cut] & 0xC0 == 0x80 { cut -= 1 }
            // A malformed run of continuation bytes longer than a line: cut anyway rather than loop.
            if cut == start { cut = start + limit }
            out.append(contentsOf: content[start..<cut])
            out.append(contentsOf: [0x0D, 0x0A, 0x20])
            start = cut
            limit = maxLineOctets - 1
        }
        out.append(contentsOf: content[start...])
        out.append(contentsOf: [0x0D, 0x0A])
    }

    /// A TEXT value: backslash, semicolon and comma escaped, any line break as `\n`, other controls dropped.
    public static func escapeText(_ text: String) -> String {
        // Most titles and names need no escaping: skip the rebuild for them (the feed is a hot path).
        if !text.utf8.contains(where: { $0 == 0x5C || $0 == 0x3B || $0 == 0x2C || $0 < 0x20 || $0 == 0x7F }) {
            return text
        }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for s in text.unicodeScalars {
            defer { previousWasCR = s == "\r" }
            switch s {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ";": out.append(contentsOf: "\\;".unicodeScalars)
            case ",": out.append(contentsOf: "\\,".unicodeScalars)
            case "\r": out.append(contentsOf: "\\n".unicodeScalars)
            case "\n": if !previousWasCR { out.append(contentsOf: "\\n".unicodeScalars) }
            case "\t": out.append(s)
            default:
                // TEXT excludes the controls (RFC 5545 §3.3.11 and §3.1 CONTROL).
                if s.value < 0x20 || s.value == 0x7F { continue }
                out.append(s)
            }
        }
        return String(out)
    }

    /// A DATE value, `YYYYMMDD`.
    public static func date(_ d: CivilDate) -> String {
        let (y, m, day) = d.components
        return pad(y, 4) + pad(m, 2) + pad(day, 2)
    }

    /// A UTC DATE-TIME value, `YYYYMMDDTHHMMSSZ`, truncated to the second.
    public static func utcDateTime(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        return date(CivilDate(dayNumber: days)) + "T" + pad(rest / 3600, 2) + pad(rest / 60 % 60, 2)
            + pad(rest % 60, 2) + "Z"
    }

    /// A FLOAT value in plain decimal notation with at most 6 decimals (never an exponent).
    public static func float(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let micro = Int((abs(x) * 1_000_000).rounded())
        var fraction = pad(micro % 1_000_000, 6)
        while fraction.count > 1 && fraction.hasSuffix("0") { fraction.removeLast() }
        return (x < 0 && micro != 0 ? "-" : "") + String(micro / 1_000_000) + "." + fraction
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
