import Foundation
import Hummingbird
import JunkaiCore
import JunkaiStore

/// The rules of members and of staff dates, shared by the JSON controllers and the pages.
enum RegistryActions {
    /// Adds a member municipality by its code, filled from the built-in register.
    static func addMunicipality(_ b: MunicipalitiesController.AddBody, consortium cid: UUID, by who: Principal,
                                store: Store) async throws -> MunicipalityRecord {
        let m = try MunicipalityRecord.resolve(code: b.code, name: b.name, prefecture: b.prefecture, kana: b.kana,
                                               lat: b.lat, lon: b.lon, address: b.address)
        return try await store.addMunicipality(m, consortium: cid, by: who)
    }

    /// Declares a date a staff member cannot (`unavailable`) or would rather not (`undesired`) work.
    static func addUnavailability(_ b: UnavailabilityController.AddBody, staff: UUID, consortium cid: UUID, by who: Principal,
                                  store: Store) async throws -> UnavailabilityRecord {
        guard let kind = UnavailabilityRecord.Kind(rawValue: b.kind) else {
            throw InvalidInput("/kind", "must be \"unavailable\" or \"undesired\"")
        }
        return try await store.addUnavailability(staff: staff, date: b.date, kind: kind, note: b.note, consortium: cid, by: who)
    }
}
