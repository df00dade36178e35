import ArgumentParser
import Foundation
import JunkaiCore
import JunkaiServer
import JunkaiStore

/// `junkai report delivery|cost-share`: the figures of `GET …/reports/delivery` and `GET …/cost-shares/{fy}` for a
/// desk that prefers a terminal, read from `DATABASE_URL` with the same store calls as the API.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print the delivery report or the cost share (負担金) of a fiscal year.",
        subcommands: [Delivery.self, CostShareReport.self])

    struct Delivery: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delivery",
            abstract: "The delivery report (実績報告): per member and month, demanded, planned, requested and worked days.")

        @Option(help: "The fiscal year (年度), e.g. 2027 for April 2027 – March 2028.") var fiscalYear: Int
        @Option(help: "The consortium id.") var consortium: String
        @Option(help: "Only this member (municipality code).") var municipality: String?
        @Flag(help: "CSV for Excel (UTF-8 with BOM, CRLF), byte for byte the API's ?format=csv.") var csv = false
        @Flag(help: "The API's JSON body.") var json = false

        func validate() throws {
            try checkCommon(fiscalYear: fiscalYear, consortium: consortium, csv: csv, json: json)
        }

        func run() async throws {
            let cid = UUID(uuidString: consortium)!
            let (fy, municipality) = (fiscalYear, self.municipality)
            let report: DeliveryReport
            do {
                report = try await withStore { store in
                    try await store.deliveryReport(consortium: cid, fiscalYear: FiscalYear(fy), municipality: municipality)
                }
            } catch let e as StoreError {
                printError("junkai report delivery: \(e.message)")
                throw ExitCode(1)
            }
            if csv { return writeOut(DeliveryExports.deliveryReportCSV(report)) }
            if json { return writeOut(Array(try DeliveryExports.deliveryReportJSON(report)) + [0x0A]) }
            print("\(fy)年度 実績報告 (delivery report)")
            let header = ["コード", "市町村名", "年月", "需要", "計画", "依頼承認", "依頼充足", "報告", "確認", "来庁", "リモート", "不実施"]
            let rows = report.rows.map { r in
                [r.municipality, r.municipalityName, r.month] + [r.demandedDays, r.plannedDays, r.requestsAccepted,
                    r.requestsMet, r.reportedDays, r.confirmedDays, r.onsiteDays, r.remoteDays, r.absentDays].map(String.init)
            }
            print(TextTable.render(header: header, rows: rows, numericFrom: 3))
        }
    }

    struct CostShareReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cost-share",
            abstract: "The cost share (負担金) of a fiscal year: each member's 均等割・人口割・実績割, exact to the yen.")

        @Argument(help: "The fiscal year (年度), e.g. 2027.") var fiscalYear: Int
        @Option(help: "The consortium id.") var consortium: String
        @Flag(help: "CSV for Excel (UTF-8 with BOM, CRLF), byte for byte the API's ?format=csv.") var csv = false
        @Flag(help: "The API's JSON body.") var json = false

        func validate() throws {
            try checkCommon(fiscalYear: fiscalYear, consortium: consortium, csv: csv, json: json)
        }

        func run() async throws {
            let cid = UUID(uuidString: consortium)!
            let fy = fiscalYear
            let record: CostShareRecord
            do {
                record = try await withStore { store in try await store.costShare(consortium: cid, fiscalYear: fy) }
            } catch let e as StoreError {
                printError("junkai report cost-share: \(e.message)")
                throw ExitCode(1)
            }
            if csv { return writeOut(DeliveryExports.costShareCSV(record)) }
            if json { return writeOut(Array(try DeliveryExports.costShareJSON(record)) + [0x0A]) }
            let state = record.status == "fixed" ? "確定 (fixed)" : "未確定 (open)"
            print("\(fy)年度 負担金 — \(state) — 合計 \(TextTable.yen(record.totalYen)) 円")
            print("負担割合: 均等割 \(record.rule.equal)% ・ 人口割 \(record.rule.population)% ・ 実績割 \(record.rule.days)%"
                  + (record.populationBasis.map { " (人口: \($0))" } ?? ""))
            for line in record.costs { print("  \(line.label): \(TextTable.yen(line.yen)) 円") }
            for problem in record.problems { print("  ! \(problem.pointer): \(problem.detail)") }
            let header = ["コード", "市町村名", "人口", "実績日数", "均等割", "人口割", "実績割", "負担金"]
            var rows = record.shares.map { s in
                [s.municipality, s.municipalityName, s.population.map(TextTable.yen) ?? "—", String(s.days),
                 TextTable.yen(s.equalYen), TextTable.yen(s.populationYen), TextTable.yen(s.daysYen), TextTable.yen(s.totalYen)]
            }
            let sum = { (f: (MemberShare) -> Int64) in TextTable.yen(record.shares.reduce(0) { $0 + f($1) }) }
            rows.append(["合計", "", sum { $0.population ?? 0 }, sum { Int64($0.days) }, sum(\.equalYen), sum(\.populationYen),
                         sum(\.daysYen), sum(\.totalYen)])
            print(TextTable.render(header: header, rows: rows, numericFrom: 2))
        }
    }
}

private func checkCommon(fiscalYear: Int, consortium: String, csv: Bool, json: Bool) throws {
    guard CostShareRules.fiscalYears.contains(fiscalYear) else {
        throw ValidationError("the fiscal year must be from \(CostShareRules.fiscalYears.lowerBound) to \(CostShareRules.fiscalYears.upperBound)")
    }
    guard UUID(uuidString: consortium) != nil else { throw ValidationError("--consortium must be a consortium id (UUID)") }
    if csv && json { throw ValidationError("--csv and --json exclude each other") }
}

private func writeOut(_ bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}

/// Plain text tables for a terminal, aligned by display width (a kanji takes two columns).
enum TextTable {
    static func render(header: [String], rows: [[String]], numericFrom: Int) -> String {
        var widths = header.map(width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - width(cell))
                return i >= numericFrom ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Columns a string takes in a terminal: two for East Asian wide characters, one otherwise.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    /// 1234567 → "1,234,567".
    static func yen(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
