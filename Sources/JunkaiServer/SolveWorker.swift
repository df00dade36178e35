import JunkaiStore
import Logging
import ServiceLifecycle

struct SolveWorker: Service {
    let store: Store
    let logger: Logger
    func run() async throws {
        try await gracefulShutdown()
    }
}
