import AmanaCore
import Consent
import FormKit
import Foundation
import Identity
import Store
import Vault
import VaultSodium
import Workflow

/// Transfers between installs (another organisation, across a border): an
/// encrypted, signed package exported as a file and imported by the receiving
/// install, which verifies it and returns a signed receipt. Sharing the case
/// needs the person's consent to share information with the receiver.
extension Kernel {
    /// This install's public key, to give to an install that will send it packages.
    public var installPublicKey: InstallPublicKey { identity.publicKey }

    /// Makes a package of the case for the install whose public key is `recipientKey`:
    /// the forms named (default: every form the sender may read), as last answered,
    /// sealed to the receiver and signed. Refused without consent to share with `recipientName`.
    public func exportTransferPackage(
        caseID: String, recipientKey: String, recipientName: String, forms wanted: [String]? = nil, reason: String?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> TransferExport {
        try await run {
            // Who may first (a case out of reach is not there, whatever was sent), then what was sent.
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "transfer.export", requestID: requestID)
            // The whole case leaves the install: its owner or a supervisor decides, as for a handover.
            guard opened.record.ownerID == actor.userID || actor.may("assign", "case", on: opened.holding) else {
                throw await refuse(.user(actor), "transfer.export", "case:\(caseID)", requestID: requestID, as: .forbidden("Only the case owner or a supervisor sends a case to another install."))
            }
            guard let recipient = InstallPublicKey(text: recipientKey) else {
                throw AmanaError.invalid("recipient-key", "This is not an install's public key (it starts with amana-install-v1:; `amana keys show-public` prints it).", pointer: "/recipient_key")
            }
            guard recipient != identity.publicKey else { throw AmanaError.invalid("recipient-key", "This is this install's own key.", pointer: "/recipient_key") }
            let name = recipientName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...200).contains(name.count) else { throw AmanaError.invalid("recipient-name", "Name the receiving organisation in 1 to 200 characters.", pointer: "/recipient_name") }
            guard (reason?.utf8.count ?? 0) <= 4000 else { throw AmanaError.invalid("reason", "Give the reason in at most 4000 bytes.", pointer: "/reason") }
            try requireOpen(opened.record)
            let overrides = try await requireSharingConsent(opened.record, key: opened.key, with: name, actor: actor, action: "transfer.export", requestID: requestID)
            guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
            let readable = file.submissions.filter { mayRead($0.formID, actor: actor) }
            for form in wanted ?? [] where !readable.contains(where: { $0.formID == form }) {
                throw AmanaError.invalid("form", "The case holds no form '\(form)' you can share.", pointer: "/forms")
            }
            let chosen = readable.filter { wanted?.contains($0.formID) ?? true }.sorted { ($0.formID, $0.entry) < ($1.formID, $1.entry) }
            let packageID = newID()
            let now = clock.now()
            let organisation = try await agencyName(opened.record.agencyID)
            let payload = TransferPayload(
                packageID: packageID, sender: identity.publicKey.text, recipient: recipient.text, caseType: opened.record.caseType, senderOrganisation: organisation, reason: reason,
                forms: try chosen.map { TransferPayload.Form(form: $0.formID, entry: $0.entry, formVersion: $0.formVersion, values: try answers(of: $0, key: opened.key)) })
            let sealed = try InstallIdentity.seal(Array(try JSONEncoder().encode(payload)), to: recipient)
            var envelope = TransferEnvelope(
                format: TransferEnvelope.format, packageID: packageID, sender: identity.publicKey.text, recipient: recipient.text,
                createdAt: ISO8601DateFormatter().string(from: now), sealed: Base64URL.encode(sealed), signature: "")
            envelope.signature = Base64URL.encode(identity.sign(envelope.signedBytes))
            let package = envelope.encoded()
            let id = newID()
            let content = TransferContent(
                mode: "package", reason: reason, recipientKey: recipient.text, recipientFingerprint: recipient.fingerprint, recipientName: name, packageID: packageID,
                packageDigest: envelope.digest, forms: chosen.map { "\($0.formID)#\($0.entry)" }, skipped: [],
                events: [ActivityEvent(at: now, by: actor.userID.rawValue, status: "exported")])
            let record = try await addActivity(
                CaseActivityRecord(
                    id: id, caseID: opened.record.id, kind: .transfer, status: "exported", createdAt: now, createdBy: actor.userID, updatedAt: now, sealedContent: []),
                content: content, key: opened.key,
                audit: audit(
                    actor.auditName, "transfer.export", "case:\(caseID)", requestID: requestID,
                    detail: "transfer=\(id) package=\(packageID) to=\(recipient.fingerprint) forms=\(chosen.count)" + Kernel.overrideDetail(overrides))
            ) { $0.approvals = overrides }
            return TransferExport(transfer: try await transferView(record, content, record: opened.record), package: package)
        }
    }

    /// Imports a package sent to this install by the install whose key or fingerprint is
    /// `expectedSender` (checked with the sender out of band). The package must be
    /// addressed to this install, signed by that sender, unchanged, and never imported
    /// before; otherwise nothing is imported and the refusal is audited. A new case, held
    /// by the importer, gets every form this install has; a signed receipt comes back.
    public func importTransferPackage(_ bytes: [UInt8], expectedSender: String, actor: Actor, requestID: String) async throws(AmanaError) -> TransferImport {
        guard actor.may("create", "case") else { throw await refuse(.user(actor), "transfer.import", "transfer", requestID: requestID) }
        var known = ""  // what the refusal's audit entry can say of the package: its id, its sender
        let refuse = { (code: String, message: String) async -> AmanaError in
            try? await self.store.appendAudit(self.audit(actor.auditName, "transfer.import", "transfer", .denied, requestID: requestID, detail: code + known))
            return AmanaError(code == "package-replayed" ? .conflict : .invalidInput, code: code, message)
        }
        guard bytes.count <= config.maxBodyBytes * 4, let envelope = try? JSONDecoder().decode(TransferEnvelope.self, from: Data(bytes)),
              envelope.format == TransferEnvelope.format else {
            throw await refuse("package-unreadable", "This is not an Amana transfer package (or not one of a version this install reads).")
        }
        known = " package=\(envelope.packageID.prefix(64))" + (InstallPublicKey(text: envelope.sender).map { " from=\($0.fingerprint)" } ?? "")
        guard envelope.recipient == identity.publicKey.text else {
            throw await refuse("package-not-for-this-install", "This package is addressed to another install; it cannot be opened here and nothing was imported.")
        }
        let expected = expectedSender.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let sender = InstallPublicKey(text: envelope.sender), expected == sender.fingerprint || expected == sender.text else {
            throw await refuse("package-sender-unexpected", "This package was not made by the install you named; check its fingerprint with the sender. Nothing was imported.")
        }
        guard let signature = Base64URL.decode(envelope.signature), InstallIdentity.verify(signature, of: envelope.signedBytes, by: sender),
              let sealed = Base64URL.decode(envelope.sealed), let plain = identity.open(sealed),
              let payload = try? JSONDecoder().decode(TransferPayload.self, from: Data(plain)), payload.packageID == envelope.packageID,
              payload.sender == envelope.sender, payload.recipient == envelope.recipient
        else {
            throw await refuse("package-tampered", "This package was changed after it was signed; nothing was imported. Ask the sender for a new one.")
        }
        return try await run {
            // One package id per sender: another install cannot use up a package id it saw in transit.
            let importKey = "\(sender.fingerprint)|\(envelope.packageID)"
            guard try await !store.packageImported(id: importKey) else {
                throw await refuse("package-replayed", "This package was already imported; nothing was imported again.")
            }
            guard caseTypes.contains(payload.caseType), caseType(payload.caseType, isVisibleTo: actor.role),
                  let engine = definitions.workflow(forCaseType: payload.caseType).map(WorkflowEngine.init) else {
                throw await refuse("package-case-type", "This install has no \(payload.caseType) programme you work on, so the case cannot be received here.")
            }
            let caseID = CaseID.next()
            let now = clock.now()
            let (wrapped, key) = try vault.newCaseKey(for: caseID)
            var record = CaseRecord(
                id: caseID, caseType: payload.caseType, ownerID: actor.userID, teamID: actor.teamID, agencyID: actor.agencyID, wrappedKey: wrapped.bytes,
                keyVersion: wrapped.keyVersion, createdAt: now, updatedAt: now, state: engine.definition.initial)
            var opening = CaseChange(caseID: caseID, expectedVersion: nil, at: now)
            opening.state = engine.definition.initial
            let note = "Received from \(payload.senderOrganisation) (install \(sender.fingerprint)), package \(envelope.packageID)." + (payload.reason.map { " " + $0 } ?? "")
            opening.stateChange = StateChangeRecord(
                at: now, actorID: actor.userID, transitionID: nil, fromState: nil, toState: engine.definition.initial,
                sealedReason: try sealText(note, key: key, caseID: caseID, as: Kernel.reasonPurpose))
            apply(engine.timerChanges(for: WorkflowEngine.events(from: nil, to: engine.definition.initial), at: now, riskLevel: nil), to: &opening)
            var imported: [String] = [], skipped: [String] = [], incomplete: [String] = []
            var entries: [String: Int] = [:]
            let plugin = definitions.plugin(forCaseType: payload.caseType)
            for sent in payload.forms {
                guard let form = definitions.forms[sent.form], form.plugin == plugin?.id || plugin?.uses.contains(sent.form) == true else {
                    skipped.append("\(sent.form)#\(sent.entry)")
                    continue
                }
                // Files do not travel in a package: an answer naming one would name nothing here.
                let values = Kernel.withoutFiles(sent.values, fields: form.topLevelFields, path: sent.form, skipped: &skipped)
                let entry = form.multiple ? (entries[sent.form] ?? 0) + 1 : 1
                guard form.multiple || entries[sent.form] == nil else { skipped.append("\(sent.form)#\(sent.entry)"); continue }
                entries[sent.form] = entry
                let sealedAnswers = try seal(.object(values), key: key, caseID: caseID, as: Kernel.submissionPurpose(sent.form, entry: entry, version: 1))
                opening.importedSubmissions.append(SubmissionWrite(
                    // This install's form version: its history is what this install can show (the answers are checked against it on every read).
                    record: SubmissionRecord(
                        caseID: caseID, formID: sent.form, entry: entry, version: 1, formVersion: form.version, overlays: form.overlays, ciphertext: sealedAnswers, at: now,
                        actorID: actor.userID, changed: values.keys.sorted().map { "/" + $0 }),
                    expectedVersion: nil, searchKeys: searchKeys(form.topLevelFields, values)))
                imported.append("\(sent.form)#\(entry)")
                // Kept as sent, whatever this install's definitions ask more (an overlay's required
                // question): the receiver is told which forms to complete, as the case view shows them.
                if let validator = definitions.validator(for: sent.form), !validator.validate(values, today: Day(now)).isValid {
                    incomplete.append("\(sent.form)#\(entry)")
                }
                if let field = Kernel.caseRiskField(of: form), case .string(let risk)? = values[field], WorkflowDefinition.riskLevels.contains(risk) {
                    opening.riskLevel = risk
                    record.riskLevel = risk
                }
            }
            let transferID = newID()
            let content = TransferContent(
                mode: "imported", reason: payload.reason, packageID: envelope.packageID, packageDigest: envelope.digest, forms: imported, skipped: skipped,
                senderFingerprint: sender.fingerprint, senderOrganisation: payload.senderOrganisation,
                events: [ActivityEvent(at: now, by: actor.userID.rawValue, status: "imported")])
            opening.activities = [ActivityWrite(
                record: CaseActivityRecord(
                    id: transferID, caseID: caseID, kind: .transfer, status: "imported", createdAt: now, createdBy: actor.userID, updatedAt: now,
                    sealedContent: try sealDocument(content, key: key, caseID: caseID, as: Kernel.activityPurpose(transferID))),
                expectedVersion: nil)]
            opening.packageImport = PackageImportRecord(packageID: importKey, sender: sender.fingerprint, at: now)
            let prefix = try await caseNumberPrefix(actor.agencyID)
            let year = Day(now).components.year  // UTC, as every stored day
            let numbered = try await store.insertCase(
                record, opening: opening, numberPrefix: prefix, year: year,
                audit: audit(
                    actor.auditName, "transfer.import", "case", requestID: requestID,
                    detail: "package=\(envelope.packageID) from=\(sender.fingerprint) forms=\(imported.count) skipped=\(skipped.count) incomplete=\(incomplete.count)"),
                then: [], keeping: nil)
            var receipt = TransferReceipt(
                format: TransferReceipt.format, packageID: envelope.packageID, packageDigest: envelope.digest, receiver: identity.publicKey.text,
                receivedAt: ISO8601DateFormatter().string(from: now), signature: "")
            receipt.signature = Base64URL.encode(identity.sign(receipt.signedBytes))
            return TransferImport(
                caseId: numbered.id.rawValue, caseNumber: numbered.caseNumber, packageId: envelope.packageID, forms: imported, skipped: skipped,
                incomplete: incomplete, receipt: String(decoding: receipt.encoded(), as: UTF8.self))
        }
    }

    /// Records the receiving install's receipt for a package sent from this case: it must
    /// be signed by the install the package was sealed to and name the package exactly.
    /// The case owner gets a task to close the case (the closure follows the workflow,
    /// with its approval), since the case is now held by the receiver.
    public func recordTransferReceipt(caseID: String, receipt bytes: [UInt8], actor: Actor, requestID: String) async throws(AmanaError) -> TransferView {
        try await run {
            // The case first: out of reach, it is not there, whatever was sent.
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "transfer.receipt", requestID: requestID)
            guard let receipt = try? JSONDecoder().decode(TransferReceipt.self, from: Data(bytes)), receipt.format == TransferReceipt.format else {
                throw AmanaError.invalid("receipt-unreadable", "This is not an Amana transfer receipt.")
            }
            var found: (CaseActivityRecord, TransferContent)?
            for activity in try await store.activities(caseID: opened.record.id) where activity.kind == .transfer {
                let content = try self.content(TransferContent.self, of: activity, key: opened.key)
                if content.packageID == receipt.packageID, content.mode == "package" { found = (activity, content) }
            }
            guard let (activity, content) = found else { throw AmanaError.invalid("receipt-unknown", "No package sent from this case has this receipt's id.") }
            guard let receiver = InstallPublicKey(text: receipt.receiver), receiver.text == content.recipientKey, receipt.packageDigest == content.packageDigest,
                  let signature = Base64URL.decode(receipt.signature), InstallIdentity.verify(signature, of: receipt.signedBytes, by: receiver)
            else {
                try await store.appendAudit(audit(actor.auditName, "transfer.receipt", "case:\(caseID)", .denied, requestID: requestID, detail: "receipt-invalid"))
                throw AmanaError.invalid("receipt-invalid", "This receipt is not signed by the install the package was sent to, or names another package; nothing was recorded.")
            }
            guard activity.status == "exported" else { throw AmanaError(.conflict, code: "receipt-recorded", "This package's receipt was already recorded.") }
            let now = clock.now()
            var updated = content
            updated.events.append(ActivityEvent(at: now, by: actor.userID.rawValue, status: "received", reason: "Received on \(receipt.receivedAt)"))
            var changed = activity
            changed.status = "received"
            let taskID = newID()
            let title = "\(content.recipientName ?? "The receiver") has the case: close it as transferred (closure form, reason transferred)."
            let task = TaskRecord(
                id: taskID, caseID: opened.record.id, assigneeID: opened.record.ownerID, timerID: nil,
                sealedTitle: try sealText(title, key: opened.key, caseID: opened.record.id, as: "task:\(taskID)"), dueAt: now.addingTimeInterval(86_400), createdAt: now,
                subject: activity.id)
            changed = try await updateActivity(
                changed, content: updated, key: opened.key,
                audit: audit(actor.auditName, "transfer.receipt", "case:\(caseID)", requestID: requestID, detail: "transfer=\(activity.id) package=\(receipt.packageID)")
            ) { change in
                // A case already closed needs no reminder to close it.
                if opened.record.closedAt == nil { change.tasksAdded = [task] }
            }
            return try await transferView(changed, updated, record: opened.record)
        }
    }

    /// The case's transfers, oldest first.
    public func transfers(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [TransferView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "transfer.list", requestID: requestID)
            var views: [TransferView] = []
            for activity in try await store.activities(caseID: opened.record.id) where activity.kind == .transfer {
                let content = try await tracingTampering(actor, "transfer.list", caseID: caseID, requestID: requestID) {
                    try self.content(TransferContent.self, of: activity, key: opened.key)
                }
                views.append(try await transferView(activity, content, record: opened.record))
            }
            try await store.appendAudit(audit(actor.auditName, "transfer.list", "case:\(caseID)", requestID: requestID, detail: "count=\(views.count)"))
            return views
        }
    }

    /// `values` without the answers that name files (in repeats too), each listed in `skipped`.
    static func withoutFiles(_ values: [String: JSONValue], fields: [FieldDefinition], path: String, skipped: inout [String]) -> [String: JSONValue] {
        var kept = values
        for field in fields {
            switch (field.type, values[field.id]) {
            case (.attachment, _?):
                kept[field.id] = nil
                skipped.append("\(path)/\(field.id)")
            case (.repeat, .array(let rows)?):
                kept[field.id] = .array(rows.enumerated().map { index, row in
                    guard case .object(let answers) = row else { return row }
                    return .object(withoutFiles(answers, fields: field.fields, path: "\(path)/\(field.id)/\(index)", skipped: &skipped))
                })
            default:
                break
            }
        }
        return kept
    }

    func transferView(_ activity: CaseActivityRecord, _ content: TransferContent, record: CaseRecord) async throws -> TransferView {
        var people: Set<UserID> = [activity.createdBy]
        for event in content.events { people.insert(UserID(event.by)) }
        if let to = content.toUser { people.insert(UserID(to)) }
        let names = try await usernames(people)
        return TransferView(
            id: activity.id, caseId: record.id.rawValue, caseNumber: record.caseNumber, mode: content.mode, status: activity.status, version: activity.version,
            reason: content.reason, recipientName: content.recipientName, recipientFingerprint: content.recipientFingerprint, packageId: content.packageID,
            forms: content.forms, skipped: content.skipped, to: content.toUser.map { names[UserID($0)] ?? "" }, toTeam: content.toTeam, senderFingerprint: content.senderFingerprint,
            senderOrganisation: content.senderOrganisation, createdAt: activity.createdAt, createdBy: names[activity.createdBy] ?? "",
            history: content.events.map { TransferView.Event(at: $0.at, by: names[UserID($0.by)] ?? "", status: $0.status, reason: $0.reason) })
    }
}
