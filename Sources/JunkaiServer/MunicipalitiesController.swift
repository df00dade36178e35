import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// `/v1/consortia/{cid}/municipalities`: members by 全国地方公共団体コード, filled from the built-in register.
struct MunicipalitiesController {
    let store: Store

    struct AddBody: Decodable {
        var code: String
        var name: String?
        var prefecture: String?
        var kana: String?
        var lat: Double?
        var lon: Double?
        var address: String?
    }

    struct Municipality: ResponseEncodable {
        var code: String
        var name: String
        var prefecture: String
        var kana: String
        var lat: Double
        var lon: Double
        var address: String?

        init(_ r: MunicipalityRecord) {
            code = r.code; name = r.name; prefecture = r.prefecture; kana = r.kana; lat = r.lat; lon = r.lon; address = r.address
        }

        enum CodingKeys: String, CodingKey { case code, name, prefecture, kana, lat, lon, address }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(name, forKey: .name)
            try c.encode(prefecture, forKey: .prefecture)
            try c.encode(kana, forKey: .kana)
            try c.encode(lat, forKey: .lat)
            try c.encode(lon, forKey: .lon)
            try c.encode(address, forKey: .address)
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/municipalities", use: add)
        group.get("consortia/:cid/municipalities", use: list)
        group.get("consortia/:cid/municipalities/:code", use: get)
        group.delete("consortia/:cid/municipalities/:code", use: remove)
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Municipality> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        let b = try await request.decodeJSON(AddBody.self, context: context)
        let added = try await RegistryActions.addMunicipality(b, consortium: cid, by: who, store: store)
        return EditedResponse(status: .created, response: Municipality(added))
    }

    // The member directory (names, codes, office positions) is public information, so every desk of the
    // consortium may read all of it; what is private per municipality is its posts and requests.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Items<Municipality> {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator, .municipality])
        return Items(try await store.municipalities(consortium: cid).map(Municipality.init))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Municipality {
        let cid = try context.consortiumID()
        try context.authorize(cid, [.coordinator, .municipality])
        return Municipality(try await store.municipality(try Self.code(context), consortium: cid))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, [.coordinator])
        try await store.removeMunicipality(try Self.code(context), consortium: cid, by: who)
        return .noContent
    }

    /// The `{code}` path parameter; anything but six digits cannot be a member, so it is simply not found.
    static func code(_ context: AppRequestContext) throws -> String {
        guard let raw = context.parameters.get("code"), raw.utf8.count == 6, raw.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw Problem.notFound
        }
        return raw
    }
}
