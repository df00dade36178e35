import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/v1/consortia/{cid}/staff/{staffId}/unavailability`: dates a staff member cannot or would rather not work.
struct UnavailabilityController {
    let store: Store

    struct AddBody: Decodable {
        var date: CivilDate
        var kind: String
        var note: String?
    }

    struct Entry: ResponseEncodable {
        var id: UUID
        var date: CivilDate
        var kind: UnavailabilityRecord.Kind
        var note: String?
        /// On a new entry only: the staff member's published days on that date now in conflict.
        var conflicts: [ConflictRecord]? = nil
        init(_ r: UnavailabilityRecord) { id = r.id; date = r.date; kind = r.kind; note = r.note }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/staff/:staffId/unavailability", use: add)
        group.get("consortia/:cid/staff/:staffId/unavailability", use: list)
        group.delete("consortia/:cid/staff/:staffId/unavailability/:unavailabilityId", use: remove)
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Entry> {
        let cid = try context.consortiumID()
        let staff = try StaffController.staffInScope(context, cid: cid)
        let b = try await request.decodeJSON(AddBody.self, context: context)
        let entry = try await RegistryActions.addUnavailability(b, staff: staff, consortium: cid, by: try context.caller(),
                                                                store: store)
        var answer = Entry(entry)
        answer.conflicts = try await store.conflicts(consortium: cid, scope: .staff(staff), today: JapanClock.today(),
                                                     through: entry.date).filter { $0.date == entry.date }
        return EditedResponse(status: .created, response: answer)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Entry> {
        let cid = try context.consortiumID()
        let staff = try StaffController.staffInScope(context, cid: cid)
        let from = try request.optionalQueryDate("from"), to = try request.optionalQueryDate("to")
        if let from, let to, to < from { throw InvalidInput("/to", "\(to.iso) is before from \(from.iso)") }
        return Items(try await store.unavailability(staff: staff, consortium: cid, from: from, to: to).map(Entry.init))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let staff = try StaffController.staffInScope(context, cid: cid)
        try await store.removeUnavailability(try context.uuidParameter("unavailabilityId"), staff: staff, consortium: cid,
                                             by: try context.caller())
        return .noContent
    }
}
