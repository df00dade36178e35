import Foundation
import JunkaiCore
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request that the HTTP/1.1 parser refused with problem+json and closes the connection.
///
/// Hummingbird answers such a request with a bare 400; the API promises problem+json for every error, and
/// header fields over the decoder's limits are a 431 (RFC 6585), so the client learns what to shorten.
final class ParserErrorResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    /// The decoder's limit on all header fields together (Hummingbird's default).
    static let maxHeaderBytes = 80 * 1024

    /// How long the refused client may go on sending before the connection is closed for good.
    static let lingerTime = TimeAmount.seconds(2)

    private var answered = false

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Once answered, what the client still sends is refused by the decoder as data in its error state:
        // expected, and dropped here so that nothing cuts the connection before the answer is read.
        if answered { return }
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        answered = true
        // The error is not passed on, or Hummingbird would write its own bare 400 after this answer.
        EarlyAnswer.send(Self.problem(for: parserError), on: context, linger: Self.lingerTime)
    }

    static func problem(for error: HTTPParserError) -> Problem {
        switch error {
        case .headerOverflow:
            return Problem(.init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                           "the request's header fields are larger than \(maxHeaderBytes / 1024) KiB")
        case .invalidURL, .invalidPath, .invalidQueryString, .invalidCharactersUsed:
            // Typically a raw non-ASCII character (?q=なら): HTTP/1.1 carries the target in ASCII only.
            return Problem(.badRequest, "the request target is not valid: percent-encode every character outside ASCII "
                           + "as UTF-8 (RFC 3986), e.g. ?q=%E3%81%AA%E3%82%89 for なら")
        default:
            return Problem(.badRequest, "the request is not valid HTTP/1.1")
        }
    }

    static func body(_ problem: Problem) -> ByteBuffer {
        let text = #"{"detail":"\#(problem.detail)","status":\#(problem.status.code),"title":"\#(problem.title)","type":"about:blank"}"#
        return ByteBuffer(string: text)
    }
}
