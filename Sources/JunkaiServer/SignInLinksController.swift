import Foundation
import JunkaiCore
import Hummingbird
import JunkaiStore

/// `POST /v1/consortia/{cid}/sign-in-links`: a personal, single-use link to the web pages, valid for 7 days.
struct SignInLinksController {
    let store: Store
    let publicBaseURL: String

    struct IssueBody: Decodable {
        var role: String
        var municipality: String?
        var staff: String?
    }

    struct Issued: ResponseEncodable {
        var url: String
        var expiresAt: Date
        var role: Principal.Role
        var municipality: String?
        var staff: UUID?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("consortia/:cid/sign-in-links", use: issue)
    }

    @Sendable func issue(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Issued> {
        let cid = try context.consortiumID()
        let who = try context.authorize(cid, TokenActions.issuers)
        let body = try await request.decodeJSON(IssueBody.self, context: context)
        let subject = try await TokenActions.subject(role: body.role, municipality: body.municipality, staff: body.staff,
                                                     label: nil, consortium: cid, by: who, store: store)
        let (url, expires) = try await TokenActions.issueSignInLink(subject, consortium: cid, by: who, store: store,
                                                                    publicBaseURL: publicBaseURL)
        return EditedResponse(status: .created, headers: [.cacheControl: "no-store"],
                              response: Issued(url: url, expiresAt: expires, role: subject.role,
                                               municipality: subject.municipality, staff: subject.staff))
    }
}
