import Hummingbird

struct RegisterController {
    func addRoutes(to group: RouterGroup<AppRequestContext>) {}
}
