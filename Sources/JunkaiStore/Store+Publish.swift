import Foundation
import JunkaiCore
import PostgresNIO

/// What a publish changed in the published schedule.
public struct PublishSummary: Sendable, Codable, Equatable {
    /// Assignments published for the first time.
    public var inserted: Int
    /// Previously cancelled assignments confirmed again.
    public var reconfirmed: Int
    /// Confirmed assignments in the period that the plan dropped.
    public var cancelled: Int
    /// Earlier published plans inside this plan's period, now superseded.
    public var superseded: [UUID]
}
