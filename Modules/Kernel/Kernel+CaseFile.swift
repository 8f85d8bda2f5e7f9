import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault
import Workflow

/// What to list: every filter is optional; the actor's reach always applies.
public struct CaseFilter: Sendable {
    public var caseNumber: String?
    /// Programmes (`gbv`, `child-protection`...); empty: every one the actor may see.
    public var caseTypes: [String] = []
    public var states: [String] = []
    public var riskLevels: [String] = []
    public var owner: String?
    public var overdue = false
    public var cursor: String?
    public var limit = 50

    public init(
        caseNumber: String? = nil, caseTypes: [String] = [], states: [String] = [], riskLevels: [String] = [], owner: String? = nil, overdue: Bool = false,
        cursor: String? = nil, limit: Int = 50
    ) {
        self.caseNumber = caseNumber
        self.caseTypes = caseTypes
        self.states = states
        self.riskLevels = riskLevels
        self.owner = owner
        self.overdue = overdue
        self.cursor = cursor
        self.limit = limit
    }
}

extension Kernel {
    /// The case types of the programme plugins that loaded (gbv, child-protection, ...).
    public var caseTypes: [String] { definitions.plugins.values.compactMap(\.caseType).sorted() }

    /// Opens a new case owned by the actor, in the actor's team and agency, in
    /// its workflow's first state; the timers of that state start.
    public func openCase(type: String, actor: Actor, requestID: String) async throws(AmanaError) -> CaseDetail {
        // The role first: someone who may not open cases learns nothing from the body (not even which programmes exist).
        guard actor.may("create", "case") else { throw await refuse(.user(actor), "case.create", "case", requestID: requestID) }
        guard caseTypes.contains(type) else {
            throw .invalid("case-type-unknown", "Unknown case type '\(type)'; expected one of \(caseTypes.joined(separator: ", ")).", pointer: "/case_type")
        }
        guard actor.may("create", "case"), caseType(type, isVisibleTo: actor.role) else {
            throw await refuse(.user(actor), "case.create", "case", requestID: requestID)
        }
        return try await run {
            let opened = try await open(type: type, actor: actor, requestID: requestID)
            return try await detail(of: opened, actor: actor, audited: false, requestID: requestID)
        }
    }

    /// Opens a case of `type` held by `actor`, numbered and in its workflow's first state
    /// (the caller has checked that the actor may open one).
    func open(type: String, actor: Actor, requestID: String) async throws -> OpenedCase {
        try await insert(try newCase(type: type, actor: actor, requestID: requestID), actor: actor)
    }

    /// A case about to be opened, nothing of it written yet: its record (not numbered), what its
    /// opening writes (its first state, that state's timers) with its audit entry, and its key.
    struct NewCase {
        var opened: OpenedCase
        var opening: CaseChange
        var audit: AuditDraft
    }

    /// A new case of `type` held by `actor`, in its workflow's first state, not written yet.
    func newCase(type: String, actor: Actor, requestID: String) throws -> NewCase {
        let caseID = CaseID.next()
        let now = clock.now()
        let (wrapped, key) = try vault.newCaseKey(for: caseID)
        var record = CaseRecord(
            id: caseID, caseType: type, ownerID: actor.userID, teamID: actor.teamID, agencyID: actor.agencyID, wrappedKey: wrapped.bytes,
            keyVersion: wrapped.keyVersion, createdAt: now, updatedAt: now, state: "")
        let engine = try workflow(of: record)
        var opening = CaseChange(caseID: caseID, expectedVersion: nil, at: now)
        opening.state = engine.definition.initial
        opening.stateChange = StateChangeRecord(at: now, actorID: actor.userID, transitionID: nil, fromState: nil, toState: engine.definition.initial)
        apply(engine.timerChanges(for: WorkflowEngine.events(from: nil, to: engine.definition.initial), at: now, riskLevel: nil), to: &opening)
        record.state = engine.definition.initial
        return NewCase(
            opened: OpenedCase(record: record, holding: holding(of: record, members: []), key: key), opening: opening,
            audit: audit(actor.auditName, "case.create", "case", requestID: requestID, detail: "type=\(type)"))
    }

    /// Writes a new case, numbered, and `then` the saves made ready on it (an import's forms) and
    /// the report digest made from them, all in one transaction: one trip to the store's writer
    /// instead of one per step, each step still with its own audit entry.
    func insert(_ new: NewCase, then saves: [PreparedSave] = [], keeping digest: ReportDigestWrite? = nil, actor: Actor) async throws -> OpenedCase {
        let prefix = try await caseNumberPrefix(actor.agencyID)
        let year = Day(new.opening.at).components.year  // UTC, as every stored day
        let numbered = try await store.insertCase(
            new.opened.record, opening: new.opening, numberPrefix: prefix, year: year, audit: new.audit, then: saves.map { ($0.change, $0.audit) },
            keeping: digest)
        for save in saves { noteTimersDue(in: save.change) }
        return OpenedCase(record: numbered, holding: holding(of: numbered, members: []), key: new.opened.key)
    }

    /// A case as its reader sees it. Every read and every refusal is audited.
    public func caseDetail(id: String, actor: Actor, requestID: String) async throws(AmanaError) -> CaseDetail {
        try await run {
            // Due timers first, so that the tasks they make are in the view.
            try await catchUpOnTimers(requestID: requestID)
            let file = try await store.caseFile(id: CaseID(id))
            let opened = try await access(file?.record, members: file?.members ?? [], id, for: "read", actor: actor, auditAction: "case.read", requestID: requestID)
            guard let file else { throw AmanaError.notFound }  // access refused it already
            return try await tracingTampering(actor, "case.read", caseID: id, requestID: requestID) {
                try await detail(of: file, key: opened.key, actor: actor, audited: true, requestID: requestID)
            }
        }
    }

    /// The detail of a case already opened for the actor (re-read: it may have just changed).
    func detail(of opened: OpenedCase, actor: Actor, audited: Bool, requestID: String) async throws -> CaseDetail {
        guard let file = try await store.caseFile(id: opened.record.id) else { throw AmanaError.notFound }
        return try await detail(of: file, key: opened.key, actor: actor, audited: audited, requestID: requestID)
    }

    /// The detail of a case file read in one snapshot, opened with its key.
    func detail(of file: CaseFile, key: any CaseKey, actor: Actor, audited: Bool, requestID: String) async throws -> CaseDetail {
        let language = actor.language
        let record = file.record
        let opened = OpenedCase(record: record, holding: holding(of: record, members: file.members), key: key)
        let engine = try workflow(of: record)
        let situation = try situation(of: opened, file: file, engine: engine)
        let names = file.usernames
        let withheld = try await attachmentsWithheld(on: opened, from: actor, latest: file.submissions)
        if audited {
            try await store.appendAudit(audit(actor.auditName, "case.read", "case:\(record.id.rawValue)", requestID: requestID))
        }
        let review = file.submissions.filter { $0.formID == Kernel.caseFileReviewForm }.max { $0.at < $1.at }
        return CaseDetail(
            summary: summary(record, owner: names[record.ownerID] ?? ""),
            stateLabel: engine.definition.state(record.state)?.label.text(language) ?? record.state, team: file.teamName, createdAt: record.createdAt,
            closedAt: record.closedAt, members: file.members.compactMap { names[$0] },
            forms: file.submissions.map { s in
                FormEntry(
                    formId: s.formID, title: label(s.formID, language: language), entry: s.entry, version: s.version, formVersion: s.formVersion,
                    at: s.at, by: names[s.actorID] ?? "", readable: mayRead(s.formID, actor: actor))
            },
            transitions: engine.options(for: situation, role: actor.role.id).map { transitionView($0, language: language) },
            tasks: try file.openTasks.map { try taskView($0, record, assignee: names[$0.assigneeID] ?? "", key: key, language: language) },
            approvals: file.approvals.map { approvalView($0, record, engine: engine, names: names, key: key, actor: actor) },
            attachments: file.attachments.filter { !withheld.contains($0.id) }.map { attachmentView($0, opened, names: names) },
            history: file.stateChanges.map { h in
                StateChangeView(
                    at: h.at, by: names[h.actorID] ?? "", transition: h.transitionID, from: h.fromState, to: h.toState,
                    reason: unsealText(h.sealedReason, key: key, caseID: record.id, as: Kernel.reasonPurpose))
            },
            lastReviewedAt: review?.at, lastReviewedBy: review.flatMap { names[$0.actorID] })
    }

    /// The supervisor's case file review (a form: its checklist is the programme's YAML).
    static let caseFileReviewForm = "core/case-file-review"

    func summary(_ record: CaseRecord, owner: String) -> CaseSummary {
        CaseSummary(
            id: record.id.rawValue, caseNumber: record.caseNumber, caseType: record.caseType, state: record.state, riskLevel: record.riskLevel,
            owner: owner, version: record.version, updatedAt: record.updatedAt, closed: record.closedAt != nil)
    }

    /// The cases the actor may see, newest first, a page at a time.
    public func listCases(_ filter: CaseFilter, actor: Actor, requestID: String) async throws(AmanaError) -> CasePage {
        guard let reach = reach(of: actor) else {
            throw await refuse(.user(actor), "case.list", "case", requestID: requestID)
        }
        guard (1...200).contains(filter.limit) else { throw .invalid("limit", "Ask for 1 to 200 cases at a time.", pointer: "/limit") }
        let visible = caseTypes(visibleTo: actor.role)
        var query = CaseQuery(reach: reach, caseTypes: filter.caseTypes.isEmpty ? visible : visible.filter(filter.caseTypes.contains), limit: filter.limit)
        query.caseNumber = filter.caseNumber
        query.states = filter.states
        query.riskLevels = filter.riskLevels
        if let cursor = filter.cursor {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), let before = Int64(text.dropFirst(2)), text.hasPrefix("c:") else {
                throw .invalid("cursor", "This cursor was not given by Amana; start from the first page.", pointer: "/cursor")
            }
            query.before = before
        }
        return try await run {
            if let owner = filter.owner {
                guard let user = try await store.user(username: owner) else { return CasePage(cases: [], nextCursor: nil) }
                query.ownerID = user.id
            }
            if filter.overdue {
                try await catchUpOnTimers(requestID: requestID)
                query.overdueAt = clock.now()
            }
            let records = try await store.cases(query)
            let names = try await usernames(records.map(\.ownerID))
            try await store.appendAudit(audit(actor.auditName, "case.list", "case", requestID: requestID, detail: "count=\(records.count)"))
            let next = records.count == filter.limit ? records.last.map { Data("c:\($0.sequence)".utf8).base64EncodedString() } : nil
            return CasePage(cases: records.map { summary($0, owner: names[$0.ownerID] ?? "") }, nextCursor: next)
        }
    }

    /// Exact search on identifying answers (names, phone numbers) through
    /// their blind indexes: the value is normalised (Arabic spelling variants
    /// included), hashed per field, and never decrypted or compared in plain
    /// text. Only cases the actor may open come back, searched only on answers of
    /// forms their role may read (a hit would confirm a guess at an answer they may
    /// not see: an alleged perpetrator's name); the search is audited without the value.
    public func searchCases(value: String, field: String? = nil, actor: Actor, requestID: String) async throws(AmanaError) -> [CaseSummary] {
        guard let reach = reach(of: actor) else {
            throw await refuse(.user(actor), "case.search", "case", requestID: requestID)
        }
        let identifying = searchableFields(for: actor)
        if let field, !identifying.contains(field) {
            throw .invalid("field-not-searchable", "Only identifying fields of forms you may read can be searched; '\(field)' is not one.", pointer: "/field")
        }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .invalid("value-empty", "Give a value to search for.", pointer: "/value") }
        let keys = (field.map { [$0] } ?? identifying.sorted()).map { SearchKeyRecord(fieldID: $0, blindIndex: vault.blindIndex(value, field: $0)) }
        return try await run {
            let ids = try await store.caseIDs(matching: keys)
            var query = CaseQuery(reach: reach, caseTypes: caseTypes(visibleTo: actor.role), limit: 200)
            query.ids = ids
            let records = ids.isEmpty ? [] : try await store.cases(query)
            let names = try await usernames(records.map(\.ownerID))
            try await store.appendAudit(audit(actor.auditName, "case.search", "case", requestID: requestID, detail: "field=\(field ?? "*") hits=\(records.count)"))
            return records.map { summary($0, owner: names[$0.ownerID] ?? "") }
        }
    }

    /// The identifying fields the actor may search: those of forms their role reads, and of
    /// no form it may not read (a blind index is per field id, whatever form holds it).
    func searchableFields(for actor: Actor) -> Set<String> {
        var readable: Set<String> = [], hidden: Set<String> = []
        for (formID, form) in definitions.forms {
            let fields = form.allFields.filter { $0.sensitivity == .identifying }.map(\.id)
            if mayRead(formID, actor: actor) { readable.formUnion(fields) } else { hidden.formUnion(fields) }
        }
        return readable.subtracting(hidden)
    }

    /// Finds cases by what a person types: a case number is looked up as one;
    /// `state:`, `risk:` and `programme:` words narrow the list (`risk:high state:assessment`);
    /// anything else is an exact search on identifying answers (``searchCases(value:field:actor:requestID:)``).
    public func findCases(_ text: String, actor: Actor, requestID: String) async throws(AmanaError) -> [CaseSummary] {
        var filter = CaseFilter(limit: 200)
        var words: [Substring] = []
        for word in text.split(separator: " ") {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            switch parts.count == 2 ? parts[0].lowercased() : "" {
            case "state": filter.states.append(parts[1])
            case "risk": filter.riskLevels.append(parts[1].lowercased())
            case "programme", "type": filter.caseTypes.append(parts[1].lowercased())
            default: words.append(word)
            }
        }
        let rest = words.joined(separator: " ")
        if rest.range(of: #"^[A-Za-z0-9]+-\d{4}-\d+$"#, options: .regularExpression) != nil {
            filter.caseNumber = rest.uppercased()
        }
        if rest.isEmpty || filter.caseNumber != nil {
            return try await listCases(filter, actor: actor, requestID: requestID).cases
        }
        return try await searchCases(value: rest, actor: actor, requestID: requestID).filter { found in
            (filter.states.isEmpty || filter.states.contains(found.state)) && (filter.riskLevels.isEmpty || filter.riskLevels.contains(found.riskLevel ?? ""))
                && (filter.caseTypes.isEmpty || filter.caseTypes.contains(found.caseType))
        }
    }

    /// Hands a case to another caseworker (and their team), or sets its risk
    /// level by hand. Needs the case version the actor read.
    public func updateCase(id: String, owner: String?, riskLevel: String?, expectVersion: Int?, actor: Actor, requestID: String) async throws(AmanaError) -> CaseDetail {
        guard let expectVersion else { throw Kernel.versionRequired }
        if let riskLevel, !WorkflowDefinition.riskLevels.contains(riskLevel) {
            throw .invalid("risk-level", "The risk level is low, medium or high.", pointer: "/risk_level")
        }
        return try await run {
            let opened = try await accessCase(id, for: owner == nil ? "update" : "assign", actor: actor, auditAction: "case.update", requestID: requestID)
            try requireOpen(opened.record)
            var change = CaseChange(caseID: opened.record.id, expectedVersion: expectVersion, at: clock.now())
            change.riskLevel = riskLevel
            if let riskLevel { try await retimeTimers(of: opened.record, for: riskLevel, into: &change) }
            var detail = [riskLevel.map { "risk=\($0)" }]
            if let owner {
                guard let holder = try await colleague(owner, on: opened.record),
                      holder.may("update", "case", on: Holding(ownerID: holder.userID, teamID: holder.teamID, agencyID: holder.agencyID))
                else {
                    throw AmanaError.invalid("owner", "'\(owner)' cannot hold this case: no such active caseworker in this agency and programme.", pointer: "/owner")
                }
                change.owner = (holder.userID, holder.teamID)
                detail.append("owner=\(holder.auditName)")
            }
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "case.update", "case:\(id)", requestID: requestID, detail: detail.compactMap { $0 }.joined(separator: " ")))
            return try await self.detail(of: opened, actor: actor, audited: false, requestID: requestID)
        }
    }

    /// Invites a person (a technical specialist, say) into a case: they see it
    /// from now on, within their role's own limits.
    public func addMember(caseID id: String, username: String, actor: Actor, requestID: String) async throws(AmanaError) -> CaseDetail {
        try await run {
            let opened = try await accessCase(id, for: "assign", actor: actor, auditAction: "case.member.add", requestID: requestID)
            guard let member = try await colleague(username, on: opened.record), member.may("read", "case") else {
                throw AmanaError.invalid("member", "'\(username)' cannot be invited: no such active user in this agency who may work on \(opened.record.caseType) cases.", pointer: "/username")
            }
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: clock.now())
            change.membersAdded = [member.userID]
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "case.member.add", "case:\(id)", requestID: requestID, detail: "user=\(member.auditName)"))
            return try await detail(of: opened, actor: actor, audited: false, requestID: requestID)
        }
    }

    /// An update that does not say which version it read could overwrite a change it never saw.
    static let versionRequired = AmanaError(
        .preconditionFailed, code: "version-required",
        "Say which version of the case you read (HTTP If-Match, CLI --expect-version), so that no one else's change is overwritten.")
}
