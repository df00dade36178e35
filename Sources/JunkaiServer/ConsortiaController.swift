import Hummingbird
import JunkaiStore

struct ConsortiaController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
