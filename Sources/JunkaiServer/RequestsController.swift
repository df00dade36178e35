import Hummingbird
import JunkaiStore

struct RequestsController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
