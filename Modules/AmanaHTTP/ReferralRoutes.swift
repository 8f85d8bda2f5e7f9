import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Referrals from a case to a service of the directory. A preview shows exactly
/// what would be sent and whether consent allows it; sending writes the same.
/// Changes to a referral name the version read in `If-Match`.
struct ReferralRoutes {
    let kernel: Kernel

    struct ReferralList: Encodable { var referrals: [ReferralView] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/cases/{id}/referrals/preview") { request, context in
            let draft = try await JSONBody.decode(ReferralDraft.self, from: request, limit: kernel.config.maxBodyBytes)
            return try JSONBody.response(
                try await kernel.previewReferral(caseID: try context.parameters.require("id"), draft: draft, actor: try context.requireActor(), requestID: context.requestID))
        }
        group.post("/cases/{id}/referrals") { request, context in
            let draft = try await JSONBody.decode(ReferralDraft.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.sendReferral(caseID: try context.parameters.require("id"), draft: draft, actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version, status: .created)
        }
        group.get("/cases/{id}/referrals") { _, context in
            try JSONBody.response(
                ReferralList(referrals: try await kernel.referrals(caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/referrals/{referral}/status") { request, context in
            let change = try await JSONBody.decode(ReferralStatusChange.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.changeReferralStatus(
                caseID: try context.parameters.require("id"), referralID: try context.parameters.require("referral"), change: change,
                expectVersion: try CaseRoutes.ifMatch(request), actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version)
        }
        group.post("/cases/{id}/referrals/{referral}/follow-up") { request, context in
            let followUp = try await JSONBody.decode(ReferralFollowUp.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.recordReferralFollowUp(
                caseID: try context.parameters.require("id"), referralID: try context.parameters.require("referral"), followUp: followUp,
                expectVersion: try CaseRoutes.ifMatch(request), actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version)
        }
    }
}
