import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import Logging
import PostgresNIO
import Testing

@testable import JunkaiServer

/// A solve job's row, as the worker left it.
struct JobRow: Sendable {
    var status: String
    var attempts: Int
    var worker: String?
    var error: String?
}

func jobRow(_ id: UUID) async throws -> JobRow? {
    try await withStore { store in
        let rows = try await store.client.query("""
            SELECT status, attempts, worker, error FROM solve_jobs WHERE id = \(id)
            """, logger: store.logger)
        return try await rows.decode((String, Int, String?, String?).self).first(where: { _ in true })
            .map { JobRow(status: $0.0, attempts: $0.1, worker: $0.2, error: $0.3) }
    }
}

/// Puts a plan into `solving` with a job that a server which has since died was running an hour ago.
func insertStaleJob(_ w: NaraWorld, plan: String, attempts: Int) async throws -> UUID {
    let pid = try #require(UUID(uuidString: plan))
    return try await withStore { store in
        try await store.transaction { conn in
            let rows = try await conn.query("""
                INSERT INTO solve_jobs (consortium_id, plan_id, status, seconds, attempts, worker, heartbeat_at, started_at)
                VALUES (\(w.cid), \(pid), 'running', 1, \(attempts), 'a-server-that-died', now() - interval '1 hour',
                        now() - interval '1 hour')
                RETURNING id
                """, logger: store.logger)
            let id = try #require(try await rows.decode(UUID.self).first(where: { _ in true }))
            try await conn.query("UPDATE plans SET status = 'solving' WHERE id = \(pid)", logger: store.logger)
            return id
        }
    }
}

@Suite("Solve", .needsDatabase)
struct SolveTests {
    @Test("/readyz says whether this server solves and shows the queue every server shares")
    func readinessShowsTheQueue() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let planId = try #require(UUID(uuidString: pid))
            // A job another server is running (fresh heartbeat): no worker takes it, the sweep leaves it for 60 s.
            try await withStore { store in
                _ = try await store.client.query("""
                    INSERT INTO solve_jobs (consortium_id, plan_id, status, seconds, attempts, worker, heartbeat_at, started_at)
                    VALUES (\(w.cid), \(planId), 'running', 60, 1, 'elsewhere/1/readyz', now(), now())
                    """, logger: store.logger)
            }
            let ready = try await h.call(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.json["solveWorker"] as? String == "off")
            let queue = try #require(ready.json["solveQueue"] as? [String: Any])
            #expect((queue["running"] as? Int ?? 0) >= 1)
            #expect((queue["activeWorkers"] as? Int ?? 0) >= 1, "the other server's worker is seen from this one")
            #expect((queue["queued"] as? Int ?? -1) >= 0)
            try await cancelJobs(of: planId)
        }
    }

    @Test("a coordinator solves in the background; the stored objective is the exact score of the exported instance")
    func solveJourney() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w, name: "4月")
            let pin = try await h.assign(w, pid, post: w.posts[2], date: "2027-04-05", staff: w.staff[1])
            #expect(pin.status == .ok, "\(pin.text)")

            let accepted = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 1, "seed": 7])
            #expect(accepted.status == .accepted, "\(accepted.text)")
            let job = try #require(accepted.json["job"] as? [String: Any])
            #expect(job["status"] as? String == "queued")
            #expect((accepted.json["plan"] as? [String: Any])?["status"] as? String == "solving")

            let plan = try await h.waitForSolve(w, pid)
            #expect(plan["status"] as? String == "solved", "\(plan)")
            #expect(plan["version"] as? Int == 3, "create 1, pin 2, solve 3")
            let solve = try #require(plan["solve"] as? [String: Any])
            #expect(solve["status"] as? String == "succeeded")
            let progress = try #require(solve["progress"] as? [[String: Any]])
            #expect(!progress.isEmpty)
            #expect(progress.last?["objective"] as? Int == plan["objective"] as? Int,
                    "the last progress point is the best objective, which the stored plan has")

            let assignments = solverAssignments(plan)
            #expect(assignments.count > 10)
            let inst = try await h.exportedInstance(w, pid)
            let report = Scorer.score(inst, assignments)
            #expect(report.feasible, "\(report.violations)")
            #expect(plan["objective"] as? Int == report.objective)
            let terms = try #require(plan["terms"] as? [String: [String: Int]])
            for (name, t) in report.terms {
                #expect(terms[name]?["count"] == t.count && terms[name]?["value"] == t.value, "term \(name)")
            }
            // The pin survived the solve and is still pinned.
            let rows = try #require(plan["assignments"] as? [[String: Any]])
            let pinned = rows.filter { $0["pinned"] as? Bool == true }
            #expect(pinned.count == 1)
            #expect(pinned.first?["staff"] as? String == w.staff[1].uuidString && pinned.first?["date"] as? String == "2027-04-05")

            // The solve proved a lower bound: never above the exact objective, the gap measured against it.
            let objective = try #require(plan["objective"] as? Int)
            let bound = try #require(solve["bound"] as? Int, "\(solve)")
            let gap = try #require(solve["gap"] as? Double)
            #expect(bound <= objective && bound > 0)
            #expect(abs(gap - Double(objective - bound) / Double(objective)) < 1e-9)

            // The job can be read on its own as well, bound and gap included.
            let jobId = try #require(job["id"] as? String)
            let jobAnswer = try await h.call(.get, "\(w.root)/plans/\(pid)/solve/\(jobId)", token: w.coordinator)
            #expect(jobAnswer.json["status"] as? String == "succeeded")
            #expect(jobAnswer.json["bound"] as? Int == bound && jobAnswer.json["gap"] as? Double == gap)

            // A re-solve starts from the plan as it stands, so with nothing changed it can only keep or lower the objective.
            let resolve = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 1, "seed": 8])
            #expect(resolve.status == .accepted, "\(resolve.text)")
            let resolved = try await h.waitForSolve(w, pid)
            let again2 = try #require(resolved["objective"] as? Int)
            #expect(again2 <= objective, "warm re-solve \(again2) vs \(objective)")
            let resolvedSolve = try #require(resolved["solve"] as? [String: Any])
            // A 1-second solve computes its bound in a tenth of that; on a loaded machine it may not finish, and then
            // the job stores none (the first solve above holds that a bound is stored). One that is stored is valid.
            if let resolvedBound = resolvedSolve["bound"] as? Int { #expect(resolvedBound <= again2) }

            // Out-of-range solve options are refused with a pointer.
            for bad in [["seconds": 0], ["seconds": 601], ["seconds": "fast"]] as [[String: Any]] {
                let r = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: bad)
                #expect(r.status == .unprocessableContent, "\(bad)")
                #expect((r.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/seconds")
            }
            // A solve without a body uses the defaults (30 s): queued, then the plan is solving.
            let noBody = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator)
            #expect(noBody.status == .accepted)
            #expect((noBody.json["job"] as? [String: Any])?["seconds"] as? Double == 30)
            try await cancelJobs(of: try #require(UUID(uuidString: pid)))
        }
    }

    @Test("a plan that is solving can be neither solved again nor edited until its job ends")
    func solvingPlanIsLocked() async throws {
        // No worker on the quiet database: the job stays queued, however fast a solve would be.
        try await withQuietQueue { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let accepted = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 1])
            #expect(accepted.status == .accepted, "\(accepted.text)")
            let again = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: [:] as [String: Any])
            #expect(again.status == .conflict, "a plan that is solving cannot be solved twice: \(again.text)")
            let edit = try await h.assign(w, pid, post: w.posts[0], date: "2027-04-06", staff: w.staff[0])
            #expect(edit.status == .conflict, "a plan that is solving cannot be edited: \(edit.text)")
            try await cancelJobs(of: try #require(UUID(uuidString: pid)))
        }
    }

    @Test("a plan whose pins break a hard rule fails to solve with the validation message and goes back to draft")
    func invalidInstanceFails() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            #expect(try await h.assign(w, pid, post: w.posts[0], date: "2027-04-08", staff: w.staff[1]).status == .ok)
            // The pinned staff member becomes unavailable on that day after the pin was made.
            try await w.markStaff(w.staff[1], "2027-04-08")
            let plan = try await h.solve(w, pid)
            #expect(plan["status"] as? String == "draft")
            let solve = try #require(plan["solve"] as? [String: Any])
            #expect(solve["status"] as? String == "failed")
            let message = solve["error"] as? String ?? ""
            #expect(message.contains("/pinned/0"), "\(message)")
            #expect(message.contains("H4"), "\(message)")
        }
    }

    @Test("a running job whose server stopped heartbeating is requeued, or failed after three attempts")
    func staleJobs() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let retried = try await h.createPlan(w, name: "retried")
            let retriedJob = try await insertStaleJob(w, plan: retried, attempts: 1)
            let given = try await h.createPlan(w, name: "given up")
            let givenJob = try await insertStaleJob(w, plan: given, attempts: 3)

            // The sweep runs every few seconds in every worker; the retried job is then solved by some worker.
            let solved = try await h.waitForSolve(w, retried, timeout: 120)
            #expect(solved["status"] as? String == "solved")
            let r = try #require(try await jobRow(retriedJob))
            #expect(r.status == "succeeded")
            #expect(r.attempts == 2)
            #expect(r.worker != "a-server-that-died")

            let failed = try await h.waitForSolve(w, given, timeout: 60)
            #expect(failed["status"] as? String == "draft", "never left solving forever")
            let g = try #require(try await jobRow(givenJob))
            #expect(g.status == "failed")
            #expect(g.error?.contains("stopped answering") == true)
        }
    }

    @Test("on shutdown the worker stops the search and puts its job back in the queue")
    func shutdownRequeues() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let planId = try #require(UUID(uuidString: pid))

            let (jobId, workerName) = try await withStore { store in
                // Without a bound: it would prove this small plan optimal within a second and end the 120-s solve
                // before the shutdown comes.
                let worker = {
                    var w = SolveWorker(store: store, logger: TestDatabase.logger)
                    w.boundShare = 0
                    return w
                }()
                // The job starts out claimed by the worker under test, so no other test's worker can take it first.
                let jobId = try await store.transaction { conn in
                    let rows = try await conn.query("""
                        INSERT INTO solve_jobs (consortium_id, plan_id, status, seconds, attempts, worker, heartbeat_at, started_at)
                        VALUES (\(w.cid), \(planId), 'running', 120, 1, \(worker.name), now(), now())
                        RETURNING id
                        """, logger: store.logger)
                    let id = try #require(try await rows.decode(UUID.self).first(where: { _ in true }))
                    try await conn.query("UPDATE plans SET status = 'solving' WHERE id = \(planId)", logger: store.logger)
                    return id
                }
                let claimed = ClaimedSolveJob(id: jobId, consortium: w.cid, plan: planId, seconds: 120, seed: 1, attempts: 1)
                let started = ContinuousClock.now
                let running = Task { await worker.run(claimed) }
                try await Task.sleep(for: .seconds(1.5))
                running.cancel()
                await running.value
                #expect(ContinuousClock.now - started < .seconds(30), "the 120 s search stopped on shutdown")
                return (jobId, worker.name)
            }
            // Read the plan first: another test's worker may take the requeued job and even finish it (its bound can
            // prove this small plan optimal in a second) between the two reads, never the other way round.
            let plan = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator)
            let row = try #require(try await jobRow(jobId))
            // It is never left to this worker or failed.
            #expect(row.worker != workerName)
            #expect(["queued", "running", "succeeded"].contains(row.status))
            #expect(row.status == "queued" ? row.attempts == 0 && row.worker == nil : row.attempts == 1)
            if plan.json["status"] as? String == "solving" {
                #expect(row.status != "failed", "the plan keeps solving on another server")
            } else {
                #expect(plan.json["status"] as? String == "solved" && row.status == "succeeded",
                        "another server finished the requeued solve")
            }
            try await cancelJobs(of: planId)
        }
    }
}

/// Cancels a plan's unfinished jobs, so a long solve a test started does not occupy other tests' workers.
func cancelJobs(of plan: UUID) async throws {
    try await withStore { store in
        _ = try await store.client.query("""
            UPDATE solve_jobs SET status = 'cancelled', finished_at = now() WHERE plan_id = \(plan) AND status IN ('queued', 'running')
            """, logger: store.logger)
    }
}
