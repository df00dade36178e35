import Foundation

/// The best plan any search thread has found, shared so that a stalled thread can continue from another's.
///
/// The two searches are strong in different places: late acceptance gets close fast with many small moves, the
/// team search re-solves whole weeks exactly for new teams. A plan one of them cannot improve any more is often
/// one team change away from better, and that change is the other one's kind of move.
final class ElitePlan: @unchecked Sendable {
    private let lock = NSLock()
    private var score = Int.max
    private var cells: [Int32] = []

    var value: Int { lock.withLock { score } }

    /// Records a plan when it beats the shared one.
    func offer(_ s: Int, cells make: () -> [Int32]) {
        guard s < value else { return }
        let c = make()
        lock.withLock { if s < score { score = s; cells = c } }
    }

    /// The shared plan when it is better than `than`.
    func better(than s: Int) -> (score: Int, cells: [Int32])? {
        lock.withLock { score < s ? (score, cells) : nil }
    }
}
