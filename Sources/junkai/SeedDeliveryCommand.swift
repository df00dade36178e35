import ArgumentParser
import Foundation
import JunkaiPlanning
import JunkaiCore
import JunkaiSolver
import JunkaiStore

/// `junkai seed-delivery`: gives the demo consortium a past (a published plan, work records, a cost share).
struct SeedDeliveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-delivery",
        abstract: "Give a seeded consortium a past: a published plan, work records and the year's cost share (負担金).",
        discussion: """
            Solves and publishes a plan from 1 April of the current fiscal year (年度) to yesterday (the whole previous \
            year when fewer than four weeks of this one have passed), then records its days as the staff would: most \
            confirmed by the municipality, some returned with a reason, a few absent, the last two weeks still \
            awaiting confirmation and the last four days not yet recorded. With --cost-share, the year's costs, rule \
            and populations are set from a file shaped like the body of PUT …/cost-shares/{fy}. Does nothing (exit 0) \
            when the consortium already has work records. Prints what it created as JSON.
            """)

    @Option(help: "The consortium id.") var consortium: String?
    @Option(help: "The JSON `junkai seed` printed (its `consortium` is used).") var seedOutput: String?
    @Option(help: "The cost share body (costs, rule, populations, populationBasis).") var costShare: String?
    @Option(help: "The last day with records (default: yesterday in Japan).") var through: String?
    @Option(help: "Seconds to solve the past plan.") var seconds: Double = 5
    @Option(help: "Random seed for the solver and the records.") var seed: UInt64 = 1

    struct CostShareFile: Decodable {
        struct Line: Decodable { var label: String; var yen: Int64 }
        var costs: [Line]
        var rule: CostShare.Rule
        var populations: [String: Int64]?
        var populationBasis: String?
    }

    func run() async throws {
        let cid = try consortiumId()
        let now = Date().timeIntervalSince1970 + 9 * 3600
        var last = CivilDate(dayNumber: Int((now / 86_400).rounded(.down)) - 1)
        if let through {
            guard let d = CivilDate(iso: through) else { throw ValidationError("--through must be a date YYYY-MM-DD") }
            last = d
        }
        var input: CostShareInput?
        if let costShare {
            do {
                let file = try JSONDecoder().decode(CostShareFile.self, from: Data(contentsOf: URL(fileURLWithPath: costShare)))
                input = CostShareInput(costs: file.costs.map { CostLine(label: $0.label, yen: $0.yen) }, rule: file.rule,
                                       populations: file.populations ?? [:], populationBasis: file.populationBasis)
            } catch {
                printError("junkai seed-delivery: \(costShare): \(error)")
                throw ExitCode(2)
            }
        }
        let (seconds, seed, cost, through) = (self.seconds, self.seed, input, last)
        do {
            let summary = try await withStore { store in
                try await store.seedDeliveryDemo(consortium: cid, through: through, costShare: cost, seed: seed) { period, name, who in
                    try await Planner(store: store).solveAndPublish(consortium: cid, period: period, name: name, by: who,
                                                                    seconds: seconds, seed: seed)
                }
            }
            guard let summary else {
                printError("junkai seed-delivery: the consortium already has work records; nothing to do")
                return
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } catch let e as InvalidInput {
            for issue in e.issues { printError("junkai seed-delivery: \(costShare ?? "cost share"): \(issue)") }
            throw ExitCode(2)
        } catch let e as StoreError {
            printError("junkai seed-delivery: \(e.message)")
            throw ExitCode(1)
        } catch let e as InvalidInput {
            printError("junkai seed-delivery: \(e)")
            throw ExitCode(1)
        }
    }

    private func consortiumId() throws -> UUID {
        if let consortium {
            guard let id = UUID(uuidString: consortium) else { throw ValidationError("--consortium must be a UUID") }
            return id
        }
        guard let seedOutput else { throw ValidationError("give --consortium or --seed-output") }
        struct Seeded: Decodable { var consortium: UUID }
        do {
            return try JSONDecoder().decode(Seeded.self, from: Data(contentsOf: URL(fileURLWithPath: seedOutput))).consortium
        } catch {
            throw ValidationError("--seed-output \(seedOutput): no consortium id in it (\(error))")
        }
    }
}
