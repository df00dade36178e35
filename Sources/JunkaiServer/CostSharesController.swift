import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/consortia/{cid}/cost-shares/{fy}` (負担金, docs/delivery.md): the fiscal year's costs, the agreed rule
/// (均等割・人口割・実績割) and populations; the shares by the contract's largest-remainder arithmetic
/// (`JunkaiCore.CostShare`). `fix` freezes the year, `reopen` unfreezes it. The coordinator writes; municipalities
/// read every member's row (the invoice of each is the whole table).
struct CostSharesController {
    let store: Store

    struct PutBody: Decodable {
        struct Line: Decodable {
            var label: String
            var yen: Int64
        }
        struct Rule: Decodable {
            var equal: Int
            var population: Int
            var days: Int
        }
        var costs: [Line]
        var rule: Rule
        var populations: [String: Int64]?
        var populationBasis: String?
    }

    struct ShareResponse: Encodable {
        var share: MemberShare
        enum CodingKeys: String, CodingKey {
            case municipality, municipalityName, population, days, equalYen, populationYen, daysYen, totalYen
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(share.municipality, forKey: .municipality)
            try c.encode(share.municipalityName, forKey: .municipalityName)
            try c.encode(share.population, forKey: .population)
            try c.encode(share.days, forKey: .days)
            try c.encode(share.equalYen, forKey: .equalYen)
            try c.encode(share.populationYen, forKey: .populationYen)
            try c.encode(share.daysYen, forKey: .daysYen)
            try c.encode(share.totalYen, forKey: .totalYen)
        }
    }

    /// The year as the API shows it; `populationBasis` and `fixedAt` are always present (null when not set).
    struct CostShareResponse: ResponseEncodable {
        var record: CostShareRecord
        init(_ record: CostShareRecord) { self.record = record }

        enum CodingKeys: String, CodingKey {
            case fiscalYear, status, totalYen, rule, costs, populations, populationBasis, shares, problems, version,
                 fixedAt, updatedAt
        }
        func encode(to encoder: any Encoder) throws {
            let r = record
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(r.fiscalYear, forKey: .fiscalYear)
            try c.encode(r.status, forKey: .status)
            try c.encode(r.totalYen, forKey: .totalYen)
            try c.encode(r.rule, forKey: .rule)
            try c.encode(r.costs, forKey: .costs)
            try c.encode(r.populations, forKey: .populations)
            try c.encode(r.populationBasis, forKey: .populationBasis)
            try c.encode(r.shares.map(ShareResponse.init), forKey: .shares)
            try c.encode(r.problems, forKey: .problems)
            try c.encode(r.version, forKey: .version)
            try c.encode(r.fixedAt, forKey: .fixedAt)
            try c.encode(r.updatedAt, forKey: .updatedAt)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("consortia/:cid/cost-shares/:fy", use: put)
        group.get("consortia/:cid/cost-shares/:fy", use: get)
        group.post("consortia/:cid/cost-shares/:fy/fix", use: fix)
        group.post("consortia/:cid/cost-shares/:fy/reopen", use: reopen)
    }

    func fiscalYear(_ context: AppRequestContext) throws -> Int {
        try ReportsController.checkedFiscalYear(context.parameters.get("fy") ?? "", pointer: "/fy")
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CostShareResponse> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let fy = try fiscalYear(context)
        let body = try await request.decodeJSON(PutBody.self, context: context)
        let input = CostShareInput(costs: body.costs.map { CostLine(label: $0.label, yen: $0.yen) },
                                   rule: CostShare.Rule(equal: body.rule.equal, population: body.rule.population,
                                                        days: body.rule.days),
                                   populations: body.populations ?? [:], populationBasis: body.populationBasis)
        let (record, created) = try await store.putCostShare(consortium: cid, fiscalYear: fy, input, by: who)
        return EditedResponse(status: created ? .created : .ok, response: CostShareResponse(record))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator, .municipality])
        let csv = try CSVResponse.wanted(request)
        let fy = try fiscalYear(context)
        let record = try await store.costShare(consortium: cid, fiscalYear: fy)
        if csv {
            return CSVResponse.response(DeliveryExports.costShareCSV(record), filename: "負担金_\(fy)年度.csv", fallback: "cost-share_FY\(fy).csv")
        }
        return try CostShareResponse(record).response(from: request, context: context)
    }

    @Sendable func fix(_ request: Request, context: AppRequestContext) async throws -> CostShareResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        return CostShareResponse(try await store.fixCostShare(consortium: cid, fiscalYear: try fiscalYear(context), by: who))
    }

    @Sendable func reopen(_ request: Request, context: AppRequestContext) async throws -> CostShareResponse {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        return CostShareResponse(try await store.reopenCostShare(consortium: cid, fiscalYear: try fiscalYear(context), by: who))
    }
}
