import Foundation
import JunkaiCore
import JunkaiStore
import NIOCore
import Synchronization

/// Tells the in-process read caches whether what they hold may still be served.
///
/// Every write to a table that a cached answer is built from raises a PostgreSQL notification (migration 0005),
/// which `ChangeListener` turns into `changed()`; a write through this server also calls it before its answer
/// leaves, so a client reads its own writes here at once and other servers' writes as soon as the notification
/// arrives. An answer is cached under the generation read *before* its rows, so one that raced with a change
/// is never reused. While the listener is not connected nothing is cached, since a change could go unseen.
final class ChangeTracker: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var live = false
    }

    private let state = Mutex(State())

    init(live: Bool = false) { state.withLock { $0.live = live } }

    /// The generation to tag an answer read from now on, or nil when answers must not be cached.
    func generation() -> UInt64? { state.withLock { $0.live ? $0.generation : nil } }

    /// Something cached answers are built from may have changed.
    func changed() { state.withLock { $0.generation &+= 1 } }

    /// Whether changes are being heard; either way what was cached before is dropped.
    func setLive(_ live: Bool) {
        state.withLock { $0.live = live; $0.generation &+= 1 }
    }
}

/// Answers of one generation by key, bounded by a total cost (bytes, roughly); it starts over when full and
/// when a newer generation arrives, so stale answers do not linger in memory.
final class GenerationCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var entries: [Key: (value: Value, cost: Int)] = [:]
        var cost = 0
    }

    private let state = Mutex(State())
    let tracker: ChangeTracker
    let maxCost: Int
    private let costOf: @Sendable (Value) -> Int
    private let lookups: CacheLookupCounters

    init(_ name: String, tracker: ChangeTracker, maxCost: Int, cost: @escaping @Sendable (Value) -> Int) {
        self.tracker = tracker
        self.maxCost = maxCost
        self.costOf = cost
        self.lookups = CacheLookupCounters(cache: name)
    }

    /// The answer for `key`: the one kept when nothing changed since it was read (and `usable` accepts it),
    /// else `read()`'s, kept for next time. An error from `read` is passed on and nothing is kept.
    func value(_ key: Key, usable: (Value) -> Bool = { _ in true },
               read: () async throws -> Value) async throws -> Value {
        guard let generation = tracker.generation() else { return try await read() }
        if let hit = get(key, generation: generation), usable(hit) {
            lookups.hits.increment()
            return hit
        }
        lookups.misses.increment()
        let fresh = try await read()
        put(key, fresh, cost: costOf(fresh), generation: generation)
        return fresh
    }

    /// The value cached for `key` in `generation`, if any.
    func get(_ key: Key, generation: UInt64) -> Value? {
        state.withLock { s in s.generation == generation ? s.entries[key]?.value : nil }
    }

    /// Keeps `value` for `key` as read in `generation` (ignored when a newer generation is already kept).
    func put(_ key: Key, _ value: Value, cost: Int, generation: UInt64) {
        guard cost <= maxCost else { return }
        state.withLock { s in
            if generation < s.generation { return }
            if generation > s.generation || s.cost + cost > maxCost {
                s.entries.removeAll(keepingCapacity: generation == s.generation)
                s.cost = 0
                s.generation = generation
            }
            if let old = s.entries.updateValue((value, cost), forKey: key) { s.cost -= old.cost }
            s.cost += cost
        }
    }

    /// How many answers are kept (for tests).
    var count: Int { state.withLock { $0.entries.count } }
}

/// A rendered answer with its entity tag.
struct CachedBody: Sendable {
    var etag: String
    var body: ByteBuffer
}

/// A rendered calendar feed and how long it stays right without any change to the data.
struct CachedFeed: Sendable {
    var etag: String
    var body: ByteBuffer
    /// The Japanese date it was rendered on: the feed's window starts a fixed number of days before it.
    var today: CivilDate
    /// When the oldest cancelled assignment in it leaves the window (distantFuture when none).
    var validUntil: Date
}

/// Which schedule an answer is: one subject (a staff member or a municipality) over one range.
struct ScheduleKey: Hashable, Sendable {
    enum Subject: Hashable, Sendable {
        case staff(UUID)
        case municipality(String)
    }

    var consortium: UUID
    var subject: Subject
    var from: CivilDate
    var to: CivilDate
}

/// The read caches of one server: principals by token hash, schedules, and calendar feeds by secret hash.
struct ReadCaches: Sendable {
    let tracker: ChangeTracker
    let principals: GenerationCache<Data, Principal>
    let schedules: GenerationCache<ScheduleKey, CachedBody>
    let feeds: GenerationCache<Data, CachedFeed>

    init(tracker: ChangeTracker) {
        self.tracker = tracker
        principals = GenerationCache("principals", tracker: tracker, maxCost: 16 << 20) { _ in 256 }
        schedules = GenerationCache("schedules", tracker: tracker, maxCost: 128 << 20) { Self.cost($0.body) }
        feeds = GenerationCache("feeds", tracker: tracker, maxCost: 128 << 20) { Self.cost($0.body) }
    }

    /// Cost of one cached answer: its body plus bookkeeping.
    static func cost(_ body: ByteBuffer) -> Int { body.readableBytes + 256 }
}
