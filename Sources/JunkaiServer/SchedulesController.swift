import Hummingbird
import JunkaiStore

struct SchedulesController {
    let store: Store
    let publicBaseURL: String
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
