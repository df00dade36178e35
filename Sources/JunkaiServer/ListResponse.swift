import JunkaiCore
import Hummingbird

/// Every list of the API answers in one shape, `{items: [...]}` (as the register search and the work records
/// do), so that a list can gain fields (a count, a next page) without breaking its readers.
struct Items<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]

    init(_ items: [Item]) { self.items = items }
}
