import AmanaCore
import Foundation
import Hummingbird
import Kernel

/// A person's work across cases: tasks ("my work") and approvals.
struct WorkRoutes {
    let kernel: Kernel

    struct TaskList: Encodable { var tasks: [TaskView] }
    struct ApprovalList: Encodable { var approvals: [ApprovalView] }
    struct PurgeRequest: Decodable { var reason: String }
    struct PurgeList: Encodable { var due: [PurgeDue] }
    struct NewTask: Decodable {
        var title: String
        var dueAt: Date
        var assignee: String?
    }
    struct ApprovalRequest: Decodable { var transition: String }
    struct Decision: Decodable { var comment: String? }

    func register(on group: RouterGroup<AmanaRequestContext>) {
        group.get("/tasks") { request, context in
            // Only one's own tasks today; `assignee=me` is accepted for clarity.
            if let assignee = request.uri.queryParameters.get("assignee"), assignee != "me" {
                throw AmanaError.invalid("assignee", "Only assignee=me is supported: each person sees their own work.", pointer: "/assignee")
            }
            return try JSONBody.response(TaskList(tasks: try await kernel.myWork(actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/tasks") { request, context in
            let body = try await JSONBody.decode(NewTask.self, from: request, limit: kernel.config.maxBodyBytes)
            let task = try await kernel.addTask(
                caseID: try context.parameters.require("id"), title: body.title, dueAt: body.dueAt, assignee: body.assignee,
                actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(task, status: .created)
        }
        group.post("/cases/{id}/tasks/{task}/complete") { _, context in
            try await kernel.completeTask(
                caseID: try context.parameters.require("id"), taskID: try context.parameters.require("task"), actor: try context.requireActor(), requestID: context.requestID)
            return Response(status: .noContent)
        }
        group.get("/approvals") { _, context in
            try JSONBody.response(ApprovalList(approvals: try await kernel.pendingApprovals(actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/purge") { request, context in
            let body = try await JSONBody.decode(PurgeRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            guard let reason = PurgeReason(rawValue: body.reason) else {
                throw AmanaError.invalid("reason", "Say why: retention (its retention period is over) or erasure_request (the person asked).", pointer: "/reason")
            }
            let approval = try await kernel.requestPurge(caseID: try context.parameters.require("id"), reason: reason, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(approval, status: .created)
        }
        group.get("/purges/due") { _, context in
            try JSONBody.response(PurgeList(due: try await kernel.purgesDue(actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.get("/dashboard") { _, context in
            try JSONBody.response(try await kernel.dashboard(actor: try context.requireActor(), requestID: context.requestID))
        }
        group.get("/consent/overrides") { _, context in
            try JSONBody.response(ApprovalList(approvals: try await kernel.consentOverrides(actor: try context.requireActor(), requestID: context.requestID)))
        }
        group.post("/cases/{id}/approvals") { request, context in
            let body = try await JSONBody.decode(ApprovalRequest.self, from: request, limit: kernel.config.maxBodyBytes)
            let approval = try await kernel.requestApproval(
                caseID: try context.parameters.require("id"), transition: body.transition, actor: try context.requireActor(), requestID: context.requestID)
            return try JSONBody.response(approval, status: .created)
        }
        for (verb, approve) in [("approve", true), ("reject", false)] {
            group.post("/cases/{id}/approvals/{approval}/\(verb)") { request, context in
                let body = try await JSONBody.decode(Decision.self, from: request, limit: kernel.config.maxBodyBytes)
                let approval = try await kernel.decideApproval(
                    caseID: try context.parameters.require("id"), approvalID: try context.parameters.require("approval"), approve: approve,
                    comment: body.comment, actor: try context.requireActor(), requestID: context.requestID)
                return try JSONBody.response(approval)
            }
        }
    }
}
