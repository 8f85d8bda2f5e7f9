import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Case conferences on a case. Changes to a conference name the version read in
/// `If-Match`; responses carry it in `ETag`. Adding a note needs no version (notes only add).
struct ConferenceRoutes {
    let kernel: Kernel

    struct ConferenceList: Encodable { var conferences: [ConferenceView] }
    struct Cancellation: Decodable { var reason: String }
    struct NoteRequest: Decodable { var text: String }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/cases/{id}/conferences") { request, context in
            let plan = try await JSONBody.decode(ConferencePlan.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.scheduleConference(
                caseID: try context.parameters.require("id"), plan: plan, actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version, status: .created)
        }
        group.get("/cases/{id}/conferences") { _, context in
            try JSONBody.response(
                ConferenceList(
                    conferences: try await kernel.conferences(caseID: try context.parameters.require("id"), actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/conferences/{conference}/outcome") { request, context in
            let outcome = try await JSONBody.decode(ConferenceRecordedOutcome.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.recordConferenceOutcome(
                caseID: try context.parameters.require("id"), conferenceID: try context.parameters.require("conference"), outcome: outcome,
                expectVersion: try CaseRoutes.ifMatch(request), actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version)
        }
        group.post("/cases/{id}/conferences/{conference}/cancel") { request, context in
            let body = try await JSONBody.decode(Cancellation.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.cancelConference(
                caseID: try context.parameters.require("id"), conferenceID: try context.parameters.require("conference"), reason: body.reason,
                expectVersion: try CaseRoutes.ifMatch(request), actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version)
        }
        group.post("/cases/{id}/conferences/{conference}/notes") { request, context in
            let body = try await JSONBody.decode(NoteRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let view = try await kernel.addConferenceNote(
                caseID: try context.parameters.require("id"), conferenceID: try context.parameters.require("conference"), text: body.text,
                actor: try context.requireActor(), requestID: context.requestID)
            return try CaseRoutes.tagged(view, version: view.version, status: .created)
        }
    }
}
