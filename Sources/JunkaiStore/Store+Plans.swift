import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO

/// One assignment of a plan's working copy.
public struct PlanAssignmentRecord: Sendable, Codable, Equatable {
    public var staff: UUID
    public var post: UUID
    public var municipality: String
    public var date: CivilDate
    public var pinned: Bool
    /// The names beside the ids, so that a plan reads without three more lists.
    public var staffName: String = ""
    public var postTitle: String = ""
    public var postCode: String?
    public var municipalityName: String = ""

    public var postLabel: String { PostLabel.label(title: postTitle, code: postCode) }

    enum CodingKeys: String, CodingKey {
        case staff, staffName, post, postTitle, postCode, postLabel, municipality, municipalityName, date, pinned
    }

    public init(staff: UUID, post: UUID, municipality: String, date: CivilDate, pinned: Bool, staffName: String = "",
                postTitle: String = "", postCode: String? = nil, municipalityName: String = "") {
        self.staff = staff; self.post = post; self.municipality = municipality; self.date = date; self.pinned = pinned
        self.staffName = staffName; self.postTitle = postTitle; self.postCode = postCode; self.municipalityName = municipalityName
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        staff = try c.decode(UUID.self, forKey: .staff)
        post = try c.decode(UUID.self, forKey: .post)
        municipality = try c.decode(String.self, forKey: .municipality)
        date = try c.decode(CivilDate.self, forKey: .date)
        pinned = try c.decode(Bool.self, forKey: .pinned)
        staffName = try c.decodeIfPresent(String.self, forKey: .staffName) ?? ""
        postTitle = try c.decodeIfPresent(String.self, forKey: .postTitle) ?? ""
        postCode = try c.decodeIfPresent(String.self, forKey: .postCode)
        municipalityName = try c.decodeIfPresent(String.self, forKey: .municipalityName) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(staff, forKey: .staff)
        try c.encode(staffName, forKey: .staffName)
        try c.encode(post, forKey: .post)
        try c.encode(postTitle, forKey: .postTitle)
        try c.encode(postCode, forKey: .postCode)
        try c.encode(postLabel, forKey: .postLabel)
        try c.encode(municipality, forKey: .municipality)
        try c.encode(municipalityName, forKey: .municipalityName)
        try c.encode(date, forKey: .date)
        try c.encode(pinned, forKey: .pinned)
    }
}

/// The best objective a solve had reached after `elapsed` seconds.
public struct SolveProgressPoint: Sendable, Codable, Equatable {
    public var elapsed: Double
    public var objective: Int
    public init(elapsed: Double, objective: Int) { self.elapsed = elapsed; self.objective = objective }
}

/// A background solve of a plan, as any server instance can report it.
public struct SolveJobRecord: Sendable, Codable, Equatable {
    public var id: UUID
    public var status: SolveJobStatus
    public var seconds: Double
    public var seed: Int
    public var attempts: Int
    public var progress: [SolveProgressPoint]
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// The lower bound proved beside the search: no plan keeping every hard rule scores below it.
    public var bound: Int?
    /// (objective − bound) / objective of the stored objective.
    public var gap: Double?
    /// What no search can fix in the solved instance (set when a worker starts the job).
    public var diagnostics: Diagnostics?
}

/// A plan with its score, working assignments and latest solve.
public struct PlanRecord: Sendable, Codable {
    public var id: UUID
    public var name: String
    public var status: PlanStatus
    public var version: Int
    public var period: Period
    public var objective: Int?
    public var terms: [String: TermScore]?
    public var assignments: [PlanAssignmentRecord]
    public var assignmentCount: Int
    public var solve: SolveJobRecord?
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date?
}

extension Store {
    /// Creates an empty draft plan over a period (checked by the planning layer).
    public func createPlan(consortium: UUID, period: Period, name planName: String, by who: Principal) async throws -> PlanRecord {
        try await transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO plans (consortium_id, name, period_start, period_end)
                SELECT id, \(planName), \(period.start.iso)::date, \(period.end.iso)::date FROM consortia WHERE id = \(consortium)
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(UUID.self).first(where: { _ in true }) else {
                throw StoreError.notFound("consortium not found")
            }
            try await conn.audit(who, consortium: consortium, action: "create", resource: "plan", id: id.uuidString, logger: logger)
            return try await plan(id, consortium: consortium, on: conn)
        }
    }

    /// The consortium's plans, newest first, without their assignments.
    public func listPlans(consortium: UUID) async throws -> [PlanRecord] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT \(unescaped: Self.planColumns) FROM plans pl
                WHERE pl.consortium_id = \(consortium) ORDER BY pl.created_at DESC, pl.id
                """, logger: logger)
            var out: [PlanRecord] = []
            for try await row in rows.decode(PlanRow.self) { out.append(Self.planRecord(row)) }
            return out
        }
    }

    /// One plan with its assignments and latest solve job.
    public func plan(_ id: UUID, consortium: UUID) async throws -> PlanRecord {
        try await connection { conn in try await plan(id, consortium: consortium, on: conn) }
    }

    static let planColumns = """
        pl.id, pl.name, pl.status, pl.version, to_char(pl.period_start, 'YYYY-MM-DD'), to_char(pl.period_end, 'YYYY-MM-DD'),
        pl.objective, pl.terms::text, (SELECT count(*) FROM plan_assignments pa WHERE pa.plan_id = pl.id),
        pl.created_at, pl.updated_at, pl.published_at
        """

    typealias PlanRow = (UUID, String, String, Int, String, String, Int?, String?, Int, Date, Date, Date?)

    static func planRecord(_ r: PlanRow) -> PlanRecord {
        let zero = CivilDate(dayNumber: 0)
        let terms = r.7.flatMap { try? JSONDecoder().decode([String: TermScore].self, from: Data($0.utf8)) }
        return PlanRecord(id: r.0, name: r.1, status: PlanStatus(rawValue: r.2) ?? .draft, version: r.3,
                          period: Period(start: CivilDate(iso: r.4) ?? zero, end: CivilDate(iso: r.5) ?? zero),
                          objective: r.6, terms: terms, assignments: [], assignmentCount: r.8, solve: nil,
                          createdAt: r.9, updatedAt: r.10, publishedAt: r.11)
    }

    func plan(_ id: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> PlanRecord {
        let rows = try await conn.query("""
            SELECT \(unescaped: Self.planColumns) FROM plans pl WHERE pl.id = \(id) AND pl.consortium_id = \(consortium)
            """, logger: logger)
        guard var record = try await rows.decode(PlanRow.self).first(where: { _ in true }).map(Self.planRecord) else {
            throw StoreError.notFound("plan not found")
        }
        let aRows = try await conn.query("""
            SELECT a.staff_id, a.post_id, p.municipality_code, to_char(a.date, 'YYYY-MM-DD'), a.pinned,
                   st.name, p.title, p.code, m.name
            FROM plan_assignments a JOIN posts p ON p.id = a.post_id
            JOIN staff st ON st.id = a.staff_id
            JOIN municipalities m ON m.consortium_id = p.consortium_id AND m.code = p.municipality_code
            WHERE a.plan_id = \(id) ORDER BY a.date, p.municipality_code, a.post_id
            """, logger: logger)
        for try await (s, p, m, iso, pinned, staffName, title, code, municipalityName)
            in aRows.decode((UUID, UUID, String, String, Bool, String, String, String?, String).self) {
            guard let d = CivilDate(iso: iso) else { continue }
            record.assignments.append(PlanAssignmentRecord(staff: s, post: p, municipality: m, date: d, pinned: pinned,
                                                           staffName: staffName, postTitle: title, postCode: code,
                                                           municipalityName: municipalityName))
        }
        record.solve = try await latestJob(plan: id, on: conn)
        return record
    }

    /// Locks the plan row and returns its status and version; notFound outside the consortium.
    func lockPlan(_ id: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> (status: PlanStatus, version: Int) {
        guard let locked = try await lockPlanIfPresent(id, consortium: consortium, on: conn) else {
            throw StoreError.notFound("plan not found")
        }
        return locked
    }

    /// Locks the plan row (FOR UPDATE); nil when the plan is gone, e.g. deleted while a worker solved it.
    func lockPlanIfPresent(_ id: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> (status: PlanStatus, version: Int)? {
        let rows = try await conn.query("""
            SELECT status, version FROM plans WHERE id = \(id) AND consortium_id = \(consortium) FOR UPDATE
            """, logger: logger)
        return try await rows.decode((String, Int).self).first(where: { _ in true }).map { (PlanStatus(rawValue: $0.0) ?? .draft, $0.1) }
    }

    static func termsJSON(_ terms: [String: TermScore]) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return (try? e.encode(terms)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
