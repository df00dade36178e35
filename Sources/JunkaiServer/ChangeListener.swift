import Foundation
import JunkaiCore
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// Listens on its own connection for the database's change notifications and forwards them to the tracker.
///
/// The tracker is live only while the LISTEN is in place; when the connection fails it goes dark (nothing is
/// cached, everything is read from the database) and the listener reconnects with a growing pause.
struct ChangeListener: Service {
    static let channel = "junkai_changes"

    let configuration: PostgresConnection.Configuration
    let tracker: ChangeTracker
    let logger: Logger

    func run() async throws {
        let configuration = configuration, tracker = tracker, logger = logger
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let connection = try await PostgresConnection.connect(
                        configuration: configuration, id: 0, logger: logger)
                    do {
                        try await connection.listen(on: Self.channel) { notifications in
                            tracker.setLive(true)
                            failures = 0
                            for try await _ in notifications { tracker.changed() }
                        }
                    } catch {
                        if !Task.isCancelled {
                            logger.warning("change notifications lost; caching paused", metadata: ["error": "\(String(reflecting: error))"])
                        }
                    }
                    tracker.setLive(false)
                    try? await connection.close()
                } catch {
                    tracker.setLive(false)
                    if failures == 0 {
                        logger.warning("cannot listen for changes; caching paused", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                failures += 1
                try? await Task.sleep(for: .milliseconds(min(5_000, 100 << min(failures, 6))))
            }
            tracker.setLive(false)
        }
    }
}

/// Any request that may write (every method but GET and HEAD) marks the caches stale once it is done, before
/// its answer goes out, so the same client's next read sees the write even before the notification arrives.
struct WritesInvalidateCachesMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tracker: ChangeTracker

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        defer { tracker.changed() }
        return try await next(request, context)
    }
}
