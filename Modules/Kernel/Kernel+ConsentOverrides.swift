import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store

/// Overrides: where the programme's policy allows one (a life-threatening situation
/// for a child), a supervisor in the role it names may let one act go ahead although
/// agreements are missing, with a written reason. It is flagged in the audit log
/// (`consent.override`) and on the case's approvals; the act that goes ahead uses it up.
extension Kernel {
    public func overrideConsent(caseID: String, override overrideID: String, act scopeCode: String, reason: String, actor: Actor, requestID: String) async throws(AmanaError) -> ApprovalView {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(reason.utf8.count) else {
            throw .invalid("reason", "Write why the act cannot wait for the agreements (1 to 4000 bytes): it is kept with the override.", pointer: "/reason")
        }
        return try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "consent.override", requestID: requestID)
            try requireOpen(opened.record)
            guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType), let override = policy.override(overrideID) else {
                let known = definitions.consentPolicy(forCaseType: opened.record.caseType)?.overrides.map(\.id) ?? []
                throw AmanaError.invalid(
                    "override-unknown",
                    known.isEmpty ? "This programme's consent policy allows no override." : "Unknown override '\(overrideID)'; this policy has \(known.joined(separator: ", ")).",
                    pointer: "/override")
            }
            guard let scope = ConsentScope(rawValue: scopeCode), override.acts.contains(scope) else {
                throw AmanaError.invalid("act", "This override is for \(override.acts.map(\.rawValue).joined(separator: ", ")) only.", pointer: "/act")
            }
            guard actor.role.id == override.approval, actor.may("approve", "case", on: opened.holding) else {
                throw await refuse(.user(actor), "consent.override", "case:\(caseID)", requestID: requestID, as: .forbidden("Only a \(label(override.approval, language: actor.language)) over this case may override consent."))
            }
            let situation = try await consentSituation(of: opened.record, key: opened.key, policy: policy)
            guard let age = situation.age, override.applies(to: scope, age: age) else {
                throw AmanaError(.conflict, code: "override-not-applicable", "This override is not for this person (by the policy's age, or the age is not known).")
            }
            let answer = ConsentEvaluator(policy: policy).answer(for: ConsentAct(scope), in: situation)
            guard !answer.missing.isEmpty else { throw AmanaError(.conflict, code: "override-not-needed", "The agreements needed are there: nothing to override.") }
            guard answer.overriddenBy == nil else { throw AmanaError(.conflict, code: "override-given", "An override for this act is already waiting to be used.") }
            let now = clock.now()
            let id = newID()
            let approval = ApprovalRecord(
                id: id, caseID: opened.record.id, transitionID: ApprovalRecord.consentOverride(override.id, act: scope.rawValue), state: opened.record.state,
                approverRole: override.approval, requestedBy: actor.userID, requestedAt: now, status: .approved, decidedBy: actor.userID, decidedAt: now,
                sealedComment: try sealText(reason, key: opened.key, caseID: opened.record.id, as: "approval:\(id)"))
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: now)
            change.approvals = [approval]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "consent.override", "case:\(caseID)", requestID: requestID, detail: "override=\(override.id) act=\(scope.rawValue) approval=\(id)"))
            return approvalView(approval, opened.record, engine: try workflow(of: opened.record), names: [actor.userID: actor.username], key: opened.key, actor: actor)
        }
    }

    /// The overrides these answers rely on, marked used: written with the act, so that each lets one act through.
    func usedOverrides(_ checks: [ConsentCheck?], caseID: CaseID) async throws -> [ApprovalRecord] {
        let ids = Set(checks.compactMap { $0?.overrideApproval })
        guard !ids.isEmpty else { return [] }
        return try await store.approvals(caseID: caseID).filter { ids.contains($0.id) && $0.status == .approved }.map { approval in
            var used = approval
            used.status = .used
            return used
        }
    }
}

extension Kernel {
    /// How far back the supervision view of consent overrides looks.
    public static let overrideLookback: TimeInterval = 90 * 86_400

    /// The consent overrides given in the last 90 days on the cases the
    /// supervisor may read: which case, which act, who decided, why, whether an
    /// act used it. The supervision view the policy's overrides are flagged in.
    public func consentOverrides(actor: Actor, requestID: String) async throws(AmanaError) -> [ApprovalView] {
        guard actor.may("approve", "case") else {
            throw await refuse(.user(actor), "consent.override.list", "approval", requestID: requestID)
        }
        return try await run {
            var views: [ApprovalView] = []
            let given = try await store.consentOverrides(since: clock.now().addingTimeInterval(-Kernel.overrideLookback))
            let members = try await store.caseMembers(caseIDs: Array(Set(given.map(\.1.id))))
            for (approval, record) in given {
                guard let opened = try await accessible(record, for: "read", actor: actor, members: members[record.id] ?? []), let engine = try? workflow(of: record) else { continue }
                let names = try await usernames([approval.requestedBy] + (approval.decidedBy.map { [$0] } ?? []))
                views.append(approvalView(approval, record, engine: engine, names: names, key: opened.key, actor: actor))
            }
            try await store.appendAudit(audit(actor.auditName, "consent.override.list", "approval", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }
}
