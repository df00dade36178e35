import Foundation
import JunkaiCore
import NIOCore
import PostgresNIO

/// The work-record CSV's rows written straight from the database's row (`Store.workRecordColumns`): a month is some
/// 10,000 rows, and making each a `WorkRecord` (four `String`s of Japanese text, a field array) before writing its
/// bytes was most of the download's time. The bytes are those of `ExcelCSV.appendRecord` over the API's fields for the
/// decoded record (`WorkRecordCSVTests` holds the two equal).
public enum WorkRecordCSV {
    /// The labels' bytes by stored value, looked up once per row without building a `String`.
    static let modeLabels = bytes(WorkRecordRules.modeLabels)
    static let categoryLabels = bytes(WorkRecordRules.categoryLabels)
    static let statusLabels = bytes(WorkRecordRules.statusLabels)
    static let plannedLabel = Array("予定あり".utf8), unplannedLabel = Array("予定外".utf8)

    static func bytes(_ labels: [String: String]) -> [String: [UInt8]] { labels.mapValues { Array($0.utf8) } }

    /// Appends the CSV record (fields and CRLF) of one row of `workRecordColumns` to `out`.
    public static func append(_ row: PostgresRow, to out: inout [UInt8]) throws {
        // Read in the query's column order (no random-access copy of the row), written in the CSV's order below.
        var cells = row.makeIterator()
        func next() throws -> PostgresCell {
            guard let cell = cells.next() else { throw PostgresDecodingError.Code.missingData }
            return cell
        }
        let id = try next().decode(UUID.self)
        let staff = try next().decode(UUID.self)
        let staffName = try next().bytes
        let post = try next().decode(UUID.self)
        let postTitle = try next().bytes
        let code = try next().bytes
        let municipalityName = try next().bytes
        let date = try next().decode(CivilDate.self)
        let mode = try next().decode(String.self)
        let minutes = try next().decode(Int.self)
        let category = try next().decode(String.self)
        let summary = try next().bytes
        let planned = try next().decode(Bool.self)
        let status = try next().decode(String.self)
        let returnReason = try next().bytes
        let version = try next().decode(Int.self)
        let confirmedAt = try next().decode(Date?.self)
        let createdAt = try next().decode(Date.self)
        let updatedAt = try next().decode(Date.self)

        let comma = UInt8(ascii: ",")
        ExcelCSV.appendUUID(id, to: &out)
        out.append(comma)
        ExcelCSV.appendDate(date, to: &out)
        out.append(comma)
        text(code, formulaGuard: false, to: &out)
        out.append(comma)
        text(municipalityName, formulaGuard: true, to: &out)
        out.append(comma)
        ExcelCSV.appendUUID(post, to: &out)
        out.append(comma)
        text(postTitle, formulaGuard: true, to: &out)
        out.append(comma)
        ExcelCSV.appendUUID(staff, to: &out)
        out.append(comma)
        text(staffName, formulaGuard: true, to: &out)
        out.append(comma)
        label(modeLabels[mode], or: mode, to: &out)
        out.append(comma)
        out.append(contentsOf: String(minutes).utf8)
        out.append(comma)
        label(categoryLabels[category], or: category, to: &out)
        out.append(comma)
        text(summary, formulaGuard: true, to: &out)
        out.append(comma)
        out.append(contentsOf: planned ? plannedLabel : unplannedLabel)
        out.append(comma)
        label(statusLabels[status], or: status, to: &out)
        out.append(comma)
        text(returnReason, formulaGuard: true, to: &out)
        out.append(comma)
        out.append(contentsOf: String(version).utf8)
        out.append(comma)
        if let confirmedAt { ExcelCSV.appendJapanTime(confirmedAt, to: &out) }
        out.append(comma)
        ExcelCSV.appendJapanTime(createdAt, to: &out)
        out.append(comma)
        ExcelCSV.appendJapanTime(updatedAt, to: &out)
        out.append(contentsOf: ExcelCSV.lineEnd)
    }

    /// A text cell's UTF-8 as a field (NULL is an empty field).
    static func text(_ bytes: ByteBuffer?, formulaGuard: Bool, to out: inout [UInt8]) {
        guard let bytes else { return }
        bytes.withUnsafeReadableBytes { ExcelCSV.appendField(utf8: $0, formulaGuard: formulaGuard, to: &out) }
    }

    /// A label chosen by the program, or the stored value when it has none (as `.plain`).
    static func label(_ known: [UInt8]?, or value: String, to out: inout [UInt8]) {
        if let known {
            out.append(contentsOf: known)
            return
        }
        var value = value
        value.withUTF8 { ExcelCSV.appendField(utf8: UnsafeRawBufferPointer($0), formulaGuard: false, to: &out) }
    }
}
