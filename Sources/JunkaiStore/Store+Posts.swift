import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// A post's fields as a writer gives them; `issues(at:)` checks everything that needs no database.
public struct PostDraft: Sendable, Hashable {
    public var municipality: String
    public var title: String
    public var requirements: [String: Int]
    public var daysPerWeek: Int
    public var allowedWeekdays: [Int]
    public var preferredWeekdays: [Int]
    /// A short code telling apart posts of the same title (unique in the consortium); nil when none.
    public var code: String?

    public init(municipality: String, title: String, requirements: [String: Int], daysPerWeek: Int,
                allowedWeekdays: [Int] = [1, 2, 3, 4, 5], preferredWeekdays: [Int] = [], code: String? = nil) {
        self.municipality = municipality; self.title = title; self.requirements = requirements
        self.daysPerWeek = daysPerWeek; self.allowedWeekdays = allowedWeekdays; self.preferredWeekdays = preferredWeekdays
        self.code = code
    }

    /// Range and shape problems, each pointing below `pointer`.
    public func issues(at pointer: String = "") -> [ValidationIssue] {
        var out: [ValidationIssue] = []
        if let why = InputRules.nameProblem(title) { out.append(.init(pointer: "\(pointer)/title", detail: why)) }
        out += InputRules.levelIssues(requirements, at: "\(pointer)/requirements")
        if !InputRules.daysPerWeek.contains(daysPerWeek) {
            out.append(.init(pointer: "\(pointer)/daysPerWeek", detail: "\(daysPerWeek) is outside 1–5"))
        }
        if allowedWeekdays.isEmpty {
            out.append(.init(pointer: "\(pointer)/allowedWeekdays", detail: "must name at least one weekday"))
        }
        out += InputRules.weekdayIssues(allowedWeekdays, at: "\(pointer)/allowedWeekdays")
        out += InputRules.weekdayIssues(preferredWeekdays, at: "\(pointer)/preferredWeekdays")
        if let code, let why = PostLabel.codeProblem(code) { out.append(.init(pointer: "\(pointer)/code", detail: why)) }
        return out
    }
}

/// A stored post.
public struct PostRecord: Sendable, Codable, Hashable {
    public var id: UUID
    public var municipality: String
    public var title: String
    public var requirements: [String: Int]
    public var daysPerWeek: Int
    public var allowedWeekdays: [Int]
    public var preferredWeekdays: [Int]
    public var createdAt: Date
    public var updatedAt: Date
    public var code: String?

    /// The writable fields.
    public var draft: PostDraft {
        PostDraft(municipality: municipality, title: title, requirements: requirements, daysPerWeek: daysPerWeek,
                  allowedWeekdays: allowedWeekdays, preferredWeekdays: preferredWeekdays, code: code)
    }

    /// The title with the code when there is one, as every page and feed names the post.
    public var label: String { PostLabel.label(title: title, code: code) }
}

/// A partial update of a post: nil leaves a field as it is; `requirements` replaces the whole matrix.
public struct PostPatch: Sendable, Hashable {
    public var title: String?
    public var requirements: [String: Int]?
    public var daysPerWeek: Int?
    public var allowedWeekdays: [Int]?
    public var preferredWeekdays: [Int]?
    /// `.some(nil)` removes the code.
    public var code: String??

    public init(title: String? = nil, requirements: [String: Int]? = nil, daysPerWeek: Int? = nil,
                allowedWeekdays: [Int]? = nil, preferredWeekdays: [Int]? = nil, code: String?? = nil) {
        self.title = title; self.requirements = requirements; self.daysPerWeek = daysPerWeek
        self.allowedWeekdays = allowedWeekdays; self.preferredWeekdays = preferredWeekdays; self.code = code
    }

    /// The names of the fields this patch sets, for the audit log.
    var fieldNames: [String] {
        [("title", title != nil), ("requirements", requirements != nil), ("daysPerWeek", daysPerWeek != nil),
         ("allowedWeekdays", allowedWeekdays != nil), ("preferredWeekdays", preferredWeekdays != nil), ("code", code != nil)]
            .filter(\.1).map(\.0)
    }

    /// `draft` with this patch applied.
    public func applied(to draft: PostDraft) -> PostDraft {
        var d = draft
        if let title { d.title = title }
        if let requirements { d.requirements = requirements }
        if let daysPerWeek { d.daysPerWeek = daysPerWeek }
        if let allowedWeekdays { d.allowedWeekdays = allowedWeekdays }
        if let preferredWeekdays { d.preferredWeekdays = preferredWeekdays }
        if let code { d.code = code }
        return d
    }
}

extension Store {
    /// Creates a post at a member municipality; 422 naming the field for a non-member or an unknown skill.
    public func createPost(_ draft: PostDraft, consortium: UUID, by who: Principal?) async throws -> PostRecord {
        let issues = draft.issues()
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return try await write { conn in
            let post = try await Self.insertPost(draft, consortium: consortium, at: "", conn: conn, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "create", resource: "post", id: post.id.uuidString, logger: logger)
            return post
        }
    }

    /// Inserts a validated draft after checking its references; issues point below `pointer`.
    static func insertPost(_ draft: PostDraft, consortium: UUID, at pointer: String, conn: PostgresConnection,
                           logger: Logger) async throws -> PostRecord {
        try await checkReferences(draft, consortium: consortium, at: pointer, conn: conn, logger: logger)
        let allowed = InputRules.canonical(draft.allowedWeekdays), preferred = InputRules.canonical(draft.preferredWeekdays)
        let rows = try await conn.query("""
            INSERT INTO posts (consortium_id, municipality_code, title, days_per_week, allowed_weekdays, preferred_weekdays, code)
            VALUES (\(consortium), \(draft.municipality), \(draft.title), \(draft.daysPerWeek), \(allowed), \(preferred),
                    \(draft.code))
            RETURNING id
            """, logger: logger).decode(UUID.self)
        guard let id = try await rows.first(where: { _ in true }) else { throw StoreError.conflict("post not created") }
        try await insertRequirements(draft.requirements, post: id, consortium: consortium, conn: conn, logger: logger)
        guard let post = try await fetchPosts(consortium: consortium, id: id, conn: conn, logger: logger).first else {
            throw StoreError.conflict("post not created")
        }
        return post
    }

    static func checkReferences(_ draft: PostDraft, consortium: UUID, at pointer: String, conn: PostgresConnection,
                                logger: Logger) async throws {
        var issues: [ValidationIssue] = []
        let member = try await conn.query("""
            SELECT code FROM municipalities WHERE consortium_id = \(consortium) AND code = \(draft.municipality)
            """, logger: logger).decode(String.self)
        if try await member.first(where: { _ in true }) == nil {
            issues.append(.init(pointer: "\(pointer)/municipality", detail: "\(draft.municipality) is not a member of the consortium"))
        }
        for id in try await unknownSkills(draft.requirements.keys, consortium: consortium, conn: conn, logger: logger) {
            issues.append(.init(pointer: "\(pointer)/requirements/\(JSONPointer.token(id))",
                                detail: "unknown skill \"\(id)\""))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    static func insertRequirements(_ levels: [String: Int], post: UUID, consortium: UUID, conn: PostgresConnection,
                                   logger: Logger) async throws {
        guard !levels.isEmpty else { return }
        let ids = levels.keys.sorted()
        let mins = ids.map { levels[$0] ?? 1 }
        try await conn.query("""
            INSERT INTO post_requirements (consortium_id, post_id, skill_id, min_level)
            SELECT \(consortium), \(post), s, l FROM unnest(\(ids)::text[], \(mins)::int[]) AS t(s, l)
            """, logger: logger)
    }

    /// The posts of a consortium (only those of `municipality` when given), by municipality then title.
    public func posts(consortium: UUID, municipality: String? = nil) async throws -> [PostRecord] {
        try await connection { conn in
            try await Self.fetchPosts(consortium: consortium, municipality: municipality, conn: conn, logger: logger)
        }
    }

    /// One post, within `municipality` when given; not found otherwise.
    public func post(_ id: UUID, consortium: UUID, municipality: String? = nil) async throws -> PostRecord {
        try await connection { conn in
            guard let p = try await Self.fetchPosts(consortium: consortium, municipality: municipality, id: id,
                                                    conn: conn, logger: logger).first
            else { throw StoreError.notFound("post not found") }
            return p
        }
    }

    /// Applies a partial update; the merged post is validated as a whole.
    public func updatePost(_ id: UUID, _ patch: PostPatch, consortium: UUID, by who: Principal) async throws -> PostRecord {
        try await write { conn in
            guard let current = try await Self.fetchPosts(consortium: consortium, id: id, lock: true, conn: conn,
                                                          logger: logger).first
            else { throw StoreError.notFound("post not found") }
            let merged = patch.applied(to: current.draft)
            let issues = merged.issues()
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
            try await Self.checkReferences(merged, consortium: consortium, at: "", conn: conn, logger: logger)
            let allowed = InputRules.canonical(merged.allowedWeekdays)
            let preferred = InputRules.canonical(merged.preferredWeekdays)
            try await conn.query("""
                UPDATE posts SET title = \(merged.title), days_per_week = \(merged.daysPerWeek),
                    allowed_weekdays = \(allowed), preferred_weekdays = \(preferred), code = \(merged.code),
                    updated_at = now()
                WHERE consortium_id = \(consortium) AND id = \(id)
                """, logger: logger)
            if let requirements = patch.requirements {
                try await conn.query("DELETE FROM post_requirements WHERE post_id = \(id)", logger: logger)
                try await Self.insertRequirements(requirements, post: id, consortium: consortium, conn: conn, logger: logger)
            }
            let fields = patch.fieldNames.map { "\"\($0)\"" }.joined(separator: ", ")
            try await conn.audit(who, consortium: consortium, action: "update", resource: "post", id: id.uuidString,
                                 detail: "{\"fields\": [\(fields)]}", logger: logger)
            guard let updated = try await Self.fetchPosts(consortium: consortium, id: id, conn: conn, logger: logger).first
            else { throw StoreError.notFound("post not found") }
            return updated
        }
    }

    /// Deletes a post with its requests and draft assignments; conflict while a published assignment refers to it.
    public func deletePost(_ id: UUID, consortium: UUID, by who: Principal) async throws {
        try await write { conn in
            guard try await Self.fetchPosts(consortium: consortium, id: id, lock: true, conn: conn, logger: logger).first != nil
            else { throw StoreError.notFound("post not found") }
            // Past published days are the delivery record and stay; future ones go with the post and are kept as
            // conflicts (removed_assignments) until a publish covers their dates.
            let published = try await conn.query("""
                SELECT count(*)::int FROM published_assignments
                WHERE consortium_id = \(consortium) AND post_id = \(id) AND status = 'confirmed'
                  AND date < (now() AT TIME ZONE 'Asia/Tokyo')::date
                """, logger: logger).decode(Int.self)
            let n = try await published.first(where: { _ in true }) ?? 0
            if n > 0 {
                throw StoreError.conflict("the post has \(n) past published day(s), which the delivery record keeps")
            }
            let removed = try await recordRemovedAssignments(consortium: consortium, staff: nil, post: id, on: conn)
            try await conn.query("DELETE FROM posts WHERE consortium_id = \(consortium) AND id = \(id)", logger: logger)
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "post", id: id.uuidString,
                                 detail: "{\"publishedDaysRemoved\": \(removed)}", logger: logger)
        }
    }

    static func fetchPosts(consortium: UUID, municipality: String? = nil, id: UUID? = nil, lock: Bool = false,
                           conn: PostgresConnection, logger: Logger) async throws -> [PostRecord] {
        let rows = try await conn.query("""
            SELECT p.id, p.municipality_code, p.title, p.days_per_week, p.allowed_weekdays, p.preferred_weekdays,
                   p.created_at, p.updated_at, p.code,
                   coalesce((SELECT array_agg(r.skill_id ORDER BY r.skill_id) FROM post_requirements r WHERE r.post_id = p.id), '{}'),
                   coalesce((SELECT array_agg(r.min_level ORDER BY r.skill_id) FROM post_requirements r WHERE r.post_id = p.id), '{}')
            FROM posts p
            WHERE p.consortium_id = \(consortium)
              AND (\(municipality)::text IS NULL OR p.municipality_code = \(municipality))
              AND (\(id)::uuid IS NULL OR p.id = \(id))
            ORDER BY p.municipality_code, p.title, p.id
            \(unescaped: lock ? "FOR UPDATE OF p" : "")
            """, logger: logger)
        var out: [PostRecord] = []
        for try await (id, code, title, days, allowed, preferred, created, updated, postCode, skillIds, levels)
            in rows.decode((UUID, String, String, Int, [Int], [Int], Date, Date, String?, [String], [Int]).self) {
            out.append(PostRecord(id: id, municipality: code, title: title,
                                  requirements: Dictionary(zip(skillIds, levels), uniquingKeysWith: { a, _ in a }),
                                  daysPerWeek: days, allowedWeekdays: allowed, preferredWeekdays: preferred,
                                  createdAt: created, updatedAt: updated, code: postCode))
        }
        return out
    }
}

/// How a post is named to people: its title, and its code beside it when it has one.
public enum PostLabel {
    /// The longest post code.
    public static let maxCodeLength = 16

    /// `title（code）`, or the title alone.
    public static func label(title: String, code: String?) -> String {
        guard let code, !code.isEmpty else { return title }
        return "\(title)（\(code)）"
    }

    /// Why `code` cannot be a post code, or nil: 1–16 of A–Z a–z 0–9 . _ -, starting with a letter or digit.
    public static func codeProblem(_ code: String) -> String? {
        let bytes = Array(code.utf8)
        guard (1...maxCodeLength).contains(bytes.count) else { return "must be 1–\(maxCodeLength) characters" }
        func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard alnum(bytes[0]), bytes.allSatisfy({ alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }) else {
            return "must be letters A–Z, digits, '.', '_' or '-', starting with a letter or digit"
        }
        return nil
    }
}
