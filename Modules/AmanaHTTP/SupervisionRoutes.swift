import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// Individual supervision meetings with staff, apart from cases.
struct SupervisionRoutes {
    let kernel: Kernel

    struct SupervisionRequest: Decodable {
        var staff: String
        var heldOn: String
        var notes: SupervisionNotes
    }

    struct SessionList: Encodable { var sessions: [SupervisionSessionView] }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.post("/supervision") { request, context in
            let body = try await JSONBody.decode(SupervisionRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let session = try await kernel.recordSupervision(
                staff: body.staff, heldOn: body.heldOn, notes: body.notes, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(session, status: .created)
        }
        group.get("/supervision") { request, context in
            try JSONBody.response(SessionList(
                sessions: try await kernel.supervisionSessions(staff: request.uri.queryParameters.get("staff"), actor: try context.requireActor(), requestID: context.requestID)))
        }
    }
}
