import Foundation
import JunkaiCore
import JunkaiStore
import NIOCore

/// The delivery report and the cost share exactly as the API writes them, for the command line to print the same
/// figures: CSV for Excel (docs/delivery.md) and the JSON bodies.
public enum DeliveryExports {
    static let deliveryHeader = ["市町村コード", "市町村名", "年月", "需要日数", "計画日数", "依頼承認数", "依頼充足数", "報告日数",
                                 "確認日数", "来庁日数", "リモート日数", "不実施日数"]
    static let costShareHeader = ["市町村コード", "市町村名", "人口", "実績日数", "均等割（円）", "人口割（円）", "実績割（円）",
                                  "負担金（円）"]

    /// The delivery report as CSV: the Japanese header, then the same rows as the JSON.
    public static func deliveryReportCSV(_ report: DeliveryReport) -> [UInt8] {
        ExcelCSV.document(header: deliveryHeader, rows: report.rows.map { r in
            [.plain(r.municipality), .text(r.municipalityName), .plain(r.month)]
                + [r.demandedDays, r.plannedDays, r.requestsAccepted, r.requestsMet, r.reportedDays, r.confirmedDays,
                   r.onsiteDays, r.remoteDays, r.absentDays].map { ExcelCSV.Field.int(Int64($0)) }
        })
    }

    /// The cost share as CSV: the Japanese header, one row per member, then the 合計 row.
    public static func costShareCSV(_ r: CostShareRecord) -> [UInt8] {
        var rows: [[ExcelCSV.Field]] = r.shares.map { s in
            [.plain(s.municipality), .text(s.municipalityName), s.population.map(ExcelCSV.Field.int) ?? .empty,
             .int(Int64(s.days)), .int(s.equalYen), .int(s.populationYen), .int(s.daysYen), .int(s.totalYen)]
        }
        let populations = r.shares.compactMap(\.population)
        rows.append([.plain("合計"), .empty, populations.isEmpty ? .empty : .int(populations.reduce(0, +)),
                     .int(Int64(r.shares.reduce(0) { $0 + $1.days })), .int(r.shares.reduce(0) { $0 + $1.equalYen }),
                     .int(r.shares.reduce(0) { $0 + $1.populationYen }), .int(r.shares.reduce(0) { $0 + $1.daysYen }),
                     .int(r.shares.reduce(0) { $0 + $1.totalYen })])
        return ExcelCSV.document(header: costShareHeader, rows: rows)
    }

    /// The body of `GET …/reports/delivery`.
    public static func deliveryReportJSON(_ report: DeliveryReport) throws -> Data {
        let body = deliveryReportBody(report)
        return Data(body.readableBytesView)
    }

    /// The body of `GET …/reports/delivery`, as `AppRequestContext.encoder` writes `ReportsController.DeliveryResponse`
    /// (keys sorted), without it: for 40 members × 12 months the encoder took longer than the rest of the answer.
    static func deliveryReportBody(_ report: DeliveryReport) -> ByteBuffer {
        var w = JSONBodyWriter(capacity: 64 + report.rows.count * 300)
        w.raw("{\"fiscalYear\":"); w.int(report.fiscalYear)
        w.raw(",\"rows\":[")
        for (i, r) in report.rows.enumerated() {
            w.raw(i == 0 ? "{\"absentDays\":" : ",{\"absentDays\":"); w.int(r.absentDays)
            w.raw(",\"confirmedDays\":"); w.int(r.confirmedDays)
            w.raw(",\"demandedDays\":"); w.int(r.demandedDays)
            w.raw(",\"month\":"); w.string(r.month)
            w.raw(",\"municipality\":"); w.string(r.municipality)
            w.raw(",\"municipalityName\":"); w.string(r.municipalityName)
            w.raw(",\"onsiteDays\":"); w.int(r.onsiteDays)
            w.raw(",\"plannedDays\":"); w.int(r.plannedDays)
            w.raw(",\"remoteDays\":"); w.int(r.remoteDays)
            w.raw(",\"reportedDays\":"); w.int(r.reportedDays)
            w.raw(",\"requestsAccepted\":"); w.int(r.requestsAccepted)
            w.raw(",\"requestsMet\":"); w.int(r.requestsMet)
            w.raw("}")
        }
        w.raw("]}")
        return w.buffer
    }

    /// The body of `GET …/cost-shares/{fy}`.
    public static func costShareJSON(_ record: CostShareRecord) throws -> Data {
        try AppRequestContext.encoder.encode(CostSharesController.CostShareResponse(record))
    }
}
