import ArgumentParser
import Foundation
import NIOCore
import JunkaiCore
import JunkaiServer
import JunkaiStore
import Logging
import PostgresNIO

/// Runs `body` with a live pool for one-shot commands, then shuts the pool down.
func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
    let url = try DatabaseURL(try databaseURLFromEnvironment())
    var logger = Logger(label: "junkai")
    logger.logLevel = .error
    do {
        try await DatabaseProbe.check(url, logger: logger)
    } catch let unreachable as DatabaseUnreachable {
        printError("junkai: \(unreachable)")
        throw ExitCode(1)
    }
    let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(Store(client: client, logger: logger))
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the JSON API (database from DATABASE_URL).")

    @Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Apply pending migrations before serving.") var migrate = false
    @Flag(help: "Do not run the background solve worker in this process.") var noWorker = false
    @Option(help: "Public base URL for calendar feed links.") var publicURL: String?
    @Option(help: "Log level (trace, debug, info, notice, warning, error).") var logLevel = "info"
    @Option(help: "Log format: text, or json for one JSON object a line.") var logFormat = "text"
    @Option(help: "Serve Prometheus metrics at /metrics on this port (off when not given).") var metricsPort: Int?

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535") }
        if let metricsPort {
            guard (1...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 1–65535") }
            guard metricsPort != port else { throw ValidationError("--metrics-port must differ from --port") }
        }
    }

    func run() async throws {
        if logFormat == "json" { LoggingSystem.bootstrap { JSONLogHandler(label: $0) } }
        var logger = Logger(label: "junkai")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var config = AppConfig(
            hostname: hostname, port: port, database: try DatabaseURL(try databaseURLFromEnvironment()),
            migrateOnStart: migrate, runSolveWorker: !noWorker, publicBaseURL: publicURL)
        for p in [port] + (metricsPort.map { [$0] } ?? []) {
            guard await portIsFree(host: hostname, port: p) else {
                printError("junkai serve: cannot listen on \(hostname):\(p): the port is already in use")
                throw ExitCode(1)
            }
        }
        if let metricsPort { config.metrics = (metricsPort, PrometheusMetrics.bootstrap()) }
        do {
            try await DatabaseProbe.check(config.database, logger: logger)
            let app = try await buildApplication(config, logger: logger)
            try await app.runService()
        } catch let unreachable as DatabaseUnreachable {
            printError("junkai serve: \(unreachable)")
            throw ExitCode(1)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            printError("junkai serve: cannot listen on \(hostname):\(port): the port is already in use")
            throw ExitCode(1)
        }
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the migrations built into the binary (Database/migrations) in order; refuse an edited applied file.")

    @Option(help: "Folder of NNNN_name.sql files (default: JUNKAI_MIGRATIONS, else the copy built into the binary).") var dir: String?

    func run() async throws {
        let migrator = try Migrator(directory: dir ?? Migrator.defaultDirectory())
        do {
            let applied = try await withStore { store in try await migrator.migrate(client: store.client, logger: store.logger) }
            print(applied.isEmpty ? "up to date" : "applied \(applied.map { String(format: "%04d", $0) }.joined(separator: ", "))")
        } catch let problem as Migrator.Problem {
            printError("junkai migrate: \(problem)")
            throw ExitCode(2)
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue", abstract: "Issue a token and print it alone on standard output.")

        @Option(help: "admin, coordinator, municipality or staff.") var role: String
        @Option(help: "Consortium id (all roles but admin).") var consortium: String?
        @Option(help: "Municipality code (municipality tokens).") var municipality: String?
        @Option(help: "Staff id (staff tokens).") var staff: String?
        @Option(help: "A label to recognise the token by.") var label: String?

        func validate() throws {
            guard let r = Principal.Role(rawValue: role) else {
                throw ValidationError("--role must be one of admin, coordinator, municipality, staff")
            }
            if r == .admin, consortium != nil { throw ValidationError("--consortium: an admin token belongs to no consortium") }
            if r != .admin, consortium.flatMap(UUID.init(uuidString:)) == nil {
                throw ValidationError("--consortium: \(Wording.a(role)) token needs a consortium id (UUID)")
            }
            if r == .municipality, municipality == nil { throw ValidationError("--municipality is required for a municipality token") }
            if r == .staff, staff.flatMap(UUID.init(uuidString:)) == nil { throw ValidationError("--staff: a staff id (UUID) is required") }
        }

        func run() async throws {
            let r = Principal.Role(rawValue: role)!
            let cid = consortium.flatMap(UUID.init(uuidString:))
            let sid = staff.flatMap(UUID.init(uuidString:))
            let (municipality, label) = (self.municipality, self.label)
            do {
                let issued = try await withStore { store in
                    try await store.issueToken(role: r, consortium: cid, municipality: municipality, staff: sid,
                                               label: label, by: nil)
                }
                print(issued.token)
            } catch let e as StoreError {
                printError("junkai token issue: \(e)")
                throw ExitCode(2)
            }
        }
    }
}
