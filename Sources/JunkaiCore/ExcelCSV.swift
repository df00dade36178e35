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
