import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// What `importInstance` created: the new ids next to the instance's own, and every token (shown once).
public struct ImportResult: Sendable, Codable {
    public struct Member: Sendable, Codable {
        public var code: String
        public var name: String
        public var token: String
    }
    public struct StaffMember: Sendable, Codable {
        public var id: UUID
        /// The staff member's id in the instance file.
        public var instanceId: String
        public var name: String
        public var token: String
    }
    public struct PostEntry: Sendable, Codable {
        public var id: UUID
        /// The post's id in the instance file.
        public var instanceId: String
        public var title: String
        public var municipality: String
    }

    public var consortium: UUID
    public var name: String
    /// The instance's period, a natural first plan to create.
    public var period: Period
    public var coordinatorToken: String
    public var municipalities: [Member]
    public var staff: [StaffMember]
    public var posts: [PostEntry]
    /// Accepted requests created from the instance.
    public var requests: Int
    /// Requests of the instance for a post and day already requested, merged into that one.
    public var requestsMerged: Int
}

extension Store {
    /// The records an instance becomes, or every reason it cannot (pointers into the instance document).
    public static func importPlan(_ instance: Instance, name: String? = nil, register: MunicipalRegister = .shared)
        throws(InvalidInput) -> (name: String, municipalities: [MunicipalityRecord], skills: [SkillRecord],
                                 posts: [PostDraft], staff: [StaffDraft]) {
        var issues: [ValidationIssue] = []
        let consortiumName = name ?? instance.name
        if let why = InputRules.nameProblem(consortiumName) {
            issues.append(.init(pointer: name == nil ? "/name" : "--name", detail: why))
        }
        var members: [MunicipalityRecord] = []
        for (i, m) in instance.municipalities.enumerated() {
            do {
                members.append(try MunicipalityRecord.resolve(code: m.code, name: m.name, lat: m.lat, lon: m.lon,
                                                              register: register, at: "/municipalities/\(i)"))
            } catch { issues += error.issues }
        }
        for (i, s) in instance.skills.enumerated() {
            if let why = InputRules.skillIdProblem(s.id) { issues.append(.init(pointer: "/skills/\(i)/id", detail: why)) }
            if let why = InputRules.nameProblem(s.name) { issues.append(.init(pointer: "/skills/\(i)/name", detail: why)) }
        }
        // Posts sharing a title get their instance id as code, so that the twins are told apart everywhere.
        let titleCounts = Dictionary(instance.posts.map { ($0.title, 1) }, uniquingKeysWith: +)
        let posts = instance.posts.map {
            PostDraft(municipality: $0.municipality, title: $0.title, requirements: $0.requirements, daysPerWeek: $0.daysPerWeek,
                      allowedWeekdays: $0.allowedWeekdays, preferredWeekdays: $0.preferredWeekdays,
                      code: (titleCounts[$0.title] ?? 0) > 1 && PostLabel.codeProblem($0.id) == nil ? $0.id : nil)
        }
        for (i, p) in posts.enumerated() { issues += p.issues(at: "/posts/\(i)") }
        let staff = instance.staff.map {
            StaffDraft(name: $0.name, home: $0.home, skills: $0.skills, maxDaysPerWeek: $0.maxDaysPerWeek,
                       targetDaysPerWeek: $0.targetDaysPerWeek, availableWeekdays: $0.availableWeekdays, maxTravelKm: $0.maxTravelKm)
        }
        for (i, s) in staff.enumerated() { issues += s.issues(at: "/staff/\(i)") }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return (consortiumName, members, instance.skills.map { SkillRecord(id: $0.id, name: $0.name) }, posts, staff)
    }

    /// Creates a new consortium from a validated instance in one transaction, with a coordinator token and one token
    /// per municipality and per staff member; pinned and baseline assignments are plan data and are not imported.
    public func importInstance(_ instance: Instance, name: String? = nil, register: MunicipalRegister = .shared) async throws
        -> ImportResult {
        let plan = try Self.importPlan(instance, name: name, register: register)
        return try await write { conn in
            let rows = try await conn.query("""
                INSERT INTO consortia (name, closed_dates) VALUES (\(plan.name), \(InputRules.canonical(instance.closedDates)))
                RETURNING id
                """, logger: logger).decode(UUID.self)
            guard let cid = try await rows.first(where: { _ in true }) else { throw StoreError.conflict("consortium not created") }

            for m in plan.municipalities { try await Self.insertMunicipality(m, consortium: cid, conn: conn, logger: logger) }
            for s in plan.skills { _ = try await Self.upsertSkill(s, consortium: cid, conn: conn, logger: logger) }

            var postIds: [String: UUID] = [:]
            var posts: [ImportResult.PostEntry] = []
            for (i, (source, draft)) in zip(instance.posts, plan.posts).enumerated() {
                let p = try await Self.insertPost(draft, consortium: cid, at: "/posts/\(i)", conn: conn, logger: logger)
                postIds[source.id] = p.id
                posts.append(.init(id: p.id, instanceId: source.id, title: p.title, municipality: p.municipality))
            }

            var staffRows: [(source: Staff, id: UUID)] = []
            for (i, (source, draft)) in zip(instance.staff, plan.staff).enumerated() {
                let s = try await Self.insertStaff(draft, consortium: cid, at: "/staff/\(i)", conn: conn, logger: logger)
                staffRows.append((source, s.id))
                try await Self.insertDates(InputRules.canonical(source.unavailableDates), kind: .unavailable, staff: s.id,
                                           consortium: cid, conn: conn, logger: logger)
                try await Self.insertDates(InputRules.canonical(source.undesiredDates), kind: .undesired, staff: s.id,
                                           consortium: cid, conn: conn, logger: logger)
            }

            let requests = Self.openRequests(instance.requests).compactMap { r in
                // The loader has checked every request names a known post, so the lookup cannot miss.
                postIds[r.post].map { (post: $0, date: r.date, kind: r.kind.rawValue) }
            }
            if !requests.isEmpty {
                try await conn.query("""
                    INSERT INTO requests (consortium_id, post_id, date, kind, status)
                    SELECT \(cid), p, d, k, 'accepted'
                    FROM unnest(\(requests.map(\.post))::uuid[], \(requests.map(\.date))::date[], \(requests.map(\.kind))::text[]) AS t(p, d, k)
                    """, logger: logger)
            }

            let coordinator = try await Self.insertToken(role: .coordinator, consortium: cid, label: "seed coordinator",
                                                         conn: conn, logger: logger)
            var members: [ImportResult.Member] = []
            for m in plan.municipalities {
                let token = try await Self.insertToken(role: .municipality, consortium: cid, municipality: m.code,
                                                       label: "seed \(m.code)", conn: conn, logger: logger)
                members.append(.init(code: m.code, name: m.name, token: token))
            }
            var staff: [ImportResult.StaffMember] = []
            for (source, id) in staffRows {
                // The label carries the file's id, not the name: labels are listed to coordinators and kept in logs.
                let token = try await Self.insertToken(role: .staff, consortium: cid, staff: id, label: "seed \(source.id)",
                                                       conn: conn, logger: logger)
                staff.append(.init(id: id, instanceId: source.id, name: source.name, token: token))
            }
            let detail = "{\"municipalities\": \(members.count), \"skills\": \(plan.skills.count), \"posts\": \(posts.count), "
                + "\"staff\": \(staff.count), \"requests\": \(requests.count)}"
            try await conn.audit(nil, consortium: cid, action: "import", resource: "consortium", id: cid.uuidString,
                                 detail: detail, logger: logger)
            return ImportResult(consortium: cid, name: plan.name, period: instance.period, coordinatorToken: coordinator,
                                municipalities: members, staff: staff, posts: posts, requests: requests.count,
                                requestsMerged: instance.requests.count - requests.count)
        }
    }

    /// One request per post and day, as the database keeps them open (`requests_one_open`): of repeats the
    /// first `required` one wins, else the first; the input order is kept otherwise.
    public static func openRequests(_ requests: [JunkaiSolver.Request]) -> [JunkaiSolver.Request] {
        struct Key: Hashable { let post: String; let date: CivilDate }
        var chosen: [Key: Int] = [:]
        var out: [JunkaiSolver.Request] = []
        for r in requests {
            let key = Key(post: r.post, date: r.date)
            if let i = chosen[key] {
                if out[i].kind != .required, r.kind == .required { out[i] = r }
            } else {
                chosen[key] = out.count
                out.append(r)
            }
        }
        return out
    }

    static func insertDates(_ dates: [CivilDate], kind: UnavailabilityRecord.Kind, staff: UUID, consortium: UUID,
                            conn: PostgresConnection, logger: Logger) async throws {
        guard !dates.isEmpty else { return }
        try await conn.query("""
            INSERT INTO staff_unavailability (consortium_id, staff_id, date, kind)
            SELECT \(consortium), \(staff), d, \(kind.rawValue) FROM unnest(\(dates)::date[]) AS t(d)
            """, logger: logger)
    }

    /// Inserts a token inside the caller's transaction and returns its secret (the only time it exists in clear).
    static func insertToken(role: Principal.Role, consortium: UUID, municipality: String? = nil, staff: UUID? = nil,
                            label: String, conn: PostgresConnection, logger: Logger) async throws -> String {
        let secret = Secret.generate(prefix: "jk_")
        let hash = Secret.hash(secret)
        try await conn.query("""
            INSERT INTO tokens (token_hash, role, consortium_id, municipality_code, staff_id, label)
            VALUES (\(hash), \(role.rawValue), \(consortium), \(municipality), \(staff), \(label))
            """, logger: logger)
        return secret
    }
}
