import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault

extension Kernel {
    /// Asks the programme's consent policy whether `act` may be done on the case
    /// now: allowed, or everything still missing in the reader's language. The
    /// question is audited (its scope and answer; never the recipient's name).
    ///
    /// - Parameters:
    ///   - act: a consent scope of the programme (`services`, `referral`, `information_sharing`, ...).
    ///   - recipient: for a referral or sharing, the service or organisation it goes to.
    public func consentRequirements(caseID: String, act scopeCode: String?, recipient: String?, actor: Actor, requestID: String) async throws(AmanaError) -> ConsentCheck {
        guard let scopeCode else {
            throw .invalid(
                "act-required", "Say which act to check: \(ConsentScope.allCases.map(\.rawValue).joined(separator: ", ")).", pointer: "/act")
        }
        let recipient = recipient?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard recipient.map({ (1...200).contains($0.count) }) ?? true else {
            throw .invalid("recipient", "Name the service or organisation in 1 to 200 characters.", pointer: "/recipient")
        }
        return try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "consent.check", requestID: requestID)
            guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType) else {
                throw AmanaError(
                    .installProblem, code: "consent-policy-missing",
                    "The \(opened.record.caseType) programme has no consent policy loaded; an administrator can see why at /api/v1/definitions/problems.")
            }
            guard let scope = ConsentScope(rawValue: scopeCode), policy.scopes.contains(scope) else {
                throw AmanaError.invalid(
                    "act-unknown", "Ask about one of this programme's acts: \(policy.scopes.map(\.rawValue).joined(separator: ", ")).", pointer: "/act")
            }
            let act = ConsentAct(scope, recipient: recipient)
            let answer = ConsentEvaluator(policy: policy).answer(for: act, in: try await consentSituation(of: opened.record, key: opened.key, policy: policy))
            try await store.appendAudit(
                audit(actor.auditName, "consent.check", "case:\(caseID)", requestID: requestID, detail: "act=\(act.scope.rawValue) allowed=\(answer.allowed)"))
            return consentCheck(answer, policy: policy, actor: actor)
        }
    }

    /// The policy's answer for each of its acts, without a recipient, in one read of
    /// the case: what a case screen shows. Each question is audited as ``consentRequirements(caseID:act:recipient:actor:requestID:)``
    /// audits it. A programme without a consent policy answers nothing.
    public func consentOverview(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [ActConsent] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "consent.check", requestID: requestID)
            guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType) else { return [] }
            let situation = try await consentSituation(of: opened.record, key: opened.key, policy: policy)
            let evaluator = ConsentEvaluator(policy: policy)
            var overview: [ActConsent] = []
            for scope in policy.scopes {
                let answer = evaluator.answer(for: ConsentAct(scope), in: situation)
                try await store.appendAudit(
                    audit(actor.auditName, "consent.check", "case:\(caseID)", requestID: requestID, detail: "act=\(scope.rawValue) allowed=\(answer.allowed)"))
                overview.append(ActConsent(
                    act: scope.rawValue, label: label("consent-scope:\(scope.rawValue)", language: actor.language),
                    check: consentCheck(answer, policy: policy, actor: actor)))
            }
            return overview
        }
    }

    /// Asks the supervisor named by the policy to approve serving the child under the
    /// exception that holds (the caregiver is the alleged perpetrator, say). The approval
    /// stays good whatever the case's state, until the situation changes: an approval
    /// for another exception does not count. Decided like any approval (not by the asker).
    public func requestConsentApproval(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> ApprovalView {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "approval.request", requestID: requestID)
            try requireOpen(opened.record)
            guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType) else { throw AmanaError.notFound }
            let situation = try await consentSituation(of: opened.record, key: opened.key, policy: policy)
            guard let exception = ConsentEvaluator(policy: policy).applyingException(in: situation), let role = exception.requiresApproval else {
                throw AmanaError(.conflict, code: "consent-approval-not-needed", "The consent policy asks for no approval on this case as it stands.")
            }
            let subject = ApprovalRecord.consentException(exception.id)
            if let open = try await store.approvals(caseID: opened.record.id).first(where: { $0.transitionID == subject && ($0.status == .pending || $0.status == .approved) }) {
                throw AmanaError(
                    .conflict, code: open.status == .pending ? "approval-pending" : "approval-given",
                    open.status == .pending ? "Approval was already asked for and is waiting." : "This is already approved.")
            }
            let now = clock.now()
            let approval = ApprovalRecord(
                id: newID(), caseID: opened.record.id, transitionID: subject, state: opened.record.state, approverRole: role, requestedBy: actor.userID,
                requestedAt: now)
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: now)
            change.approvals = [approval]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "approval.request", "case:\(caseID)", requestID: requestID, detail: "approval=\(approval.id) consent-exception=\(exception.id)"))
            return approvalView(approval, opened.record, engine: try workflow(of: opened.record), names: [actor.userID: actor.username], key: opened.key, actor: actor)
        }
    }

    /// Withdraws scopes of one agreement (an entry of the consent form): from now on
    /// they count for nothing, for every act and every front end. The entry gets a new
    /// version with the scopes under "withdrawn since" and today's date (its history
    /// keeps who and when), audited as `consent.withdraw` in the same transaction. Only
    /// what the entry agreed to can be withdrawn; withdrawing needs no reason.
    public func withdrawConsent(
        caseID: String, entry: Int, scopes: [String], note: String?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> SubmissionView {
        guard !scopes.isEmpty else { throw .invalid("scopes-required", "Name the scopes to withdraw.", pointer: "/scopes") }
        return try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "consent.withdraw", requestID: requestID)
            // Also on a closed case: a survivor who says "do not contact me" after closure is heard at once.
            guard let submission = try await store.submissions(caseID: opened.record.id).first(where: { $0.formID == Kernel.consentForm && $0.entry == entry }) else {
                throw AmanaError.notFound
            }
            var values = try answers(of: submission, key: opened.key)
            let agreed = Kernel.codes(values["scopes"])
            for scope in scopes where !agreed.contains(scope) {
                throw AmanaError.invalid("scope-not-agreed", "This agreement does not include '\(scope)', so it cannot be withdrawn.", pointer: "/scopes")
            }
            let withdrawn = Kernel.codes(values["withdrawn_scopes"]).union(scopes)
            values["withdrawn_scopes"] = .array(withdrawn.sorted().map { .string($0) })
            values["withdrawal_date"] = .string(Day(clock.now()).description)
            if let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty { values["withdrawal_note"] = .string(note) }
            // Withdrawing only adds: it is made on the version just read, and a change made
            // meanwhile by someone else is refused (412) rather than overwritten.
            let saved = try await submit(
                opened, formID: Kernel.consentForm, entry: entry, values: values, expectVersion: submission.version, auditAction: "consent.withdraw",
                auditDetail: "scopes=\(scopes.sorted().joined(separator: ","))", evenIfClosed: true, actor: actor, requestID: requestID
            ).view
            try await withdrawTransfersConsentNoLongerAllows(caseID: opened.record.id, key: opened.key, actor: actor, requestID: requestID)
            try await stopReferralsConsentNoLongerAllows(caseID: opened.record.id, key: opened.key, actor: actor, requestID: requestID)
            return saved
        }
    }

    /// What an agreement may not say about this case's person: assent is a child's, so
    /// an adult (by the policy's age source) gives consent, and is not recorded as "the child".
    /// `forms` are the case's forms as the save read them: only the age source's entries are
    /// opened and checked (the whole case file is not read again), unless the save was given
    /// them already `checked`.
    func agreementProblems(
        _ values: [String: JSONValue], on opened: OpenedCase, forms: [SubmissionRecord], checked: [(SubmissionRecord, ValidationResult)]?, language: String
    ) throws -> [FieldProblem] {
        guard case .string(let by)? = values["given_by"], let giver = ConsentRecord.Giver(rawValue: by), giver.isThePerson,
              let policy = definitions.consentPolicy(forCaseType: opened.record.caseType)
        else { return [] }
        let today = Day(clock.now())
        let ageSource = try checked?.filter { $0.0.formID == policy.ageFrom.form }
            ?? checkedSubmissions(forms.filter { $0.formID == policy.ageFrom.form }, key: opened.key, today: today)
        guard let age = consentSituation(policy: policy, checked: ageSource, approvals: [], conferenceDecided: [], today: today).age, age >= 18 else { return [] }
        var problems: [FieldProblem] = []
        if values["agreement_kind"] == .string(ConsentRecord.Kind.assent.rawValue) {
            problems.append(FieldProblem(path: "/agreement_kind", code: "consent.assent-for-adult", message: definitions.messages.text("consent.assent-for-adult", language)))
        }
        if giver == .child {
            problems.append(FieldProblem(path: "/given_by", code: "consent.adult-as-child", message: definitions.messages.text("consent.adult-as-child", language)))
        }
        return problems
    }

    /// What a change to an existing entry of an agreement form may not do: what was agreed,
    /// by whom, with whom and when is kept as it was recorded (a new decision is a new entry,
    /// and the latest decides), and scopes taken back stay taken back. Otherwise an ordinary
    /// save could undo a withdrawal, or widen an agreement under its old date, audited as a
    /// form's save. A correction that only takes away stays open (scopes or answers to share
    /// ticked by mistake, a "yes" that was a "no"), and so do corrections around it (a witness's name).
    func agreementChangeProblems(formID: String, caseType: String, old: [String: JSONValue], new: [String: JSONValue], language: String) -> [FieldProblem] {
        var changed: [String] = []
        let mustStay = { (field: String) in if old[field] != new[field] { changed.append(field) } }
        let mayOnlyShrink = { (field: String) in if !Kernel.codes(new[field]).isSubset(of: Kernel.codes(old[field])) { changed.append(field) } }
        // A "yes" corrected to a "no" takes away; the other way round it gives.
        let mayOnlyTurnToNo = { (field: String) in if old[field] != new[field], new[field] != .bool(false) { changed.append(field) } }
        if formID == Kernel.consentForm {
            mayOnlyTurnToNo("agrees")
            ["given_by", "agreement_kind", "share_with", "consent_date"].forEach(mustStay)
            mayOnlyShrink("scopes")
        } else if let source = definitions.consentPolicy(forCaseType: caseType)?.agreementSources.first(where: { $0.form == formID }) {
            mayOnlyTurnToNo(source.agrees)
            ([source.givenBy] + [source.recipient].compactMap { $0 }).forEach(mustStay)
            if let shares = source.shares?.field { mayOnlyShrink(shares) }
        }
        let message = definitions.messages.text("consent.agreement-fixed", language)
        var problems = changed.map { FieldProblem(path: "/" + $0, code: "consent.agreement-fixed", message: message) }
        if formID == Kernel.consentForm, !Kernel.codes(old["withdrawn_scopes"]).isSubset(of: Kernel.codes(new["withdrawn_scopes"])) {
            problems.append(FieldProblem(path: "/withdrawn_scopes", code: "consent.withdrawal-kept", message: definitions.messages.text("consent.withdrawal-kept", language)))
        }
        return problems
    }

    /// The codes of a multi-select answer.
    static func codes(_ value: JSONValue?) -> Set<String> {
        guard case .array(let items)? = value else { return [] }
        return Set(items.compactMap { if case .string(let code) = $0 { code } else { nil } })
    }
}
