import Hummingbird
import JunkaiStore

struct StaffController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
