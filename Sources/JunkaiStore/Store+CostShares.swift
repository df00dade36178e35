import Foundation
import JunkaiCore
import JunkaiSolver
import PostgresNIO


/// One member's share of the year.
public struct MemberShare: Sendable, Equatable, Codable {
    public var municipality: String
    public var municipalityName: String
    /// The population the rule used; nil when none was given (the population component is then 0%).
    public var population: Int64?
    /// Confirmed `onsite` or `remote` records at the member's posts dated in the fiscal year.
    public var days: Int
    public var equalYen: Int64
    public var populationYen: Int64
    public var daysYen: Int64
    public var totalYen: Int64
}

/// A fiscal year's cost share: its inputs and the shares, computed now (open) or frozen when fixed.
public struct CostShareRecord: Sendable, Equatable {
    public var fiscalYear: Int
    public var status: String
    public var totalYen: Int64
    public var rule: CostShare.Rule
    public var costs: [CostLine]
    public var populations: [String: Int64]
    public var populationBasis: String?
    public var shares: [MemberShare]
    /// Why the open year cannot be fixed as it stands (a member without a population), by pointer; empty when fixed.
    public var problems: [ValidationIssue]
    public var version: Int
    public var fixedAt: Date?
    public var updatedAt: Date
}


extension Store {
    /// Sets a fiscal year's costs, rule and populations (creating the year when new: `created` is then true);
    /// 409 when the year is fixed, 422 naming the field for invalid input.
    public func putCostShare(consortium: UUID, fiscalYear fy: Int, _ input: CostShareInput,
                             by who: Principal) async throws -> (record: CostShareRecord, created: Bool) {
        try await recordWrite { conn in
            let existing = try await conn.query("""
                SELECT status FROM cost_shares WHERE consortium_id = \(consortium) AND fiscal_year = \(fy) FOR UPDATE
                """, logger: logger)
            if let status = try await existing.decode(String.self).first(where: { _ in true }), status == "fixed" {
                throw StoreError.conflict("\(fy)年度 is fixed; reopen it before changing its costs")
            }
            let members = try await memberCodes(consortium: consortium, on: conn)
            let issues = CostShareRules.issues(input, members: Set(members))
            if !issues.isEmpty { throw InvalidInput(issues: issues) }
            let total = input.costs.reduce(Int64(0)) { $0 + $1.yen }
            let upserted = try await conn.query("""
                INSERT INTO cost_shares (consortium_id, fiscal_year, rule_equal, rule_population, rule_days,
                                         population_basis, total_yen)
                VALUES (\(consortium), \(fy), \(input.rule.equal), \(input.rule.population), \(input.rule.days),
                        \(input.populationBasis), \(total))
                ON CONFLICT (consortium_id, fiscal_year) DO UPDATE
                SET rule_equal = EXCLUDED.rule_equal, rule_population = EXCLUDED.rule_population,
                    rule_days = EXCLUDED.rule_days, population_basis = EXCLUDED.population_basis,
                    total_yen = EXCLUDED.total_yen, version = cost_shares.version + 1, updated_at = now()
                WHERE cost_shares.status = 'open'
                RETURNING (xmax = 0)
                """, logger: logger)
            guard let created = try await upserted.decode(Bool.self).first(where: { _ in true }) else {
                throw StoreError.conflict("\(fy)年度 is fixed; reopen it before changing its costs")
            }
            try await conn.query("""
                DELETE FROM cost_share_costs WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                """, logger: logger)
            try await conn.query("""
                DELETE FROM cost_share_populations WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                """, logger: logger)
            try await conn.query("""
                INSERT INTO cost_share_costs (consortium_id, fiscal_year, position, label, yen)
                SELECT \(consortium), \(fy), t.i - 1, t.label, t.yen
                FROM unnest(\(input.costs.map(\.label))::text[], \(input.costs.map(\.yen))::bigint[])
                     WITH ORDINALITY AS t(label, yen, i)
                """, logger: logger)
            let codes = input.populations.keys.sorted()
            try await conn.query("""
                INSERT INTO cost_share_populations (consortium_id, fiscal_year, municipality_code, population)
                SELECT \(consortium), \(fy), t.code, t.population
                FROM unnest(\(codes)::text[], \(codes.map { input.populations[$0]! })::bigint[]) AS t(code, population)
                """, logger: logger)
            // Amounts and counts only: cost labels are free text and stay out of the audit detail.
            try await conn.audit(who, consortium: consortium, action: created ? "create" : "update", resource: "cost_share",
                                 id: String(fy),
                                 detail: """
                                 {"totalYen": \(total), "costLines": \(input.costs.count), "rule": {"equal": \(input.rule.equal), \
                                 "population": \(input.rule.population), "days": \(input.rule.days)}, "populations": \(codes.count)}
                                 """, logger: logger)
            return (try await costShare(consortium: consortium, fiscalYear: fy, on: conn, lock: false), created)
        }
    }

    /// The year's cost share: the frozen figures when fixed, else computed from the current members and records.
    public func costShare(consortium: UUID, fiscalYear fy: Int) async throws -> CostShareRecord {
        try await transaction { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            return try await costShare(consortium: consortium, fiscalYear: fy, on: conn, lock: false)
        }
    }

    /// Freezes the year's shares, days and members as computed now; 409 when already fixed or not computable.
    public func fixCostShare(consortium: UUID, fiscalYear fy: Int, by who: Principal) async throws -> CostShareRecord {
        try await recordWrite { conn in
            let current = try await costShare(consortium: consortium, fiscalYear: fy, on: conn, lock: true)
            guard current.status == "open" else { throw StoreError.conflict("\(fy)年度 is already fixed") }
            if let first = current.problems.first {
                throw StoreError.conflict("\(fy)年度 cannot be fixed: \(first.detail); set the populations again (PUT)")
            }
            if current.shares.isEmpty { throw StoreError.conflict("\(fy)年度 cannot be fixed: the consortium has no members") }
            let s = current.shares
            try await conn.query("""
                INSERT INTO cost_share_results (consortium_id, fiscal_year, municipality_code, municipality_name, population,
                                                days, equal_yen, population_yen, days_yen, total_yen)
                SELECT \(consortium), \(fy), t.code, t.name, NULLIF(t.population, 0), t.days, t.e, t.p, t.d, t.e + t.p + t.d
                FROM unnest(\(s.map(\.municipality))::text[], \(s.map(\.municipalityName))::text[],
                            \(s.map { $0.population ?? 0 })::bigint[], \(s.map(\.days))::int[], \(s.map(\.equalYen))::bigint[],
                            \(s.map(\.populationYen))::bigint[], \(s.map(\.daysYen))::bigint[])
                     AS t(code, name, population, days, e, p, d)
                """, logger: logger)
            try await conn.query("""
                UPDATE cost_shares SET status = 'fixed', fixed_at = now(), fixed_by = \(who.tokenId),
                                       version = version + 1, updated_at = now()
                WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                """, logger: logger)
            // The frozen figures themselves, so the audit log alone says what was fixed even after a reopen.
            let figures = s.map { "\"\($0.municipality)\": {\"days\": \($0.days), \"totalYen\": \($0.totalYen)}" }
            try await conn.audit(who, consortium: consortium, action: "fix", resource: "cost_share", id: String(fy),
                                 detail: "{\"totalYen\": \(current.totalYen), \"shares\": {\(figures.joined(separator: ", "))}}",
                                 logger: logger)
            return try await costShare(consortium: consortium, fiscalYear: fy, on: conn, lock: false)
        }
    }

    /// Unfreezes a fixed year (its shares are computed from the records again); 409 when it is open.
    public func reopenCostShare(consortium: UUID, fiscalYear fy: Int, by who: Principal) async throws -> CostShareRecord {
        try await recordWrite { conn in
            let rows = try await conn.query("""
                SELECT status FROM cost_shares WHERE consortium_id = \(consortium) AND fiscal_year = \(fy) FOR UPDATE
                """, logger: logger)
            guard let status = try await rows.decode(String.self).first(where: { _ in true }) else {
                throw StoreError.notFound("no cost share has been set for \(fy)年度")
            }
            guard status == "fixed" else { throw StoreError.conflict("\(fy)年度 is not fixed") }
            try await conn.query("""
                UPDATE cost_shares SET status = 'open', fixed_at = NULL, fixed_by = NULL, version = version + 1,
                                       updated_at = now()
                WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                """, logger: logger)
            try await conn.query("""
                DELETE FROM cost_share_results WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                """, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "reopen", resource: "cost_share", id: String(fy),
                                 logger: logger)
            return try await costShare(consortium: consortium, fiscalYear: fy, on: conn, lock: false)
        }
    }

    func memberCodes(consortium: UUID, on conn: PostgresConnection) async throws -> [String] {
        let rows = try await conn.query("SELECT code FROM municipalities WHERE consortium_id = \(consortium) ORDER BY code",
                                        logger: logger)
        var out: [String] = []
        for try await code in rows.decode(String.self) { out.append(code) }
        return out
    }

    func costShare(consortium: UUID, fiscalYear fy: Int, on conn: PostgresConnection, lock: Bool) async throws -> CostShareRecord {
        let head = try await conn.query("""
            SELECT status, rule_equal, rule_population, rule_days, population_basis, total_yen, version, fixed_at, updated_at
            FROM cost_shares WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
            \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger: logger)
        guard let (status, equal, population, days, basis, total, version, fixedAt, updatedAt)
                = try await head.decode((String, Int, Int, Int, String?, Int64, Int, Date?, Date).self).first(where: { _ in true })
        else { throw StoreError.notFound("no cost share has been set for \(fy)年度") }
        let rule = CostShare.Rule(equal: equal, population: population, days: days)

        var costs: [CostLine] = []
        let costRows = try await conn.query("""
            SELECT label, yen FROM cost_share_costs WHERE consortium_id = \(consortium) AND fiscal_year = \(fy) ORDER BY position
            """, logger: logger)
        for try await (label, yen) in costRows.decode((String, Int64).self) { costs.append(CostLine(label: label, yen: yen)) }
        var populations: [String: Int64] = [:]
        let populationRows = try await conn.query("""
            SELECT municipality_code, population FROM cost_share_populations
            WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
            """, logger: logger)
        for try await (code, n) in populationRows.decode((String, Int64).self) { populations[code] = n }

        var record = CostShareRecord(fiscalYear: fy, status: status, totalYen: total, rule: rule, costs: costs,
                                     populations: populations, populationBasis: basis, shares: [], problems: [],
                                     version: version, fixedAt: fixedAt, updatedAt: updatedAt)
        if status == "fixed" {
            let frozen = try await conn.query("""
                SELECT municipality_code, municipality_name, population, days, equal_yen, population_yen, days_yen, total_yen
                FROM cost_share_results WHERE consortium_id = \(consortium) AND fiscal_year = \(fy)
                ORDER BY municipality_code
                """, logger: logger)
            for try await (code, name, pop, d, e, p, dy, t) in frozen.decode((String, String, Int64?, Int, Int64, Int64, Int64, Int64).self) {
                record.shares.append(MemberShare(municipality: code, municipalityName: name, population: pop, days: d,
                                                 equalYen: e, populationYen: p, daysYen: dy, totalYen: t))
            }
            return record
        }

        // Open: the current members, and each one's confirmed onsite/remote days in the fiscal year (from the monthly
        // counts the database keeps of the work records, migration 0006).
        let year = FiscalYear(fy)
        let memberRows = try await conn.query("""
            SELECT m.code, m.name, COALESCE(d.days, 0)
            FROM municipalities m
            LEFT JOIN (SELECT p.municipality_code AS code, sum(c.onsite + c.remote)::int AS days
                       FROM delivery_month_counts c JOIN posts p ON p.id = c.post_id
                       WHERE c.consortium_id = \(consortium) AND c.month BETWEEN \(year.start) AND \(year.end)
                       GROUP BY p.municipality_code) d ON d.code = m.code
            WHERE m.consortium_id = \(consortium)
            ORDER BY m.code
            """, logger: logger)
        var members: [(code: String, name: String, days: Int)] = []
        for try await (code, name, d) in memberRows.decode((String, String, Int).self) { members.append((code, name, d)) }
        if rule.population > 0 {
            record.problems = CostShareRules.missingPopulations(populations, members: Set(members.map(\.code)))
        }
        let weights = members.map { CostShare.Member(code: $0.code, population: populations[$0.code] ?? 0, days: Int64($0.days)) }
        let computed: [CostShare.Share]
        do { computed = try CostShare.shares(totalYen: total, rule: rule, members: weights) } catch {
            // The CHECK constraints keep the stored rule and total valid, so this does not happen.
            throw StoreError.conflict("the stored cost share cannot be computed (\(error))")
        }
        record.shares = zip(members, computed).map { m, s in
            MemberShare(municipality: m.code, municipalityName: m.name, population: populations[m.code], days: m.days,
                        equalYen: s.equalYen, populationYen: s.populationYen, daysYen: s.daysYen, totalYen: s.totalYen)
        }
        return record
    }
}
