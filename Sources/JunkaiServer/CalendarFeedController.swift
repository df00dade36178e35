import Hummingbird
import JunkaiStore

struct CalendarFeedController {
    let store: Store
    func addRoutes(to router: Router<AppRequestContext>) {}
}
