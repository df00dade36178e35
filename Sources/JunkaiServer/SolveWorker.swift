import Foundation
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore
import Logging
import ServiceLifecycle

/// Runs queued solve jobs from the database, one at a time, so any server instance can take any job.
///
/// Claims with SKIP LOCKED, heartbeats while solving, sweeps jobs whose server died, and on graceful
/// shutdown stops the search and puts its job back in the queue for another instance.
struct SolveWorker: Service {
    let store: Store
    let logger: Logger
    /// How long to wait when the queue is empty.
    var pollInterval: Duration = .milliseconds(500)
    /// How often the running job's heartbeat and progress are written.
    var heartbeatInterval: Duration = .seconds(3)
    /// How often stale jobs (heartbeat older than 60 s) are swept.
    var sweepInterval: Duration = .seconds(5)
    /// Parallel searches per solve; one keeps the other core free for serving requests.
    var threads: Int = 1
    /// Share of a solve's limit in which the lower bound is computed (0: none, and no early stop at a proven optimum).
    var boundShare: Double = SolveOptions().boundShare
    /// This worker's name in `solve_jobs.worker`, unique per process run.
    let name: String = {
        let host = ProcessInfo.processInfo.hostName
        return "\(host.prefix(64))/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    }()

    func run() async throws {
        let clock = ContinuousClock()
        var nextSweep = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if clock.now >= nextSweep {
                    let sweep = try await store.sweepStaleSolveJobs()
                    if !sweep.requeued.isEmpty || !sweep.failed.isEmpty {
                        logger.warning("stale solve jobs swept", metadata: [
                            "requeued": "\(sweep.requeued.count)", "failed": "\(sweep.failed.count)"])
                    }
                    nextSweep = clock.now + sweepInterval
                }
                if let job = try await store.claimSolveJob(worker: name) {
                    let started = ContinuousClock.now
                    await run(job)
                    AppMetrics.solveRan(for: ContinuousClock.now - started)
                    continue
                }
            } catch {
                // Shutting down (or a server that never started, e.g. its port was taken) is not a database error.
                if Task.isCancelled || Task.isShuttingDownGracefully || error is CancellationError { break }
                logger.error("solve worker: database error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            }
            _ = try? await cancelWhenGracefulShutdown { [pollInterval] in try await Task.sleep(for: pollInterval) }
        }
    }

    /// Runs one claimed job to its end: stored result, failure, or back in the queue.
    func run(_ job: ClaimedSolveJob) async {
        var log = logger
        log[metadataKey: "job"] = "\(job.id.uuidString)"
        log[metadataKey: "plan"] = "\(job.plan.uuidString)"
        let instance: Instance
        let current: [Assignment]
        do {
            let problem = try await store.planProblem(plan: job.plan, consortium: job.consortium)
            instance = problem.instance
            // A re-solve after a change starts from the plan as it stands (its assignments that still keep every
            // hard rule); a plan never solved, with pins at most, starts from the greedy construction.
            current = problem.assignments.count > problem.pinnedKeys.count ? problem.assignments : []
        } catch {
            log.error("solve worker: cannot read the plan's instance")
            await fail(job, "the plan's data could not be read", toDraft: false, log)
            return
        }
        do {
            try InstanceLoader.validate(instance)
        } catch {
            await fail(job, "the planning problem is invalid: " + error.issues.map(\.description).joined(separator: "; "),
                       toDraft: true, log)
            return
        }

        // The same pre-solve check the API and `junkai solve` show: counts only, never names.
        let diagnostics = Diagnostics.check(instance)
        do { try await store.recordDiagnostics(job: job.id, worker: name, diagnostics) } catch {
            log.warning("solve worker: could not store the diagnostics")
        }
        if !diagnostics.clear {
            log.info("solve diagnostics", metadata: [
                "unstaffablePosts": "\(diagnostics.unstaffablePosts.count)", "overloadedWeeks": "\(diagnostics.overloadedWeeks.count)",
                "unmeetableRequests": "\(diagnostics.unmeetableRequests.count)"])
        }
        let control = SolveControl()
        let heartbeat = Task { [store, name, heartbeatInterval] in
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatInterval)
                if Task.isCancelled { return }
                do {
                    if try await !store.heartbeat(job: job.id, worker: name, progress: control.progress) {
                        control.stop(.lost)
                        return
                    }
                } catch {
                    log.warning("solve worker: heartbeat failed")
                }
            }
        }
        var options = SolveOptions(seconds: job.seconds, seed: UInt64(truncatingIfNeeded: job.seed), threads: threads,
                                   shouldStop: { control.shouldStop })
        if !current.isEmpty { options.start = current }
        options.boundShare = boundShare
        let outcome = await withTaskCancellationOrGracefulShutdownHandler {
            await Self.solveOffPool(instance, options: options, control: control)
        } onCancelOrGracefulShutdown: {
            control.stop(.shutdown)
        }
        heartbeat.cancel()
        // The outcome is written from an unstructured task: a cancelled run (forced shutdown) must still requeue.
        await Task { await finish(job, instance: instance, outcome: outcome, control: control, log) }.value
    }

    func finish(_ job: ClaimedSolveJob, instance: Instance, outcome: SolveOutcome, control: SolveControl, _ log: Logger) async {
        switch control.stopReason {
        case .shutdown:
            log.info("solve interrupted by shutdown; job requeued")
            do { try await store.requeueSolveJob(job.id, worker: name) } catch {
                log.error("solve worker: could not requeue; the stale sweep will")
            }
        case .lost:
            log.warning("solve job was cancelled or taken from this worker; result discarded")
        case nil:
            do {
                let stored = try await Planner(store: store).completeSolve(
                    job, worker: name, instance: instance, assignments: outcome.plan.assignments,
                    progress: control.progress, bound: outcome.bound?.bound)
                if !stored { log.warning("solve job was taken from this worker; result discarded") }
            } catch let e as StoreError {
                await fail(job, "the result could not be stored: \(e.message)", toDraft: false, log)
            } catch let e as InvalidInput {
                await fail(job, "the result could not be stored: \(e.description)", toDraft: false, log)
            } catch {
                log.error("solve worker: could not store the result", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                await fail(job, "the result could not be stored", toDraft: false, log)
            }
        }
    }

    func fail(_ job: ClaimedSolveJob, _ message: String, toDraft: Bool, _ log: Logger) async {
        do { try await store.failSolveJob(job, worker: name, error: message, toDraft: toDraft) } catch {
            log.error("solve worker: could not mark the job failed; the stale sweep will")
        }
    }

    /// Runs the CPU-bound search on its own thread so neither the event loops nor the cooperative pool are blocked.
    static func solveOffPool(_ instance: Instance, options: SolveOptions, control: SolveControl) async -> SolveOutcome {
        await withCheckedContinuation { (cont: CheckedContinuation<SolveOutcome, Never>) in
            let thread = Thread {
                let outcome = Solver.solveWithBound(instance, options: options) { p in
                    control.record(SolveProgressPoint(elapsed: p.elapsed, objective: p.bestObjective))
                }
                cont.resume(returning: outcome)
            }
            thread.name = "junkai-solve"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// Shared between the solver thread, the heartbeat and the shutdown handler: the stop flag and the progress curve.
final class SolveControl: @unchecked Sendable {
    enum StopReason: Sendable { case shutdown, lost }

    private let lock = NSLock()
    private var reason: StopReason?
    private var points: [SolveProgressPoint] = []

    var shouldStop: Bool { lock.withLock { reason != nil } }
    var stopReason: StopReason? { lock.withLock { reason } }
    var progress: [SolveProgressPoint] { lock.withLock { points } }

    func stop(_ why: StopReason) { lock.withLock { if reason == nil { reason = why } } }

    /// Keeps the curve short: kept points are at least max(0.25 s, 1% of the elapsed time) apart, except the
    /// newest, which always holds the latest best.
    func record(_ p: SolveProgressPoint) {
        lock.withLock {
            if points.count > 1, p.elapsed - points[points.count - 2].elapsed < max(0.25, p.elapsed / 100) {
                points[points.count - 1] = p
            } else {
                points.append(p)
            }
        }
    }
}
