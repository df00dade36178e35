import Foundation
import JunkaiCore
import JunkaiSolver
import Logging
import PostgresNIO

/// A member municipality of a consortium, keyed by its 全国地方公共団体コード.
public struct MunicipalityRecord: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    public var prefecture: String
    public var kana: String
    public var lat: Double
    public var lon: Double
    /// The office's address (the LOCATION of calendar events); nil when not given.
    public var address: String?
    /// The longest office address (the database's CHECK).
    public static let maxAddressLength = 200

    public init(code: String, name: String, prefecture: String, kana: String, lat: Double, lon: Double, address: String? = nil) {
        self.code = code; self.name = name; self.prefecture = prefecture; self.kana = kana; self.lat = lat; self.lon = lon
        self.address = address
    }

    /// A member filled from the register entry of `code`, each given field overriding the register's;
    /// issues point below `pointer` (e.g. "" for a request body, "/municipalities/3" for an instance).
    public static func resolve(code: String, name: String? = nil, prefecture: String? = nil, kana: String? = nil,
                               lat: Double? = nil, lon: Double? = nil, address: String? = nil, register: MunicipalRegister = .shared,
                               at pointer: String = "") throws(InvalidInput) -> MunicipalityRecord {
        let valid: LocalGovCode
        do { valid = try LocalGovCode(validating: code) } catch {
            throw InvalidInput(issues: [ValidationIssue(pointer: "\(pointer)/code", detail: "\"\(code)\": \(error)")])
        }
        guard let entry = register.entry(valid) else {
            throw InvalidInput(issues: [ValidationIssue(pointer: "\(pointer)/code",
                                                        detail: "\(code) is not in the 全国地方公共団体コード register")])
        }
        // A ward of a designated city (政令市の区) is no local government of its own and cannot sign an agreement.
        guard entry.kind != "ward" else {
            throw InvalidInput(issues: [ValidationIssue(pointer: "\(pointer)/code",
                                                        detail: "\(code) \(entry.name) is a ward of a designated city; use the city's code")])
        }
        let m = MunicipalityRecord(code: valid.value, name: name ?? entry.name, prefecture: prefecture ?? entry.prefecture,
                                   kana: kana ?? entry.kana, lat: lat ?? entry.lat, lon: lon ?? entry.lon, address: address)
        var issues: [ValidationIssue] = []
        for (field, value) in [("name", m.name), ("prefecture", m.prefecture), ("kana", m.kana)] {
            if let why = InputRules.nameProblem(value) { issues.append(.init(pointer: "\(pointer)/\(field)", detail: why)) }
        }
        issues += InputRules.coordinateIssues(lat: m.lat, lon: m.lon, at: pointer)
        if let address, address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || address.unicodeScalars.count > maxAddressLength {
            issues.append(.init(pointer: "\(pointer)/address", detail: "must be 1–\(maxAddressLength) characters, not blank"))
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return m
    }
}

extension Store {
    /// Adds a member; conflict when it already is one.
    public func addMunicipality(_ m: MunicipalityRecord, consortium: UUID, by who: Principal?) async throws -> MunicipalityRecord {
        try await write { conn in
            try await Self.insertMunicipality(m, consortium: consortium, conn: conn, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "create", resource: "municipality", id: m.code, logger: logger)
            return m
        }
    }

    static func insertMunicipality(_ m: MunicipalityRecord, consortium: UUID, conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("""
            INSERT INTO municipalities (consortium_id, code, name, prefecture, kana, lat, lon, address)
            VALUES (\(consortium), \(m.code), \(m.name), \(m.prefecture), \(m.kana), \(m.lat), \(m.lon), \(m.address))
            """, logger: logger)
    }

    /// The members of a consortium in code order, or only `code` when given.
    public func municipalities(consortium: UUID, only code: String? = nil) async throws -> [MunicipalityRecord] {
        try await connection { conn in
            let rows = try await conn.query("""
                SELECT code, name, prefecture, kana, lat, lon, address FROM municipalities
                WHERE consortium_id = \(consortium) AND (\(code)::text IS NULL OR code = \(code))
                ORDER BY code
                """, logger: logger)
            var out: [MunicipalityRecord] = []
            for try await (code, name, pref, kana, lat, lon, address)
                in rows.decode((String, String, String, String, Double, Double, String?).self) {
                out.append(MunicipalityRecord(code: code, name: name, prefecture: pref, kana: kana, lat: lat, lon: lon,
                                              address: address))
            }
            return out
        }
    }

    /// One member; not found when it is not a member.
    public func municipality(_ code: String, consortium: UUID) async throws -> MunicipalityRecord {
        guard let m = try await municipalities(consortium: consortium, only: code).first else {
            throw StoreError.notFound("municipality not found")
        }
        return m
    }

    /// Removes a member and its tokens; conflict while posts still belong to it.
    public func removeMunicipality(_ code: String, consortium: UUID, by who: Principal) async throws {
        try await write { conn in
            let member = try await conn.query("""
                SELECT code FROM municipalities WHERE consortium_id = \(consortium) AND code = \(code) FOR UPDATE
                """, logger: logger).decode(String.self)
            guard try await member.first(where: { _ in true }) != nil else { throw StoreError.notFound("municipality not found") }
            let posts = try await conn.query("""
                SELECT count(*)::int FROM posts WHERE consortium_id = \(consortium) AND municipality_code = \(code)
                """, logger: logger).decode(Int.self)
            let n = try await posts.first(where: { _ in true }) ?? 0
            if n > 0 { throw StoreError.conflict("the municipality still has \(n) post(s); delete them first") }
            try await conn.query("""
                DELETE FROM municipalities WHERE consortium_id = \(consortium) AND code = \(code)
                """, logger: logger)
            try await conn.audit(who, consortium: consortium, action: "delete", resource: "municipality", id: code, logger: logger)
        }
    }
}
