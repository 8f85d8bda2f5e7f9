import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault

extension Kernel {
    /// A random id for tasks, timers and approvals.
    func newID() -> String { vault.randomBytes(16).hex }

    /// Decrypts one submission's answers.
    func answers(of submission: SubmissionRecord, key: any CaseKey) throws -> [String: JSONValue] {
        let purpose = Kernel.submissionPurpose(submission.formID, entry: submission.entry, version: submission.version)
        guard case .object(let answers) = try unseal(submission.ciphertext, key: key, caseID: submission.caseID, as: purpose) else { return [:] }
        return answers
    }

    /// Fills in or changes a form on a case. Validated by the same code for
    /// every front end: every problem comes back at once with its field path,
    /// and nothing is stored. A form the case holds once is changed in place
    /// (name the version you read); a `multiple` form gets a new entry unless
    /// `entry` names one. With an idempotency key, a retry returns the first
    /// result instead of saving twice.
    public func submitForm(
        caseID: String, formID: String, entry: Int? = nil, values: [String: JSONValue], expectVersion: Int?, idempotencyKey: String? = nil,
        actor: Actor, requestID: String
    ) async throws(AmanaError) -> SubmissionView {
        try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "form.submit", requestID: requestID)
            return try await submit(
                opened, formID: formID, entry: entry, values: values, expectVersion: expectVersion, idempotencyKey: idempotencyKey, actor: actor,
                requestID: requestID
            ).view
        }
    }

    /// A form just saved: what its saver is shown, and the entry as it was checked (with
    /// `steadiness` when asked), for a report digest made without reading it back; nil when
    /// an idempotency key found the save already made.
    struct SavedEntry {
        var view: SubmissionView
        var checked: (SubmissionRecord, ValidationResult)?
    }

    /// ``submitForm(caseID:formID:entry:values:expectVersion:idempotencyKey:actor:requestID:)`` on a case
    /// already opened for "update"; `auditAction` and `auditDetail` name what the save is (a consent withdrawal, say).
    /// A closed case takes no change, except one that only restricts (`evenIfClosed`). `steadiness`: the
    /// check also finds until when its outcome holds (``ValidationResult/steadyUntil``). `knownForms`: the
    /// case's entries as checked, when the caller has them (an import, which opened the case and saved
    /// each one), so that they are not read and checked again; an entry saved meanwhile by someone else
    /// is refused by the store's version check all the same.
    func submit(
        _ opened: OpenedCase, formID: String, entry: Int?, values: [String: JSONValue], expectVersion: Int?, idempotencyKey: String? = nil,
        auditAction: String = "form.submit", auditDetail: String? = nil, evenIfClosed: Bool = false, steadiness: Bool = false,
        knownForms: [(SubmissionRecord, ValidationResult)]? = nil, actor: Actor, requestID: String
    ) async throws -> SavedEntry {
        let step = try await prepareSave(
            opened, formID: formID, entry: entry, values: values, expectVersion: expectVersion, idempotencyKey: idempotencyKey, auditAction: auditAction,
            auditDetail: auditDetail, evenIfClosed: evenIfClosed, steadiness: steadiness, knownForms: knownForms, actor: actor, requestID: requestID)
        switch step {
        case .madeBefore(let view):
            return SavedEntry(view: view, checked: nil)
        case .ready(let save):
            let (updated, written) = try await applyCaseChange(save.change, audit: save.audit)
            var (saved, result) = save.checked
            saved.version = written?.version ?? saved.version
            let view = SubmissionView(
                caseId: opened.record.id.rawValue, formId: formID, entry: saved.entry, version: saved.version, formVersion: saved.formVersion,
                overlays: saved.overlays, values: result.accepted, at: saved.at, by: actor.username, caseVersion: updated.version)
            return SavedEntry(view: view, checked: (saved, result))
        }
    }

    /// A save checked and ready to write: the change and its audit entry, and the entry as checked.
    struct PreparedSave {
        var change: CaseChange
        var audit: AuditDraft
        var checked: (SubmissionRecord, ValidationResult)
    }

    /// What a save comes to before anything is written.
    enum SaveStep {
        /// Checked, to be written.
        case ready(PreparedSave)
        /// Made already: a retry with the save's Idempotency-Key, answered as the first time.
        case madeBefore(SubmissionView)
    }

    /// Every check of ``submit(_:formID:entry:values:expectVersion:idempotencyKey:auditAction:auditDetail:evenIfClosed:steadiness:knownForms:actor:requestID:)``
    /// and the change it would write, written by the caller: by `submit` at once, or by an import
    /// with the rest of a new case. `pendingTimers`: the case's pending timers, when the caller
    /// has them (a case not written yet, whose timers the store does not hold).
    func prepareSave(
        _ opened: OpenedCase, formID: String, entry: Int?, values: [String: JSONValue], expectVersion: Int?, idempotencyKey: String? = nil,
        auditAction: String = "form.submit", auditDetail: String? = nil, evenIfClosed: Bool = false, steadiness: Bool = false,
        knownForms: [(SubmissionRecord, ValidationResult)]? = nil, pendingTimers: [TimerRecord]? = nil, actor: Actor, requestID: String
    ) async throws -> SaveStep {
        let caseID = opened.record.id.rawValue
        let record = opened.record
        guard let form = definitions.forms[formID], let validator = definitions.validator(for: formID) else {
            throw AmanaError(.notFound, code: "form-unknown", "No form '\(formID)' is served by this install.", pointer: "/form_id")
        }
        guard let plugin = definitions.plugin(forCaseType: record.caseType), form.plugin == plugin.id || plugin.uses.contains(formID) else {
            throw AmanaError.invalid("form-not-used", "\(record.caseType) cases do not use the form '\(formID)'.", pointer: "/form_id")
        }
        guard mayRead(formID, actor: actor) else {
            throw await refuse(.user(actor), "form.submit", "case:\(caseID)", requestID: requestID, as: .forbidden("Your role does not work on this form."))
        }
        guard form.filledBy.isEmpty || form.filledBy.contains(actor.role.id) else {
            throw await refuse(
                .user(actor), "form.submit", "case:\(caseID)", requestID: requestID,
                as: .forbidden("Your role reads this form but does not fill it in (a supervisor does)."))
        }
        // Contacting the person after closure (service feedback) is an act of its own: their consent to it, or nothing.
        var contactOverrides: [ApprovalRecord] = []
        if form.afterClosure, record.closedAt != nil {
            let (_, check) = try await requireConsent(opened.record, key: opened.key, for: ConsentAct(.contactAfterClosure), actor: actor, action: auditAction, requestID: requestID)
            contactOverrides = try await usedOverrides([check], caseID: record.id)
        } else if !evenIfClosed {
            try requireOpen(record)
        }
        // What a retry with the same key must send again (only a save with a key needs it).
        var requestDigest: [UInt8] = []
        if let idempotencyKey {
            guard (1...200).contains(idempotencyKey.utf8.count) else {
                throw AmanaError.invalid("idempotency-key", "An Idempotency-Key has 1 to 200 characters.", pointer: "/idempotency_key")
            }
            requestDigest = vault.tokenDigest(Array("\(caseID)|\(formID)|\(entry ?? 0)|".utf8) + Array(JSONValue.object(values).encoded()))
            if let seen = try await store.idempotency(actorID: actor.userID, key: idempotencyKey) {
                guard seen.requestDigest == requestDigest else {
                    throw AmanaError(.conflict, code: "idempotency-key-reused", "This Idempotency-Key was already used for a different request.")
                }
                return .madeBefore(
                    try await view(caseID: record.id, formID: formID, entry: seen.entry, key: opened.key, caseVersion: record.version, requestID: requestID))
            }
        }
        let forms = if let knownForms { knownForms.map(\.0) } else { try await store.submissions(caseID: record.id) }
        let current = forms.filter { $0.formID == formID }
        let target: Int
        if form.multiple {
            target = entry ?? ((current.map(\.entry).max() ?? 0) + 1)
        } else {
            guard entry == nil || entry == 1 else { throw AmanaError.notFound }
            target = 1
        }
        let previous = current.first { $0.entry == target }
        if previous != nil, expectVersion == nil {
            throw AmanaError(
                .preconditionFailed, code: "version-required",
                "This form is already filled in on the case (version \(previous!.version)). Read it, then send your change with the version you read (HTTP If-Match, CLI --expect-version).")
        }
        if previous == nil, entry != nil, form.multiple { throw AmanaError.notFound }
        let result = validator.validate(values, today: Day(clock.now()), language: actor.language, steadiness: steadiness)
        guard result.isValid else {
            var error = AmanaError.invalid(
                "submission-invalid", "The form has \(result.problems.count) problem(s) to fix; nothing was saved.", pointer: result.problems.first?.path)
            error.fieldProblems = result.problems
            throw error
        }
        // The case's files are read, and answers checked against them, only for a form that takes one.
        var caseProblems: [FieldProblem] = []
        if form.allFields.contains(where: { $0.type == .attachment }) {
            let files = try await store.attachments(caseID: record.id)
            caseProblems = attachmentProblems(form.topLevelFields, result.accepted, path: "", files: files, language: actor.language)
        }
        if formID == Kernel.consentForm {
            caseProblems += try agreementProblems(result.accepted, on: opened, forms: forms, checked: knownForms, language: actor.language)
        }
        let old = try previous.map { try answers(of: $0, key: opened.key) } ?? [:]
        if previous != nil {
            caseProblems += agreementChangeProblems(formID: formID, caseType: record.caseType, old: old, new: result.accepted, language: actor.language)
        }
        guard caseProblems.isEmpty else {
            var error = AmanaError.invalid(
                "submission-invalid", "The form has \(caseProblems.count) problem(s) to fix; nothing was saved.", pointer: caseProblems.first?.path)
            error.fieldProblems = caseProblems
            throw error
        }
        let changed = Set(old.keys).union(result.accepted.keys).filter { old[$0] != result.accepted[$0] }.sorted().map { "/" + $0 }
        let version = previous == nil ? 1 : (expectVersion ?? 0) + 1
        let now = clock.now()
        let sealed = try seal(.object(result.accepted), key: opened.key, caseID: record.id, as: Kernel.submissionPurpose(formID, entry: target, version: version))
        let saved = SubmissionRecord(
            caseID: record.id, formID: formID, entry: target, version: version, formVersion: form.version, overlays: form.overlays,
            ciphertext: sealed, at: now, actorID: actor.userID, changed: changed)
        var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
        change.submission = SubmissionWrite(
            record: saved,
            expectedVersion: previous == nil ? nil : expectVersion,
            searchKeys: searchKeys(form.topLevelFields, result.accepted),
            idempotency: idempotencyKey.map {
                IdempotencyRecord(actorID: actor.userID, key: $0, requestDigest: requestDigest, caseID: record.id, formID: formID, entry: target, version: version, at: now)
            })
        let rowTasks = try await rowTaskChanges(form: form, entry: target, values: result.values, opened: opened, at: now)
        change.approvals = contactOverrides
        change.tasksAdded = rowTasks.added
        change.tasksCancelled = rowTasks.cancelled
        // The person's age as just saved says when consent is to be renewed: the earlier reminders give way.
        if let policy = definitions.consentPolicy(forCaseType: record.caseType), policy.ageFrom.form == formID, record.closedAt == nil {
            change.timersCancelled.append(TimerStop(timerID: Kernel.consentRenewalTimer))
            change.timersStarted += consentRenewalTimers(policy: policy, values: result.values, givenOn: Day(now), caseID: record.id, now: now)
        }
        // Assessments set the case's risk level, which orders "my work" and the case list; so does a
        // follow-up that finds the risk changed, and the risk recorded at closure.
        if let field = Kernel.caseRiskField(of: form), case .string(let risk)? = result.accepted[field], WorkflowDefinition.riskLevels.contains(risk) {
            change.riskLevel = risk
            try await retimeTimers(of: record, for: risk, pending: pendingTimers, into: &change)
        }
        let detail = "form=\(formID) entry=\(target) version=\(version)" + (auditDetail.map { " " + $0 } ?? "")
        return .ready(PreparedSave(
            change: change, audit: audit(actor.auditName, auditAction, "case:\(caseID)", requestID: requestID, detail: detail), checked: (saved, result)))
    }

    /// An `attachment` answer names a file attached to this case, of a kind
    /// and size the field accepts (`accept`, `max_bytes`); repeats included.
    func attachmentProblems(_ fields: [FieldDefinition], _ answers: [String: JSONValue], path: String, files: [AttachmentRecord], language: String) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func problem(_ at: String, _ code: String, _ parameters: [String: String] = [:]) {
            problems.append(FieldProblem(path: at, code: code, message: definitions.messages.text(code, language, parameters)))
        }
        for field in fields {
            let at = "\(path)/\(field.id)"
            switch answers[field.id] {
            case .string(let id)? where field.type == .attachment:
                guard let file = files.first(where: { $0.id == id }) else { problem(at, "attachment-unknown"); continue }
                if !field.accept.isEmpty, !field.accept.contains(file.contentType) {
                    problem(at, "attachment-not-accepted", ["accept": field.accept.joined(separator: ", ")])
                }
                if let limit = field.maxBytes, file.byteCount > limit { problem(at, "attachment-too-large", ["limit": "\(limit)"]) }
            case .array(let rows)? where field.type == .repeat:
                for (index, row) in rows.enumerated() {
                    if case .object(let values) = row {
                        problems += attachmentProblems(field.fields, values, path: "\(at)/\(index)", files: files, language: language)
                    }
                }
            default:
                break
            }
        }
        return problems
    }

    /// Blind indexes of the identifying text answers, repeats included (a caregiver's name).
    func searchKeys(_ fields: [FieldDefinition], _ answers: [String: JSONValue]) -> [SearchKeyRecord] {
        var keys: [SearchKeyRecord] = []
        for field in fields {
            switch answers[field.id] {
            case .string(let text)? where field.sensitivity == .identifying:
                keys.append(SearchKeyRecord(fieldID: field.id, blindIndex: vault.blindIndex(text, field: field.id)))
            case .array(let rows)? where field.type == .repeat:
                for case .object(let row) in rows { keys += searchKeys(field.fields, row) }
            default:
                break
            }
        }
        return keys
    }

    /// A form's answers on a case. A form the reader's role may not see
    /// (`readable_by`) answers "not found", audited, like a case out of reach.
    public func readSubmission(caseID: String, formID: String, entry: Int = 1, actor: Actor, requestID: String) async throws(AmanaError) -> SubmissionView {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "form.read", requestID: requestID)
            guard mayRead(formID, actor: actor) else {
                throw await refuse(.user(actor), "form.read", "case:\(caseID)", requestID: requestID, as: .notFound)
            }
            return try await tracingTampering(actor, "form.read", caseID: caseID, requestID: requestID) {
                try await view(caseID: opened.record.id, formID: formID, entry: entry, key: opened.key, caseVersion: opened.record.version, requestID: requestID, actor: actor)
            }
        }
    }

    func view(caseID: CaseID, formID: String, entry: Int, key: any CaseKey, caseVersion: Int, requestID: String, actor: Actor? = nil) async throws -> SubmissionView {
        guard let submission = try await store.submissions(caseID: caseID).first(where: { $0.formID == formID && $0.entry == entry }) else {
            throw AmanaError.notFound
        }
        let answers = try answers(of: submission, key: key)
        if let actor {
            try await store.appendAudit(audit(actor.auditName, "form.read", "case:\(caseID.rawValue)", requestID: requestID, detail: "form=\(formID) entry=\(entry)"))
        }
        let names = try await usernames([submission.actorID])
        return SubmissionView(
            caseId: caseID.rawValue, formId: formID, entry: entry, version: submission.version, formVersion: submission.formVersion,
            overlays: submission.overlays, values: answers, at: submission.at, by: names[submission.actorID] ?? "", caseVersion: caseVersion)
    }

    /// Every version of a submission: who, when, which fields changed; the
    /// answers themselves only for readers of the form.
    public func submissionHistory(caseID: String, formID: String, entry: Int = 1, actor: Actor, requestID: String) async throws(AmanaError) -> [SubmissionVersionView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "form.history", requestID: requestID)
            let versions = try await store.submissionHistory(caseID: opened.record.id, formID: formID, entry: entry)
            guard !versions.isEmpty else { throw AmanaError.notFound }
            let readable = mayRead(formID, actor: actor)
            let names = try await usernames(versions.map(\.actorID))
            try await store.appendAudit(audit(actor.auditName, "form.history", "case:\(caseID)", requestID: requestID, detail: "form=\(formID) entry=\(entry) values=\(readable)"))
            return try versions.map { v in
                SubmissionVersionView(
                    version: v.version, formVersion: v.formVersion, at: v.at, by: names[v.actorID] ?? "", changed: v.changed,
                    values: readable ? try answers(of: v, key: opened.key) : nil)
            }
        }
    }
}

extension Kernel {
    /// The lookup of the case's risk levels.
    static let riskLevelsLookup = "core/risk-levels"

    /// The answer of `form` that sets the case's risk level: its top-level choice on the risk
    /// levels lookup (an assessment's `risk_level`, a follow-up's `current_risk_level`, the
    /// risk at closure), or a top-level field named `risk_level`.
    static func caseRiskField(of form: FormDefinition) -> String? {
        form.topLevelFields.first { $0.lookup == riskLevelsLookup && $0.type == .select }?.id
            ?? form.topLevelFields.first { $0.id == "risk_level" }?.id
    }
}
