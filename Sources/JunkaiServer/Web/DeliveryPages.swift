import Foundation
import Hummingbird
import JunkaiStore

/// Work records (実績), the delivery report and the cost share (負担金): the navigation's places for them.
/// Their JSON API (delivery.md) is being built separately; until it is merged these pages say so.
struct DeliveryPages {
    let web: WebEnvironment

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("consortia/:cid/work-records") { _, context -> Response in
            let cid = try context.consortiumID()
            try context.authorize(cid, [.coordinator])
            return try pending(title: "実績", section: .workRecords, cid: cid, context: context)
        }
        group.get("consortia/:cid/cost-share") { _, context -> Response in
            let cid = try context.consortiumID()
            try context.authorize(cid, [.coordinator])
            return try pending(title: "負担金", section: .costShare, cid: cid, context: context)
        }
        group.get("consortia/:cid/municipalities/:code/work-records") { _, context -> Response in
            let cid = try context.consortiumID()
            let who = try context.authorize(cid, RequestActions.askers)
            let code = try MunicipalitiesController.code(context)
            if who.role == .municipality && who.municipalityCode != code { throw Problem.notFound }
            _ = try await web.store.municipality(code, consortium: cid)
            return try pending(title: "実績", section: .mWorkRecords, cid: cid, context: context)
        }
        group.get("consortia/:cid/staff/:staffId/work-records") { _, context -> Response in
            let cid = try context.consortiumID()
            _ = try StaffController.staffInScope(context, cid: cid)
            return try pending(title: "実績", section: .sWorkRecords, cid: cid, context: context)
        }
    }

    func pending(title: String, section: WebEnvironment.Section, cid: UUID, context: AppRequestContext) throws -> Response {
        try web.page("message", title: title, section: section, consortium: cid,
                     model: ["text": "このページは準備中です。勤務実績の記録・確認と負担金の計算は、次の更新で使えるようになります。"],
                     context: context)
    }
}
