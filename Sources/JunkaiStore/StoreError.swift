import JunkaiCore
import PostgresNIO

/// What a repository call can fail with, in domain terms; the server maps each case to one HTTP status.
public enum StoreError: Error, Sendable, Equatable {
    /// The resource does not exist or is outside the caller's scope (HTTP 404).
    case notFound(String)
    /// The caller's role may not do this to a resource it can see (HTTP 403).
    case forbidden(String)
    /// The write conflicts with current state: duplicate, hard-rule break, wrong status (HTTP 409).
    case conflict(String)
    /// `If-Match` did not match the current version (HTTP 412).
    case preconditionFailed(String)
}

extension StoreError {
    /// The reason in words, for a log line or a terminal (the HTTP answer carries the same text as its detail).
    public var message: String {
        switch self {
        case .notFound(let why), .conflict(let why), .forbidden(let why), .preconditionFailed(let why): return why
        }
    }

    /// Maps a PostgreSQL error to a domain error by SQLSTATE (`StoreError`, or `InvalidInput` for a value the
    /// database refused); nil when it is not an expected constraint failure.
    public static func from(_ error: any Error) -> (any Error)? {
        if error is StoreError || error is InvalidInput { return error }
        if let t = error as? PostgresTransactionError {
            if let inner = t.closureError { return from(inner) }
            if let inner = t.commitError { return from(inner) }
            return nil
        }
        guard let psql = error as? PSQLError, let code = psql.serverInfo?[.sqlState] else { return nil }
        let constraint = psql.serverInfo?[.constraintName] ?? ""
        switch code {
        case "23505": return StoreError.conflict(conflictMessage(constraint))
        case "23503": return StoreError.conflict("refers to something that does not exist or is still in use (\(constraint))")
        case "23514": return InvalidInput("", "value breaks a rule (\(constraint))")
        case "23P01": return StoreError.conflict("overlaps an existing entry (\(constraint))")
        case "40001", "40P01": return StoreError.conflict("a concurrent change got there first; try again")
        case "22007", "22008", "22003", "22P02": return InvalidInput("", "value out of range")
        case "22021", "22P05": return InvalidInput("", "text contains a character PostgreSQL cannot store (e.g. NUL)")
        case "22001": return InvalidInput("", "text is too long")
        default: return nil
        }
    }

    static func conflictMessage(_ constraint: String) -> String {
        switch constraint {
        case "published_one_place_a_day", "plan_assignments_plan_id_staff_id_date_key":
            return "the staff member already has an assignment on that date"
        case "published_one_person_a_seat", "plan_assignments_pkey":
            return "the post already has someone on that date"
        case "municipalities_pkey": return "the municipality is already a member"
        case "one_active_job_per_plan": return "the plan is already being solved"
        case "requests_one_open": return "there is already an open request for this post on that date"
        case "staff_unavailability_staff_id_date_kind_key": return "that date is already declared"
        case "posts_code_unique": return "another post of the consortium already has this code"
        default: return "already exists (\(constraint))"
        }
    }
}
