import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// Signing in and out of the pages: personal sign-in links, a pasted API token (admins and coordinators),
/// サインアウト; and the landing page of each role.
struct WebAuthController {
    let web: WebEnvironment

    /// The roles that may sign in by pasting an API token; desks and staff use their personal link.
    static let tokenRoles: Set<Principal.Role> = [.admin, .coordinator]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/") { _, context -> Response in
            guard let who = context.principal else { return WebResponse.redirect("/sign-in") }
            return WebResponse.redirect(WebEnvironment.home(for: who))
        }
        group.get("sign-in", use: signInPage)
        group.post("sign-in", use: signInWithToken)
        group.get("sign-in/:secret", use: linkPage)
        group.post("sign-in/:secret", use: signInWithLink)
        group.post("sign-out", use: signOut)
        group.get("admin", use: adminHome)
    }

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        var model: [String: Any] = ["next": WebResponse.localPath(request.uri.queryParameters["next"].map(String.init)) ?? ""]
        if request.uri.queryParameters["ended"] != nil {
            model["notice"] = "セッションが終了しました（12時間操作がなかったか、サインアウトまたは権限の取り消しによるもの）。もう一度サインインしてください。"
        }
        if let who = context.principal { model["signedInHome"] = WebEnvironment.home(for: who) }
        return try web.page("sign-in", title: "サインイン", model: model, context: context)
    }

    @Sendable func signInWithToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.web?.form ?? FormData()
        let next = WebResponse.localPath(form["next"])
        func refuse(_ message: String, status: HTTPResponse.Status) throws -> Response {
            // The pasted token is never echoed back into the page.
            try web.page("sign-in", title: "サインイン",
                         model: ["next": next ?? "", "hasErrors": true, "errorSummary": message, "errors": ["token": message]],
                         status: status, context: context)
        }
        guard let token = form["token"], token.utf8.count <= 200 else {
            return try refuse("トークンを入力してください。", status: .unprocessableContent)
        }
        let hash = Secret.hash(token)
        guard let principal = try await web.store.principal(forTokenHash: hash) else {
            return try refuse("このトークンではサインインできません（無効か、取り消されています）。", status: .unauthorized)
        }
        guard Self.tokenRoles.contains(principal.role) else {
            return try refuse("団体窓口と人材の方は、担当者から届いた個人用のサインインリンクを使ってください。", status: .forbidden)
        }
        guard let (secret, who) = try await web.store.signIn(tokenHash: hash) else {
            return try refuse("このトークンではサインインできません（無効か、取り消されています）。", status: .unauthorized)
        }
        return try await started(secret, who, next: next, request: request)
    }

    @Sendable func linkPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = context.parameters.get("secret") ?? ""
        guard secret.utf8.count <= 100 else { throw SignInLinkError.unknown }
        let info = try await web.store.signInLink(secretHash: Secret.hash(secret))
        let model: [String: Any] = [
            "consortiumName": info.consortiumName,
            "subjectName": info.subjectName ?? "",
            "hasSubject": info.subjectName != nil,
            "roleName": JapaneseFormat.roleNames[info.role] ?? "",
            "expires": JapaneseFormat.instant(info.expiresAt),
            "action": "/sign-in/\(secret)",
        ]
        return try web.page("sign-in-link", title: "サインイン", model: model, context: context)
    }

    @Sendable func signInWithLink(_ request: Request, context: AppRequestContext) async throws -> Response {
        let secret = context.parameters.get("secret") ?? ""
        guard secret.utf8.count <= 100 else { throw SignInLinkError.unknown }
        let (session, who) = try await web.store.signIn(linkHash: Secret.hash(secret))
        return try await started(session, who, next: nil, request: request)
    }

    /// Sets the new session's cookie (ending the browser's previous session) and goes to the role's home page.
    func started(_ secret: String, _ who: Principal, next: String?, request: Request) async throws -> Response {
        if let old = request.cookies[WebMiddleware.sessionCookie]?.value, !old.isEmpty, old.utf8.count <= 100 {
            try await web.store.endWebSession(hash: Secret.hash(old))
        }
        let https = WebMiddleware.isHTTPS(request)
        var response = WebResponse.redirect(next ?? WebEnvironment.home(for: who))
        response.setCookie(Cookie(name: WebMiddleware.sessionCookie, value: secret, path: "/", secure: https,
                                  httpOnly: true, sameSite: .lax))
        response.setCookie(WebMiddleware.clearing(WebMiddleware.preSessionCookie, https: https))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let secret = request.cookies[WebMiddleware.sessionCookie]?.value, !secret.isEmpty, secret.utf8.count <= 100 {
            try await web.store.endWebSession(hash: Secret.hash(secret))
        }
        var response = web.redirect("/sign-in", flash: "サインアウトしました。", context: context)
        response.setCookie(WebMiddleware.clearing(WebMiddleware.sessionCookie, https: WebMiddleware.isHTTPS(request)))
        return response
    }

    /// The operator's landing page: every consortium, each opening the coordinator's pages.
    @Sendable func adminHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try context.caller()
        guard who.role == .admin else { throw Problem.notFound }
        let consortia = try await web.store.consortia().map { c -> [String: Any] in
            ["name": c.name, "href": "/consortia/\(c.id)"]
        }
        return try web.page("admin", title: "共同任用の一覧", model: ["consortia": consortia], context: context)
    }
}
