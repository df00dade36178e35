import JunkaiCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// An answer written by a channel handler before (or instead of) the application, then a lingering close.
///
/// The client may still be sending the rest of its request: closing at once would reset the connection and could
/// destroy the answer before it is read. So only our side is closed once the answer is written, what the client
/// still sends is read and dropped for `linger`, and then the connection ends.
enum EarlyAnswer {
    /// Writes `problem` as problem+json with `Connection: close`, then closes lingering.
    static func send(_ problem: Problem, on context: ChannelHandlerContext, linger: TimeAmount) {
        let body = ParserErrorResponder.body(problem)
        let head = HTTPResponse(status: problem.status, headerFields: [
            .contentType: "application/problem+json", .contentLength: "\(body.readableBytes)", .connection: "close",
        ])
        context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: written)
        closeLingering(context, after: written.futureResult, linger: linger)
    }

    /// Once `written` completes: our side closed, reading on (the caller drops what arrives), closed after `linger`.
    static func closeLingering(_ context: ChannelHandlerContext, after written: EventLoopFuture<Void>, linger: TimeAmount) {
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.assumeIsolated().whenComplete { _ in
            let context = bound.value
            context.close(mode: .output, promise: nil)
            context.read()
            context.eventLoop.assumeIsolated().scheduleTask(in: linger) { context.close(promise: nil) }
        }
    }
}
