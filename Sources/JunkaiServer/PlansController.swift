import Hummingbird
import JunkaiStore

struct PlansController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
