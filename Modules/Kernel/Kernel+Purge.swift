import AmanaCore
import Foundation
import Identity
import Store

/// Why a case is to be purged: its retention period is over, or the person asked
/// for their data to be erased. Codes only: no free text about the person.
public enum PurgeReason: String, Sendable, Codable, CaseIterable {
    case retention
    case erasureRequest = "erasure_request"
}

/// A closed case whose programme's retention period is over.
public struct PurgeDue: Sendable, Equatable, Codable {
    public var caseId: String
    public var caseNumber: String
    public var programme: String
    public var closedAt: Date
    /// When it became due (closure + the programme's retention).
    public var dueSince: Date
}

/// Retention and erasure: a case is purged only when a supervisor approves it,
/// by crypto-shredding (its data key destroyed), its content deleted and zeroed,
/// the WAL emptied. The audit log keeps who asked, who approved, when, and why (a code).
extension Kernel {
    /// What a purge approval is recorded under, in place of a transition id.
    static func purgeSubject(_ reason: PurgeReason) -> String { "purge:" + reason.rawValue }

    static func purgeReason(of approval: ApprovalRecord) -> PurgeReason? {
        approval.transitionID.hasPrefix("purge:") ? PurgeReason(rawValue: String(approval.transitionID.dropFirst("purge:".count))) : nil
    }

    /// The closed cases within the actor's reach whose programme's retention
    /// (`retention:` in config.yaml) is over, oldest first.
    public func purgesDue(actor: Actor, requestID: String) async throws(AmanaError) -> [PurgeDue] {
        guard let reach = reach(of: actor) else { throw await refuse(.user(actor), "case.purge.due", "case", requestID: requestID) }
        return try await run {
            let programmes = caseTypes(visibleTo: actor.role).filter { config.retentionYears[$0] != nil }
            guard !programmes.isEmpty else { return [] }
            let due = try await allCases(CaseQuery(reach: reach, caseTypes: programmes, limit: 1000)).compactMap { record -> PurgeDue? in
                guard let closed = record.closedAt, let since = retentionOver(record) else { return nil }
                return PurgeDue(caseId: record.id.rawValue, caseNumber: record.caseNumber, programme: record.caseType, closedAt: closed, dueSince: since)
            }
            try await store.appendAudit(audit(actor.auditName, "case.purge.due", "case", requestID: requestID, detail: "count=\(due.count)"))
            return due.sorted { $0.dueSince < $1.dueSince }
        }
    }

    /// When the case's retention period ended (closure + its programme's `retention`),
    /// if it is closed, has a rule, and that day has come.
    func retentionOver(_ record: CaseRecord) -> Date? {
        guard let closed = record.closedAt, let years = config.retentionYears[record.caseType],
              let since = Calendar(identifier: .gregorian).date(byAdding: .year, value: years, to: closed), since <= clock.now()
        else { return nil }
        return since
    }

    /// Asks for a case to be purged. Whoever works on the case may ask (the person
    /// asked for their data to be erased; the retention period is over); a supervisor
    /// who may purge decides, and their approval purges it at once.
    public func requestPurge(caseID: String, reason: PurgeReason, actor: Actor, requestID: String) async throws(AmanaError) -> ApprovalView {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "case.purge.request", requestID: requestID)
            let record = opened.record
            if reason == .retention {
                guard retentionOver(record) != nil else {
                    throw AmanaError(
                        .conflict, code: "retention-not-over",
                        "This case is not due for purging: its programme's retention period (config.yaml, retention) has not passed since it was closed.")
                }
            }
            guard let approver = roles.roleIDs.first(where: { roles.role($0)?.scope(for: "case", "purge") != nil }) else {
                throw AmanaError(.installProblem, code: "no-purge-role", "No role may purge cases on this install (roles.yaml: case purge).")
            }
            if try await store.approvals(caseID: record.id).contains(where: { Kernel.purgeReason(of: $0) != nil && $0.status == .pending }) {
                throw AmanaError(.conflict, code: "approval-pending", "A purge of this case was already asked for and is waiting.")
            }
            let now = clock.now()
            let approval = ApprovalRecord(
                id: newID(), caseID: record.id, transitionID: Kernel.purgeSubject(reason), state: record.state, approverRole: approver, requestedBy: actor.userID,
                requestedAt: now)
            var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
            change.approvals = [approval]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "case.purge.request", "case:\(caseID)", requestID: requestID, detail: "approval=\(approval.id) reason=\(reason.rawValue)"))
            return approvalView(approval, record, engine: try workflow(of: record), names: [actor.userID: actor.username], key: opened.key, actor: actor)
        }
    }

    /// Purges an opened case under an approved purge approval: the key shredded,
    /// the content deleted and zeroed, the WAL emptied; audited with the approval and its reason.
    func purge(_ opened: OpenedCase, approval: ApprovalRecord, actor: Actor, requestID: String) async throws {
        guard actor.may("purge", "case", on: opened.holding) else {
            throw await refuse(.user(actor), "case.purge", "case:\(opened.record.id.rawValue)", requestID: requestID)
        }
        let reason = Kernel.purgeReason(of: approval)?.rawValue ?? "-"
        let erased = try await store.purgeCase(
            id: opened.record.id,
            audit: audit(
                actor.auditName, "case.purge", "case:\(opened.record.id.rawValue)", requestID: requestID,
                detail: "approval=\(approval.id) reason=\(reason) requested_by=\(approval.requestedBy.rawValue)"))
        if !erased {
            // Done and zeroed, but the WAL may hold old pages until `amana db vacuum` empties it.
            try await store.appendAudit(audit("system", "db.vacuum", "database", .failed, requestID: requestID, detail: "after=case.purge"))
        }
    }

    /// The words for a purge approval, in the reader's language.
    func purgeLabel(_ approval: ApprovalRecord, language: String) -> String? {
        switch Kernel.purgeReason(of: approval) {
        case .retention?: language == "ar" ? "حذف الحالة نهائياً (انتهت مدة الاحتفاظ)" : "Purge the case (its retention period is over)"
        case .erasureRequest?: language == "ar" ? "حذف الحالة نهائياً (طلب الشخص محو بياناته)" : "Purge the case (the person asked for their data to be erased)"
        case nil: nil
        }
    }
}
