import Foundation
import JunkaiCore
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Keeps oversized and slow request bodies from holding a connection or a worker.
///
/// - A body announced larger than the limit (`Content-Length`) is answered 413 at once, before any handler sees
///   the request; a chunked body that grows past the limit is cut there, so the handler's own read fails with 413.
///   Either way the answer says `Connection: close`, our side is closed once it is written, and what the client
///   still sends is read and dropped for a moment (a lingering close), so that a client that writes its whole
///   body before reading — Python's urllib, most HTTP libraries — still gets the 413 instead of a reset.
/// - A body must arrive within `bodyTimeout` of its request head: a client that sends slower than that, or stops
///   half-way, gets 408 and the connection is closed, which ends the handler waiting for the body.
final class BodyLimitGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The same limit as the handlers' (`AppRequestContext.maxUploadSize`).
    static let maxBodyBytes = 1 << 20
    /// From a request's head to the end of its body: 1 MiB in 20 s is about 50 KiB/s, far below any real link.
    static let defaultBodyTimeout = TimeAmount.seconds(20)
    /// How long a refused client may go on sending before the connection is closed for good.
    static let lingerTime = TimeAmount.seconds(2)

    private enum Mode {
        /// Parts go to the application.
        case passing
        /// The application got a cut-off body; the rest of the request is dropped and the connection closed after
        /// the application's answer.
        case cut
        /// Answered here; everything the client still sends is dropped until the connection closes.
        case refused
    }

    let bodyTimeout: TimeAmount
    private var mode = Mode.passing
    private var responseEnded = false
    private var bodyBytes = 0
    private var readingBody = false
    private var responseStarted = false
    private var deadline: Scheduled<Void>?

    init(bodyTimeout: TimeAmount = BodyLimitGuard.defaultBodyTimeout) {
        self.bodyTimeout = bodyTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard mode == .passing else {
            // Keep reading so that a client writing the rest of its body is not stalled before it reads the answer.
            context.read()
            return
        }
        switch part {
        case .head(let head):
            bodyBytes = 0
            responseStarted = false
            responseEnded = false
            if let length = head.headerFields[.contentLength].flatMap({ Int($0) }), length > Self.maxBodyBytes {
                refuse(context, Problem(.contentTooLarge, "the body is larger than 1 MiB"))
                return
            }
            readingBody = true
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let seconds = bodyTimeout.nanoseconds / 1_000_000_000
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: bodyTimeout) {
                let (bodyGuard, context) = bound.value
                guard bodyGuard.readingBody, bodyGuard.mode == .passing else { return }
                bodyGuard.refuse(context, Problem(.requestTimeout, "the request body did not arrive within \(seconds) s"))
            }
            context.fireChannelRead(data)
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            context.fireChannelRead(data)
            if bodyBytes > Self.maxBodyBytes {
                // The application's read now fails with 413; it never sees the rest.
                mode = .cut
                endBody()
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                // Answered before reading the body (e.g. 401): nothing more will be written, so close now.
                if responseEnded { lingerThenClose(context, after: context.eventLoop.makeSucceededVoidFuture()) }
            }
        case .end:
            endBody()
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where mode == .cut:
            responseStarted = true
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .head:
            responseStarted = true
            context.write(data, promise: promise)
        case .end where mode == .cut:
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.cascade(to: promise)
            context.write(data, promise: written)
            lingerThenClose(context, after: written.futureResult)
        case .end:
            responseEnded = true
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    private func endBody() {
        readingBody = false
        deadline?.cancel()
        deadline = nil
    }

    /// Answers `problem` here (unless the application has begun its answer) and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ problem: Problem) {
        mode = .refused
        endBody()
        guard !responseStarted else {
            context.close(promise: nil)
            return
        }
        EarlyAnswer.send(problem, on: context, linger: Self.lingerTime)
    }

    private func lingerThenClose(_ context: ChannelHandlerContext, after written: EventLoopFuture<Void>) {
        EarlyAnswer.closeLingering(context, after: written, linger: Self.lingerTime)
    }
}
