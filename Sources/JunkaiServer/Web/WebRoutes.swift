import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// Registers the web pages (behind `WebMiddleware`) and their static files.
func addWebRoutes(to router: Router<AppRequestContext>, store: Store, config: AppConfig, caches: ReadCaches) {
    let web: WebEnvironment
    do {
        web = WebEnvironment(store: store, templates: try WebTemplates.load(), assets: try StaticAssets.load(),
                             publicBaseURL: config.publicBaseURL,
                             coverage: GenerationCache("coverage-pages", tracker: caches.tracker, maxCost: 32 << 20) { $0.cost })
    } catch {
        // The templates and static files are part of the build; without them the server is broken.
        fatalError("web resources could not be loaded: \(error)")
    }
    web.assets.addRoutes(to: router)
    let pages = router.group().add(middleware: WebMiddleware(web: web))
    WebAuthController(web: web).addRoutes(to: pages)
    CoordinatorPages(web: web).addRoutes(to: pages)
    PlanPages(web: web).addRoutes(to: pages)
    MunicipalityPages(web: web).addRoutes(to: pages)
    StaffPages(web: web).addRoutes(to: pages)
    DeliveryPages(web: web).addRoutes(to: pages)
    // Added last, so it wraps only the answer for addresses no route knows: a page-like address gets the page 404.
    router.add(middleware: WebNotFoundMiddleware(web: web))
}

/// An unknown address outside the JSON API answers an HTML "not found" page with the pages' security headers;
/// the API's own addresses keep their problem+json 404.
struct WebNotFoundMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let web: WebEnvironment

    static let apiPrefixes = ["/v1/", "/v1", "/calendars/", "/healthz", "/readyz", "/openapi."]

    /// Whether a route path is one of the pages (or their static files) rather than the documented API.
    static func isPage(_ path: String) -> Bool { !apiPrefixes.contains { path == $0 || path.hasPrefix($0) } }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard !Self.apiPrefixes.contains(where: { path == $0 || path.hasPrefix($0) }) else { throw error }
            var response = try web.message(status: .notFound, title: "ページが見つかりません",
                                           text: "お探しのページは存在しないか、閲覧できる範囲の外にあります。", context: context)
            WebResponse.securityHeaders(&response.headers)
            return response
        }
    }
}
