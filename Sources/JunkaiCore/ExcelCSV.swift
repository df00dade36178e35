import Foundation

/// CSV as Excel opens it without an import dialog: UTF-8 with a byte-order mark, CRLF line ends, and RFC 4180
/// quoting (a field holding a comma, a double quote, CR or LF is enclosed in double quotes, quotes doubled).
public enum ExcelCSV {
    /// The UTF-8 byte-order mark that makes Excel read the file as UTF-8 rather than Shift_JIS.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// One field: numbers and codes pass as they are; text is quoted when it must be.
    public enum Field: Sendable, Hashable {
        /// Free text, quoted when it holds `,` `"` CR or LF. One that starts with `=`, `+`, `-` or `@` (a formula to
        /// Excel) is prefixed with `'` so that opening the file never evaluates what someone typed.
        case text(String)
        /// Text known not to be a formula (codes, dates, ids, labels chosen by the program): only quoted when needed.
        case plain(String)
        case int(Int64)
        /// An id, lowercase (`uuidString.lowercased()`), written without building the string.
        case uuid(UUID)
        /// `YYYY-MM-DD`, as `CivilDate.iso`.
        case date(CivilDate)
        /// An instant as Japan's local time (UTC+9), as a desk reads it: `2027-04-06 17:30:05`.
        case japanTime(Date)
        case empty
    }

    /// Appends one record (its fields and CRLF) to `out`.
    public static func appendRecord(_ fields: [Field], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            switch field {
            case .text(let s):
                if let first = s.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
                    appendEscaped("'" + s, to: &out)
                } else {
                    appendEscaped(s, to: &out)
                }
            case .plain(let s): appendEscaped(s, to: &out)
            case .int(let n): out.append(contentsOf: String(n).utf8)
            case .uuid(let id): appendUUID(id, to: &out)
            case .date(let d): appendDate(d, to: &out)
            case .japanTime(let t): appendJapanTime(t, to: &out)
            case .empty: break
            }
        }
        out.append(contentsOf: lineEnd)
    }

    /// A whole document: byte-order mark, the header, then the rows.
    public static func document(header: [String], rows: [[Field]]) -> [UInt8] {
        var out = byteOrderMark
        appendRecord(header.map(Field.plain), to: &out)
        for row in rows { appendRecord(row, to: &out) }
        return out
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `id` as lowercase text, as `.uuid` writes it.
    public static func appendUUID(_ id: UUID, to out: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { bytes in
            for (i, byte) in bytes.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// `value` (≥ 0) in decimal, left-padded with zeros to `width` digits.
    static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        // Least significant digit first, then the zeros, then the whole run reversed in place.
        let start = out.count
        var v = value
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        while out.count - start < width { out.append(UInt8(ascii: "0")) }
        out[start...].reverse()
    }

    /// `YYYY-MM-DD`, as `.date` writes it.
    public static func appendDate(_ date: CivilDate, to out: inout [UInt8]) {
        let (y, m, d) = date.components
        appendDigits(y, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(m, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(d, width: 2, to: &out)
    }

    /// Japan's local time, as `.japanTime` writes it.
    public static func appendJapanTime(_ date: Date, to out: inout [UInt8]) {
        let seconds = Int((date.timeIntervalSince1970 + 9 * 3600).rounded(.down))
        let day = CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let s = ((seconds % 86_400) + 86_400) % 86_400
        appendDate(day, to: &out)
        out.append(UInt8(ascii: " "))
        appendDigits(s / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(s / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(s % 60, width: 2, to: &out)
    }

    /// RFC 4180: enclose in double quotes when the field holds a comma, a quote, CR or LF; double the quotes.
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        let needsQuotes = utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        guard needsQuotes else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    /// A field from UTF-8 bytes as they are (a database's text, never made a `String`): the bytes `.text` (with
    /// `formulaGuard`) or `.plain` writes for the same text.
    public static func appendField(utf8 bytes: UnsafeRawBufferPointer, formulaGuard: Bool, to out: inout [UInt8]) {
        var needsQuotes = false
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A {
            needsQuotes = true
            break
        }
        // `=`, `+`, `-`, `@` are ASCII: the first byte is the first scalar's only byte exactly when it is one of them.
        let guarded = formulaGuard && bytes.first.map { $0 == 0x3D || $0 == 0x2B || $0 == 0x2D || $0 == 0x40 } == true
        if needsQuotes { out.append(0x22) }
        if guarded { out.append(UInt8(ascii: "'")) }
        if needsQuotes {
            for byte in bytes {
                if byte == 0x22 { out.append(0x22) }
                out.append(byte)
            }
            out.append(0x22)
        } else {
            out.append(contentsOf: bytes)
        }
    }

    /// Parses RFC 4180 text (after an optional byte-order mark) into records of fields: the inverse of the writer,
    /// used to check round trips. Nil when a quoted field is not closed or a quote appears inside an unquoted field.
    public static func parse(_ bytes: [UInt8]) -> [[String]]? {
        var i = bytes.starts(with: byteOrderMark) ? 3 : 0
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var atFieldStart = true
        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let b = bytes[i]
            if atFieldStart && b == 0x22 {
                // A quoted field: up to the closing quote, "" standing for one quote.
                i += 1
                var closed = false
                while i < bytes.count {
                    if bytes[i] == 0x22 {
                        if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    field.append(bytes[i])
                    i += 1
                }
                guard closed else { return nil }
                atFieldStart = false
                guard i == bytes.count || bytes[i] == 0x2C || bytes[i] == 0x0D || bytes[i] == 0x0A else { return nil }
                continue
            }
            switch b {
            case 0x2C:
                endField()
                atFieldStart = true
                i += 1
            case 0x0D, 0x0A:
                endField()
                records.append(record)
                record = []
                atFieldStart = true
                i += (b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) ? 2 : 1
            case 0x22:
                return nil
            default:
                field.append(b)
                atFieldStart = false
                i += 1
            }
        }
        if !atFieldStart || !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}
