import JunkaiCore
import Hummingbird
import JunkaiStore
import Logging

/// `/healthz` (the process answers) and `/readyz` (database reachable, migrations current, and whether the
/// read caches hear changes; a server that does not still serves, from the database).
struct HealthController {
    let store: Store
    let migrator: Migrator?
    let tracker: ChangeTracker

    struct Status: ResponseCodable {
        var status: String
        var database: String?
        var migrations: String?
        /// "listening" while change notifications arrive (answers may be cached), "paused" while not.
        var changeNotifications: String?
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
                          changeNotifications: tracker.generation() == nil ? "paused" : "listening")
        }
    }
}
