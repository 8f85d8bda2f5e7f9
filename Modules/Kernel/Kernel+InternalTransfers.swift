import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault

/// Transfers on this install: ownership moves to another case worker (in their
/// team, perhaps in another agency) when they accept. To another agency, the
/// person's consent to share information with it is needed first; within the
/// agency, the agency already holds the case. Once accepted, the sender keeps
/// what their role's scope gives them, and nothing more.
extension Kernel {
    /// Proposes the case to a colleague (`username`), or to a team (`team`, by name; with
    /// `agencyCode`, a team of another agency on this install), any of whose case workers
    /// may accept it. By the case owner, or someone who may hand cases over.
    public func proposeTransfer(
        caseID: String, to username: String?, team: String? = nil, agencyCode: String? = nil, reason: String?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> TransferView {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (reason?.utf8.count ?? 0) <= 4000 else { throw .invalid("reason", "Give the reason in at most 4000 bytes.", pointer: "/reason") }
        guard (username == nil) != (team == nil) else { throw .invalid("to", "Name either a colleague (to) or a team (team).", pointer: "/to") }
        return try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "transfer.propose", requestID: requestID)
            guard opened.record.ownerID == actor.userID || actor.may("assign", "case", on: opened.holding) else {
                throw await refuse(.user(actor), "transfer.propose", "case:\(caseID)", requestID: requestID, as: .forbidden("Only the case owner or a supervisor hands a case over."))
            }
            try requireOpen(opened.record)
            // Who could take it: active accounts whose role works on this programme's cases and may
            // read and update the cases they own (not a specialist, who reads only cases invited into:
            // they would own a case they cannot open).
            let canHold = { (user: UserRecord) -> Bool in
                guard !user.disabled, user.id != opened.record.ownerID, let role = self.roles.role(user.role),
                      let reads = role.scope(for: "case", "read"), let updates = role.scope(for: "case", "update")
                else { return false }
                return self.caseType(opened.record.caseType, isVisibleTo: role) && reads >= .own && updates >= .own
            }
            let receivers: [UserRecord]
            var toTeam: TeamRecord?
            if let username {
                guard let user = try await store.user(username: username), canHold(user) else {
                    throw AmanaError.invalid("to", "'\(username)' cannot take this case: no such active case worker on this programme (or they hold it already).", pointer: "/to")
                }
                receivers = [user]
            } else {
                let agencies = try await store.agencies()
                let agencyID = agencyCode.map { code in agencies.first { $0.code == code }?.id } ?? opened.record.agencyID
                guard let found = try await store.teams().first(where: { $0.name == team && $0.agencyID == agencyID }) else {
                    throw AmanaError.invalid("team", "There is no team '\(team ?? "")'\(agencyCode.map { " in \($0)" } ?? "").", pointer: "/team")
                }
                receivers = try await store.users().filter { $0.teamID == found.id && canHold($0) }
                guard !receivers.isEmpty else { throw AmanaError.invalid("team", "No one in '\(found.name)' can take this programme's cases.", pointer: "/team") }
                toTeam = found
            }
            let activities = try await store.activities(caseID: opened.record.id)
            guard !activities.contains(where: { $0.kind == .transfer && $0.status == "proposed" }) else {
                throw AmanaError(.conflict, code: "transfer-pending", "A transfer of this case is already waiting for an answer; withdraw it first.")
            }
            var overrides: [ApprovalRecord] = []
            if let agency = receivers.first?.agencyID, agency != opened.record.agencyID {
                overrides = try await requireSharingConsent(
                    opened.record, key: opened.key, with: try await agencyName(agency), actor: actor, action: "transfer.propose", requestID: requestID)
            }
            let now = clock.now()
            let id = newID()
            let content = TransferContent(
                mode: "internal", reason: reason.flatMap { $0.isEmpty ? nil : $0 }, forms: [], skipped: [], toUser: username == nil ? nil : receivers[0].id.rawValue,
                toTeam: toTeam?.name, events: [ActivityEvent(at: now, by: actor.userID.rawValue, status: "proposed")], consentOverride: overrides.first?.id)
            let activity = try await addActivity(
                CaseActivityRecord(
                    id: id, caseID: opened.record.id, kind: .transfer, status: "proposed", createdAt: now, createdBy: actor.userID, updatedAt: now,
                    participants: receivers.map(\.id), sealedContent: []),
                content: content, key: opened.key,
                audit: audit(
                    actor.auditName, "transfer.propose", "case:\(caseID)", requestID: requestID,
                    detail: "transfer=\(id) receivers=\(receivers.count)" + Kernel.overrideDetail(overrides))
            ) { $0.approvals = overrides }
            return try await transferView(activity, content, record: opened.record)
        }
    }

    /// Transfers proposed to the actor and waiting for their answer. They may not read
    /// the case yet: they see its number, programme, risk, who proposes it and why. From
    /// another agency, only while the person's consent to share with the actor's agency holds.
    public func incomingTransfers(actor: Actor, requestID: String) async throws(AmanaError) -> [TransferView] {
        try await run {
            var views: [TransferView] = []
            for (activity, record) in try await store.activities(kind: .transfer, status: "proposed", participant: actor.userID) {
                guard let wrapped = record.wrappedKey else { continue }
                let key = try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
                let content = try self.content(TransferContent.self, of: activity, key: key)
                if actor.agencyID != record.agencyID, content.consentOverride == nil {
                    guard try await consentLetsCaseGo(record, key: key, to: actor.agencyID) else { continue }
                }
                views.append(try await transferView(activity, content, record: record))
            }
            try await store.appendAudit(audit(actor.auditName, "transfer.list", "transfer", requestID: requestID, detail: "incoming=\(views.count)"))
            return views
        }
    }

    /// A receiver accepts (the case becomes theirs, in their team and agency) or declines
    /// with a reason; the proposer may withdraw it (`accept` false, as the proposer). Proposed
    /// to a team, any of its case workers answers for it.
    public func answerTransfer(caseID: String, transferID: String, accept: Bool, reason: String?, actor: Actor, requestID: String) async throws(AmanaError) -> TransferView {
        let trimmed = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let reason = trimmed.isEmpty ? nil : trimmed
        let action = accept ? "transfer.accept" : "transfer.decline"
        return try await run {
            guard let record = try await store.caseRecord(id: CaseID(caseID)), let wrapped = record.wrappedKey,
                  let activity = try await store.activities(caseID: record.id).first(where: { $0.id == transferID && $0.kind == .transfer })
            else { throw await refuse(.user(actor), action, "case:\(caseID)", requestID: requestID, as: .notFound) }
            let isReceiver = activity.participants.contains(actor.userID), isProposer = activity.createdBy == actor.userID
            guard isReceiver || (isProposer && !accept) else { throw await refuse(.user(actor), action, "case:\(caseID)", requestID: requestID, as: .notFound) }
            guard activity.status == "proposed" else { throw AmanaError(.conflict, code: "transfer-not-proposed", "This transfer was already \(activity.status).") }
            if !accept, isReceiver, reason == nil {
                throw AmanaError.invalid("reason-required", "Say why you decline: the sender plans the next step from it.", pointer: "/reason")
            }
            try requireOpen(record)
            let key = try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
            var content = try self.content(TransferContent.self, of: activity, key: key)
            // Consent can be withdrawn, or lapse, while the transfer waits: another agency takes
            // the case only if the person still agrees now. An override the proposal used was
            // decided for this very act, and covers its acceptance too.
            var overrides: [ApprovalRecord] = []
            if accept, actor.agencyID != record.agencyID, content.consentOverride == nil {
                do {
                    overrides = try await requireSharingConsent(
                        record, key: key, with: try await agencyName(actor.agencyID), actor: actor, action: action, requestID: requestID)
                } catch var refusal as AmanaError where refusal.code == "consent-required" {
                    refusal.message = "The person's consent to share information with your agency is not on record now (it may have been withdrawn "
                        + "while the transfer waited): the case stays with its sender, who may ask for it again or withdraw the transfer. " + refusal.message
                    throw refusal
                }
            }
            let status = accept ? "accepted" : (isReceiver ? "declined" : "withdrawn")
            let now = clock.now()
            content.events.append(ActivityEvent(at: now, by: actor.userID.rawValue, status: status, reason: reason))
            var changed = activity
            changed.status = status
            changed = try await updateActivity(
                changed, content: content, key: key,
                audit: audit(actor.auditName, action, "case:\(caseID)", requestID: requestID, detail: "transfer=\(activity.id)" + Kernel.overrideDetail(overrides))
            ) { change in
                guard accept else { return }
                change.approvals = overrides
                // Refused if the case changed hands meanwhile (another acceptance, a handover).
                change.expectedVersion = record.version
                change.owner = (actor.userID, actor.teamID)
                if actor.agencyID != record.agencyID { change.agencyID = actor.agencyID }
            }
            var moved = record
            if accept { moved.ownerID = actor.userID }
            return try await transferView(changed, content, record: moved)
        }
    }

    /// Withdraws the transfers of a case to another agency, still waiting for an answer, that
    /// the person's consent no longer lets go there (an agreement was just withdrawn): the
    /// other agency stops seeing the case proposed, and the sender sees why, as when the
    /// case is closed. Their acceptance would be refused anyway (``answerTransfer``). A
    /// transfer proposed under a supervisor's override stays: the override decided it.
    func withdrawTransfersConsentNoLongerAllows(caseID: CaseID, key: any CaseKey, actor: Actor, requestID: String) async throws {
        let waiting = try await store.activities(caseID: caseID).filter { $0.kind == .transfer && $0.status == "proposed" }
        guard !waiting.isEmpty, let record = try await store.caseRecord(id: caseID) else { return }
        let users = try await store.users()
        for proposal in waiting {
            var content = try content(TransferContent.self, of: proposal, key: key)
            guard content.consentOverride == nil, let agency = users.first(where: { proposal.participants.contains($0.id) })?.agencyID, agency != record.agencyID,
                  try await !consentLetsCaseGo(record, key: key, to: agency)
            else { continue }
            content.events.append(ActivityEvent(
                at: clock.now(), by: actor.userID.rawValue, status: "withdrawn",
                reason: "The person withdrew their consent to share information with \(try await agencyName(agency))."))
            var withdrawn = proposal
            withdrawn.status = "withdrawn"
            _ = try await updateActivity(
                withdrawn, content: content, key: key,
                audit: audit(actor.auditName, "transfer.decline", "case:\(caseID.rawValue)", requestID: requestID, detail: "transfer=\(proposal.id) consent"))
        }
    }
}
