import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// What the consent policy asks before an act on a case.
struct ConsentRoutes {
    let kernel: Kernel

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/cases/{id}/consent/requirements") { request, context in
            guard let act = request.uri.queryParameters.get("act") else {
                throw AmanaError.invalid("act-required", "Say which act to check: ?act=services, referral, information_sharing, contact_after_closure or reporting.", pointer: "/act")
            }
            return try JSONBody.response(
                try await kernel.consentRequirements(
                    caseID: try context.parameters.require("id"), act: act, recipient: request.uri.queryParameters.get("recipient"),
                    actor: try context.requireActor(), requestID: context.requestID))
        }
    }
}
