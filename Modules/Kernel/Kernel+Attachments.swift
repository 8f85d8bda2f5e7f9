import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault

extension Kernel {
    /// Keeps a file on a case: checked for size and kind (sniffed from the
    /// bytes), its name and content sealed under the case key, in one
    /// transaction with its audit entry. The case's version goes up.
    public func addAttachment(
        caseID: String, name: String?, declaredType: String?, content: [UInt8], actor: Actor, requestID: String
    ) async throws(AmanaError) -> AttachmentView {
        guard content.count <= config.maxAttachmentBytes else { throw attachmentTooLargeError }
        let contentType = try AttachmentType.check(content, declared: declaredType)
        let fileName = try Kernel.attachmentName(name)
        return try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "attachment.add", requestID: requestID)
            try requireOpen(opened.record)
            let id = newID()
            let now = clock.now()
            let record = AttachmentRecord(
                id: id, caseID: opened.record.id,
                sealedName: try sealText(fileName, key: opened.key, caseID: opened.record.id, as: Kernel.attachmentNamePurpose(id)),
                contentType: contentType, byteCount: content.count,
                sealedContent: try vault.seal(content, with: opened.key, field: FieldContext(caseID: opened.record.id, fieldID: Kernel.attachmentPurpose(id))),
                at: now, actorID: actor.userID)
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: now)
            change.attachmentsAdded = [record]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "attachment.add", "case:\(caseID)", requestID: requestID, detail: "attachment=\(id) type=\(contentType) bytes=\(content.count)"))
            return AttachmentView(id: id, caseId: caseID, name: fileName, contentType: contentType, bytes: content.count, at: now, by: actor.username)
        }
    }

    /// A case's attachments (names, kinds, sizes), oldest first.
    public func attachments(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [AttachmentView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "case.read", requestID: requestID)
            let withheld = try await attachmentsWithheld(on: opened, from: actor, latest: try await store.submissions(caseID: opened.record.id))
            let records = try await store.attachments(caseID: opened.record.id).filter { !withheld.contains($0.id) }
            let names = try await usernames(records.map(\.actorID))
            try await store.appendAudit(audit(actor.auditName, "case.read", "case:\(caseID)", requestID: requestID, detail: "attachments"))
            return records.map { attachmentView($0, opened, names: names) }
        }
    }

    /// An attachment's content, for someone who may read the case; audited.
    /// Content that does not open under the case key (altered or moved) is
    /// refused and leaves its own audit entry.
    public func readAttachment(caseID: String, attachmentID: String, actor: Actor, requestID: String) async throws(AmanaError) -> (AttachmentView, [UInt8]) {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "attachment.read", requestID: requestID)
            guard let record = try await store.attachment(caseID: opened.record.id, id: attachmentID) else { throw AmanaError.notFound }
            if try await attachmentsWithheld(on: opened, from: actor, latest: try await store.submissions(caseID: opened.record.id)).contains(record.id) {
                throw await refuse(.user(actor), "attachment.read", "case:\(caseID)", requestID: requestID, as: .notFound)
            }
            return try await tracingTampering(actor, "attachment.read", caseID: caseID, requestID: requestID) {
                let content = try vault.open(record.sealedContent, with: opened.key, field: FieldContext(caseID: opened.record.id, fieldID: Kernel.attachmentPurpose(record.id)))
                let names = try await usernames([record.actorID])
                try await store.appendAudit(audit(actor.auditName, "attachment.read", "case:\(caseID)", requestID: requestID, detail: "attachment=\(record.id)"))
                return (attachmentView(record, opened, names: names), content)
            }
        }
    }

    /// The files on a case that the actor may not see: those given as answers, in any
    /// version, of forms their role may not read. A photo in a GBV incident form is as
    /// private as the incident; a reader who may not see the form gets "not found".
    /// `latest`: the case's submissions (their latest versions), as the caller read them.
    func attachmentsWithheld(on opened: OpenedCase, from actor: Actor, latest: [SubmissionRecord]) async throws -> Set<String> {
        var withheld: Set<String> = []
        for submission in latest where !mayRead(submission.formID, actor: actor) {
            guard let form = definitions.forms[submission.formID], form.allFields.contains(where: { $0.type == .attachment }) else { continue }
            for version in try await store.submissionHistory(caseID: opened.record.id, formID: submission.formID, entry: submission.entry) {
                withheld.formUnion(attachmentIDs(form.topLevelFields, try answers(of: version, key: opened.key)))
            }
        }
        return withheld
    }

    /// The attachment ids given as answers, repeats included.
    func attachmentIDs(_ fields: [FieldDefinition], _ answers: [String: JSONValue]) -> Set<String> {
        var ids: Set<String> = []
        for field in fields {
            switch answers[field.id] {
            case .string(let id)? where field.type == .attachment:
                ids.insert(id)
            case .array(let rows)? where field.type == .repeat:
                for case .object(let values) in rows { ids.formUnion(attachmentIDs(field.fields, values)) }
            default:
                break
            }
        }
        return ids
    }

    func attachmentView(_ record: AttachmentRecord, _ opened: OpenedCase, names: [UserID: String]) -> AttachmentView {
        AttachmentView(
            id: record.id, caseId: opened.record.id.rawValue,
            name: unsealText(record.sealedName, key: opened.key, caseID: opened.record.id, as: Kernel.attachmentNamePurpose(record.id)) ?? "",
            contentType: record.contentType, bytes: record.byteCount, at: record.at, by: names[record.actorID] ?? "")
    }

    /// Each attachment's content and name are bound to its id: swapping two
    /// attachments' ciphertexts, or moving one to another case, fails to open.
    static func attachmentPurpose(_ id: String) -> String { "attachment:\(id)" }
    static func attachmentNamePurpose(_ id: String) -> String { "attachment-name:\(id)" }

    /// The refusal of a file over `attachments.max_bytes`; front ends that stop reading early give the same.
    public var attachmentTooLargeError: AmanaError {
        AmanaError(.tooLarge, code: "attachment-too-large", "The file is larger than this install accepts (\(config.maxAttachmentBytes / (1 << 20)) MiB).")
    }

    /// The file's own name (no folders), 1 to 255 bytes, without control characters.
    static func attachmentName(_ raw: String?) throws(AmanaError) -> String {
        let base = (raw ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = base.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return "attachment" }
        guard name.utf8.count <= 255, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AmanaError.invalid("attachment-name", "A file name has at most 255 bytes and no control characters.", pointer: "/name")
        }
        return name
    }
}
