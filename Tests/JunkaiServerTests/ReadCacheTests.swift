import Foundation
import HummingbirdTesting
import JunkaiCore
import JunkaiStore
import NIOCore
import PostgresNIO
import Synchronization
import Testing
@testable import JunkaiServer

@Suite("Read caches", .needsDatabase)
struct ReadCacheTests {
    @Test func trackerHandsOutNoGenerationWhileChangesAreNotHeard() {
        let tracker = ChangeTracker()
        #expect(tracker.generation() == nil)
        tracker.setLive(true)
        let first = tracker.generation()
        #expect(first != nil)
        tracker.changed()
        #expect(tracker.generation() != first)
        tracker.setLive(false)
        #expect(tracker.generation() == nil)
    }

    @Test func cacheServesAnAnswerOnlyInTheGenerationItWasReadIn() {
        let cache = GenerationCache<String, Int>("test", tracker: ChangeTracker(), maxCost: 1_000) { _ in 10 }
        cache.put("a", 1, cost: 10, generation: 5)
        #expect(cache.get("a", generation: 5) == 1)
        #expect(cache.get("a", generation: 6) == nil)
        // An answer read before a change that is already known is not kept.
        cache.put("b", 2, cost: 10, generation: 6)
        cache.put("a", 9, cost: 10, generation: 5)
        #expect(cache.get("a", generation: 6) == nil)
        #expect(cache.get("b", generation: 6) == 2)
        // A newer generation drops everything older.
        cache.put("c", 3, cost: 10, generation: 7)
        #expect(cache.count == 1)
    }

    @Test func cacheStartsOverWhenItsCostBoundIsReached() {
        let cache = GenerationCache<Int, Int>("test", tracker: ChangeTracker(), maxCost: 100) { _ in 10 }
        for i in 0..<10 { cache.put(i, i, cost: 10, generation: 1) }
        #expect(cache.count == 10)
        cache.put(10, 10, cost: 10, generation: 1)
        #expect(cache.count == 1)
        #expect(cache.get(10, generation: 1) == 10)
        // An answer bigger than the whole bound is never kept.
        cache.put(11, 11, cost: 101, generation: 1)
        #expect(cache.get(11, generation: 1) == nil)
    }

    @Test func readCachesReadTheDatabaseOnceUntilSomethingChanges() async throws {
        let caches = ReadCaches(tracker: ChangeTracker(live: true))
        let key = ScheduleKey(consortium: UUID(), subject: .municipality("292010"),
                              from: CivilDate(dayNumber: 1), to: CivilDate(dayNumber: 30))
        let reads = ReadCounter()
        func fetch() async throws -> String {
            try await caches.schedules.value(key) {
                let n = reads.next()
                return CachedBody(etag: "\"\(n)\"", body: ByteBuffer(string: "read \(n)"))
            }.etag
        }
        #expect(try await fetch() == "\"1\"")
        #expect(try await fetch() == "\"1\"")
        caches.tracker.changed()
        #expect(try await fetch() == "\"2\"")
        caches.tracker.setLive(false)
        #expect(try await fetch() == "\"3\"")
        #expect(try await fetch() == "\"4\"")
    }

    // Another server (here: a statement straight in SQL) changes what a cached answer was built from: the
    // notification reaches this server and the next answers show the change.
    @Test func aChangeMadeElsewhereReachesTheCachedScheduleAndToken() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await w.assign(w.staffA, w.naraPost, "2027-04-05")
            let path = "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-04-30"
            try await waitUntilCaching(h)
            let before = try await h.call(.get, path, token: w.staffAToken)
            #expect(before.assignments.first?["postTitle"] as? String == "窓口DX支援")

            try await ScheduleWorld.sql("UPDATE posts SET title = '議会対応支援' WHERE id = \(w.naraPost)")
            let renamed = try await eventually { try await h.call(.get, path, token: w.staffAToken) }
                until: { $0.assignments.first?["postTitle"] as? String == "議会対応支援" }
            #expect(renamed.headers[.eTag] != before.headers[.eTag])

            try await ScheduleWorld.sql("UPDATE tokens SET revoked_at = now() WHERE token_hash = \(Secret.hash(w.staffAToken))")
            let revoked = try await eventually { try await h.call(.get, path, token: w.staffAToken) }
                until: { $0.status == .unauthorized }
            #expect(revoked.status == .unauthorized)
        }
    }

    // A write through this server is visible to the very next read here, without waiting for the notification.
    @Test func aWriteThroughTheApiIsReadBackAtOnce() async throws {
        try await withApp(worker: false) { _, h in
            let w = try await ScheduleWorld.make()
            try await w.assign(w.staffA, w.naraPost, "2027-04-05")
            let path = "\(w.staffPath)/\(w.staffA)/schedule?from=2027-04-01&to=2027-04-30"
            try await waitUntilCaching(h)
            for round in 1...5 {
                let title = "窓口DX支援 \(round)"
                let patch = try await h.call(.patch, "/v1/consortia/\(w.consortium)/posts/\(w.naraPost)",
                                             token: w.coordinator, json: ["title": title])
                #expect(patch.status == .ok)
                let r = try await h.call(.get, path, token: w.coordinator)
                #expect(r.assignments.first?["postTitle"] as? String == title)
            }
            // A revoked token stops working on the next request.
            let list = try await h.call(.get, "/v1/consortia/\(w.consortium)/tokens", token: w.coordinator)
            let ids = list.items.compactMap { ($0 as? [String: Any]) }
                .filter { $0["role"] as? String == "staff" && $0["staff"] as? String == w.staffA.uuidString }
                .compactMap { $0["id"] as? String }
            let id = try #require(ids.first)
            #expect(try await h.call(.get, path, token: w.staffAToken).status == .ok)
            #expect(try await h.call(.delete, "/v1/consortia/\(w.consortium)/tokens/\(id)", token: w.coordinator).status
                    == .noContent)
            #expect(try await h.call(.get, path, token: w.staffAToken).status == .unauthorized)
        }
    }
}

/// Counts reads from several tasks.
final class ReadCounter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// Repeats `call` until `done` holds (or five seconds pass) and returns the last answer.
func eventually(_ call: () async throws -> TestHelper.Reply,
                until done: (TestHelper.Reply) -> Bool) async throws -> TestHelper.Reply {
    var reply = try await call()
    let deadline = ContinuousClock.now + .seconds(5)
    while !done(reply), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        reply = try await call()
    }
    return reply
}

/// Waits until the app's change listener is connected (as `/readyz` reports it): until then nothing is cached,
/// and a test of cached answers could pass without any cache.
func waitUntilCaching(_ h: TestHelper) async throws {
    let ready = try await eventually { try await h.call(.get, "/readyz") }
        until: { $0.json["changeNotifications"] as? String == "listening" }
    #expect(ready.json["changeNotifications"] as? String == "listening")
}
