import Foundation
import JunkaiCore
import Hummingbird
import JunkaiSolver
import JunkaiStore

/// Who a credential may be issued for — an API token or a sign-in link — by whom: one rule for both.
enum TokenActions {
    /// The roles that may issue credentials at all (an admin passes every check).
    static let issuers: Set<Principal.Role> = [.coordinator]

    /// A checked request for a credential: its role and, for a desk or a person, whom it names.
    struct Subject: Sendable {
        var role: Principal.Role
        var municipality: String?
        var staff: UUID?
    }

    /// Checks role, shape (`TokensController.shapeIssues`) and that the municipality or staff member belongs to
    /// the consortium: 403 when a coordinator asks for anything but a desk or staff credential, 422 naming the field.
    static func subject(role raw: String, municipality: String?, staff: String?, label: String?, consortium cid: UUID,
                        by who: Principal, store: Store) async throws -> Subject {
        guard let role = Principal.Role(rawValue: raw) else {
            throw InvalidInput("/role", "must be one of coordinator, municipality, staff")
        }
        // A coordinator hands out desk and staff credentials; only an admin may create another coordinator.
        if who.role == .coordinator, role != .municipality, role != .staff { throw Problem.forbidden }
        let issues = TokensController.shapeIssues(role: role, municipality: municipality, staff: staff, label: label)
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        if let code = municipality, try await store.municipalities(consortium: cid, only: code).isEmpty {
            throw InvalidInput("/municipality", "\(code) is not a member of the consortium")
        }
        let staffId = staff.flatMap(UUID.init(uuidString:))
        if let staffId {
            do { _ = try await store.staffMember(staffId, consortium: cid) } catch StoreError.notFound {
                throw InvalidInput("/staff", "no staff member \(staffId.uuidString) in the consortium")
            }
        }
        return Subject(role: role, municipality: municipality, staff: staffId)
    }

    /// Issues a personal sign-in link; returns its URL (shown once) and when it expires.
    static func issueSignInLink(_ subject: Subject, consortium cid: UUID, by who: Principal, store: Store,
                                publicBaseURL: String) async throws -> (url: String, expiresAt: Date) {
        let (_, secret, expires) = try await store.issueSignInLink(consortium: cid, role: subject.role,
                                                                   municipality: subject.municipality,
                                                                   staff: subject.staff, by: who)
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return ("\(base)/sign-in/\(secret)", expires)
    }
}
