import ArgumentParser

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Create a consortium from an instance file.")
    @Argument var instance: String
    @Option var name: String?
    func run() async throws { throw ExitCode(2) }
}
