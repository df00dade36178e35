import Hummingbird
import JunkaiStore

struct UnavailabilityController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
