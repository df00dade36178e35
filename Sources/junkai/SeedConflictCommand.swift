import ArgumentParser
import Foundation
import JunkaiPlanning
import JunkaiCore
import JunkaiStore

/// `junkai seed-conflict`: publishes the demo's next two weeks and then breaks one published day, as a late change does.
struct SeedConflictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-conflict",
        abstract: "Publish a seeded consortium's next two weeks, then declare one published staff member unavailable on a published day.",
        discussion: """
            The plan covers the two ISO weeks from next Monday (Japan) and is solved in-process. Afterwards one staff \
            member is declared unavailable on their first published day in it, so `GET …/conflicts` lists that day. \
            Does nothing (exit 0) when the demo plan already exists. Prints what it created as JSON.
            """)

    @Option(help: "The JSON `junkai seed` printed (its `consortium` is used).") var seedOutput: String
    @Option(help: "Seconds to solve the plan.") var seconds: Double = 3
    @Option(help: "Random seed for the solver.") var seed: UInt64 = 1

    func run() async throws {
        struct Seeded: Decodable { var consortium: UUID }
        let cid: UUID
        do {
            cid = try JSONDecoder().decode(Seeded.self, from: Data(contentsOf: URL(fileURLWithPath: seedOutput))).consortium
        } catch {
            throw ValidationError("--seed-output \(seedOutput): no consortium id in it (\(error))")
        }
        let today = CivilDate(dayNumber: Int(((Date().timeIntervalSince1970 + 9 * 3600) / 86_400).rounded(.down)))
        let monday = today.weekStart.adding(days: 7)
        let (seconds, seed) = (self.seconds, self.seed)
        do {
            let summary = try await withStore { store in
                try await store.seedConflictDemo(consortium: cid, monday: monday) { period, name, who in
                    try await Planner(store: store).solveAndPublish(consortium: cid, period: period, name: name, by: who,
                                                                    seconds: seconds, seed: seed)
                }
            }
            guard let summary else {
                printError("junkai seed-conflict: the demo plan already exists; nothing to do")
                return
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } catch let e as StoreError {
            printError("junkai seed-conflict: \(e.message)")
            throw ExitCode(1)
        } catch let e as InvalidInput {
            printError("junkai seed-conflict: \(e)")
            throw ExitCode(1)
        }
    }
}
