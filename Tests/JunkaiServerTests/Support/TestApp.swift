import Foundation
import Hummingbird
import HummingbirdTesting
import JunkaiServer
import JunkaiStore
import Logging
import NIOCore
import PostgresNIO
import Testing

/// The database the test command started (`Database/local.sh test` sets JUNKAI_TEST_DATABASE_URL).
enum TestDatabase {
    static let url: DatabaseURL = {
        guard let raw = ProcessInfo.processInfo.environment["JUNKAI_TEST_DATABASE_URL"]
            ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            fatalError("JUNKAI_TEST_DATABASE_URL is not set: run the tests with `Database/local.sh test`")
        }
        do { return try DatabaseURL(raw) } catch { fatalError("JUNKAI_TEST_DATABASE_URL: \(error)") }
    }()

    /// The database this task's apps and stores use: `url`, or the quiet one inside `withQuietQueue`.
    @TaskLocal static var current: DatabaseURL = url

    /// Whether a test database is given; suites that need one are skipped with a message otherwise.
    static var configured: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["JUNKAI_TEST_DATABASE_URL"] != nil || env["DATABASE_URL"] != nil
    }

    static var logger: Logger {
        var l = Logger(label: "junkai-test")
        l.logLevel = .warning
        return l
    }
}

extension Trait where Self == ConditionTrait {
    /// Skips a suite that needs PostgreSQL when no test database is given, saying how to run it.
    static var needsDatabase: Self {
        .enabled(if: TestDatabase.configured,
                 "no test database: set JUNKAI_TEST_DATABASE_URL, or run the tests with `Database/local.sh test`")
    }
}

/// Runs `body` against the full application (real routes, real PostgreSQL, migrations applied).
func withApp<T: Sendable>(worker: Bool = true, stopAtProvenOptimum: Bool = true,
                          _ body: @Sendable (any TestClientProtocol, TestHelper) async throws -> T) async throws -> T {
    var config = AppConfig(database: TestDatabase.current, migrateOnStart: true, runSolveWorker: worker,
                           publicBaseURL: "http://junkai.test")
    config.solveStopsAtProvenOptimum = stopAtProvenOptimum
    let app = try await buildApplication(config, logger: TestDatabase.logger)
    return try await app.test(.router) { client in
        let helper = TestHelper(client: client)
        return try await body(client, helper)
    }
}

/// Runs `body` against an app without a solve worker on a second database of the same server, where no other
/// test's worker takes (and solves) the jobs it queues: for what must stay queued until the test acts on it.
func withQuietQueue<T: Sendable>(_ body: @Sendable (any TestClientProtocol, TestHelper) async throws -> T) async throws -> T {
    try await QuietDatabase.created.value
    return try await TestDatabase.$current.withValue(QuietDatabase.url) {
        try await withApp(worker: false, body)
    }
}

enum QuietDatabase {
    static let url: DatabaseURL = {
        var url = TestDatabase.url
        url.database += "_quiet"
        return url
    }()

    /// Creates the database once per test run; one left by an earlier run is reused (the app migrates it).
    static let created = Task {
        let name = url.database
        precondition(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }, "database name \(name)")
        try await TestDatabase.$current.withValue(TestDatabase.url) { try await withStore { store in
            do {
                try await store.client.query("CREATE DATABASE \(unescaped: name)", logger: store.logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                // duplicate_database: made by an earlier run.
            }
        } }
    }
}

/// Runs `body` with a store on its own pool: for fixtures written straight in SQL, rows the API does not
/// expose, and changes made behind the server's back (as another server would).
@discardableResult
func withStore<T: Sendable>(_ body: @Sendable (Store) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: TestDatabase.current.clientConfiguration, backgroundLogger: TestDatabase.logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(Store(client: client, logger: TestDatabase.logger))
    }
}

/// Issues an admin token straight in the database (as `junkai token issue --role admin` does).
func adminToken() async throws -> String {
    try await withStore { store in
        try await store.issueToken(role: .admin, consortium: nil, municipality: nil, staff: nil, label: "test", by: nil).token
    }
}

/// Small conveniences for JSON calls in tests.
struct TestHelper: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data
        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        /// The `items` of a list answer (empty when there are none).
        var items: [Any] { json["items"] as? [Any] ?? [] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request with an optional bearer token and JSON body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any? = nil,
              rawBody: String? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
        } else if let rawBody {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: rawBody)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { r in
            Reply(status: r.status, headers: r.headers, body: Data(buffer: r.body))
        }
    }
}
