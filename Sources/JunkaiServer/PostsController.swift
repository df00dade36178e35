import Hummingbird
import JunkaiStore

struct PostsController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
