import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault
import Workflow

/// A case the actor was allowed to open, with its data key.
struct OpenedCase {
    var record: CaseRecord
    var holding: Holding
    var key: any CaseKey
}

extension Kernel {
    /// The case types a role may see at all: a plugin's `need_to_know` lists
    /// them (no list: every role with case access).
    func caseTypes(visibleTo role: Role) -> [String] {
        definitions.plugins.values.filter { Self.plugin($0, isVisibleTo: role) }.compactMap(\.caseType).sorted()
    }

    /// Whether `caseType` is among ``caseTypes(visibleTo:)``, without listing them: asked for
    /// every case a list or a task list opens.
    func caseType(_ caseType: String, isVisibleTo role: Role) -> Bool {
        definitions.plugins.values.contains { $0.caseType == caseType && Self.plugin($0, isVisibleTo: role) }
    }

    /// A plugin's need-to-know: none, or the role is named.
    private static func plugin(_ plugin: PluginManifest, isVisibleTo role: Role) -> Bool {
        plugin.needToKnow.isEmpty || plugin.needToKnow.contains(role.id)
    }

    /// Opens a case for `action` (`read`, `update`, `assign`, `approve`...).
    ///
    /// A case that is missing, purged, of a type the role may not see, or out
    /// of the actor's reach answers exactly "not found", and the refusal is
    /// audited: guessing ids reveals nothing.
    func accessCase(_ id: String, for action: String, actor: Actor, auditAction: String, requestID: String) async throws -> OpenedCase {
        let found = try await store.caseRecordWithMembers(id: CaseID(id))
        return try await access(found?.record, members: found?.members ?? [], id, for: action, actor: actor, auditAction: auditAction, requestID: requestID)
    }

    /// ``accessCase(_:for:actor:auditAction:requestID:)`` for a case already read (nil: none with that id).
    func access(_ record: CaseRecord?, members: [UserID], _ id: String, for action: String, actor: Actor, auditAction: String, requestID: String) async throws -> OpenedCase {
        guard let record, let opened = try await accessible(record, for: "read", actor: actor, members: members) else {
            throw await refuse(.user(actor), auditAction, "case:\(id)", requestID: requestID, as: .notFound)
        }
        // Seen but not to be changed by this role: say so (the case's existence is no secret to a reader).
        if action != "read", !actor.may(action, "case", on: opened.holding) {
            throw await refuse(.user(actor), auditAction, "case:\(id)", requestID: requestID)
        }
        return opened
    }

    /// The case, opened, if the actor may read it and do `action` on it: not
    /// purged, of a programme the role may see, within the actor's reach. Nil
    /// otherwise; the caller decides whether that is a refusal to audit or a
    /// line to leave out of a listing.
    /// `members` are read with the case (a listing reads them for all its cases at once).
    func accessible(_ record: CaseRecord, for action: String, actor: Actor, members: [UserID]) async throws -> OpenedCase? {
        guard let holding = permittedHolding(record, for: action, actor: actor, members: members) else { return nil }
        return OpenedCase(record: record, holding: holding, key: try caseKey(of: record))
    }

    /// How the actor holds a case they may read and act on this way, or nil (the case purged, of a
    /// programme their role does not work on, or not theirs to see): ``accessible(_:for:actor:members:)``
    /// without unwrapping the key, for a list that may need no key at all.
    func permittedHolding(_ record: CaseRecord, for action: String, actor: Actor, members: [UserID]) -> Holding? {
        guard record.wrappedKey != nil, caseType(record.caseType, isVisibleTo: actor.role) else { return nil }
        let holding = holding(of: record, members: members)
        guard actor.may("read", "case", on: holding), actor.may(action, "case", on: holding) else { return nil }
        return holding
    }

    /// The case's key, unwrapped by the vault; a purged case has none.
    func caseKey(of record: CaseRecord) throws -> any CaseKey {
        guard let wrapped = record.wrappedKey else { throw AmanaError.notFound }
        return try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
    }

    /// An active account in the case's agency whose role works on the case's
    /// programme, as an actor, for the caller to check what it may do there
    /// (hold the case, be invited, be given a task).
    func colleague(_ username: String, on record: CaseRecord) async throws -> Actor? {
        guard let user = try await store.user(username: username), !user.disabled, user.agencyID == record.agencyID,
              let role = roles.role(user.role), caseType(record.caseType, isVisibleTo: role) else { return nil }
        return actor(user, role)
    }

    /// What the workflow engine sees of an opened case, with what it was built from.
    func workflowState(of opened: OpenedCase) async throws -> (engine: WorkflowEngine, submissions: [SubmissionRecord], approvals: [ApprovalRecord], situation: CaseSituation) {
        let engine = try workflow(of: opened.record)
        guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
        return (engine, file.submissions, file.approvals, try situation(of: opened, file: file, engine: engine))
    }

    /// Runs `body`; a ciphertext that fails to open (tampering, or a key that
    /// does not match) leaves its own audit entry, a security event worth a trace.
    func tracingTampering<T>(_ actor: Actor, _ action: String, caseID: String, requestID: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AmanaError where error.code == "decryption-refused" {
            try? await store.appendAudit(audit(actor.auditName, action, "case:\(caseID)", .failed, requestID: requestID, detail: "decryption-refused"))
            throw error
        }
    }

    func holding(of record: CaseRecord, members: [UserID]) -> Holding {
        Holding(ownerID: record.ownerID, assignedIDs: Set(members), teamID: record.teamID, agencyID: record.agencyID)
    }

    /// Refuses any change to a closed case.
    func requireOpen(_ record: CaseRecord) throws(AmanaError) {
        if record.closedAt != nil {
            throw AmanaError(.conflict, code: "case-closed", "This case is closed and read-only. Reopen it, giving a reason, to change it.")
        }
    }

    /// Whether the actor's role may read this form's answers on a case they may read. A form
    /// this install no longer serves (an upgrade dropped or renamed it) is read by no one:
    /// who may read it is no longer known, and it may have kept its answers from some roles.
    /// Serving it again (in a plugin of the install's own) gives its readers their access back.
    func mayRead(_ formID: String, actor: Actor) -> Bool {
        guard let form = definitions.forms[formID] else { return false }
        return form.readableBy.isEmpty || form.readableBy.contains(actor.role.id)
    }

    /// How far the actor's case listing reaches.
    func reach(of actor: Actor) -> CaseQuery.Reach? {
        actor.role.scope(for: "case", "read").map { reach($0, of: actor) }
    }

    /// The cases a permission of `scope` reaches for the actor.
    func reach(_ scope: Scope, of actor: Actor) -> CaseQuery.Reach {
        switch scope {
        case .all: .all
        case .agency: .agency(actor.agencyID)
        case .team: .team(actor.agencyID, actor.teamID, actor.userID)
        case .own: .own(actor.agencyID, actor.userID)
        case .assigned: .assigned(actor.agencyID, actor.userID)
        }
    }

    /// Every case the query matches, read a page at a time (for counting, not for listing).
    func allCases(_ query: CaseQuery) async throws -> [CaseRecord] {
        var query = query
        var records: [CaseRecord] = []
        while true {
            let page = try await store.cases(query)
            records += page
            guard page.count == query.limit, let last = page.last else { return records }
            query.before = last.sequence
        }
    }

    /// The workflow of a case type that loaded; a case whose plugin failed to load cannot move.
    func workflow(of record: CaseRecord) throws(AmanaError) -> WorkflowEngine {
        guard let definition = definitions.workflow(forCaseType: record.caseType) else {
            throw AmanaError(
                .installProblem, code: "workflow-missing",
                "The \(record.caseType) programme's definitions did not load, so its cases cannot move; an administrator can see why at /api/v1/definitions/problems.")
        }
        return WorkflowEngine(definition)
    }

    // MARK: Sealing content under the case key

    func seal(_ value: JSONValue, key: any CaseKey, caseID: CaseID, as purpose: String) throws(AmanaError) -> [UInt8] {
        try vault.seal(Array(value.encoded()), with: key, field: FieldContext(caseID: caseID, fieldID: purpose))
    }

    func unseal(_ bytes: [UInt8], key: any CaseKey, caseID: CaseID, as purpose: String) throws -> JSONValue {
        let plain = try vault.open(bytes, with: key, field: FieldContext(caseID: caseID, fieldID: purpose))
        return try JSONValue(parsing: plain)
    }

    func sealText(_ text: String, key: any CaseKey, caseID: CaseID, as purpose: String) throws(AmanaError) -> [UInt8] {
        try seal(.string(text), key: key, caseID: caseID, as: purpose)
    }

    func unsealText(_ bytes: [UInt8]?, key: any CaseKey, caseID: CaseID, as purpose: String) -> String? {
        guard let bytes, let plain = try? vault.open(bytes, with: key, field: FieldContext(caseID: caseID, fieldID: purpose)) else { return nil }
        // Most texts are a JSON string with nothing escaped: its bytes are the text (a
        // list of tasks opens many; a JSON decoder each cost more than the decryption).
        if plain.count >= 2, plain.first == UInt8(ascii: "\""), plain.last == UInt8(ascii: "\""), !plain.contains(UInt8(ascii: "\\")) {
            return String(decoding: plain[1..<(plain.count - 1)], as: UTF8.self)
        }
        guard case .string(let text)? = try? JSONValue(parsing: plain) else { return nil }
        return text
    }

    /// Seals a content document (a conference, a referral) as JSON under the case key.
    func sealDocument(_ value: some Encodable, key: any CaseKey, caseID: CaseID, as purpose: String) throws -> [UInt8] {
        try vault.seal(Array(JSONEncoder().encode(value)), with: key, field: FieldContext(caseID: caseID, fieldID: purpose))
    }

    func unsealDocument<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], key: any CaseKey, caseID: CaseID, as purpose: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(vault.open(bytes, with: key, field: FieldContext(caseID: caseID, fieldID: purpose))))
    }

    /// What a reason for a transition is bound to (besides its case).
    static let reasonPurpose = "state-change-reason"

    /// What a submission's answers are bound to: another case, form, entry or version fails to open them.
    static func submissionPurpose(_ formID: String, entry: Int, version: Int) -> String { "submission:\(formID)/\(entry)/\(version)" }

    /// Where the words for consent codes come from: `consent-scope:referral` is an option of `core/consent-scopes`.
    static let consentLabelLookups = [
        ("consent-scope:", "core/consent-scopes"), ("consent-giver:", "core/consent-given-by"), ("consent-kind:", "core/agreement-kinds"),
    ]

    /// A label for ids in messages: a form's title, a role's label, a consent code's option label.
    func label(_ id: String, language: String) -> String {
        for (prefix, lookup) in Kernel.consentLabelLookups where id.hasPrefix(prefix) {
            let code = String(id.dropFirst(prefix.count))
            return definitions.lookups[lookup]?.option(code)?.label.text(language) ?? code
        }
        if let form = definitions.forms[id] { return form.title.text(language) }
        if let role = roles.role(id) { return role.label[language] ?? role.label["en"] ?? id }
        return id
    }

    /// Usernames for ids in views, looked up in one read.
    func usernames(_ ids: some Sequence<UserID>) async throws -> [UserID: String] {
        let wanted = Set(ids)
        // A username never changes and an account id is never reused, so a name once read
        // holds for every process: a page of cases names its owners without a read.
        var known = knownUsernames.withLock { cache in wanted.reduce(into: [UserID: String]()) { $0[$1] = cache[$1] } }
        let missing = wanted.subtracting(known.keys)
        if !missing.isEmpty {
            let found = try await store.usernames(ids: missing)
            knownUsernames.withLock { cache in
                if cache.count + found.count > Kernel.knownUsernamesLimit { cache.removeAll() }
                cache.merge(found) { _, new in new }
            }
            known.merge(found) { _, new in new }
        }
        return Dictionary(uniqueKeysWithValues: wanted.map { ($0, known[$0] ?? "unknown") })
    }

    /// How many usernames a kernel keeps in memory (far more than an install's accounts).
    static let knownUsernamesLimit = 50_000

    /// What an agency's case numbers begin with: its code. An agency's code never changes,
    /// so it is read once per kernel, not at every case opened (an import opens thousands).
    func caseNumberPrefix(_ agencyID: AgencyID) async throws -> String {
        if let known = knownAgencyCodes.withLock({ $0[agencyID] }) { return known }
        guard let code = try await store.agencies().first(where: { $0.id == agencyID })?.code else { return "AMN" }
        knownAgencyCodes.withLock { $0[agencyID] = code }
        return code
    }
}
