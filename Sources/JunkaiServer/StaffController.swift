import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/v1/consortia/{cid}/staff`: the jointly hired staff with skills, availability and weekly capacity.
struct StaffController {
    let store: Store

    struct CreateBody: Decodable {
        var name: String
        var home: GeoPoint
        var skills: [String: Int]
        var maxDaysPerWeek: Int
        var targetDaysPerWeek: Int?
        var availableWeekdays: [Int]?
        var maxTravelKm: Int?
    }

    /// `targetDaysPerWeek` and `maxTravelKm` may be set to null (back to the default); absence leaves them alone.
    struct PatchBody: Decodable {
        var name: String?
        var home: GeoPoint?
        var skills: [String: Int]?
        var maxDaysPerWeek: Int?
        var targetDaysPerWeek: FieldUpdate<Int> = .keep
        var availableWeekdays: [Int]?
        var maxTravelKm: FieldUpdate<Int> = .keep

        enum CodingKeys: String, CodingKey {
            case name, home, skills, maxDaysPerWeek, targetDaysPerWeek, availableWeekdays, maxTravelKm
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            home = try c.decodeIfPresent(GeoPoint.self, forKey: .home)
            skills = try c.decodeIfPresent([String: Int].self, forKey: .skills)
            maxDaysPerWeek = try c.decodeIfPresent(Int.self, forKey: .maxDaysPerWeek)
            targetDaysPerWeek = try Self.update(c, .targetDaysPerWeek)
            availableWeekdays = try c.decodeIfPresent([Int].self, forKey: .availableWeekdays)
            maxTravelKm = try Self.update(c, .maxTravelKm)
        }

        static func update(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> FieldUpdate<Int> {
            guard c.contains(key) else { return .keep }
            if try c.decodeNil(forKey: key) { return .clear }
            return .set(try c.decode(Int.self, forKey: key))
        }
    }

    struct Staff: ResponseEncodable {
        var id: UUID
        var name: String
        var home: GeoPoint
        var skills: [String: Int]
        var maxDaysPerWeek: Int
        /// The effective weekly target (the stored one, or maxDaysPerWeek when none is set).
        var targetDaysPerWeek: Int
        var availableWeekdays: [Int]
        /// null: no travel limit.
        var maxTravelKm: Int?
        var createdAt: Date
        var updatedAt: Date
        /// On an edit only: the staff member's published days now in conflict.
        var conflicts: [ConflictRecord]? = nil

        init(_ r: StaffRecord) {
            id = r.id; name = r.name; home = r.home; skills = r.skills; maxDaysPerWeek = r.maxDaysPerWeek
            targetDaysPerWeek = r.effectiveTarget; availableWeekdays = r.availableWeekdays; maxTravelKm = r.maxTravelKm
            createdAt = r.createdAt; updatedAt = r.updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case id, name, home, skills, maxDaysPerWeek, targetDaysPerWeek, availableWeekdays, maxTravelKm, createdAt, updatedAt
            case conflicts
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(home, forKey: .home)
            try c.encode(skills, forKey: .skills)
            try c.encode(maxDaysPerWeek, forKey: .maxDaysPerWeek)
            try c.encode(targetDaysPerWeek, forKey: .targetDaysPerWeek)
            try c.encode(availableWeekdays, forKey: .availableWeekdays)
            // An explicit null says "no limit" rather than leaving the reader to guess what a missing key means.
            try c.encode(maxTravelKm, forKey: .maxTravelKm)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encodeIfPresent(conflicts, forKey: .conflicts)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/staff", use: create)
        group.get("consortia/:cid/staff", use: list)
        group.get("consortia/:cid/staff/:staffId", use: get)
        group.patch("consortia/:cid/staff/:staffId", use: patch)
        group.delete("consortia/:cid/staff/:staffId", use: remove)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Staff> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let b = try await request.decodeJSON(CreateBody.self, context: context)
        let draft = StaffDraft(name: b.name, home: b.home, skills: b.skills, maxDaysPerWeek: b.maxDaysPerWeek,
                               targetDaysPerWeek: b.targetDaysPerWeek, availableWeekdays: b.availableWeekdays ?? [1, 2, 3, 4, 5],
                               maxTravelKm: b.maxTravelKm)
        return EditedResponse(status: .created, response: Staff(try await store.createStaff(draft, consortium: cid, by: who)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Staff> {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator])
        var members = try await store.staffMembers(consortium: cid)
        if let skill = request.uri.queryParameters["skill"].map(String.init) {
            if let why = InputRules.skillIdProblem(skill) { throw InvalidInput("/skill", why) }
            members = members.filter { $0.skills[skill] != nil }
        }
        return Items(members.map(Staff.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Staff {
        let cid = try context.consortiumID()
        let id = try Self.staffInScope(context, cid: cid)
        return Staff(try await store.staffMember(id, consortium: cid))
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Staff {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = try context.uuidParameter("staffId")
        let b = try await request.decodeJSON(PatchBody.self, context: context)
        let patch = StaffPatch(name: b.name, home: b.home, skills: b.skills, maxDaysPerWeek: b.maxDaysPerWeek,
                               targetDaysPerWeek: b.targetDaysPerWeek, availableWeekdays: b.availableWeekdays,
                               maxTravelKm: b.maxTravelKm)
        var staff = Staff(try await store.updateStaff(id, patch, consortium: cid, by: who))
        staff.conflicts = try await store.conflicts(consortium: cid, scope: .staff(id), today: JapanClock.today())
        return staff
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = try context.uuidParameter("staffId")
        try await store.deleteStaff(id, consortium: cid, by: who)
        let left = try await store.conflicts(consortium: cid, scope: .staff(id), today: JapanClock.today())
        return try ConflictsController.removal(left, request, context)
    }

    /// The `{staffId}` a coordinator (any) or a staff token (only its own; any other is out of scope, 404) may act on.
    static func staffInScope(_ context: AppRequestContext, cid: UUID) throws -> UUID {
        let who = try context.authorize(cid, [.coordinator, .staff])
        let id = try context.uuidParameter("staffId")
        if who.role == .staff, who.staffId != id { throw Problem.notFound }
        return id
    }
}
