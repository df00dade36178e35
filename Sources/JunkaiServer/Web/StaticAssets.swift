import CompressNIO
import Crypto
import Foundation
import JunkaiCore
import Hummingbird

/// The pages' own styles and scripts (`Resources/static`), held in memory with a gzip copy and served under
/// a content-hashed address so browsers may keep them for a year.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        var contentType: String
        var body: ByteBuffer
        var gzipped: ByteBuffer?
        var etag: String
        var version: String
    }

    let files: [String: Asset]

    static func load() throws -> StaticAssets {
        guard let dir = Bundle.module.resourceURL?.appendingPathComponent("static") else {
            throw Problem(.internalServerError, "static files not found")
        }
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where !name.hasPrefix(".") {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let type: String
            switch (name as NSString).pathExtension {
            case "css": type = "text/css; charset=utf-8"
            case "js": type = "text/javascript; charset=utf-8"
            case "svg": type = "image/svg+xml"
            default: type = "application/octet-stream"
            }
            let hash = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
            var body = ByteBuffer(bytes: data)
            let gz = try? body.compress(with: .gzip())
            body.moveReaderIndex(to: 0)
            files[name] = Asset(contentType: type, body: ByteBuffer(bytes: data), gzipped: gz, etag: "\"\(hash)\"",
                                version: hash)
        }
        return StaticAssets(files: files)
    }

    /// The versioned address of a file (`/static/app.css?v=…`).
    func url(_ name: String) -> String {
        "/static/\(name)" + (files[name].map { "?v=\($0.version)" } ?? "")
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("static/:file") { request, context -> Response in
            guard let name = context.parameters.get("file"), let asset = files[name] else { throw Problem.notFound }
            var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag, .vary: "Accept-Encoding",
                                       .cacheControl: "public, max-age=31536000, immutable"]
            WebResponse.securityHeaders(&headers)
            if ETag.matches(request.headers[.ifNoneMatch], asset.etag) {
                return Response(status: .notModified, headers: headers)
            }
            if let gz = asset.gzipped, WebMiddleware.acceptsGzip(request) {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: gz))
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
        }
    }
}
