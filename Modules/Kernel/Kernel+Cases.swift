import AmanaCore
import Foundation
import Identity
import Store
import Vault

/// One field value given when a case is opened.
///
/// Every value is encrypted under the case's data key; an `identifying` value
/// (a name, a phone number) also gets a blind index for exact search.
/// The form engine (FormKit) will supply the field list and sensitivity from
/// the plugin's definitions; until then callers state it.
public struct CaseFieldInput: Sendable {
    public var id: String
    public var value: String
    public var identifying: Bool

    public init(id: String, value: String, identifying: Bool = false) {
        self.id = id
        self.value = value
        self.identifying = identifying
    }
}

/// A case as its holder sees it: envelope and decrypted fields.
public struct CaseView: Sendable, Equatable, Codable {
    public var id: String
    public var caseNumber: String
    public var caseType: String
    public var ownerID: String
    public var version: Int
    public var fields: [String: String]
}

/// A search hit: no content, only what lets the holder open it.
public struct CaseSummary: Sendable, Equatable, Codable {
    public var id: String
    public var caseNumber: String
    public var caseType: String
}

extension Kernel {
    /// The case types of the programme plugins that loaded (gbv, child-protection, ...).
    public var caseTypes: [String] { definitions.plugins.values.compactMap(\.caseType).sorted() }

    /// The largest single field value (a long narrative fits comfortably).
    public static let maxFieldBytes = 100_000

    /// Opens a case owned by the actor, in the actor's team and agency.
    public func openCase(type: String, fields: [CaseFieldInput], actor: Actor, requestID: String) async throws(AmanaError) -> CaseView {
        guard caseTypes.contains(type) else {
            throw .invalid("case-type-unknown", "Unknown case type '\(type)'; expected one of \(caseTypes.joined(separator: ", ")).", pointer: "/case_type")
        }
        guard actor.may("create", "case") else {
            throw await refuse(.user(actor), "case.create", "case", requestID: requestID)
        }
        guard Set(fields.map(\.id)).count == fields.count else {
            throw .invalid("field-duplicate", "A field is given twice.", pointer: "/fields")
        }
        for (index, field) in fields.enumerated() {
            guard field.id.range(of: "^[a-z][a-z0-9_]{0,63}$", options: .regularExpression) != nil else {
                throw .invalid("field-id", "A field id has 1 to 64 lowercase letters, digits or '_', starting with a letter.", pointer: "/fields/\(index)/id")
            }
            guard field.value.utf8.count <= Kernel.maxFieldBytes else {
                throw .invalid("field-too-long", "A field value may have at most \(Kernel.maxFieldBytes) bytes.", pointer: "/fields/\(index)/value")
            }
        }
        let caseID = CaseID.random()
        let (wrapped, key) = try vault.newCaseKey(for: caseID)
        var records: [CaseFieldRecord] = []
        for field in fields {
            let context = FieldContext(caseID: caseID, fieldID: field.id)
            records.append(CaseFieldRecord(
                caseID: caseID, fieldID: field.id, ciphertext: try vault.seal(Array(field.value.utf8), with: key, field: context),
                blindIndex: field.identifying ? vault.blindIndex(field.value, field: field.id) : nil))
        }
        let now = clock.now()
        let record = CaseRecord(
            id: caseID, caseType: type, ownerID: actor.userID, teamID: actor.teamID, agencyID: actor.agencyID,
            wrappedKey: wrapped.bytes, keyVersion: wrapped.keyVersion, createdAt: now, updatedAt: now)
        return try await run {
            let prefix = try await store.agencies().first { $0.id == actor.agencyID }?.code ?? "AMN"
            let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).year ?? 2026
            let numbered = try await store.insertCase(
                record, fields: records, numberPrefix: prefix, year: year,
                audit: audit(actor.auditName, "case.create", "case", requestID: requestID, detail: "type=\(type)"))
            return CaseView(
                id: numbered.id.rawValue, caseNumber: numbered.caseNumber, caseType: type, ownerID: actor.userID.rawValue,
                version: numbered.version, fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.id, $0.value) }))
        }
    }

    /// Reads a case's content. Refused, missing and purged cases all answer
    /// "not found"; every read and every refusal is audited.
    public func readCase(id: String, actor: Actor, requestID: String) async throws(AmanaError) -> CaseView {
        let caseID = CaseID(id)
        return try await run {
            guard let record = try await store.caseRecord(id: caseID) else { throw AmanaError.notFound }
            guard actor.may("read", "case", on: holding(of: record)) else {
                throw await refuse(.user(actor), "case.read", "case:\(id)", requestID: requestID, as: .notFound)
            }
            guard let wrappedKey = record.wrappedKey else { throw AmanaError.notFound }
            var fields: [String: String] = [:]
            do {
                let key = try vault.unwrap(WrappedCaseKey(bytes: wrappedKey, keyVersion: record.keyVersion), for: caseID)
                for field in try await store.caseFields(caseID: caseID) {
                    let plain = try vault.open(field.ciphertext, with: key, field: FieldContext(caseID: caseID, fieldID: field.fieldID))
                    fields[field.fieldID] = String(decoding: plain, as: UTF8.self)
                }
            } catch {
                // Tampering or a wrong key: a security event worth a trace of its own.
                try? await store.appendAudit(audit(actor.auditName, "case.read", "case:\(id)", .failed, requestID: requestID, detail: "decryption-refused"))
                throw error
            }
            try await store.appendAudit(audit(actor.auditName, "case.read", "case:\(id)", requestID: requestID))
            return CaseView(
                id: id, caseNumber: record.caseNumber, caseType: record.caseType, ownerID: record.ownerID.rawValue,
                version: record.version, fields: fields)
        }
    }

    /// Exact search on an identifying field through its blind index: the value
    /// is never decrypted or compared in plain text. Only cases the actor may
    /// read are returned; the search is audited without the value.
    public func findCases(field: String, value: String, actor: Actor, requestID: String) async throws(AmanaError) -> [CaseSummary] {
        guard actor.may("read", "case") else {
            throw await refuse(.user(actor), "case.search", "case", requestID: requestID)
        }
        return try await run {
            var hits: [CaseSummary] = []
            for id in try await store.caseIDs(fieldID: field, blindIndex: vault.blindIndex(value, field: field)) {
                guard let record = try await store.caseRecord(id: id), record.wrappedKey != nil,
                      actor.may("read", "case", on: holding(of: record)) else { continue }
                hits.append(CaseSummary(id: id.rawValue, caseNumber: record.caseNumber, caseType: record.caseType))
            }
            try await store.appendAudit(audit(actor.auditName, "case.search", "case", requestID: requestID, detail: "field=\(field) hits=\(hits.count)"))
            return hits
        }
    }

    /// Crypto-shreds a case: its wrapped data key is overwritten (with
    /// `secure_delete`), so the live database can never decrypt its fields again.
    /// A backup taken before the purge still holds the wrapped key: backups must
    /// expire (see docs/operations.md). Exposed to front ends with the retention
    /// work of issue 9; no shipped role has `case.purge` yet.
    public func purgeCase(id: String, actor: Actor, requestID: String) async throws(AmanaError) {
        let caseID = CaseID(id)
        try await run {
            guard let record = try await store.caseRecord(id: caseID) else { throw AmanaError.notFound }
            guard actor.may("purge", "case", on: holding(of: record)) else {
                throw await refuse(.user(actor), "case.purge", "case:\(id)", requestID: requestID, as: .notFound)
            }
            try await store.shredCaseKey(id: caseID, audit: audit(actor.auditName, "case.purge", "case:\(id)", requestID: requestID))
        }
    }

    func holding(of record: CaseRecord) -> Holding {
        Holding(ownerID: record.ownerID, teamID: record.teamID, agencyID: record.agencyID)
    }
}
