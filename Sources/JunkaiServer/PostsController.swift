import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/v1/consortia/{cid}/posts`: seats at member municipalities with their skill matrix and weekly demand.
struct PostsController {
    let store: Store

    struct CreateBody: Decodable {
        var municipality: String
        var title: String
        var requirements: [String: Int]
        var daysPerWeek: Int
        var allowedWeekdays: [Int]?
        var preferredWeekdays: [Int]?
    }

    struct PatchBody: Decodable {
        var municipality: String?
        var title: String?
        var requirements: [String: Int]?
        var daysPerWeek: Int?
        var allowedWeekdays: [Int]?
        var preferredWeekdays: [Int]?
    }

    struct Post: ResponseEncodable {
        var id: UUID
        var municipality: String
        var title: String
        var requirements: [String: Int]
        var daysPerWeek: Int
        var allowedWeekdays: [Int]
        var preferredWeekdays: [Int]
        var createdAt: Date
        var updatedAt: Date
        /// On an edit only: the post's published days now in conflict.
        var conflicts: [ConflictRecord]?

        init(_ r: PostRecord) {
            id = r.id; municipality = r.municipality; title = r.title; requirements = r.requirements
            daysPerWeek = r.daysPerWeek; allowedWeekdays = r.allowedWeekdays; preferredWeekdays = r.preferredWeekdays
            createdAt = r.createdAt; updatedAt = r.updatedAt
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/posts", use: create)
        group.get("consortia/:cid/posts", use: list)
        group.get("consortia/:cid/posts/:postId", use: get)
        group.patch("consortia/:cid/posts/:postId", use: patch)
        group.delete("consortia/:cid/posts/:postId", use: remove)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Post> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let b = try await request.decodeJSON(CreateBody.self, context: context)
        // A malformed code gets the precise reason rather than "not a member".
        do { _ = try LocalGovCode(validating: b.municipality) } catch {
            throw Problem.invalid("/municipality", "\"\(b.municipality)\": \(error)")
        }
        let draft = PostDraft(municipality: b.municipality, title: b.title, requirements: b.requirements, daysPerWeek: b.daysPerWeek,
                              allowedWeekdays: b.allowedWeekdays ?? [1, 2, 3, 4, 5], preferredWeekdays: b.preferredWeekdays ?? [])
        let post = try await store.createPost(draft, consortium: cid, by: who)
        return EditedResponse(status: .created, response: Post(post))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> [Post] {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        let only = who.role == .municipality ? who.municipalityCode : nil
        return try await store.posts(consortium: cid, municipality: only).map(Post.init)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Post {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        let id = try context.uuidParameter("postId")
        // A desk sees its own posts only; another municipality's post is out of scope, hence not found.
        let only = who.role == .municipality ? who.municipalityCode : nil
        return Post(try await store.post(id, consortium: cid, municipality: only))
    }

    @Sendable func patch(_ request: Request, context: AppRequestContext) async throws -> Post {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = try context.uuidParameter("postId")
        let b = try await request.decodeJSON(PatchBody.self, context: context)
        // Moving a seat to another municipality would silently re-home its requests and history.
        if b.municipality != nil { throw Problem.invalid("/municipality", "cannot be changed; create a post at the other municipality") }
        let patch = PostPatch(title: b.title, requirements: b.requirements, daysPerWeek: b.daysPerWeek,
                              allowedWeekdays: b.allowedWeekdays, preferredWeekdays: b.preferredWeekdays)
        var post = Post(try await store.updatePost(id, patch, consortium: cid, by: who))
        post.conflicts = try await store.conflicts(consortium: cid, scope: .post(id), today: JapanClock.today())
        return post
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let id = try context.uuidParameter("postId")
        try await store.deletePost(id, consortium: cid, by: who)
        let left = try await store.conflicts(consortium: cid, scope: .post(id), today: JapanClock.today())
        return try ConflictsController.removal(left, request, context)
    }
}
