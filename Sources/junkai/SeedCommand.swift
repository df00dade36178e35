import ArgumentParser
import Foundation
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// `junkai seed INSTANCE.json [--name N]`: a new consortium with everything in the instance, and its tokens.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Create a consortium from a junkai.instance/1 file and print its ids and tokens as JSON.",
        discussion: """
            Members (filled from the built-in register), skills, posts, staff with their unavailable and undesired \
            dates, the requests (as accepted; repeats for one post and day merged, a required one winning) and the closed dates are created in one transaction, with one \
            coordinator token, one token per municipality and one per staff member. Pinned and baseline \
            assignments belong to plans and are not imported. Exit 2 when the file is invalid.
            """)

    @Argument(help: "The instance file (junkai.instance/1).") var instance: String
    @Option(help: "The consortium's name (default: the instance's name).") var name: String?

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: instance)) } catch {
            printError("junkai seed: \(instance): cannot be read (\(error.localizedDescription))")
            throw ExitCode(2)
        }
        let parsed: Instance
        do { parsed = try InstanceLoader.load(json: data) } catch {
            report(error)
            throw ExitCode(2)
        }
        // Validate what the database adds (register, ranges of the API) before touching it.
        do { _ = try Store.importPlan(parsed, name: name) } catch {
            report(error)
            throw ExitCode(2)
        }
        if !parsed.pinned.isEmpty || !parsed.baseline.isEmpty {
            printError("junkai seed: note: \(parsed.pinned.count) pinned and \(parsed.baseline.count) baseline assignment(s) "
                       + "are plan data and were not imported")
        }
        let consortiumName = name
        let result: ImportResult
        do {
            result = try await withStore { store in try await store.importInstance(parsed, name: consortiumName) }
        } catch let e as InvalidInput {
            report(e)
            throw ExitCode(2)
        } catch let e as StoreError {
            printError("junkai seed: \(instance): \(e)")
            throw ExitCode(1)
        }
        if result.requestsMerged > 0 {
            printError("junkai seed: note: \(result.requestsMerged) request(s) for a post and day already requested were merged "
                       + "(one open request per post and day; a required one wins)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }

    private func report(_ invalid: InvalidInput) {
        for issue in invalid.issues { printError("junkai seed: \(instance): \(issue)") }
    }
}
