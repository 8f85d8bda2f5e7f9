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
        let decisions = agreements(checked, from: policy.agreementSources)
        let records = consentRecords(checked) + decisions.records
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
        situation.refusals = decisions.refusals
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

    /// The decisions in valid entries of the policy's other agreement forms (a consent to one
    /// referral): for each recipient, each giver's latest entry about it, an agreement when
    /// it says the person agrees (limited to what it names), a refusal when it says no.
    func agreements(
        _ checked: [(SubmissionRecord, ValidationResult)], from sources: [ConsentPolicyDefinition.AgreementSource]
    ) -> (records: [ConsentRecord], refusals: [ConsentRefusal]) {
        var records: [ConsentRecord] = [], refusals: [ConsentRefusal] = []
        for source in sources {
            var latest: [String: (at: Date, entry: Int, decision: RecipientDecision)] = [:]
            for (submission, result) in checked where submission.formID == source.form && result.isValid {
                guard case .boolean(let agrees)? = result.values[source.agrees], case .text(let by)? = result.values[source.givenBy],
                      let giver = ConsentRecord.Giver(rawValue: by), let kind = ConsentRecord.Kind(rawValue: source.kind.rawValue)
                else { continue }
                var recipient: String?
                if let field = source.recipient {
                    // A decision about a named recipient whose name is missing decides nothing.
                    guard case .text(let name)? = result.values[field] else { continue }
                    recipient = name.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let id = "\(source.form)#\(submission.entry)", day = Day(submission.at)
                let decision: RecipientDecision
                if agrees {
                    var record = ConsentRecord(id: id, giver: giver, kind: kind, scopes: Set(source.scopes), recipient: recipient, givenOn: day)
                    if let shares = source.shares {
                        // "Anything not ticked is not shared": the options ticked, as answers.
                        var codes: [String] = []
                        if case .list(let ticked)? = result.values[shares.field] {
                            codes = ticked.compactMap { option -> String? in if case .text(let code) = option { code } else { nil } }
                        }
                        record.answers = Set(codes.flatMap { shares.answers[$0] ?? [] })
                    }
                    decision = .agreement(record)
                } else {
                    decision = .refusal(ConsentRefusal(id: id, giver: giver, scopes: Set(source.scopes), recipient: recipient, givenOn: day))
                }
                // The person changes their mind in a new entry: the latest about a recipient decides.
                let about = "\(giver.party.rawValue)|" + (recipient?.lowercased() ?? "")
                if let earlier = latest[about], (earlier.at, earlier.entry) > (submission.at, submission.entry) { continue }
                latest[about] = (submission.at, submission.entry, decision)
            }
            for found in latest.values.sorted(by: { ($0.at, $0.entry) < ($1.at, $1.entry) }) {
                switch found.decision {
                case .agreement(let record): records.append(record)
                case .refusal(let refusal): refusals.append(refusal)
                }
            }
        }
        return (records, refusals)
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

    /// An exception's label for `actor`: withheld from a role that may not read the form it
    /// is read from (an invited specialist is not told that a caregiver is the alleged
    /// perpetrator, which the GBV incident keeps from them), though what it changes is shown.
    func exceptionLabel(_ id: String, of policy: ConsentPolicyDefinition, for actor: Actor) -> String {
        guard let exception = policy.exception(id) else { return id }
        guard mayRead(exception.form, actor: actor) else { return definitions.messages.text("consent.exception-withheld", actor.language) }
        return exception.label.text(actor.language)
    }

    /// The evaluator's answer in the actor's words.
    func consentCheck(_ answer: ConsentAnswer, policy: ConsentPolicyDefinition, actor: Actor) -> ConsentCheck {
        let language = actor.language
        let exceptionLabel = { (id: String) in self.exceptionLabel(id, of: policy, for: actor) }
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

/// One entry's decision about a recipient, on a form a consent policy reads agreements from.
private enum RecipientDecision {
    case agreement(ConsentRecord)
    case refusal(ConsentRefusal)
}
