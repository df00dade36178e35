import ArgumentParser
import Foundation
import JunkaiCore
import JunkaiSolver

/// Reads and validates an instance file, or exits 2 naming the problem.
func loadInstance(_ path: String) throws -> Instance {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("\(path): cannot read the file")
        throw ExitCode(2)
    }
    do {
        return try InstanceLoader.load(json: data)
    } catch {
        printError("\(path): invalid instance\n\(error)")
        throw ExitCode(2)
    }
}

/// Reads a plan file against an instance, or exits 2 naming the problem.
func loadPlan(_ path: String, for instance: Instance) throws -> Plan {
    guard let data = FileManager.default.contents(atPath: path) else {
        printError("\(path): cannot read the file")
        throw ExitCode(2)
    }
    do {
        return try InstanceLoader.loadPlan(json: data, for: instance)
    } catch {
        printError("\(path): invalid plan\n\(error)")
        throw ExitCode(2)
    }
}

func jsonString(_ value: some Encodable) throws -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    return String(decoding: try e.encode(value), as: UTF8.self)
}

struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve an instance: the plan goes to standard output, the best objective over time to standard error.",
        discussion: """
            Progress lines are `SECONDS OBJECTIVE`. The last line on standard error sums the run up: objective, \
            feasibility, time, the lower bound computed beside the search and the gap (objective − bound) / objective. \
            The search stops early when the bound proves the plan optimal.
            """)

    @Argument(help: "A junkai.instance/1 file.") var instance: String
    @Option(help: "Time limit in seconds.") var seconds: Double = 30
    @Option(help: "Random seed; the same seed gives the same search trajectory.") var seed: UInt64 = 1
    @Option(help: "Search threads.") var threads: Int = 2
    @Option(help: "Stop after this many iterations (with the seed, the plan is then identical run to run).") var iterations: Int?
    @Option(help: "A previous junkai.plan/1 to start from (warm start after a change).") var start: String?
    @Option(help: "Write objective, bound, gap and seconds as JSON to this file.") var report: String?
    @Flag(help: "Do not compute the lower bound.") var noBound = false

    func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1…64") }
        if let iterations, iterations < 0 { throw ValidationError("--iterations must not be negative") }
    }

    func run() throws {
        let problem = try loadInstance(instance)
        var options = SolveOptions(seconds: seconds, seed: seed)
        options.threads = threads
        options.maxIterations = iterations
        if noBound { options.boundShare = 0 }
        if let start { options.start = try loadPlan(start, for: problem).assignments }
        // What no search can fix is said before the search starts.
        for line in Diagnostics.check(problem).lines(lang: "en") { printError("diagnostic: " + line) }
        let outcome = Solver.solveWithBound(problem, options: options) { p in
            printError(String(format: "%.3f %d", p.elapsed, p.bestObjective))
        }
        print(try jsonString(outcome.plan))
        let summary = SolveSummary(outcome)
        printError(summary.line)
        if let report {
            do {
                try Data((try jsonString(summary) + "\n").utf8).write(to: URL(fileURLWithPath: report))
            } catch {
                printError("\(report): cannot write the report")
                throw ExitCode(2)
            }
        }
    }
}

/// The end of a solve in a few numbers: the final line on standard error and the `--report` file.
struct SolveSummary: Encodable {
    let objective: Int
    let feasible: Bool
    let seconds: Double
    let bound: Int?
    let flowBound: Int?
    let gap: Double?
    let boundSeconds: Double?
    let boundIterations: Int?
    let provenOptimal: Bool
    let rounds: Int

    init(_ o: SolveOutcome) {
        objective = o.objective; feasible = o.feasible; seconds = (o.seconds * 1000).rounded() / 1000
        bound = o.bound?.bound; flowBound = o.bound?.flowBound
        gap = o.gap.map { ($0 * 1e6).rounded() / 1e6 }
        boundSeconds = o.bound.map { ($0.seconds * 1000).rounded() / 1000 }
        boundIterations = o.bound?.iterations
        provenOptimal = o.provenOptimal
        rounds = o.rounds
    }

    var line: String {
        var s = "done: objective \(objective), \(feasible ? "feasible" : "INFEASIBLE"), \(String(format: "%.2f", seconds)) s"
        if let bound, let gap {
            s += ", bound \(bound), gap \(String(format: "%.2f", gap * 100))%"
            if provenOptimal { s += " (optimal)" }
        }
        return s
    }
}

struct BoundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bound",
        abstract: "Compute a lower bound on the objective of every feasible plan of an instance.",
        discussion: """
            Week flows with continuity relaxed, tightened by Lagrangian multipliers on continuity. With --plan, \
            the plan's objective guides the multipliers and the gap is printed too.
            """)

    @Argument(help: "A junkai.instance/1 file.") var instance: String
    @Option(help: "Time to improve the bound, in seconds (the first pass always completes).") var seconds: Double = 5
    @Option(help: "A junkai.plan/1 whose objective steers the bound and is compared with it.") var plan: String?
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        guard seconds >= 0, seconds.isFinite else { throw ValidationError("--seconds must not be negative") }
    }

    struct Output: Encodable {
        let bound: Int
        let flowBound: Int
        let iterations: Int
        let seconds: Double
        let objective: Int?
        let gap: Double?
    }

    func run() throws {
        let problem = try loadInstance(instance)
        var objective: Int? = nil
        if let plan {
            let p = try loadPlan(plan, for: problem)
            let r = Scorer.score(problem, p.assignments)
            guard r.feasible else {
                printError("\(plan): the plan breaks a hard rule; its objective is no upper bound")
                throw ExitCode(1)
            }
            objective = r.objective
        }
        var upper: (@Sendable () -> Int?)? = nil
        if let known = objective { upper = { @Sendable in known } }
        let r = LowerBound.compute(problem, seconds: seconds, upperBound: upper)
        let gap = objective.map { r.gap(objective: $0) }
        if json {
            print(try jsonString(Output(bound: r.bound, flowBound: r.flowBound, iterations: r.iterations,
                                        seconds: (r.seconds * 1000).rounded() / 1000, objective: objective,
                                        gap: gap.map { ($0 * 1e6).rounded() / 1e6 })))
        } else {
            var s = "bound \(r.bound) (flow bound \(r.flowBound), \(r.iterations) iterations, \(String(format: "%.2f", r.seconds)) s)"
            if let objective, let gap { s += "; objective \(objective), gap \(String(format: "%.2f", gap * 100))%" }
            print(s)
        }
    }
}

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a plan: exit 0 feasible, 1 breaks a hard rule, 2 invalid input.")

    @Argument(help: "A junkai.instance/1 file.") var instance: String
    @Argument(help: "A junkai.plan/1 file.") var plan: String
    @Flag(help: "Print one JSON object instead of the breakdown.") var json = false

    func run() throws {
        let problem = try loadInstance(instance)
        let p = try loadPlan(plan, for: problem)
        let report = Scorer.score(problem, p.assignments)
        print(json ? try jsonString(report) : report.text())
        if !report.feasible { throw ExitCode(1) }
    }
}

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a plan: each soft-term contribution, and why each uncovered post-week is uncovered.")

    @Argument(help: "A junkai.instance/1 file.") var instance: String
    @Argument(help: "A junkai.plan/1 file.") var plan: String
    @Option(help: "ja or en.") var lang = "ja"
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard ["ja", "en"].contains(lang) else { throw ValidationError("--lang must be ja or en") }
    }

    func run() throws {
        let problem = try loadInstance(instance)
        let p = try loadPlan(plan, for: problem)
        let explanations = Explainer.explain(problem, p.assignments)
        if json {
            print(try jsonString(explanations))
        } else {
            // The summary first (the same one the API's explanation starts with), then every item.
            let report = ExplanationReport.build(problem, p.assignments, lang: lang)
            for line in report.summaryLines() { print(line) }
            print("")
            for e in explanations { print(lang == "ja" ? e.ja : e.en) }
        }
    }
}

struct WorkdaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workdays", abstract: "Print each working day from FROM to TO, one ISO date a line.")

    @Argument(help: "First date, YYYY-MM-DD.") var from: String
    @Argument(help: "Last date, YYYY-MM-DD.") var to: String
    @Option(name: .customLong("closed"), help: "A consortium closed date (repeatable).") var closed: [String] = []
    @Flag(help: "Print every date with the reason it is not a working day.") var reasons = false

    func run() throws {
        guard let start = CivilDate(iso: from) else { throw ValidationError("FROM: expected a date YYYY-MM-DD, got \"\(from)\"") }
        guard let end = CivilDate(iso: to) else { throw ValidationError("TO: expected a date YYYY-MM-DD, got \"\(to)\"") }
        guard start <= end else { throw ValidationError("TO is before FROM") }
        guard end.dayNumber - start.dayNumber <= 366 * 100 else { throw ValidationError("the range is longer than 100 years") }
        var closedDates = Set<CivilDate>()
        for c in closed {
            guard let d = CivilDate(iso: c) else { throw ValidationError("--closed: expected a date YYYY-MM-DD, got \"\(c)\"") }
            closedDates.insert(d)
        }
        let calendar = WorkingDayCalendar(closedDates: closedDates)
        var out = ""
        for n in start.dayNumber...end.dayNumber {
            let d = CivilDate(dayNumber: n)
            let status = calendar.status(of: d)
            if reasons {
                out += status.reason.map { "\(d.iso) \($0)\n" } ?? "\(d.iso) working\n"
            } else if status.isWorking {
                out += d.iso + "\n"
            }
        }
        print(out, terminator: "")
    }
}

struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "Print the constraint catalogue (hard rules and soft terms) as a Markdown table.")

    func run() throws { print(ConstraintCatalogue.markdownTable(), terminator: "") }
}
