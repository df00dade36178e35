import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A minimal browser for page tests: keeps cookies, follows nothing by itself, posts forms with the page's
/// form token.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    /// name → value of the cookies the server set (and did not clear).
    var cookies: [String: String] = [:]
    /// The Set-Cookie lines of the last answer.
    var lastSetCookies: [String] = []

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page: Sendable, CustomStringConvertible {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var html: String
        var location: String? { headers[.location] }

        /// The value of the first `<input name="_csrf">` of the page.
        var formToken: String? { Browser.first(#"name="_csrf" value="([^"]*)""#, in: html) }

        /// Short, so that a failed expectation does not print whole pages.
        var description: String {
            let summary = Browser.first(#"error-summary[^>]*><p>([^<]*)"#, in: html).map { " error: \($0)" } ?? ""
            return "\(status.code) \(location.map { "→ \($0)" } ?? "")\(summary) (\(html.utf8.count) bytes)"
        }

        /// Whether the page has an element whose text is exactly `text` (tags removed).
        func contains(_ text: String) -> Bool { html.contains(text) }
    }

    /// GET with the cookies; `extra` headers added.
    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(.get, uri, body: nil, headers: extra)
    }

    /// POST an urlencoded form; adds the `_csrf` of `token` unless it is nil.
    func post(_ uri: String, form: [(String, String)], token: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var fields = form
        if let token { fields.append(("_csrf", token)) }
        let body = fields.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(.post, uri, body: ByteBuffer(string: body), headers: headers)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: ByteBuffer?, headers extra: HTTPFields) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body) { r in
            Page(status: r.status, headers: r.headers, html: String(buffer: r.body))
        }
        lastSetCookies = page.headers[values: .setCookie]
        for line in lastSetCookies {
            let pair = line.split(separator: ";", maxSplits: 1).first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            let value = String(parts[1])
            if value.isEmpty || line.lowercased().contains("max-age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return page
    }

    /// The Set-Cookie line for a cookie name in the last answer.
    func setCookie(_ name: String) -> String? { lastSetCookies.first { $0.hasPrefix("\(name)=") } }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }

    static func first(_ pattern: String, in text: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: text) else { return nil }
        return String(text[r])
    }

    /// Signs in with a personal link (GET the page, press サインイン); returns the landing page's location.
    func signIn(link url: String) async throws -> Page {
        let path = String(url[url.range(of: "/sign-in/")!.lowerBound...])
        let page = try await get(path)
        return try await post(path, form: [], token: page.formToken)
    }
}
