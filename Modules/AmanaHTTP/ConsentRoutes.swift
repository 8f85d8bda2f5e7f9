import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// What the consent policy asks before an act on a case; withdrawing an agreement.
struct ConsentRoutes {
    let kernel: Kernel

    struct OverrideRequest: Decodable {
        var override: String
        var act: String
        var reason: String
    }

    struct Withdrawal: Decodable {
        var scopes: [String]
        var note: String?
    }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/cases/{id}/consent/requirements") { request, context in
            try JSONBody.response(
                try await kernel.consentRequirements(
                    caseID: try context.parameters.require("id"), act: request.uri.queryParameters.get("act"), recipient: request.uri.queryParameters.get("recipient"),
                    actor: try context.requireActor(), requestID: context.requestID))
        }
        group.post("/cases/{id}/consent/approvals") { _, context in
            let approval = try await kernel.requestConsentApproval(
                caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(approval, status: .created)
        }
        group.post("/cases/{id}/consent/overrides") { request, context in
            let body = try await JSONBody.decode(OverrideRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let approval = try await kernel.overrideConsent(
                caseID: try context.parameters.require("id"), override: body.override, act: body.act, reason: body.reason, actor: try context.requireActor(),
                requestID: context.requestID)
            return try JSONBody.response(approval, status: .created)
        }
        group.post("/cases/{id}/consent/{entry}/withdraw") { request, context in
            let body = try await JSONBody.decode(Withdrawal.self, from: request, limit: kernel.config.maxBodyBytes)
            guard let entry = Int(try context.parameters.require("entry")) else { throw AmanaError.notFound }
            let saved = try await kernel.withdrawConsent(
                caseID: try context.parameters.require("id"), entry: entry, scopes: body.scopes, note: body.note, actor: try context.requireActor(),
                requestID: context.requestID)
            var response = try JSONBody.response(saved)
            response.headers[.eTag] = "\"\(saved.version)\""
            return response
        }
    }
}
