import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore
import Logging

/// The pages' front door: resolves the session cookie, refuses cross-site form posts, and turns every error
/// into an HTML page (a missing session into the sign-in page) with the security headers of every page.
struct WebMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let web: WebEnvironment

    static let sessionCookie = "junkai_session"
    /// Before sign-in, the sign-in forms' token comes from this cookie (a double-submit token).
    static let preSessionCookie = "junkai_pre"
    static let flashCookie = "junkai_flash"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let https = Self.isHTTPS(request)
        var setCookies: [Cookie] = []
        var state = WebState(sessionId: nil, csrf: "", form: FormData(), acceptsGzip: Self.acceptsGzip(request),
                             path: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""), flash: nil,
                             sessionEnded: false)

        if let secret = request.cookies[Self.sessionCookie]?.value, !secret.isEmpty, secret.utf8.count <= 100 {
            if let session = try await web.store.webSession(hash: Secret.hash(secret)) {
                context.principal = session.principal
                context.logger[metadataKey: "token"] = .string(session.principal.tokenId.uuidString)
                state.sessionId = session.id
                state.csrf = FormToken.derive(from: secret)
            } else {
                state.sessionEnded = true
                setCookies.append(Self.clearing(Self.sessionCookie, https: https))
            }
        }
        if state.sessionId == nil {
            if let pre = request.cookies[Self.preSessionCookie]?.value, !pre.isEmpty, pre.utf8.count <= 100 {
                state.csrf = FormToken.derive(from: pre)
            } else if request.method == .get {
                let pre = Secret.generate(prefix: "")
                state.csrf = FormToken.derive(from: pre)
                setCookies.append(Cookie(name: Self.preSessionCookie, value: pre, maxAge: 86_400, path: "/", secure: https,
                                         httpOnly: true, sameSite: .lax))
            }
        }
        if request.method == .get, let flash = request.cookies[Self.flashCookie]?.value, !flash.isEmpty {
            state.flash = Flash.decode(flash)
            setCookies.append(Self.clearing(Self.flashCookie, https: https))
        }

        var request = request
        var response: Response
        do {
            if request.method != .get && request.method != .head {
                // A forged post fails here, before any handler (and so any write) runs.
                guard Self.sameOrigin(request, publicBaseURL: web.publicBaseURL) else {
                    throw WebRefusal.crossSite
                }
                let buffer = try await request.body.collect(upTo: context.maxUploadSize)
                state.form = FormData(urlEncoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
                request.body = .init(buffer: buffer)
                guard !state.csrf.isEmpty, let sent = state.form.raw("_csrf"), FormToken.equal(sent, state.csrf) else {
                    throw WebRefusal.formToken
                }
            }
            context.web = state
            // An admin passes every consortium's scope check: a consortium that does not exist is not found here,
            // as the bearer middleware does for the API.
            if context.principal?.role == .admin, let raw = context.parameters.get("cid") {
                guard let cid = UUID(uuidString: raw) else { throw Problem.notFound }
                _ = try await web.store.consortium(cid)
            }
            response = try await next(request, context)
        } catch {
            context.web = state
            response = try errorPage(error, request: request, context: context)
        }
        WebResponse.securityHeaders(&response.headers)
        for c in setCookies { response.setCookie(c) }
        return response
    }

    /// The page for an error: sign-in for a missing session, else a short page with the status.
    func errorPage(_ error: any Error, request: Request, context: AppRequestContext) throws -> Response {
        if let refusal = error as? WebRefusal {
            context.logger.notice("web form refused", metadata: ["reason": "\(refusal)"])
            return try web.message(status: .forbidden, title: "この操作は受け付けられません",
                                   text: "フォームの有効期限が切れたか、別のサイトから送信されました。ページを読み込み直してから、もう一度操作してください。",
                                   context: context)
        }
        if let link = error as? SignInLinkError {
            let (status, text): (HTTPResponse.Status, String) = switch link {
            case .unknown: (.notFound, "このサインインリンクは無効です。リンクをもう一度確認するか、発行した担当者に新しいリンクを依頼してください。")
            case .used: (.gone, "このサインインリンクは使用済みです。リンクは1回だけ使えます。新しいリンクを担当者に依頼してください。")
            case .expired: (.gone, "このサインインリンクは有効期限（7日間）が切れています。新しいリンクを担当者に依頼してください。")
            }
            return try web.message(status: status, title: "サインインできません", text: text, context: context)
        }
        let problem = ProblemMiddleware<AppRequestContext>.problem(for: error)
        switch problem.status {
        case .unauthorized:
            if request.method == .get {
                var target = "/sign-in?next=" + (context.web?.path ?? "/").addingPercentEncoding(withAllowedCharacters: Self.plain)!
                if context.web?.sessionEnded == true { target += "&ended=1" }
                return WebResponse.redirect(target)
            }
            return try web.message(status: .forbidden, title: "サインインが必要です",
                                   text: "セッションが終了しています。もう一度サインインしてください。", context: context, signInLink: true)
        case .notFound:
            return try web.message(status: .notFound, title: "ページが見つかりません",
                                   text: "お探しのページは存在しないか、閲覧できる範囲の外にあります。", context: context)
        case .forbidden:
            return try web.message(status: .forbidden, title: "この操作は許可されていません",
                                   text: "この役割では、このページや操作は利用できません。", context: context)
        case .contentTooLarge:
            return try web.message(status: .contentTooLarge, title: "送信内容が大きすぎます",
                                   text: "1 MiB までにしてください。", context: context)
        case .internalServerError:
            context.logger.error("page error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return try web.message(status: .internalServerError, title: "エラーが発生しました",
                                   text: "処理中に問題が発生しました。時間をおいてもう一度お試しください。", context: context)
        default:
            return try web.message(status: problem.status, title: "処理できませんでした", text: WebFormErrors.japanese(problem.detail),
                                   context: context)
        }
    }

    /// ASCII letters, digits and `/-_.`: everything else in a `next` address is percent-encoded.
    static let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.")

    static func clearing(_ name: String, https: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: https, httpOnly: true, sameSite: .lax)
    }

    /// HTTPS directly, or behind a proxy that says so.
    static func isHTTPS(_ request: Request) -> Bool {
        if request.head.scheme?.lowercased() == "https" { return true }
        let forwarded = request.headers[.xForwardedProto]?.split(separator: ",").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        return forwarded == "https"
    }

    static func acceptsGzip(_ request: Request) -> Bool {
        guard let accept = request.headers[.acceptEncoding]?.lowercased() else { return false }
        return accept.split(separator: ",").contains { part in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.first == "gzip" else { return false }
            return !fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" }
        }
    }

    /// False when the browser says the post comes from another site (`Origin`, or `Sec-Fetch-Site: cross-site`).
    static func sameOrigin(_ request: Request, publicBaseURL: String) -> Bool {
        if let site = request.headers[.secFetchSite]?.lowercased(), site == "cross-site" || site == "same-site" {
            return false
        }
        guard let origin = request.headers[.origin]?.trimmingCharacters(in: .whitespaces) else { return true }
        let host = request.head.authority ?? ""
        let own = ["http://\(host)", "https://\(host)", Self.origin(of: publicBaseURL)]
        return own.contains { $0.lowercased() == origin.lowercased() }
    }

    /// `scheme://host[:port]` of a URL.
    static func origin(of url: String) -> String {
        guard let u = URL(string: url), let scheme = u.scheme, let host = u.host else { return url }
        return "\(scheme)://\(host)" + (u.port.map { ":\($0)" } ?? "")
    }
}

/// A state-changing request refused before any handler ran.
enum WebRefusal: Error, CustomStringConvertible {
    case crossSite, formToken
    var description: String { self == .crossSite ? "foreign origin" : "form token missing or wrong" }
}

/// A one-time message for the page after a redirect (`junkai_flash`, base64url UTF-8).
enum Flash {
    static func encode(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ value: String) -> String? {
        var b = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        guard b.count <= 4096, let data = Data(base64Encoded: b) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
