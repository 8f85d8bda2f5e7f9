import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault
import Workflow

extension Kernel {
    /// Asks for the approval a transition needs (a case plan for a high-risk
    /// case, a closure). Allowed once everything else the transition needs is in place.
    public func requestApproval(caseID: String, transition transitionID: String, actor: Actor, requestID: String) async throws(AmanaError) -> ApprovalView {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "approval.request", requestID: requestID)
            let record = opened.record
            let (engine, _, _, situation) = try await workflowState(of: opened)
            guard let option = engine.option(transitionID, for: situation, role: actor.role.id) else {
                throw AmanaError(.conflict, code: "transition-not-here", "This case cannot take the step '\(transitionID)' from where it is.", pointer: "/transition")
            }
            guard let approver = option.transition.requires.approval else {
                throw AmanaError.invalid("approval-not-needed", "'\(option.transition.label.text(actor.language))' needs no approval.", pointer: "/transition")
            }
            guard option.canRequestApproval else {
                if option.blockers.contains(where: { if case .approvalPending = $0 { true } else { false } }) {
                    throw AmanaError(.conflict, code: "approval-pending", "Approval was already asked for and is waiting.")
                }
                if option.isAvailable { throw AmanaError(.conflict, code: "approval-given", "This step is already approved.") }
                throw blocked(option, actor: actor)
            }
            let now = clock.now()
            let approval = ApprovalRecord(
                id: newID(), caseID: record.id, transitionID: transitionID, state: record.state, approverRole: approver, requestedBy: actor.userID, requestedAt: now)
            var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
            change.approvals = [approval]
            apply(engine.timerChanges(for: [.approvalRequested], at: now, riskLevel: record.riskLevel), to: &change)
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "approval.request", "case:\(caseID)", requestID: requestID, detail: "approval=\(approval.id) transition=\(transitionID)"))
            return approvalView(approval, record, engine: engine, names: [actor.userID: actor.username], key: opened.key, actor: actor)
        }
    }

    /// Approvals waiting for the actor: in their role, on cases within their reach.
    public func pendingApprovals(actor: Actor, requestID: String) async throws(AmanaError) -> [ApprovalView] {
        guard actor.may("approve", "case") else {
            throw await refuse(.user(actor), "approval.list", "approval", requestID: requestID)
        }
        return try await run {
            var views: [ApprovalView] = []
            let pending = try await store.pendingApprovals(approverRole: actor.role.id)
            let members = try await store.caseMembers(caseIDs: Array(Set(pending.map(\.1.id))))
            for (approval, record) in pending {
                guard let opened = try await accessible(record, for: "approve", actor: actor, members: members[record.id] ?? []),
                      let engine = try? workflow(of: record) else { continue }
                views.append(approvalView(approval, record, engine: engine, names: try await usernames([approval.requestedBy]), key: opened.key, actor: actor))
            }
            try await store.appendAudit(audit(actor.auditName, "approval.list", "approval", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }

    /// Approves or rejects. Only a person in the role the workflow names, who
    /// may approve on this case, and who did not ask for it (four eyes). A
    /// rejection says why.
    public func decideApproval(
        caseID: String, approvalID: String, approve: Bool, comment: String?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> ApprovalView {
        let action = approve ? "approval.approve" : "approval.reject"
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !approve, trimmed.isEmpty { throw .invalid("comment-required", "Say why you reject it: the caseworker needs to know what to change.", pointer: "/comment") }
        guard trimmed.utf8.count <= 4000 else { throw .invalid("comment-too-long", "A comment has at most 4000 bytes.", pointer: "/comment") }
        return try await run {
            let opened = try await accessCase(caseID, for: "approve", actor: actor, auditAction: action, requestID: requestID)
            let record = opened.record
            guard var approval = try await store.approvals(caseID: record.id).first(where: { $0.id == approvalID }) else { throw AmanaError.notFound }
            // A step's approval is good in the state it was asked in; a consent exception's, whatever the state.
            guard approval.status == .pending, approval.state == record.state || approval.consentException != nil || Kernel.purgeReason(of: approval) != nil else {
                throw AmanaError(.conflict, code: "approval-not-pending", "This approval is no longer waiting (it was decided, or the case has moved on).")
            }
            guard actor.role.id == approval.approverRole else {
                throw await refuse(.user(actor), action, "case:\(caseID)", requestID: requestID, as: .forbidden("This approval is for a \(label(approval.approverRole, language: actor.language))."))
            }
            guard approval.requestedBy != actor.userID else {
                throw await refuse(.user(actor), action, "case:\(caseID)", requestID: requestID, as: .forbidden("You asked for this approval; another person must give it."))
            }
            // Approving a purge is the purge: the case, its approvals included, is gone after it.
            if approve, Kernel.purgeReason(of: approval) != nil {
                let names = try await usernames([approval.requestedBy, actor.userID])
                approval.status = .approved
                approval.decidedBy = actor.userID
                approval.decidedAt = clock.now()
                let view = approvalView(approval, record, engine: try workflow(of: record), names: names, key: opened.key, actor: actor)
                try await purge(opened, approval: approval, actor: actor, requestID: requestID)
                return view
            }
            let now = clock.now()
            approval.status = approve ? .approved : .rejected
            approval.decidedBy = actor.userID
            approval.decidedAt = now
            approval.sealedComment = trimmed.isEmpty ? nil : try sealText(trimmed, key: opened.key, caseID: record.id, as: "approval:\(approval.id)")
            var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
            change.approvals = [approval]
            _ = try await applyCaseChange(change, audit: audit(actor.auditName, action, "case:\(caseID)", requestID: requestID, detail: "approval=\(approval.id)"))
            let names = try await usernames([approval.requestedBy, actor.userID])
            return approvalView(approval, record, engine: try workflow(of: record), names: names, key: opened.key, actor: actor)
        }
    }

    func approvalView(_ a: ApprovalRecord, _ record: CaseRecord, engine: WorkflowEngine, names: [UserID: String], key: any CaseKey, actor: Actor) -> ApprovalView {
        let language = actor.language
        let policy = definitions.consentPolicy(forCaseType: record.caseType)
        let subject = a.consentException.flatMap { id in policy.map { exceptionLabel(id, of: $0, for: actor) } }
            ?? a.consentOverride.map { "Consent override (\($0.act)): " + (policy?.override($0.id)?.label.text(language) ?? $0.id) }
            ?? purgeLabel(a, language: language)
        return ApprovalView(
            id: a.id, caseId: record.id.rawValue, caseNumber: record.caseNumber, transition: a.transitionID,
            transitionLabel: subject ?? engine.definition.transition(a.transitionID)?.label.text(language) ?? a.transitionID, approverRole: a.approverRole,
            requestedBy: names[a.requestedBy] ?? "", requestedAt: a.requestedAt, status: a.status.rawValue, decidedBy: a.decidedBy.flatMap { names[$0] },
            decidedAt: a.decidedAt, comment: unsealText(a.sealedComment, key: key, caseID: record.id, as: "approval:\(a.id)"))
    }
}
