import Foundation
import JunkaiCore
import PostgresNIO

extension Store {
    func solveJob(_ id: UUID, plan: UUID, consortium: UUID, on conn: PostgresConnection) async throws -> SolveJobRecord {
        let rows = try await conn.query("""
            SELECT \(unescaped: Self.jobColumns) FROM solve_jobs
            WHERE id = \(id) AND plan_id = \(plan) AND consortium_id = \(consortium)
            """, logger: logger)
        guard let job = try await rows.decode(JobRow.self).first(where: { _ in true }).map(Self.jobRecord) else {
            throw StoreError.notFound("solve job not found")
        }
        return job
    }
}
