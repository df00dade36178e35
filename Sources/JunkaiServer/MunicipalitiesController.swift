import Hummingbird
import JunkaiStore

struct MunicipalitiesController {
    let store: Store
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
