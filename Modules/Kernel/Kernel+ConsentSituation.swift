import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault

/// How a case's forms and approvals become what the consent evaluator needs.
extension Kernel {
    /// A case's submissions, each decrypted and re-validated against today's definition (once, for every use).
    /// `steadiness`: also find until when each outcome holds (for a report digest).
    func checkedSubmissions(
        _ submissions: [SubmissionRecord], key: any CaseKey, today: Day, steadiness: Bool = false
    ) throws -> [(SubmissionRecord, ValidationResult)] {
        try submissions.compactMap { submission in
            guard let validator = definitions.validator(for: submission.formID) else { return nil }
            return (submission, validator.validate(try answers(of: submission, key: key), today: today, steadiness: steadiness))
        }
    }

    /// The scopes the case's agreements allow now, without a named recipient: what a
    /// workflow's `consent:` guard asks. A programme without a consent policy counts
    /// any valid consent entry that agrees to a scope.
    func consentScopesAgreed(
        caseType: String, checked: [(SubmissionRecord, ValidationResult)], approvals: [ApprovalRecord], conferenceDecided: Set<String>, today: Day
    ) -> Set<ConsentScope> {
        guard let policy = definitions.consentPolicy(forCaseType: caseType) else {
            return Set(consentRecords(checked).flatMap { $0.scopes.subtracting($0.withdrawn) })
        }
        let evaluator = ConsentEvaluator(policy: policy)
        let situation = consentSituation(policy: policy, checked: checked, approvals: approvals, conferenceDecided: conferenceDecided, today: today)
        // A workflow step needs the agreements themselves: an override lets one act through a gate, not a step.
        return Set(policy.scopes.filter { evaluator.answer(for: ConsentAct($0), in: situation).missing.isEmpty })
    }

    /// ``consentSituation(policy:checked:approvals:conferenceDecided:today:)`` read from the store in one snapshot.
    func consentSituation(of record: CaseRecord, key: any CaseKey, policy: ConsentPolicyDefinition) async throws -> ConsentSituation {
        let today = Day(clock.now())
        guard let file = try await store.caseFile(id: record.id) else { throw AmanaError.notFound }
        let checked = try checkedSubmissions(file.submissions, key: key, today: today)
        return consentSituation(
            policy: policy, checked: checked, approvals: file.approvals,
            conferenceDecided: conferenceDecisions(file.activities, key: key).consentExceptions, today: today)
    }

    /// What the evaluator needs of a case: the person's age and the exception that
    /// holds (from the latest valid entry of the forms the policy names) and the
    /// agreements recorded in valid consent forms, who approved the exception and
    /// whether a held case conference decided on it (`conferenceDecided`: the
    /// exceptions held conferences decided on). Forms with problems count for nothing.
    func consentSituation(
        policy: ConsentPolicyDefinition, checked: [(SubmissionRecord, ValidationResult)], approvals: [ApprovalRecord], conferenceDecided: Set<String>, today: Day
    ) -> ConsentSituation {
        var latest: [String: [String: Value]] = [:]
        var savedOn: [String: Day] = [:]
        for (submission, result) in checked where result.isValid {
            latest[submission.formID] = result.values
            savedOn[submission.formID] = Day(submission.at)
        }
        let records = consentRecords(checked) + agreements(checked, from: policy.agreementSources)
        let source = policy.ageFrom
        var dateOfBirth: Day?
        if case .date(let day)? = latest[source.form]?[source.dateOfBirth] { dateOfBirth = day }
        var estimate: Int?
        if let field = source.estimatedAge, case .number(let years)? = latest[source.form]?[field] {
            // An estimate was true when it was recorded: the person has aged since.
            estimate = Int(years) + (savedOn[source.form].map { $0.years(until: today) } ?? 0)
        }
        let exception = ConsentSituation.exception(of: policy, answers: latest, today: today)
        let approvedBy = exception.map { exception in
            Set(approvals.filter { $0.status == .approved && $0.consentException == exception.id }.map(\.approverRole))
        } ?? []
        var situation = ConsentSituation(
            age: ConsentSituation.age(dateOfBirth: dateOfBirth, estimatedAge: estimate, today: today), exception: exception, records: records,
            caseConferenceHeld: exception.map { conferenceDecided.contains($0.id) } ?? false, approvedBy: approvedBy, dateOfBirth: dateOfBirth, today: today)
        // Overrides decided and not yet used by an act.
        for approval in approvals where approval.status == .approved {
            guard let (id, act) = approval.consentOverride, let scope = ConsentScope(rawValue: act) else { continue }
            situation.overrides[scope] = ConsentOverride(id: id, approval: approval.id)
        }
        return situation
    }

    /// The form every programme records agreements on.
    static let consentForm = "core/consent"

    /// The agreements in the case's valid consent entries.
    func consentRecords(_ checked: [(SubmissionRecord, ValidationResult)]) -> [ConsentRecord] {
        checked.compactMap { submission, result in
            guard submission.formID == Kernel.consentForm, result.isValid else { return nil }
            return consentRecord(result.values, entry: submission.entry, at: submission.at)
        }
    }

    /// The agreements in valid entries of the policy's other agreement forms (a consent to one
    /// referral): each entry that says the person agrees, for the recipient it names.
    func agreements(_ checked: [(SubmissionRecord, ValidationResult)], from sources: [ConsentPolicyDefinition.AgreementSource]) -> [ConsentRecord] {
        sources.flatMap { source in
            checked.compactMap { submission, result -> ConsentRecord? in
                guard submission.formID == source.form, result.isValid, result.values[source.agrees] == .boolean(true),
                      case .text(let by)? = result.values[source.givenBy], let giver = ConsentRecord.Giver(rawValue: by),
                      let kind = ConsentRecord.Kind(rawValue: source.kind.rawValue)
                else { return nil }
                var recipient: String?
                if let field = source.recipient {
                    // An agreement for a named recipient whose name is missing agrees to no one.
                    guard case .text(let name)? = result.values[field] else { return nil }
                    recipient = name.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                var record = ConsentRecord(
                    id: "\(source.form)#\(submission.entry)", giver: giver, kind: kind, scopes: Set(source.scopes), recipient: recipient, givenOn: Day(submission.at))
                if let shares = source.shares {
                    // "Anything not ticked is not shared": the options ticked, as answers.
                    guard case .list(let ticked)? = result.values[shares.field] else { return record.limited(to: []) }
                    let codes = ticked.compactMap { option -> String? in if case .text(let code) = option { code } else { nil } }
                    record.answers = Set(codes.flatMap { shares.answers[$0] ?? [] })
                }
                return record
            }
        }
    }

    /// The answers the person agreed to share by `act`, when every agreement covering it
    /// limits them (a referral consent that names what may be shared); nil: no limit.
    func sharingLimit(_ situation: ConsentSituation, act: ConsentAct) -> Set<String>? {
        let covering = situation.records.filter { $0.covers(act) }
        guard !covering.isEmpty, covering.allSatisfy({ $0.answers != nil }) else { return nil }
        return covering.reduce(into: Set<String>()) { $0.formUnion($1.answers ?? []) }
    }

    /// The consent form's answers ``consentRecord(_:entry:at:)`` reads (all a report digest keeps of it).
    static let consentRecordFields: Set<String> = [
        "agrees", "given_by", "agreement_kind", "method", "consent_date", "share_with", "scopes", "withdrawn_scopes",
    ]

    /// An entry of the consent form as a record: only an agreement (`agrees`), by a giver and of a kind the module knows.
    func consentRecord(_ values: [String: Value], entry: Int, at: Date) -> ConsentRecord? {
        guard values["agrees"] == .boolean(true), case .text(let by)? = values["given_by"], let giver = ConsentRecord.Giver(rawValue: by),
              case .text(let kindCode)? = values["agreement_kind"], let kind = ConsentRecord.Kind(rawValue: kindCode)
        else { return nil }
        var method = ConsentRecord.Method.signed
        if case .text(let code)? = values["method"], let recorded = ConsentRecord.Method(rawValue: code) { method = recorded }
        var given = Day(at)
        if case .date(let day)? = values["consent_date"] { given = day }
        var recipient: String?
        if case .text(let name)? = values["share_with"], !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { recipient = name }
        return ConsentRecord(
            id: "\(Kernel.consentForm)#\(entry)", giver: giver, kind: kind, scopes: Kernel.scopes(values["scopes"]), recipient: recipient, method: method,
            givenOn: given, withdrawn: Kernel.scopes(values["withdrawn_scopes"]))
    }

    /// The consent scopes of a multi-select answer (codes the module does not know are left out).
    static func scopes(_ value: Value?) -> Set<ConsentScope> {
        guard case .list(let items)? = value else { return [] }
        return Set(items.compactMap { if case .text(let code) = $0 { ConsentScope(rawValue: code) } else { nil } })
    }

    func consentCheck(_ answer: ConsentAnswer, policy: ConsentPolicyDefinition, language: String) -> ConsentCheck {
        let exceptionLabel = { (id: String) in policy.exception(id)?.label.text(language) ?? id }
        let name = { (id: String) -> String in
            if id.hasPrefix("consent-exception:") { return exceptionLabel(String(id.dropFirst("consent-exception:".count))) }
            return self.label(id, language: language)
        }
        return ConsentCheck(
            act: answer.act.scope.rawValue, recipient: answer.act.recipient, allowed: answer.allowed, ageBand: answer.band,
            exception: answer.exception.map(exceptionLabel),
            missing: answer.missing.map { ConsentCheck.Missing(code: $0.code, message: $0.message(language, messages: definitions.messages, name: name)) },
            agreedBy: answer.agreedBy, overriddenBy: answer.overriddenBy.map { policy.override($0.id)?.label.text(language) ?? $0.id },
            overrideApproval: answer.overriddenBy?.approval)
    }
}
