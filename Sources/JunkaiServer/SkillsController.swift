import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// `/v1/consortia/{cid}/skills`: the consortium's skill catalogue, the vocabulary of post requirements and staff skills.
struct SkillsController {
    let store: Store

    struct PutBody: Decodable {
        var name: String
    }

    struct Skill: ResponseEncodable {
        var id: String
        var name: String
        init(_ r: SkillRecord) { id = r.id; name = r.name }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.put("consortia/:cid/skills/:skillId", use: put)
        group.get("consortia/:cid/skills", use: list)
        group.get("consortia/:cid/skills/:skillId", use: get)
        group.delete("consortia/:cid/skills/:skillId", use: remove)
    }

    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Skill> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = context.parameters.get("skillId") ?? ""
        if let why = InputRules.skillIdProblem(id) { throw InvalidInput("/skillId", why) }
        let body = try await request.decodeJSON(PutBody.self, context: context)
        if let why = InputRules.nameProblem(body.name) { throw InvalidInput("/name", why) }
        let (skill, created) = try await store.putSkill(SkillRecord(id: id, name: body.name), consortium: cid, by: who)
        return EditedResponse(status: created ? .created : .ok, response: Skill(skill))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Skill> {
        let cid = try context.consortiumID()
        try context.authorize(cid, Set(Principal.Role.allCases))
        return Items(try await store.skills(consortium: cid).map(Skill.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Skill {
        let cid = try context.consortiumID()
        try context.authorize(cid, Set(Principal.Role.allCases))
        let id = context.parameters.get("skillId") ?? ""
        guard let skill = try await store.skills(consortium: cid).first(where: { $0.id == id }) else { throw Problem.notFound }
        return Skill(skill)
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        try await store.deleteSkill(context.parameters.get("skillId") ?? "", consortium: cid, by: who)
        return .noContent
    }
}
