import Hummingbird

struct OpenAPIController {
    func addRoutes(to router: Router<AppRequestContext>) {}
}
