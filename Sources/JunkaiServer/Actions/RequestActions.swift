import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// The rules of a day request, shared by `RequestsController` (JSON) and the pages: who may act, what is valid.
enum RequestActions {
    /// Who may make, list and withdraw requests (a desk only for its own posts: the store scopes it).
    static let askers: Set<Principal.Role> = [.coordinator, .municipality]
    /// Who decides.
    static let deciders: Set<Principal.Role> = [.coordinator]

    /// Checks the kind and note and creates the request.
    static func create(_ body: RequestsController.CreateBody, consortium cid: UUID, by who: Principal,
                       store: Store) async throws -> RequestRecord {
        guard RequestsController.kinds.contains(body.kind) else {
            throw InvalidInput("/kind", "must be \"required\" or \"preferred\"")
        }
        if let note = body.note { try RequestsController.checkText(note, "/note") }
        let today = JapanClock.today()
        guard body.date >= today else {
            throw InvalidInput("/date", "\(body.date.iso) is in the past; a request is for today (\(today.iso), Japan) or later")
        }
        return try await store.createRequest(consortium: cid, post: body.post, date: body.date, kind: body.kind,
                                             note: body.note, by: who)
    }

    static func accept(_ rid: UUID, consortium cid: UUID, by who: Principal, store: Store) async throws -> RequestRecord {
        try await store.decideRequest(rid, consortium: cid, accept: true, reason: nil, by: who)
    }

    /// Declines with a reason, which must not be blank.
    static func decline(_ rid: UUID, reason raw: String, consortium cid: UUID, by who: Principal,
                        store: Store) async throws -> RequestRecord {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw InvalidInput("/reason", "must not be empty") }
        try RequestsController.checkText(reason, "/reason")
        return try await store.decideRequest(rid, consortium: cid, accept: false, reason: reason, by: who)
    }

    static func withdraw(_ rid: UUID, consortium cid: UUID, by who: Principal, store: Store) async throws {
        try await store.withdrawRequest(rid, consortium: cid, by: who)
    }
}
