import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiPlanning
import JunkaiSolver
import JunkaiStore
import Testing

@testable import JunkaiServer

@Suite("Plan diagnostics, explanations and cancelling a solve")
struct PlanInsightsTests {
    @Test("diagnostics name the post nobody can staff and why, before solving and with every solve")
    func diagnostics() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let clear = try await h.call(.get, "\(w.root)/plans/\(pid)/diagnostics", token: w.coordinator)
            #expect(clear.status == .ok, "\(clear.text)")
            #expect(clear.json["clear"] as? Bool == true, "\(clear.text)")

            // data ≥ 5: 田中 (data 2) and 鈴木 (data 3) fall short, 佐藤 has no data skill at all.
            let post = try await h.call(.post, "\(w.root)/posts", token: w.coordinator,
                                        json: ["municipality": NaraWorld.nara, "title": "データ分析官", "requirements": ["data": 5], "daysPerWeek": 1])
            #expect(post.status == .created)
            let found = try await h.call(.get, "\(w.root)/plans/\(pid)/diagnostics", token: w.coordinator)
            #expect(found.json["clear"] as? Bool == false)
            let unstaffable = try #require((found.json["unstaffablePosts"] as? [[String: Any]])?.first)
            #expect(unstaffable["post"] as? String == post.json["id"] as? String)
            #expect(unstaffable["excluded"] as? [String: Int] == ["level": 2, "skill": 1])
            // April 2027: five ISO weeks overlap it, each with at least one working day.
            #expect(unstaffable["demandDays"] as? Int == 5)
            #expect((unstaffable["ja"] as? String)?.contains("データ分析官") == true)

            let solve = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 1])
            #expect(solve.status == .accepted)
            let withSolve = try #require(solve.json["diagnostics"] as? [String: Any])
            #expect((withSolve["unstaffablePosts"] as? [Any])?.count == 1)
            try await cancelJobs(of: try #require(UUID(uuidString: pid)))

            let desk = try #require(w.municipalityTokens[NaraWorld.nara])
            #expect(try await h.call(.get, "\(w.root)/plans/\(pid)/diagnostics", token: desk).status == .forbidden)
            #expect(try await h.call(.get, "\(w.root)/plans/\(UUID())/diagnostics", token: w.coordinator).status == .notFound)
        }
    }

    @Test("the explanation starts with the few causes of most of the objective, then details by post, staff and week")
    func explanation() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let plan = try await h.solve(w, pid)
            let objective = try #require(plan["objective"] as? Int)
            let job = try #require(plan["solve"] as? [String: Any])
            #expect((job["diagnostics"] as? [String: Any])?["clear"] as? Bool == true, "the worker stores the diagnostics with the job")

            let en = try await h.call(.get, "\(w.root)/plans/\(pid)/explanation?lang=en", token: w.coordinator)
            #expect(en.status == .ok, "\(en.text)")
            #expect(en.json["objective"] as? Int == objective, "the same score the plan is stored with")
            #expect((en.json["headline"] as? String)?.hasPrefix("Objective \(objective) points") == true)
            let causes = try #require(en.json["causes"] as? [[String: Any]])
            #expect(!causes.isEmpty && causes.count <= 5)
            let values = causes.compactMap { $0["value"] as? Int }
            #expect(values == values.sorted(by: >))
            let byPost = try #require(en.json["byPost"] as? [[String: Any]])
            #expect(Set(byPost.compactMap { $0["key"] as? String }).isSubset(of: Set(w.posts.map(\.uuidString))))
            #expect(!(en.json["byStaff"] as? [Any] ?? []).isEmpty && !(en.json["byWeek"] as? [Any] ?? []).isEmpty)

            // The same items as `junkai explain` prints, from the same instance and plan.
            let instance = try await h.exportedInstance(w, pid)
            let lines = Set(Explainer.explain(instance, solverAssignments(plan)).map(\.en))
            let texts = byPost.flatMap { ($0["items"] as? [[String: Any]]) ?? [] }.compactMap { $0["text"] as? String }
            #expect(!texts.isEmpty && texts.allSatisfy(lines.contains))

            let ja = try await h.call(.get, "\(w.root)/plans/\(pid)/explanation", token: w.coordinator)
            #expect(ja.json["lang"] as? String == "ja")
            #expect((ja.json["headline"] as? String)?.hasPrefix("目的関数") == true)
            let bad = try await h.call(.get, "\(w.root)/plans/\(pid)/explanation?lang=fr", token: w.coordinator)
            #expect(bad.status == .unprocessableContent)
            #expect((bad.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/lang")
        }
    }

    @Test("a queued solve is cancelled at once and the plan goes back to draft")
    func cancelQueued() async throws {
        try await withQuietQueue { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let queued = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 30])
            let job = try #require((queued.json["job"] as? [String: Any])?["id"] as? String)
            let desk = try #require(w.municipalityTokens[NaraWorld.nara])
            #expect(try await h.call(.post, "\(w.root)/plans/\(pid)/solve/\(job)/cancel", token: desk).status == .forbidden)

            let cancelled = try await h.call(.post, "\(w.root)/plans/\(pid)/solve/\(job)/cancel", token: w.coordinator)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            #expect((cancelled.json["job"] as? [String: Any])?["status"] as? String == "cancelled")
            #expect((cancelled.json["plan"] as? [String: Any])?["status"] as? String == "draft")
            let again = try await h.call(.post, "\(w.root)/plans/\(pid)/solve/\(job)/cancel", token: w.coordinator)
            #expect(again.status == .conflict, "\(again.text)")
            #expect(try await jobRow(try #require(UUID(uuidString: job)))?.status == "cancelled")
            let other = try await h.call(.post, "\(w.root)/plans/\(pid)/solve/\(UUID())/cancel", token: w.coordinator)
            #expect(other.status == .notFound)
        }
    }

    @Test("a worker storing its result while the coordinator cancels: the cancel wins, neither waits on the other")
    func cancelRacesCompletion() async throws {
        try await withQuietQueue { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let queued = try await h.call(.post, "\(w.root)/plans/\(pid)/solve", token: w.coordinator, json: ["seconds": 30])
            let jobId = try #require((queued.json["job"] as? [String: Any])?["id"] as? String)
            let job = try #require(UUID(uuidString: jobId))
            let plan = try #require(UUID(uuidString: pid))
            try await withStore { store in
                // This test is the worker: its job is running, the search finished, the result is being stored.
                try await store.client.query("""
                    UPDATE solve_jobs SET status = 'running', worker = 'race', attempts = 1, heartbeat_at = now(), started_at = now()
                    WHERE id = \(job)
                    """, logger: store.logger)
                let claimed = ClaimedSolveJob(id: job, consortium: w.cid, plan: plan, seconds: 30, seed: 1, attempts: 1)
                let instance = try await store.planProblem(plan: plan, consortium: w.cid).instance
                let cancelled = try await store.withLockedPlan(plan, consortium: w.cid) { locked in
                    let storing = Task {
                        try await Planner(store: store).completeSolve(claimed, worker: "race", instance: instance,
                                                                      assignments: [], progress: [], bound: nil)
                    }
                    // Let the worker's transaction reach its first lock before the cancel writes the job.
                    try await Task.sleep(for: .milliseconds(300))
                    let row = try await locked.cancelSolveJob(job)
                    return (row, storing)
                }
                #expect(cancelled.0?.status == .cancelled)
                #expect(try await cancelled.1.value == false, "the result of a cancelled job is dropped")
            }
            #expect(try await jobRow(job)?.status == "cancelled")
        }
    }

    @Test("a running solve is cancelled: the job ends cancelled, the plan is back as it was, the search's result is dropped")
    func cancelRunning() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let first = try await h.solve(w, pid)
            let before = try #require(first["objective"] as? Int)
            let version = try #require(first["version"] as? Int)
            let assignments = solverAssignments(first)
            let planId = try #require(UUID(uuidString: pid))

            // The job is claimed from the start by a worker of this test without a bound (the bound would prove this
            // small plan optimal and end the solve before the cancel); no other test's worker can take it first.
            try await withStore { store in
                var worker = SolveWorker(store: store, logger: TestDatabase.logger)
                worker.boundShare = 0
                let id = try await store.transaction { conn in
                    let rows = try await conn.query("""
                        INSERT INTO solve_jobs (consortium_id, plan_id, status, seconds, seed, attempts, worker, heartbeat_at, started_at)
                        VALUES (\(w.cid), \(planId), 'running', 60, 3, 1, \(worker.name), now(), now())
                        RETURNING id
                        """, logger: store.logger)
                    let id = try #require(try await rows.decode(UUID.self).first(where: { _ in true }))
                    try await conn.query("UPDATE plans SET status = 'solving' WHERE id = \(planId)", logger: store.logger)
                    return id
                }
                let claimed = ClaimedSolveJob(id: id, consortium: w.cid, plan: planId, seconds: 60, seed: 3, attempts: 1)
                let task = Task { [worker] in await worker.run(claimed) }
                try await Task.sleep(for: .seconds(1))
                let job = id.uuidString
                let cancelled = try await h.call(.post, "\(w.root)/plans/\(pid)/solve/\(job)/cancel", token: w.coordinator)
                #expect(cancelled.status == .ok, "\(cancelled.text)")
                #expect((cancelled.json["plan"] as? [String: Any])?["status"] as? String == "solved", "back to its state before the solve")
                // The worker sees the cancel at its next heartbeat (3 s) and stops without storing anything.
                await task.value
            }
            // The search has stopped and stored nothing.
            let plan = try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator).json
            #expect(plan["status"] as? String == "solved")
            #expect(plan["version"] as? Int == version)
            #expect(plan["objective"] as? Int == before)
            #expect(Set(solverAssignments(plan)) == Set(assignments))
            #expect((plan["solve"] as? [String: Any])?["status"] as? String == "cancelled")
            // The worker is free again: the next solve runs.
            let next = try await h.solve(w, pid)
            #expect(next["status"] as? String == "solved")
            #expect((next["solve"] as? [String: Any])?["status"] as? String == "succeeded")
        }
    }
}
