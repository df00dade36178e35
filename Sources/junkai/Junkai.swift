import ArgumentParser
import Foundation
import JunkaiCore

@main
struct Junkai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "junkai",
        abstract: "Plans how jointly hired DX staff rotate across neighbouring municipalities.",
        version: "junkai \(JunkaiVersion.current)",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TokenCommand.self, SeedCommand.self,
            SolveCommand.self, BoundCommand.self, ScoreCommand.self, ExplainCommand.self, CatalogueCommand.self, WorkdaysCommand.self,
            ReportCommand.self, SeedDeliveryCommand.self, SeedConflictCommand.self,
        ]
    )
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// The database URL from `DATABASE_URL`, or a usage error naming it.
func databaseURLFromEnvironment() throws -> String {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
        throw ValidationError("DATABASE_URL is not set (postgres://user:password@host:port/database)")
    }
    return url
}
