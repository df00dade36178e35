import CompressNIO
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JunkaiCore
import JunkaiStore
import Mustache

/// What the web middleware knows about a page request: the session, its form token and the posted form.
public struct WebState: Sendable {
    /// The session's id, nil when not signed in.
    public var sessionId: UUID?
    /// The form token every form on the page carries (`_csrf`).
    public var csrf: String
    /// The posted form (POST only).
    public var form: FormData
    /// Whether the client takes `Content-Encoding: gzip`.
    public var acceptsGzip: Bool
    /// The request's own path and query, for sign-in redirects and forms that post back.
    public var path: String
    /// The message the previous action left for this page.
    public var flash: String?
    /// The browser sent a session cookie that no longer opens a session (idle, signed out, token revoked).
    public var sessionEnded: Bool
}

/// An `application/x-www-form-urlencoded` body: every value of each name, in order.
public struct FormData: Sendable {
    public var values: [String: [String]] = [:]

    public init() {}

    /// Parses `a=1&b=%E3%81%82+x`: `+` is a space, percent escapes are UTF-8.
    public init(urlEncoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first value of a field, trimmed; nil when absent or blank.
    public subscript(_ name: String) -> String? {
        guard let v = values[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    /// The first value exactly as typed (free text keeps its spaces and line breaks); nil when absent.
    public func raw(_ name: String) -> String? { values[name]?.first }

    /// Every value of a field (check boxes).
    public func all(_ name: String) -> [String] { values[name] ?? [] }
}

/// Builds HTML responses: rendered templates, redirects after a POST, and the security headers of every page.
enum WebResponse {
    /// Only the app's own scripts and styles; no inline code, no framing, forms post only to the app.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func securityHeaders(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        // Sign-in link secrets are in page addresses: never send them to another site. (Not no-referrer: with it
        // a browser sends `Origin: null` on its own form posts, which the forgery check must refuse.)
        headers[.referrerPolicy] = "same-origin"
        headers[.xFrameOptions] = "DENY"
    }

    /// An HTML page; gzip-compressed when the client accepts it and the page is worth it.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, context: AppRequestContext) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                   .vary: "Accept-Encoding, Cookie"]
        var buffer = ByteBuffer(string: text)
        if context.web?.acceptsGzip == true, buffer.readableBytes > 1024, let gz = try? buffer.compress(with: .gzip()) {
            buffer = gz
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    /// 303 See Other: a form post lands on a page that can be reloaded safely.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// The site-relative path and query of a `next` parameter, or nil when it could lead elsewhere.
    static func localPath(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"),
              !raw.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return nil }
        return raw
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
}

/// The templates (`Resources/templates/*.mustache`), parsed once at start; a broken template stops the server.
struct WebTemplates: Sendable {
    let library: MustacheLibrary

    static func load() throws -> WebTemplates {
        guard let dir = Bundle.module.resourceURL?.appendingPathComponent("templates") else {
            throw Problem(.internalServerError, "templates not found")
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            library.register(try MustacheTemplate(string: text), named: String(name.dropLast(".mustache".count)))
        }
        return WebTemplates(library: library)
    }

    /// Renders a template; a template that does not exist is a programming error, answered as a 500.
    func render(_ name: String, _ model: [String: Any]) throws -> String {
        guard let text = library.render(model, withTemplate: name) else {
            throw Problem(.internalServerError, "no template \(name)")
        }
        return text
    }
}

/// Small pure helpers for showing dates and values in Japanese.
enum JapaneseFormat {
    static let weekdayNames = ["", "月", "火", "水", "木", "金", "土", "日"]

    /// `4月12日（月）`
    static func day(_ d: CivilDate) -> String { "\(d.month)月\(d.day)日（\(weekdayNames[d.weekday])）" }

    /// `2027年4月12日（月）`
    static func fullDay(_ d: CivilDate) -> String { "\(d.year)年" + day(d) }

    /// `2027年4月`
    static func month(year: Int, month: Int) -> String { "\(year)年\(month)月" }

    /// `1,234,567`
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `2027-04-12 09:30` in Japan time.
    static func instant(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + 9 * 3600
        let day = CivilDate(dayNumber: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = ((seconds % 86_400) + 86_400) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day.iso) \(two(rest / 3600)):\(two((rest % 3600) / 60))"
    }

    static let statusNames = [
        "draft": "下書き", "solving": "最適化中", "solved": "最適化済み", "published": "公開済み", "superseded": "置き換え済み",
        "submitted": "未処理", "accepted": "承認済み", "declined": "却下", "withdrawn": "取り下げ",
        "queued": "待機中", "running": "実行中", "succeeded": "完了", "failed": "失敗", "cancelled": "中止",
    ]
    static let kindNames = ["required": "必須", "preferred": "希望"]
    static let roleNames: [Principal.Role: String] = [.admin: "運用管理者", .coordinator: "コーディネーター",
                                                       .municipality: "団体窓口", .staff: "人材"]
}

/// The form token of a session (or of a not-yet-signed-in browser): derived from its cookie's secret, so it
/// needs no storage and cannot be computed by a page of another site, which never sees the cookie.
enum FormToken {
    static func derive(from secret: String) -> String {
        let digest = SHA256.hash(data: Data("junkai-form-token|\(secret)".utf8))
        return Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Compares in time independent of where the strings differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Escaping for the few tables written as HTML in Swift (the rest goes through mustache, which escapes the same five).
enum HTML {
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
