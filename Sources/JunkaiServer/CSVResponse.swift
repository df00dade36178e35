import Foundation
import Hummingbird
import JunkaiCore
import NIOCore

/// `?format=csv` answers for Excel: `text/csv; charset=utf-8`, the bytes of `JunkaiCore.CSV`, and an attachment
/// filename in Japanese (RFC 6266 `filename*`, with an ASCII `filename` for old clients).
enum CSVResponse {
    static let contentType = "text/csv; charset=utf-8"
    /// Streamed answers are flushed to the socket in chunks of about this many bytes.
    static let chunkSize = 64 * 1024

    /// Whether the request asks for CSV: `format=csv`; `format=json` or no format is JSON; anything else is a 422.
    static func wanted(_ request: Request) throws -> Bool {
        guard let format = request.uri.queryParameters["format"] else { return false }
        switch format {
        case "csv": return true
        case "json": return false
        default: throw InvalidInput("/format", "must be csv or json")
        }
    }

    /// `attachment; filename="ascii.csv"; filename*=UTF-8''…` (RFC 6266 §4.3, RFC 8187 encoding).
    static func contentDisposition(filename: String, fallback: String) -> String {
        "attachment; filename=\"\(fallback)\"; filename*=UTF-8''\(percentEncoded(filename))"
    }

    /// RFC 8187 `value-chars`: attr-char as is, every other byte of the UTF-8 as %XX.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "!#$&+-.^_`|~".contains(c) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func headers(filename: String, fallback: String) -> HTTPFields {
        [.contentType: contentType, .contentDisposition: contentDisposition(filename: filename, fallback: fallback),
         .cacheControl: "no-store"]
    }

    /// A whole CSV document in one answer.
    static func response(_ bytes: [UInt8], filename: String, fallback: String) -> Response {
        Response(status: .ok, headers: headers(filename: filename, fallback: fallback),
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A CSV answer written while `rows` are read: the header first, then each row as it arrives, in chunks.
    static func streamed<Rows: AsyncSequence & Sendable>(
        header: [String], rows: Rows, filename: String, fallback: String,
        fields: @escaping @Sendable (Rows.Element) -> [ExcelCSV.Field]
    ) -> Response {
        streamed(header: header, rows: rows, filename: filename, fallback: fallback) { row, out in
            ExcelCSV.appendRecord(fields(row), to: &out)
        }
    }

    /// As `streamed`, with each row written by `append` straight into the chunk (no field array per row).
    static func streamed<Rows: AsyncSequence & Sendable>(
        header: [String], rows: Rows, filename: String, fallback: String,
        append: @escaping @Sendable (Rows.Element, inout [UInt8]) throws -> Void
    ) -> Response {
        let body = ResponseBody { writer in
            var out = ExcelCSV.byteOrderMark
            out.reserveCapacity(chunkSize + 16 * 1024)
            ExcelCSV.appendRecord(header.map(ExcelCSV.Field.plain), to: &out)
            for try await row in rows {
                try append(row, &out)
                if out.count >= chunkSize {
                    try await writer.write(ByteBuffer(bytes: out))
                    out.removeAll(keepingCapacity: true)
                }
            }
            if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers(filename: filename, fallback: fallback), body: body)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
