import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore
import Logging
import NIOCore
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// What `junkai serve` (and the tests) configure.
public struct AppConfig: Sendable {
    public var hostname: String
    public var port: Int
    public var database: DatabaseURL
    /// Where `/readyz` looks for the migration files; nil skips that check.
    public var migrationsDirectory: String?
    /// Apply pending migrations before serving.
    public var migrateOnStart: Bool
    /// Run the background solve worker in this process.
    public var runSolveWorker: Bool
    /// The public base URL used in calendar feed links, e.g. `https://junkai.example.jp`.
    public var publicBaseURL: String
    /// Where `/metrics` is served (its own port, kept off the public one), with the registry behind swift-metrics.
    public var metrics: (port: Int, registry: PrometheusCollectorRegistry)?
    /// How long a request body may take from its head to its end (slower clients get 408).
    public var bodyTimeout: Duration = .seconds(20)
    /// Whether a solve ends early once its lower bound proves the plan optimal (off: it runs to its limit).
    public var solveStopsAtProvenOptimum: Bool = true

    public init(hostname: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL,
                migrationsDirectory: String? = Migrator.defaultDirectory(), migrateOnStart: Bool = false,
                runSolveWorker: Bool = true, publicBaseURL: String? = nil) {
        self.hostname = hostname
        self.port = port
        self.database = database
        self.migrationsDirectory = migrationsDirectory
        self.migrateOnStart = migrateOnStart
        self.runSolveWorker = runSolveWorker
        self.publicBaseURL = publicBaseURL ?? "http://\(hostname):\(port)"
    }
}

/// Wires the database pool, the routes and the solve worker into one application.
public func buildApplication(_ config: AppConfig, logger: Logger) async throws -> some ApplicationProtocol {
    let client = PostgresClient(configuration: config.database.clientConfiguration, backgroundLogger: logger)
    let store = Store(client: client, logger: logger)
    let migrator = try config.migrationsDirectory.map { try Migrator(directory: $0) }
    let tracker = ChangeTracker()
    let router = buildRouter(store: store, migrator: migrator, config: config, caches: ReadCaches(tracker: tracker))
    var app = Application(
        router: router,
        // A connection silent for 30 s (no request, or a body that stopped half-way) is closed; see BodyLimitGuard.
        server: .http1(configuration: .init(
            additionalChannelHandlers: [ParserErrorResponder(), BodyLimitGuard(bodyTimeout: TimeAmount(config.bodyTimeout))],
            idleTimeout: .seconds(30))),
        configuration: .init(address: .hostname(config.hostname, port: config.port), serverName: "junkai"),
        logger: logger
    )
    app.addServices(client)
    if let metrics = config.metrics {
        app.addServices(PrometheusMetrics.endpoint(metrics.registry, hostname: config.hostname, port: metrics.port,
                                                   logger: logger))
        app.addServices(SolveQueueGauges(
            store: store, poolSize: config.database.clientConfiguration.options.maximumConnections))
    }
    app.addServices(ChangeListener(configuration: config.database.connectionConfiguration, tracker: tracker,
                                   logger: logger))
    if config.runSolveWorker {
        var worker = SolveWorker(store: store, logger: logger)
        if !config.solveStopsAtProvenOptimum { worker.boundShare = 0 }
        app.addServices(worker)
    }
    if config.migrateOnStart, let migrator {
        app.beforeServerStarts {
            try await migrator.migrate(client: client, logger: logger)
        }
    }
    return app
}

/// The router: public routes, then `/v1` behind bearer authentication.
func buildRouter(store: Store, migrator: Migrator?, config: AppConfig, caches: ReadCaches) -> Router<AppRequestContext> {
    // HEAD is answered wherever GET is (RFC 9110 §9.3.2), from the same handler with the body dropped.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: WritesInvalidateCachesMiddleware(tracker: caches.tracker))
    router.add(middleware: CreatedLocationMiddleware())
    HealthController(store: store, migrator: migrator, tracker: caches.tracker, runsSolveWorker: config.runSolveWorker)
        .addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    CalendarFeedController(store: store, caches: caches).addRoutes(to: router)

    let v1 = router.group("v1").add(middleware: BearerAuthMiddleware(
        store: store, caches: caches, failures: AuthFailureMonitor()))
        .add(middleware: QueryCheckMiddleware())
    ConsortiaController(store: store).addRoutes(to: v1)
    TokensController(store: store).addRoutes(to: v1)
    MunicipalitiesController(store: store).addRoutes(to: v1)
    SkillsController(store: store).addRoutes(to: v1)
    PostsController(store: store).addRoutes(to: v1)
    StaffController(store: store).addRoutes(to: v1)
    UnavailabilityController(store: store).addRoutes(to: v1)
    RequestsController(store: store).addRoutes(to: v1)
    PlansController(store: store).addRoutes(to: v1)
    PlanInsightsController(store: store).addRoutes(to: v1)
    ConflictsController(store: store).addRoutes(to: v1)
    SchedulesController(store: store, caches: caches, publicBaseURL: config.publicBaseURL).addRoutes(to: v1)
    RegisterController().addRoutes(to: v1)
    WorkRecordsController(store: store).addRoutes(to: v1)
    ReportsController(store: store).addRoutes(to: v1)
    CostSharesController(store: store).addRoutes(to: v1)
    SignInLinksController(store: store, publicBaseURL: config.publicBaseURL).addRoutes(to: v1)
    addWebRoutes(to: router, store: store, config: config, caches: caches)
    // Last: it wraps only the router's not-found answer.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path.description, $0.method.rawValue) }))
    return router
}
