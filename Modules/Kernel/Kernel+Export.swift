import AmanaCore
import Foundation
import Identity
import Store
import VaultSodium

/// Why individual records leave the install. Codes only: the audit log keeps them.
public enum ExportPurpose: String, Sendable, Codable, CaseIterable {
    /// A court or a lawful authority asked, through the organisation's procedure.
    case legalRequest = "legal_request"
    /// The person asked for a copy of their own data.
    case personRequest = "person_request"
    /// Moving the records to another information system of the organisation.
    case systemTransfer = "system_transfer"
}

/// What an export is to hold, and how it is sealed.
public struct ExportRequest: Sendable, Equatable {
    public var caseIDs: [String]
    /// Forms to include (`core/registration`); empty: every form the exporter may read.
    public var forms: [String]
    public var purpose: ExportPurpose
    /// Seals the file; nil only with `unencrypted`.
    public var passphrase: String?
    /// A plain JSON file, on purpose (audited as such).
    public var unencrypted: Bool

    public init(caseIDs: [String], forms: [String] = [], purpose: ExportPurpose, passphrase: String?, unencrypted: Bool = false) {
        self.caseIDs = caseIDs
        self.forms = forms
        self.purpose = purpose
        self.passphrase = passphrase
        self.unencrypted = unencrypted
    }
}

/// An export: the file's bytes, sealed with the passphrase unless asked otherwise.
public struct ExportFile: Sendable, Equatable {
    public var bytes: [UInt8]
    public var encrypted: Bool
    public var cases: Int
}

/// Exports of individual records: for a role with `case.export`, of cases it may
/// read, only the forms it may read; each case's export audited with its purpose.
extension Kernel {
    struct ExportedEntry: Encodable {
        var form: String, title: String, entry: Int, version: Int, formVersion: Int
        var answers: [String: JSONValue]
    }

    struct ExportedCase: Encodable {
        var caseNumber: String, programme: String, state: String
        var openedAt: Date, closedAt: Date?
        var forms: [ExportedEntry]
    }

    struct ExportDocument: Encodable {
        var exportedAt: Date, exportedBy: String, purpose: String
        var cases: [ExportedCase]
    }

    public func exportRecords(_ request: ExportRequest, actor: Actor, requestID: String) async throws(AmanaError) -> ExportFile {
        guard actor.role.scope(for: "case", "export") != nil else { throw await refuse(.user(actor), "case.export", "case", requestID: requestID) }
        guard (1...200).contains(request.caseIDs.count) else { throw .invalid("case-ids", "Export 1 to 200 cases at a time.", pointer: "/case_ids") }
        if !request.unencrypted {
            guard let passphrase = request.passphrase, passphrase.count >= 12 else {
                throw .invalid("passphrase", "Give a passphrase of at least 12 characters to seal the file (give it to the recipient by another channel).", pointer: "/passphrase")
            }
        }
        for form in request.forms where definitions.forms[form] == nil {
            throw .invalid("form-unknown", "No form '\(form)' is served by this install.", pointer: "/forms")
        }
        let exportID = newID()
        return try await run {
            var cases: [ExportedCase] = []
            var exported: [(String, Int)] = []
            for id in request.caseIDs {
                let opened = try await accessCase(id, for: "export", actor: actor, auditAction: "case.export", requestID: requestID)
                guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
                let entries = try file.submissions
                    .filter { mayRead($0.formID, actor: actor) && (request.forms.isEmpty || request.forms.contains($0.formID)) }
                    .sorted { ($0.formID, $0.entry) < ($1.formID, $1.entry) }
                    .map { s in
                        ExportedEntry(
                            form: s.formID, title: label(s.formID, language: actor.language), entry: s.entry, version: s.version, formVersion: s.formVersion,
                            answers: try answers(of: s, key: opened.key))
                    }
                let record = opened.record
                cases.append(ExportedCase(
                    caseNumber: record.caseNumber, programme: record.caseType, state: record.state, openedAt: record.createdAt, closedAt: record.closedAt, forms: entries))
                exported.append((id, entries.count))
            }
            // Audited once every case is in the file: an export refused half-way leaves no "exported" entry.
            for (id, forms) in exported {
                try await store.appendAudit(audit(
                    actor.auditName, "case.export", "case:\(id)", requestID: requestID,
                    detail: "export=\(exportID) purpose=\(request.purpose.rawValue) forms=\(forms) encrypted=\(!request.unencrypted)"))
            }
            let document = ExportDocument(exportedAt: clock.now(), exportedBy: actor.username, purpose: request.purpose.rawValue, cases: cases)
            let json = Array(try WireJSON.encoder(pretty: true).encode(document))
            guard !request.unencrypted, let passphrase = request.passphrase else { return ExportFile(bytes: json, encrypted: false, cases: cases.count) }
            return ExportFile(bytes: try vault.sealWithPassphrase(json, passphrase: passphrase), encrypted: true, cases: cases.count)
        }
    }

    /// Opens an export sealed with a passphrase, for its recipient (no install needed).
    public static func openSealedExport(_ sealed: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        try SodiumVault.openWithPassphrase(sealed, passphrase: passphrase)
    }
}
