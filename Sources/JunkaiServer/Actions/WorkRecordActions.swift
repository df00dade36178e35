import Foundation
import Hummingbird
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// The rules of work records, shared by `WorkRecordsController` (JSON) and the 実績 pages.
enum WorkRecordActions {
    /// Who records a day (a staff member only their own: the store scopes it).
    static let recorders: Set<Principal.Role> = [.coordinator, .staff]
    /// Who confirms or returns a record (a municipality only at its own posts). Never a staff member.
    static let deciders: Set<Principal.Role> = [.coordinator, .municipality]
    /// Who reads records (each in its scope).
    static let readers: Set<Principal.Role> = [.coordinator, .municipality, .staff]

    /// Checks the values (no day after today in Japan) and records the day.
    static func create(_ body: WorkRecordsController.CreateBody, consortium cid: UUID, by who: Principal,
                       store: Store) async throws -> WorkRecord {
        let issues = WorkRecordRules.issues(date: body.date, mode: body.mode, minutes: body.minutes, category: body.category,
                                            summary: body.summary, today: JapanClock.today())
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        let draft = WorkRecordDraft(staff: body.staff, post: body.post, date: body.date, mode: body.mode,
                                    minutes: body.minutes, category: body.category, summary: body.summary)
        return try await store.createWorkRecord(consortium: cid, draft, by: who)
    }

    /// Returns a reported record to its author with a reason, which must not be blank.
    static func returnRecord(_ id: UUID, reason: String, version: Int?, consortium cid: UUID, by who: Principal,
                             store: Store) async throws -> WorkRecord {
        if let why = WorkRecordRules.textIssue(reason, max: WorkRecordRules.maxReasonLength) {
            throw InvalidInput("/reason", why)
        }
        return try await store.transitionWorkRecord(id, consortium: cid, .return(reason: reason), version: version, by: who)
    }
}
