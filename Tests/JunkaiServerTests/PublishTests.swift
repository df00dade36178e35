import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiSolver
import JunkaiStore
import PostgresNIO
import Testing

/// One row of published_assignments.
struct PublishedRow: Sendable, Hashable {
    var staff: String
    var post: String
    var date: String
    var plan: String
    var status: String
    var sequence: Int
    var assignment: Assignment { Assignment(staff: staff, post: post, date: CivilDate(iso: date)!) }
}

func publishedRows(_ w: NaraWorld) async throws -> [PublishedRow] {
    try await withStore { store in
        let rows = try await store.client.query("""
            SELECT staff_id, post_id, to_char(date, 'YYYY-MM-DD'), plan_id, status, sequence
            FROM published_assignments WHERE consortium_id = \(w.cid) ORDER BY date, post_id
            """, logger: store.logger)
        var out: [PublishedRow] = []
        for try await (s, p, d, plan, status, seq) in rows.decode((UUID, UUID, String, UUID, String, Int).self) {
            out.append(PublishedRow(staff: s.uuidString, post: p.uuidString, date: d, plan: plan.uuidString, status: status, sequence: seq))
        }
        return out
    }
}

func auditActions(_ w: NaraWorld, resourceId: String) async throws -> [String] {
    try await withStore { store in
        let rows = try await store.client.query("""
            SELECT action FROM audit_log WHERE consortium_id = \(w.cid) AND resource_id = \(resourceId) ORDER BY id
            """, logger: store.logger)
        var out: [String] = []
        for try await a in rows.decode(String.self) { out.append(a) }
        return out
    }
}

extension TestHelper {
    func publish(_ w: NaraWorld, _ pid: String, version: Int?) async throws -> Reply {
        try await call(.post, "\(w.root)/plans/\(pid)/publish", token: w.coordinator,
                       headers: version.map { [.ifMatch: "\"\($0)\""] } ?? [:])
    }
}

@Suite("Publish", .needsDatabase)
struct PublishTests {
    @Test("publishing needs the reviewed version; a republish cancels dropped days and reconfirms restored ones")
    func publishAndRepublish() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let a = try await h.createPlan(w, name: "A")
            let draft = try await h.publish(w, a, version: 1)
            #expect(draft.status == .conflict, "an empty draft cannot be published")
            let planA = try await h.solve(w, a)
            let version = try #require(planA["version"] as? Int)
            let assignmentsA = solverAssignments(planA)
            #expect(!assignmentsA.isEmpty)

            #expect(try await h.publish(w, a, version: nil).status == .preconditionRequired)
            #expect(try await h.publish(w, a, version: version + 1000).status == .preconditionFailed)
            let bogus = try await h.call(.post, "\(w.root)/plans/\(a)/publish", token: w.coordinator, headers: [.ifMatch: "\"v1\""])
            #expect(bogus.status == .preconditionFailed)
            let municipality = try #require(w.municipalityTokens[NaraWorld.nara])
            #expect(try await h.call(.post, "\(w.root)/plans/\(a)/publish", token: municipality,
                                     headers: [.ifMatch: "\"\(version)\""]).status == .forbidden)
            let published = try await h.publish(w, a, version: version)
            #expect(published.status == .ok, "\(published.text)")
            #expect(published.json["status"] as? String == "published")
            #expect(published.json["publishedAt"] is String)
            #expect((published.json["publication"] as? [String: Any])?["inserted"] as? Int == assignmentsA.count)

            var rows = try await publishedRows(w)
            #expect(Set(rows.map(\.assignment)) == Set(assignmentsA))
            #expect(rows.allSatisfy { $0.status == "confirmed" && $0.sequence == 0 && $0.plan == a })
            #expect(try await auditActions(w, resourceId: a).contains("publish"))

            // A published plan is read-only.
            #expect(try await h.publish(w, a, version: version).status == .conflict)
            #expect(try await h.call(.post, "\(w.root)/plans/\(a)/solve", token: w.coordinator, json: ["seconds": 1]).status == .conflict)
            let x = try #require(assignmentsA.first)
            let edit = try await h.call(.delete, "\(w.root)/plans/\(a)/assignments/\(x.post)/\(x.date.iso)", token: w.coordinator)
            #expect(edit.status == .conflict)

            // Plan B covers the same month without assignment x.
            let b = try await h.createPlan(w, name: "B")
            var planB = try await h.solve(w, b)
            if solverAssignments(planB).contains(x) {
                let removed = try await h.call(.delete, "\(w.root)/plans/\(b)/assignments/\(x.post)/\(x.date.iso)", token: w.coordinator)
                #expect(removed.status == .ok)
                planB = removed.json
            }
            let assignmentsB = solverAssignments(planB)
            let pubB = try await h.publish(w, b, version: try #require(planB["version"] as? Int))
            #expect(pubB.status == .ok, "\(pubB.text)")
            let summary = try #require(pubB.json["publication"] as? [String: Any])
            #expect(summary["superseded"] as? [String] == [a.uppercased()])
            #expect(try await h.call(.get, "\(w.root)/plans/\(a)", token: w.coordinator).json["status"] as? String == "superseded")

            rows = try await publishedRows(w)
            let confirmed = rows.filter { $0.status == "confirmed" }
            #expect(Set(confirmed.map(\.assignment)) == Set(assignmentsB))
            let removedFromA = Set(assignmentsA).subtracting(assignmentsB)
            #expect(removedFromA.contains(x))
            #expect(summary["cancelled"] as? Int == removedFromA.count)
            for r in rows where removedFromA.contains(r.assignment) {
                #expect(r.status == "cancelled" && r.sequence == 1 && r.plan == a, "cancelled with a raised sequence: \(r)")
            }
            for r in confirmed {
                // Rows kept from A are untouched; B's new rows start at sequence 0.
                #expect(r.sequence == 0)
                #expect(r.plan == (assignmentsA.contains(r.assignment) ? a : b))
            }

            // Plan C restores x (pinned) and publishes: the cancelled row is confirmed again with a raised sequence.
            let c = try await h.createPlan(w, name: "C")
            #expect(try await h.assign(w, c, post: UUID(uuidString: x.post)!, date: x.date.iso, staff: UUID(uuidString: x.staff)!).status == .ok)
            let planC = try await h.solve(w, c)
            #expect(solverAssignments(planC).contains(x))
            let pubC = try await h.publish(w, c, version: try #require(planC["version"] as? Int))
            #expect(pubC.status == .ok, "\(pubC.text)")
            #expect((pubC.json["publication"] as? [String: Any])?["reconfirmed"] as? Int ?? 0 >= 1)
            let restored = try #require(try await publishedRows(w).first { $0.assignment == x })
            #expect(restored.status == "confirmed" && restored.sequence == 2 && restored.plan == c)
        }
    }

    @Test("replanning: the published schedule is the new plan's baseline, and changes to it count as disruption")
    func replanning() async throws {
        try await withApp { _, h in
            let w = try await NaraWorld.build(h)
            let a = try await h.createPlan(w, name: "4月 初版")
            let planA = try await h.solve(w, a)
            #expect(try await h.publish(w, a, version: try #require(planA["version"] as? Int)).status == .ok)
            let assignmentsA = solverAssignments(planA)

            // Someone on the published schedule falls ill on one of their days.
            let ill = try #require(assignmentsA.first { $0.date.weekday != 1 })
            try await w.markStaff(UUID(uuidString: ill.staff)!, ill.date.iso)

            let b = try await h.createPlan(w, name: "4月 改訂")
            let inst = try await h.exportedInstance(w, b)
            #expect(Set(inst.baseline) == Set(assignmentsA))
            #expect(inst.staff.first { $0.id == ill.staff }?.unavailableDates == [ill.date])

            // The published plan itself now breaks H4; plan B routes around it.
            let planB = try await h.solve(w, b)
            #expect(planB["status"] as? String == "solved")
            let assignmentsB = solverAssignments(planB)
            #expect(!assignmentsB.contains(ill))
            let report = Scorer.score(inst, assignmentsB)
            #expect(report.feasible)
            let disruption = try #require((planB["terms"] as? [String: [String: Int]])?["disruption"])
            #expect(disruption["count"] == report.terms["disruption"]?.count)
            #expect(disruption["count"] == Set(assignmentsA).subtracting(assignmentsB).count)
            #expect((disruption["count"] ?? 0) >= 1)

            #expect(try await h.publish(w, b, version: try #require(planB["version"] as? Int)).status == .ok)
            let cancelled = try await publishedRows(w).filter { $0.status == "cancelled" }.map(\.assignment)
            #expect(cancelled.contains(ill))
        }
    }

    @Test("a plan that breaks a hard rule at publish time is refused and nothing is published")
    func publishChecksHardRules() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            let pid = try await h.createPlan(w)
            let edit = try await h.assign(w, pid, post: w.posts[1], date: "2027-04-12", staff: w.staff[2], pinned: false)
            let version = try #require(edit.json["version"] as? Int)
            try await w.markStaff(w.staff[2], "2027-04-12")
            let refused = try await h.publish(w, pid, version: version)
            #expect(refused.status == .conflict)
            #expect(detail(refused).contains("H4"))
            #expect(try await publishedRows(w).isEmpty)
            #expect(try await h.call(.get, "\(w.root)/plans/\(pid)", token: w.coordinator).json["status"] as? String == "draft")
        }
    }

    @Test("two conflicting plans published at once never double-book anyone")
    func concurrentPublishes() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await NaraWorld.build(h)
            // A: 田中 at 奈良市 and 鈴木 at 大和郡山市. B: 田中 at 大和郡山市 and 佐藤 at 奈良市, the same Tuesday.
            let tue = "2027-04-06"
            let a = try await h.createPlan(w, name: "A")
            #expect(try await h.assign(w, a, post: w.posts[0], date: tue, staff: w.staff[0]).status == .ok)
            let lastA = try await h.assign(w, a, post: w.posts[1], date: tue, staff: w.staff[2])
            let b = try await h.createPlan(w, name: "B")
            #expect(try await h.assign(w, b, post: w.posts[1], date: tue, staff: w.staff[0]).status == .ok)
            let lastB = try await h.assign(w, b, post: w.posts[0], date: tue, staff: w.staff[1])
            let versionA = try #require(lastA.json["version"] as? Int), versionB = try #require(lastB.json["version"] as? Int)

            async let pubA = h.publish(w, a, version: versionA)
            async let pubB = h.publish(w, b, version: versionB)
            let (ra, rb) = try await (pubA, pubB)
            #expect([ra.status, rb.status].allSatisfy { $0 == .ok || $0 == .conflict }, "\(ra.text) \(rb.text)")
            #expect(ra.status == .ok || rb.status == .ok)

            let rows = try await publishedRows(w)
            let confirmed = rows.filter { $0.status == "confirmed" }
            #expect(Set(confirmed.map { "\($0.staff) \($0.date)" }).count == confirmed.count, "one place a day")
            #expect(Set(confirmed.map { "\($0.post) \($0.date)" }).count == confirmed.count, "one person a seat")
            let statusA = try await h.call(.get, "\(w.root)/plans/\(a)", token: w.coordinator).json
            let statusB = try await h.call(.get, "\(w.root)/plans/\(b)", token: w.coordinator).json
            let winner = statusA["status"] as? String == "published" ? statusA : statusB
            let loser = statusA["status"] as? String == "published" ? statusB : statusA
            #expect(winner["status"] as? String == "published")
            #expect(["superseded", "draft"].contains(loser["status"] as? String ?? ""))
            #expect(Set(confirmed.map(\.assignment)) == Set(solverAssignments(winner)))
        }
    }
}
