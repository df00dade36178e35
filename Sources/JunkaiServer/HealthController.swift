import JunkaiCore
import Hummingbird
import JunkaiStore
import Logging

/// `/healthz` (the process answers) and `/readyz` (database reachable, migrations current, whether the read caches
/// hear changes — a server that does not still serves, from the database — whether this server runs a solve worker,
/// and the shared solve queue as this server sees it; two servers on one database answer the same queue).
struct HealthController {
    let store: Store
    let migrator: Migrator?
    let tracker: ChangeTracker
    let runsSolveWorker: Bool

    struct Status: ResponseCodable {
        var status: String
        var database: String?
        var migrations: String?
        /// "listening" while change notifications arrive (answers may be cached), "paused" while not.
        var changeNotifications: String?
        /// "running" when this server takes solve jobs, "off" when it only serves.
        var solveWorker: String?
        var solveQueue: SolveQueueView?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in Status(status: "ok") }
        router.get("readyz") { _, context -> Status in
            do {
                try await store.client.query("SELECT 1", logger: context.logger)
            } catch {
                throw Problem(.serviceUnavailable, "database unreachable")
            }
            if let migrator, try await !migrator.isCurrent(client: store.client, logger: context.logger) {
                throw Problem(.serviceUnavailable, "database migrations are not current; run `junkai migrate`")
            }
            return Status(status: "ready", database: "ok", migrations: "current",
                          changeNotifications: tracker.generation() == nil ? "paused" : "listening",
                          solveWorker: runsSolveWorker ? "running" : "off", solveQueue: try await store.solveQueueView())
        }
    }
}
