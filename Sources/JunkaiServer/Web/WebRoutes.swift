import Foundation
import Hummingbird
import JunkaiStore

/// Registers the web pages (behind `WebMiddleware`) and their static files.
func addWebRoutes(to router: Router<AppRequestContext>, store: Store, config: AppConfig) {
    let web: WebEnvironment
    do {
        web = WebEnvironment(store: store, templates: try WebTemplates.load(), assets: try StaticAssets.load(),
                             publicBaseURL: config.publicBaseURL)
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
}
