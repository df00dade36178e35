import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/consortia/{cid}/reports/delivery` (実績報告, docs/delivery.md): per member and month of a fiscal year, what was
/// demanded, planned, requested, reported and confirmed. The coordinator sees every member, a municipality its own.
struct ReportsController {
    let store: Store

    /// The JSON answer's shape; `DeliveryExports.deliveryReportBody` writes it without an encoder.
    struct DeliveryResponse: ResponseEncodable {
        var fiscalYear: Int
        var rows: [DeliveryReportRow]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/reports/delivery", use: delivery)
    }

    @Sendable func delivery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        let csv = try CSVResponse.wanted(request)
        let fy = try Self.fiscalYear(request)
        var municipality = request.uri.queryParameters["municipality"].map(String.init)
        if let code = municipality, !(code.count == 6 && code.allSatisfy({ $0.isASCII && $0.isNumber })) {
            throw InvalidInput("/municipality", "must be a 6-digit municipality code")
        }
        if who.role == .municipality {
            // Its own rows only: another member's code is out of scope, answered as not found.
            if let code = municipality, code != who.municipalityCode { throw Problem.notFound }
            municipality = who.municipalityCode
        }
        let report = try await store.deliveryReport(consortium: cid, fiscalYear: FiscalYear(fy), municipality: municipality)
        if csv {
            let suffix = request.uri.queryParameters["municipality"].map { "_\($0)" } ?? ""
            return CSVResponse.response(DeliveryExports.deliveryReportCSV(report), filename: "実績報告_\(fy)年度\(suffix).csv",
                                        fallback: "delivery-report_FY\(fy)\(suffix).csv")
        }
        let body = DeliveryExports.deliveryReportBody(report)
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .contentLength: String(body.readableBytes)],
                        body: .init(byteBuffer: body))
    }

    /// The required `fiscalYear` query parameter: 422 naming it when missing, not an integer or out of range.
    static func fiscalYear(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["fiscalYear"] else {
            throw InvalidInput("/fiscalYear", "query parameter is required (e.g. 2027 for 2027年度)")
        }
        return try checkedFiscalYear(String(raw), pointer: "/fiscalYear")
    }

    /// A fiscal year as the API accepts it: an integer in 2000–2100.
    static func checkedFiscalYear(_ raw: String, pointer: String) throws -> Int {
        guard let fy = Int(raw), raw.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InvalidInput(pointer, "must be a fiscal year such as 2027 (for 2027年度)")
        }
        guard CostShareRules.fiscalYears.contains(fy) else {
            throw InvalidInput(pointer, "must be a fiscal year from \(CostShareRules.fiscalYears.lowerBound) to \(CostShareRules.fiscalYears.upperBound)")
        }
        return fy
    }
}
