import Foundation
import Hummingbird
import JunkaiStore

/// The request context: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// Set on the web pages' routes (session, form token, posted form).
    public var web: WebState?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        web = nil
    }

    /// Bodies above 1 MiB answer 413.
    public var maxUploadSize: Int { 1 << 20 }

    public var responseEncoder: JSONEncoder { AppRequestContext.encoder }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}
