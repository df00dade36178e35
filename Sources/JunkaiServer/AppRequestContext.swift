import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore
import NIOCore

/// The request context: Hummingbird's core storage plus the authenticated caller.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// Set on the web pages' routes (session, form token, posted form).
    public var web: WebState?
    /// The client's address (the proxy's, behind one): what failed authentications are counted by.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        web = nil
        remoteAddress = source.channel.remoteAddress
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
