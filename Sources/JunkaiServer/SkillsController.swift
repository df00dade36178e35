import Hummingbird
import JunkaiStore

struct SkillsController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
