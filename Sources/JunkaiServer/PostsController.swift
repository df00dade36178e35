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
        var code: String?
    }

    struct PatchBody: Decodable {
        var municipality: String?
        var title: String?
        var requirements: [String: Int]?
        var daysPerWeek: Int?
        var allowedWeekdays: [Int]?
        var preferredWeekdays: [Int]?
        /// Absent: unchanged; null: the code is removed.
        var code: String??

        enum CodingKeys: String, CodingKey {
            case municipality, title, requirements, daysPerWeek, allowedWeekdays, preferredWeekdays, code
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            municipality = try c.decodeIfPresent(String.self, forKey: .municipality)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            requirements = try c.decodeIfPresent([String: Int].self, forKey: .requirements)
            daysPerWeek = try c.decodeIfPresent(Int.self, forKey: .daysPerWeek)
            allowedWeekdays = try c.decodeIfPresent([Int].self, forKey: .allowedWeekdays)
            preferredWeekdays = try c.decodeIfPresent([Int].self, forKey: .preferredWeekdays)
            if c.contains(.code) { code = .some(try c.decodeNil(forKey: .code) ? nil : try c.decode(String.self, forKey: .code)) }
        }
    }

    struct Post: ResponseEncodable {
        var id: UUID
        var municipality: String
        var title: String
        var requirements: [String: Int]
        var daysPerWeek: Int
        var allowedWeekdays: [Int]
        var preferredWeekdays: [Int]
        /// Null when the post has none.
        var code: String?
        /// The title with the code beside it, as pages and feeds name the post.
        var label: String
        var createdAt: Date
        var updatedAt: Date
        /// On an edit only: the post's published days now in conflict.
        var conflicts: [ConflictRecord]?

        enum CodingKeys: String, CodingKey {
            case id, municipality, title, requirements, daysPerWeek, allowedWeekdays, preferredWeekdays, code, label
            case createdAt, updatedAt, conflicts
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(municipality, forKey: .municipality)
            try c.encode(title, forKey: .title)
            try c.encode(requirements, forKey: .requirements)
            try c.encode(daysPerWeek, forKey: .daysPerWeek)
            try c.encode(allowedWeekdays, forKey: .allowedWeekdays)
            try c.encode(preferredWeekdays, forKey: .preferredWeekdays)
            try c.encode(code, forKey: .code)
            try c.encode(label, forKey: .label)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(updatedAt, forKey: .updatedAt)
            try c.encodeIfPresent(conflicts, forKey: .conflicts)
        }

        init(_ r: PostRecord) {
            code = r.code; label = r.label
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
            throw InvalidInput("/municipality", "\"\(b.municipality)\": \(error)")
        }
        let draft = PostDraft(municipality: b.municipality, title: b.title, requirements: b.requirements, daysPerWeek: b.daysPerWeek,
                              allowedWeekdays: b.allowedWeekdays ?? [1, 2, 3, 4, 5], preferredWeekdays: b.preferredWeekdays ?? [],
                              code: b.code)
        let post = try await store.createPost(draft, consortium: cid, by: who)
        return EditedResponse(status: .created, response: Post(post))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Post> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator, .municipality])
        var only = who.role == .municipality ? who.municipalityCode : nil
        if let raw = request.uri.queryParameters["municipality"].map(String.init) {
            guard let code = LocalGovCode(raw)?.value else { throw InvalidInput("/municipality", "must be a 全国地方公共団体コード (6 digits)") }
            // A desk asking for another member's posts sees none, as for anything out of its scope.
            if let own = only, own != code { return Items([]) }
            only = code
        }
        return Items(try await store.posts(consortium: cid, municipality: only).map(Post.init))
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
        if b.municipality != nil { throw InvalidInput("/municipality", "cannot be changed; create a post at the other municipality") }
        let patch = PostPatch(title: b.title, requirements: b.requirements, daysPerWeek: b.daysPerWeek,
                              allowedWeekdays: b.allowedWeekdays, preferredWeekdays: b.preferredWeekdays, code: b.code)
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
