import Hummingbird
import JunkaiStore

struct TokensController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
