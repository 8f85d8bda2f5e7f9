import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault
import Workflow

/// Referrals: from a case to a service of the directory. Consent is asked of
/// the programme's policy first; only the answers the case worker selects go,
/// shown to them before sending; the service's answer, a follow-up task when
/// it does not come (the workflow's timer, sooner when urgent), and the
/// person's satisfaction, which feeds the directory's score.
extension Kernel {
    /// What the referral would send and whether it may go now. Changes nothing.
    public func previewReferral(caseID: String, draft: ReferralDraft, actor: Actor, requestID: String) async throws(AmanaError) -> ReferralPreview {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "referral.preview", requestID: requestID)
            let (_, preview) = try await prepareReferral(opened, draft, actor: actor)
            try await store.appendAudit(
                audit(actor.auditName, "referral.preview", "case:\(caseID)", requestID: requestID, detail: "fields=\(preview.shared.count) sendable=\(preview.sendable)"))
            return preview
        }
    }

    /// Sends a referral. Refused, with nothing written, when the consent policy does
    /// not allow it (409 `consent-required`, each missing agreement named) or the service
    /// does not list the person's profile and the case worker did not confirm (409
    /// `service-profile-mismatch`).
    public func sendReferral(caseID: String, draft: ReferralDraft, actor: Actor, requestID: String) async throws(AmanaError) -> ReferralView {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "referral.send", requestID: requestID)
            try requireOpen(opened.record)
            let (service, preview) = try await prepareReferral(opened, draft, actor: actor)
            guard preview.consent.allowed, preview.sharingConsent?.allowed ?? true else {
                let missing = preview.consent.missing + (preview.sharingConsent?.missing ?? [])
                throw await consentRefusal(missing, actor: actor, action: "referral.send", caseID: opened.record.id, requestID: requestID)
            }
            guard preview.notAgreed.isEmpty else {
                try await store.appendAudit(audit(actor.auditName, "referral.send", "case:\(caseID)", .denied, requestID: requestID, detail: "consent"))
                var error = AmanaError(
                    .conflict, code: "consent-required",
                    "The person did not agree to share some of these answers with \(service.organisation); nothing was sent. Share only what their referral consent names, or ask them again.")
                error.fieldProblems = preview.notAgreed.map { path in
                    FieldProblem(
                        path: "/fields/\(draft.fields.firstIndex(of: path) ?? 0)", code: "consent.answer-not-agreed",
                        message: "Not agreed to be shared with \(service.organisation): \(path).")
                }
                throw error
            }
            if let warning = preview.profileWarning, !draft.confirmProfile {
                throw AmanaError(.conflict, code: "service-profile-mismatch", warning, pointer: "/confirm_profile")
            }
            let now = clock.now()
            let id = newID()
            let content = ReferralContent(
                serviceID: service.id, serviceType: service.serviceType, serviceName: service.name, organisation: service.organisation, isInternal: service.agencyCode != nil,
                reason: draft.reason.flatMap { $0.isEmpty ? nil : $0 }, shared: preview.shared, agreedBy: preview.consent.agreedBy,
                profileWarningConfirmed: preview.profileWarning != nil, events: [ActivityEvent(at: now, by: actor.userID.rawValue, status: "sent")],
                followUps: [], rated: false)
            let engine = try workflow(of: opened.record)
            let overrides = try await usedOverrides([preview.consent, preview.sharingConsent], caseID: opened.record.id)
            let record = try await addActivity(
                CaseActivityRecord(
                    id: id, caseID: opened.record.id, kind: .referral, status: "sent", createdAt: now, createdBy: actor.userID, updatedAt: now, urgent: draft.urgent,
                    sealedContent: []),
                content: content, key: opened.key,
                audit: audit(actor.auditName, "referral.send", "case:\(caseID)", requestID: requestID, detail: "referral=\(id) urgent=\(draft.urgent) fields=\(preview.shared.count)" + Kernel.overrideDetail(overrides))
            ) { change in
                change.approvals = overrides
                apply(engine.timerChanges(for: [.referralSent], at: now, riskLevel: opened.record.riskLevel, urgent: draft.urgent), to: &change, subject: id)
            }
            return try await referralView(record, content, actor: actor)
        }
    }

    /// The case's referrals, oldest first: also the list of what was already shared, and with whom.
    public func referrals(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [ReferralView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "referral.list", requestID: requestID)
            var views: [ReferralView] = []
            for record in try await store.activities(caseID: opened.record.id) where record.kind == .referral {
                let content = try await tracingTampering(actor, "referral.list", caseID: caseID, requestID: requestID) {
                    try self.content(ReferralContent.self, of: record, key: opened.key)
                }
                views.append(try await referralView(record, content, actor: actor))
            }
            try await store.appendAudit(audit(actor.auditName, "referral.list", "case:\(caseID)", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }

    /// Records the service's answer (accepted, declined with a reason), that it did not
    /// answer, or that the service was completed. An answer stops this referral's follow-up timer;
    /// `no_answer` starts it again.
    public func changeReferralStatus(
        caseID: String, referralID: String, change update: ReferralStatusChange, expectVersion: Int?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> ReferralView {
        guard let expectVersion else { throw Kernel.versionRequired }
        let reason = update.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (reason?.utf8.count ?? 0) <= 2000 else { throw .invalid("reason", "Give the reason in at most 2000 bytes.", pointer: "/reason") }
        guard Kernel.referralSteps.values.contains(where: { $0.contains(update.status) }) else {
            throw .invalid("status", "A referral's status becomes accepted, declined, completed or no_answer.", pointer: "/status")
        }
        if update.status == "declined", reason?.isEmpty ?? true {
            throw .invalid("reason-required", "Say why the service declined: the case worker plans the next step from it.", pointer: "/reason")
        }
        return try await run {
            let (opened, record, content) = try await referral(caseID, referralID, actor: actor, auditAction: "referral.status", requestID: requestID)
            try requireOpen(opened.record)
            guard let allowed = Kernel.referralSteps[record.status], allowed.contains(update.status) else {
                throw AmanaError(
                    .conflict, code: "referral-status",
                    "A referral that is \(record.status) cannot become \(update.status); it can become \((Kernel.referralSteps[record.status] ?? []).joined(separator: ", ")).",
                    pointer: "/status")
            }
            let now = clock.now()
            var updated = content
            updated.events.append(ActivityEvent(at: now, by: actor.userID.rawValue, status: update.status, reason: reason.flatMap { $0.isEmpty ? nil : $0 }))
            var changed = record
            changed.status = update.status
            let engine = try workflow(of: opened.record)
            changed = try await updateActivity(
                changed, content: updated, key: opened.key, expectVersion: expectVersion,
                audit: audit(actor.auditName, "referral.status", "case:\(caseID)", requestID: requestID, detail: "referral=\(record.id) status=\(update.status)")
            ) { change in
                // News from the service ends the wait for an answer. No answer when chased is no
                // news: the wait starts again, and the case worker is reminded to chase once more.
                let events: [WorkflowEvent] = update.status == "no_answer" ? [.referralAnswered, .referralSent] : [.referralAnswered]
                apply(engine.timerChanges(for: events, at: now, riskLevel: opened.record.riskLevel, urgent: record.urgent), to: &change, subject: record.id)
            }
            return try await referralView(changed, updated, actor: actor)
        }
    }

    /// Records a follow-up with the person: the outcome and, once per referral, how
    /// satisfied they are with the service, which is counted in the directory's score.
    public func recordReferralFollowUp(
        caseID: String, referralID: String, followUp: ReferralFollowUp, expectVersion: Int?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> ReferralView {
        guard let expectVersion else { throw Kernel.versionRequired }
        let outcome = followUp.outcome.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(outcome.utf8.count) else { throw .invalid("outcome", "Write the outcome in 1 to 4000 bytes.", pointer: "/outcome") }
        if let code = followUp.satisfaction, definitions.lookups[Kernel.satisfaction]?.option(code) == nil {
            throw .invalid("satisfaction", "'\(code)' is not an answer of \(Kernel.satisfaction).", pointer: "/satisfaction")
        }
        return try await run {
            let (opened, record, content) = try await referral(caseID, referralID, actor: actor, auditAction: "referral.follow-up", requestID: requestID)
            try requireOpen(opened.record)
            let score = followUp.satisfaction.flatMap { Kernel.satisfactionScores[$0] }
            if score != nil, content.rated {
                throw AmanaError(.conflict, code: "already-rated", "The person's satisfaction with this service was already recorded for this referral.", pointer: "/satisfaction")
            }
            let now = clock.now()
            var updated = content
            updated.followUps.append(
                ReferralFollowUpRecord(at: now, by: actor.userID.rawValue, outcome: outcome, serviceReceived: followUp.serviceReceived, satisfaction: followUp.satisfaction))
            updated.rated = content.rated || score != nil
            let changed = try await updateActivity(
                record, content: updated, key: opened.key, expectVersion: expectVersion,
                audit: audit(actor.auditName, "referral.follow-up", "case:\(caseID)", requestID: requestID, detail: "referral=\(record.id) rated=\(score != nil)")
            ) { change in
                if let score { change.serviceRatings = [content.serviceID: score] }
            }
            return try await referralView(changed, updated, actor: actor)
        }
    }

    // MARK: Preparing a referral

    /// The service and everything the case worker sees before sending.
    func prepareReferral(_ opened: OpenedCase, _ draft: ReferralDraft, actor: Actor) async throws -> (ServiceRecord, ReferralPreview) {
        guard (draft.reason?.utf8.count ?? 0) <= 4000 else { throw AmanaError.invalid("reason", "Give the reason in at most 4000 bytes.", pointer: "/reason") }
        guard draft.fields.count <= 100 else { throw AmanaError.invalid("fields", "Share at most 100 answers.", pointer: "/fields") }
        guard let service = try await store.services().first(where: { $0.id == draft.service }) else {
            throw AmanaError.invalid("service-unknown", "There is no service '\(draft.service)' in the directory.", pointer: "/service")
        }
        guard service.active else { throw AmanaError.invalid("service-inactive", "'\(service.name)' is no longer active in the directory.", pointer: "/service") }
        guard let policy = definitions.consentPolicy(forCaseType: opened.record.caseType) else {
            throw AmanaError(
                .installProblem, code: "consent-policy-missing",
                "The \(opened.record.caseType) programme has no consent policy loaded, so nothing can be referred; an administrator can see why at /api/v1/definitions/problems.")
        }
        guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
        let today = Day(clock.now())
        let checked = try checkedSubmissions(file.submissions, key: opened.key, today: today)
        let situation = consentSituation(
            policy: policy, checked: checked, approvals: file.approvals, conferenceDecided: conferenceDecisions(file.activities, key: opened.key).consentExceptions,
            today: today)
        let evaluator = ConsentEvaluator(policy: policy)
        // Agreements name the organisation a referral goes to (a per-referral consent form's "organisation").
        let recipient = service.organisation
        let consent = consentCheck(evaluator.answer(for: ConsentAct(.referral, recipient: recipient), in: situation), policy: policy, actor: actor)
        let shared = try sharedFields(draft.fields, from: file.submissions, key: opened.key, actor: actor)
        let sharingAnswer = shared.isEmpty ? nil : evaluator.answer(for: ConsentAct(.informationSharing, recipient: recipient), in: situation)
        let sharing = sharingAnswer.map { consentCheck($0, policy: policy, actor: actor) }
        var warning: String?
        if let profile = personProfile(checked, age: situation.age), service.profiles[profile.rawValue] == nil {
            warning = "\(service.name) (\(service.organisation)) does not list \(profile.rawValue) among the people it takes. Check with the service, then confirm to refer anyway."
        }
        // "Anything not ticked is not shared": with the organisation's own referral consent, what it names.
        var notAgreed: [String] = []
        if sharingAnswer?.overriddenBy == nil, let limit = sharingAnswer?.shareable {
            notAgreed = shared.map { "\($0.form)/\($0.field)" }.filter { !limit.contains($0) }
        }
        let entry = entry(service, language: actor.language)
        let sendable = consent.allowed && (sharing?.allowed ?? true) && notAgreed.isEmpty && (warning == nil || draft.confirmProfile)
        return (
            service,
            ReferralPreview(service: entry, consent: consent, sharingConsent: sharing, profileWarning: warning, shared: shared, notAgreed: notAgreed, sendable: sendable)
        )
    }

    /// The answers named `<form>/<field>`, from the latest entry of each form, in words;
    /// every path that cannot be shared is reported at once.
    /// Every answer of the case a referral could carry, in words, for the case
    /// worker to pick from: the latest entry of each form their role reads, its
    /// answered top-level fields (rows, notes and calculations stay out). Audited as a read.
    public func shareableAnswers(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [SharedField] {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "referral.answers", requestID: requestID)
            guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
            var paths: [String] = []
            var answersByForm: [String: [String: JSONValue]] = [:]
            for formID in formsUsed(byCaseType: opened.record.caseType, actor: actor).map(\.id) {
                guard let form = definitions.forms[formID], let latest = file.submissions.filter({ $0.formID == formID }).max(by: { $0.entry < $1.entry }) else { continue }
                let answers = try answers(of: latest, key: opened.key)
                answersByForm[formID] = answers
                paths += form.topLevelFields.filter { field in
                    field.type.takesInput && field.type != .repeat && answers[field.id].map { $0 != .null } ?? false
                }.map { "\(formID)/\($0.id)" }
            }
            let shared = try sharedFields(paths, from: file.submissions, key: opened.key, actor: actor, decrypted: answersByForm)
            try await store.appendAudit(audit(actor.auditName, "referral.answers", "case:\(caseID)", requestID: requestID, detail: "fields=\(shared.count)"))
            return shared
        }
    }

    /// `decrypted`: the latest answers of forms already opened (not opened twice).
    func sharedFields(
        _ paths: [String], from submissions: [SubmissionRecord], key: any CaseKey, actor: Actor, decrypted: [String: [String: JSONValue]] = [:]
    ) throws -> [SharedField] {
        var shared: [SharedField] = []
        var problems: [FieldProblem] = []
        var answersByForm = decrypted
        for (index, path) in paths.enumerated() {
            let pointer = "/fields/\(index)"
            guard let slash = path.lastIndex(of: "/") else {
                problems.append(FieldProblem(path: pointer, code: "invalid", message: "Name an answer as <form>/<field>, e.g. core/registration/given_name."))
                continue
            }
            let formID = String(path[..<slash]), fieldID = String(path[path.index(after: slash)...])
            guard let form = definitions.forms[formID], let field = form.topLevelFields.first(where: { $0.id == fieldID }), mayRead(formID, actor: actor) else {
                problems.append(FieldProblem(path: pointer, code: "unknown", message: "'\(path)' is not an answer you can share."))
                continue
            }
            if answersByForm[formID] == nil, let latest = submissions.filter({ $0.formID == formID }).max(by: { $0.entry < $1.entry }) {
                answersByForm[formID] = try answers(of: latest, key: key)
            }
            guard let value = answersByForm[formID]?[fieldID], value != .null else {
                problems.append(FieldProblem(path: pointer, code: "not-answered", message: "'\(path)' has no answer on this case."))
                continue
            }
            shared.append(SharedField(
                form: formID, formTitle: form.title.text(actor.language), field: fieldID, label: field.label?.text(actor.language) ?? fieldID, value: value,
                text: words(value, field: field, language: actor.language)))
        }
        guard problems.isEmpty else {
            var error = AmanaError.invalid("referral-fields", "\(problems.count) of the answers to share cannot be shared; nothing was sent.")
            error.fieldProblems = problems
            throw error
        }
        return shared
    }

    /// An answer in words: option labels instead of codes.
    func words(_ value: JSONValue, field: FieldDefinition, language: String) -> String {
        switch value {
        case .string(let code):
            return field.lookup.flatMap { definitions.lookups[$0]?.option(code)?.label.text(language) } ?? code
        case .array(let items):
            return items.map { words($0, field: field, language: language) }.joined(separator: ", ")
        case .bool(let yes):
            return yes ? "yes" : "no"
        case .number(let n):
            return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .null:
            return ""
        case .object:
            return String(decoding: value.encoded(), as: UTF8.self)
        }
    }

    /// The person's profile for the directory (girl, boy, woman, man), from the registration's sex and the policy's age; nil when not known.
    func personProfile(_ checked: [(SubmissionRecord, ValidationResult)], age: Int?) -> ServiceProfile? {
        guard let age, let registration = checked.last(where: { $0.0.formID == "core/registration" && $0.1.isValid })?.1.values,
              case .text(let sex)? = registration["sex"] else { return nil }
        switch sex {
        case "female": return age < 18 ? .girls : .women
        case "male": return age < 18 ? .boys : .men
        default: return nil
        }
    }

    /// One referral of a case the actor may update, with its content.
    func referral(_ caseID: String, _ referralID: String, actor: Actor, auditAction: String, requestID: String) async throws -> (OpenedCase, CaseActivityRecord, ReferralContent) {
        let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: auditAction, requestID: requestID)
        guard let record = try await store.activities(caseID: opened.record.id).first(where: { $0.id == referralID && $0.kind == .referral }) else {
            throw await refuse(.user(actor), auditAction, "case:\(caseID)", requestID: requestID, as: .notFound)
        }
        let content = try await tracingTampering(actor, auditAction, caseID: caseID, requestID: requestID) { try self.content(ReferralContent.self, of: record, key: opened.key) }
        return (opened, record, content)
    }

    func referralView(_ record: CaseActivityRecord, _ content: ReferralContent, actor: Actor) async throws -> ReferralView {
        var people: Set<UserID> = [record.createdBy]
        for event in content.events { people.insert(UserID(event.by)) }
        for followUp in content.followUps { people.insert(UserID(followUp.by)) }
        let names = try await usernames(people)
        return ReferralView(
            id: record.id, caseId: record.caseID.rawValue, status: record.status, version: record.version, urgent: record.urgent, service: content.serviceID,
            serviceName: content.serviceName, organisation: content.organisation, serviceType: content.serviceType, isInternal: content.isInternal, reason: content.reason,
            shared: content.shared.filter { mayRead($0.form, actor: actor) }, agreedBy: content.agreedBy, profileWarningConfirmed: content.profileWarningConfirmed,
            sentAt: record.createdAt, sentBy: names[record.createdBy] ?? "",
            history: content.events.map { ReferralView.Event(at: $0.at, by: names[UserID($0.by)] ?? "", status: $0.status, reason: $0.reason) },
            followUps: content.followUps.map {
                ReferralView.FollowUp(at: $0.at, by: names[UserID($0.by)] ?? "", outcome: $0.outcome, serviceReceived: $0.serviceReceived, satisfaction: $0.satisfaction)
            })
    }

    /// Where a referral's status can go from where it is.
    static let referralSteps: [String: Set<String>] = [
        "sent": ["accepted", "declined", "no_answer"], "no_answer": ["accepted", "declined"], "accepted": ["completed", "declined"],
    ]

    static let satisfaction = "core/satisfaction"
    /// A satisfaction answer as a score out of 5; "did not want to answer" counts for nothing.
    static let satisfactionScores = ["very_satisfied": 5, "satisfied": 4, "neutral": 3, "dissatisfied": 2, "very_dissatisfied": 1]
}
