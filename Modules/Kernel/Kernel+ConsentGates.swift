import AmanaCore
import Consent
import Foundation
import Identity
import Store
import Vault

/// The consent gates of acts on a case (a referral, a transfer, a package, a contact after
/// closure): the programme's consent policy asked first, a refusal audited and named.
extension Kernel {
    /// Whether the person's consent lets the whole case go to `agency` now, by the programme's
    /// policy (none loaded: it does not), read from the case's forms as they are.
    func consentLetsCaseGo(_ record: CaseRecord, key: any CaseKey, to agency: AgencyID) async throws -> Bool {
        guard let policy = definitions.consentPolicy(forCaseType: record.caseType) else { return false }
        let situation = try await consentSituation(of: record, key: key, policy: policy)
        let act = ConsentAct(.informationSharing, recipient: try await agencyName(agency))
        return sharesWholeCase(ConsentEvaluator(policy: policy).answer(for: act, in: situation))
    }

    /// Whether the policy's `answer` (to sharing information with a recipient) lets the whole
    /// case go: allowed, and not by an agreement to share only some answers (a referral
    /// consent), unless overridden.
    func sharesWholeCase(_ answer: ConsentAnswer) -> Bool {
        answer.allowed && (answer.overriddenBy != nil || answer.shareable == nil)
    }

    /// Refuses (audited, with what is missing) unless the person agreed to share information
    /// with `recipient`, or a supervisor overrode it; returns the overrides the act uses up.
    /// The case need not be open to the actor: a receiver accepts a case they cannot read yet.
    func requireSharingConsent(
        _ record: CaseRecord, key: any CaseKey, with recipient: String, actor: Actor, action: String, requestID: String
    ) async throws -> [ApprovalRecord] {
        let act = ConsentAct(.informationSharing, recipient: recipient)
        let (answer, check) = try await requireConsent(record, key: key, for: act, actor: actor, action: action, requestID: requestID)
        // The whole case goes: an agreement to share only some answers (a referral consent) is not enough.
        if !sharesWholeCase(answer) {
            try await store.appendAudit(audit(actor.auditName, action, "case:\(record.id.rawValue)", .denied, requestID: requestID, detail: "consent"))
            throw AmanaError(
                .conflict, code: "consent-required",
                "The person agreed to share only some answers with \(recipient) (a referral consent). Moving the whole case there needs their consent to share information with it (core/consent).")
        }
        return try await usedOverrides([check], caseID: record.id)
    }

    /// Asks the programme's consent policy about an act on the case: refused (409
    /// `consent-required`, audited as denied, nothing done) when it does not allow
    /// it yet. Returns its answer, for acts that look closer (what may be shared).
    func requireConsent(
        _ record: CaseRecord, key: any CaseKey, for act: ConsentAct, actor: Actor, action: String, requestID: String
    ) async throws -> (answer: ConsentAnswer, check: ConsentCheck) {
        guard let policy = definitions.consentPolicy(forCaseType: record.caseType) else {
            throw AmanaError(
                .installProblem, code: "consent-policy-missing",
                "The \(record.caseType) programme has no consent policy loaded, so nothing that needs consent can be done.")
        }
        let situation = try await consentSituation(of: record, key: key, policy: policy)
        let answer = ConsentEvaluator(policy: policy).answer(for: act, in: situation)
        let check = consentCheck(answer, policy: policy, actor: actor)
        guard answer.allowed else { throw await consentRefusal(check.missing, actor: actor, action: action, caseID: record.id, requestID: requestID) }
        return (answer, check)
    }

    /// What an act's audit entry says of the overrides it used.
    static func overrideDetail(_ overrides: [ApprovalRecord]) -> String {
        overrides.isEmpty ? "" : " override=" + overrides.map(\.id).joined(separator: ",")
    }

    /// An act the consent policy does not allow yet: audited as denied, and refused (409
    /// `consent-required`) with every missing agreement in words, at `/consent/<i>`.
    func consentRefusal(_ missing: [ConsentCheck.Missing], actor: Actor, action: String, caseID: CaseID, requestID: String) async -> AmanaError {
        try? await store.appendAudit(audit(actor.auditName, action, "case:\(caseID.rawValue)", .denied, requestID: requestID, detail: "consent"))
        var error = AmanaError(.conflict, code: "consent-required", "This needs consent first; nothing was done. " + missing.map(\.message).joined(separator: " "))
        error.fieldProblems = missing.enumerated().map { FieldProblem(path: "/consent/\($0.offset)", code: $0.element.code, message: $0.element.message) }
        return error
    }
}
