import AmanaCore
import Foundation
import Store

extension PostgresStore {
    static func caseRecord(_ id: CaseID, in t: PostgresTransaction) async throws -> CaseRecord? {
        try await t.row("SELECT * FROM case_file WHERE id = ?", [id.rawValue], caseRecord)
    }

    static func caseRecord(_ c: PostgresCells) throws -> CaseRecord {
        var record = CaseRecord(
            id: CaseID(try c.text("id")), caseNumber: try c.text("case_number"), caseType: try c.text("case_type"), ownerID: UserID(try c.text("owner_id")),
            teamID: try c.optionalText("team_id").map(TeamID.init), agencyID: AgencyID(try c.text("agency_id")), wrappedKey: try c.optionalBytes("wrapped_key"),
            keyVersion: UInt32(try c.int64("key_version")), createdAt: try c.date("created_at"), updatedAt: try c.date("updated_at"),
            version: try c.int("version"), state: try c.text("state"), riskLevel: try c.optionalText("risk_level"), closedAt: try c.optionalDate("closed_at"))
        record.sequence = try c.int64("seq")
        return record
    }

    public func caseRecord(id: CaseID) async throws -> CaseRecord? {
        try await unlocked("read the case") { t in try await Self.caseRecord(id, in: t) }
    }

    public func caseRecordWithMembers(id: CaseID) async throws -> (record: CaseRecord, members: [UserID])? {
        // One statement, one snapshot of its own: no transaction around it.
        try await unlocked("read the case") { t in
            try await t.row("SELECT c.*, \(Self.membersPart) FROM case_file c WHERE c.id = ?", [id.rawValue]) {
                (try Self.caseRecord($0), try Self.members($0))
            }
        }
    }

    /// A case's members, oldest first, as a JSON list (`part_members`) beside the case's row `c`.
    static let membersPart = "(SELECT json_agg(m.user_id ORDER BY m.added_at, m.user_id) FROM case_member m WHERE m.case_id = c.id)::text AS part_members"

    /// The members a statement read with ``membersPart``.
    static func members(_ c: PostgresCells) throws -> [UserID] { try c.strings("part_members").map(UserID.init) }

    /// A case file in one statement: the case's row, its team's name, and each of its parts as
    /// a JSON list, all read in the statement's one snapshot. A part a statement each, in a
    /// transaction, was twelve round trips to the server; the people's names are a second
    /// statement, since which people a file names is known only once it is read (a name read a
    /// moment later is still the person's: a user is never deleted).
    static let caseFileStatement = """
        SELECT c.*, (SELECT name FROM team WHERE id = c.team_id) AS part_team, \(membersPart),
        (SELECT json_agg(x ORDER BY x.form_id, x.entry) FROM (
            SELECT case_id, form_id, entry, version, form_version, overlays, encode(ciphertext, 'base64') AS ciphertext, at, actor_id, changed
            FROM case_submission WHERE case_id = c.id) x)::text AS part_submissions,
        (SELECT json_agg(x ORDER BY x.requested_at, x.id) FROM (
            SELECT id, case_id, transition_id, state, approver_role, requested_by, requested_at, status, decided_by, decided_at,
            encode(comment, 'base64') AS comment FROM case_approval WHERE case_id = c.id) x)::text AS part_approvals,
        (SELECT json_agg(x ORDER BY x.seq) FROM (
            SELECT seq, at, actor_id, transition_id, from_state, to_state, encode(reason, 'base64') AS reason
            FROM case_state_change WHERE case_id = c.id) x)::text AS part_state_changes,
        (SELECT json_agg(x ORDER BY x.due_at, x.id) FROM (
            SELECT id, case_id, assignee_id, timer_id, encode(title, 'base64') AS title, due_at, status, created_at, completed_at, completed_by, subject
            FROM case_task WHERE case_id = c.id AND status = 'open') x)::text AS part_open_tasks,
        (SELECT json_agg(x ORDER BY x.at, x.id) FROM (
            SELECT id, case_id, encode(name, 'base64') AS name, content_type, byte_count, at, actor_id
            FROM case_attachment WHERE case_id = c.id) x)::text AS part_attachments,
        (SELECT json_agg(x ORDER BY x.created_at, x.id) FROM (
            SELECT id, case_id, kind, status, version, created_at, created_by, updated_at, due_at, urgent, category, participants,
            encode(content, 'base64') AS content, encode(restricted, 'base64') AS restricted
            FROM case_activity WHERE case_id = c.id) x)::text AS part_activities
        FROM case_file c WHERE c.id = ?
        """

    public func caseFile(id: CaseID) async throws -> CaseFile? {
        try await unlocked("read the case") { t in
            guard var file = try await t.row(Self.caseFileStatement, [id.rawValue], { c in
                CaseFile(
                    record: try Self.caseRecord(c), members: try Self.members(c),
                    submissions: try c.list("part_submissions").map(Self.submission), approvals: try c.list("part_approvals").map(Self.approval),
                    stateChanges: try c.list("part_state_changes").map(Self.stateChange), openTasks: try c.list("part_open_tasks").map(Self.task),
                    attachments: try c.list("part_attachments").map { try Self.attachment($0, content: []) },
                    activities: try c.list("part_activities").map(Self.activity), teamName: try c.optionalText("part_team"), usernames: [:])
            }) else { return nil }
            file.usernames = try await Self.usernames(file.people, in: t)
            return file
        }
    }

    public func caseMembers(caseIDs: [CaseID]) async throws -> [CaseID: [UserID]] {
        guard !caseIDs.isEmpty else { return [:] }
        return try await read("read the cases") { t in
            var out: [CaseID: [UserID]] = [:]
            let pairs = try await t.rows(
                "SELECT case_id, user_id FROM case_member WHERE case_id = ANY(?) ORDER BY added_at, user_id", [caseIDs.map(\.rawValue)]
            ) { (CaseID(try $0.text("case_id")), UserID(try $0.text("user_id"))) }
            for (caseID, userID) in pairs { out[caseID, default: []].append(userID) }
            return out
        }
    }

    public func cases(_ query: CaseQuery) async throws -> [CaseRecord] {
        try await read("list cases") { t in
            let reach = query.reachPaths
            var clauses = reach.clauses + ["c.case_type = ANY(?)"]
            var arguments: [any PostgresArgument] = reach.arguments + [query.caseTypes]
            if let ids = query.ids {
                clauses.append("c.id = ANY(?)")
                arguments.append(ids.map(\.rawValue))
            }
            if !query.states.isEmpty {
                clauses.append("c.state = ANY(?)")
                arguments.append(query.states)
            }
            if !query.riskLevels.isEmpty {
                clauses.append("c.risk_level = ANY(?)")
                arguments.append(query.riskLevels)
            }
            if let number = query.caseNumber {
                clauses.append("c.case_number = ?")
                arguments.append(number)
            }
            if let owner = query.ownerID {
                clauses.append("c.owner_id = ?")
                arguments.append(owner.rawValue)
            }
            if let overdue = query.overdueAt {
                clauses.append("EXISTS (SELECT 1 FROM case_task t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < ?)")
                arguments.append(overdue.storedMillis)
            }
            if let before = query.before {
                clauses.append("c.seq < ?")
                arguments.append(before)
            }
            let page = query.pageOfCases(
                select: "c.*", order: "c.seq", filter: clauses.joined(separator: " AND "), arguments: arguments, argument: { $0 }, limit: { $0 })
            return try await t.rows(page.sql, page.arguments, Self.caseRecord)
        }
    }

    /// The need-to-know filter of `query` (its reach, ``CaseQuery/reachFilter``, and its case types),
    /// for what reads the whole reach (a page of cases reads ``CaseQuery/reachPaths``).
    static func filter(_ query: CaseQuery) -> (clauses: [String], arguments: [any PostgresArgument]) {
        let reach = query.reachFilter
        var arguments: [any PostgresArgument] = reach.arguments
        arguments.append(query.caseTypes)
        return (reach.clauses + ["c.case_type = ANY(?)"], arguments)
    }

    public func caseIDs(matching keys: [SearchKeyRecord]) async throws -> [CaseID] {
        try await read("search cases") { t in
            var ids: Set<String> = []
            for key in keys {
                ids.formUnion(try await t.values(String.self, "SELECT case_id FROM case_search WHERE field_id = ? AND blind_index = ?", [key.fieldID, Data(key.blindIndex)]))
            }
            return ids.sorted().map(CaseID.init)
        }
    }

    /// The columns of an entry, in `case_submission` and its history alike.
    static let submissionColumns = "case_id, form_id, entry, version, form_version, overlays, ciphertext, at, actor_id, changed"

    static func submission(_ c: PostgresCells) throws -> SubmissionRecord {
        SubmissionRecord(
            caseID: CaseID(try c.text("case_id")), formID: try c.text("form_id"), entry: try c.int("entry"), version: try c.int("version"),
            formVersion: try c.int("form_version"), overlays: try StoredJSON.overlays(try c.text("overlays")), ciphertext: try c.bytes("ciphertext"),
            at: try c.date("at"), actorID: UserID(try c.text("actor_id")), changed: try StoredJSON.changedPaths(try c.text("changed")))
    }

    public func submissions(caseID: CaseID) async throws -> [SubmissionRecord] {
        try await unlocked("read the case") { t in try await Self.submissions(caseID, in: t) }
    }

    static func submissions(_ caseID: CaseID, in t: PostgresTransaction) async throws -> [SubmissionRecord] {
        try await t.rows("SELECT * FROM case_submission WHERE case_id = ? ORDER BY form_id, entry", [caseID.rawValue], submission)
    }

    /// The versions an entry replaced (its history) and the one it holds, oldest first.
    public func submissionHistory(caseID: CaseID, formID: String, entry: Int) async throws -> [SubmissionRecord] {
        try await unlocked("read the case") { t in
            try await t.rows(
                """
                SELECT \(Self.submissionColumns) FROM case_submission_history WHERE case_id = ? AND form_id = ? AND entry = ?
                UNION ALL SELECT \(Self.submissionColumns) FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?
                ORDER BY version
                """, [caseID.rawValue, formID, entry, caseID.rawValue, formID, entry],
                Self.submission)
        }
    }

    static func stateChange(_ c: PostgresCells) throws -> StateChangeRecord {
        StateChangeRecord(
            at: try c.date("at"), actorID: UserID(try c.text("actor_id")), transitionID: try c.optionalText("transition_id"),
            fromState: try c.optionalText("from_state"), toState: try c.text("to_state"), sealedReason: try c.optionalBytes("reason"))
    }

    public func pendingTimers(caseID: CaseID) async throws -> [TimerRecord] {
        try await unlocked("read the case") { t in
            try await t.rows("SELECT * FROM case_timer WHERE case_id = ? AND status = 'pending' ORDER BY fires_at", [caseID.rawValue], Self.timer)
        }
    }

    public func dueTimers(at now: Date, limit: Int) async throws -> [TimerRecord] {
        try await unlocked("read timers") { t in
            try await t.rows("SELECT * FROM case_timer WHERE status = 'pending' AND fires_at <= ? ORDER BY fires_at LIMIT ?", [now.storedMillis, limit], Self.timer)
        }
    }

    static func timer(_ c: PostgresCells) throws -> TimerRecord {
        TimerRecord(
            id: try c.text("id"), caseID: CaseID(try c.text("case_id")), timerID: try c.text("timer_id"), firesAt: try c.date("fires_at"),
            status: TimerRecord.Status(rawValue: try c.text("status")) ?? .cancelled, startedAt: try c.optionalDate("started_at"),
            subject: try c.optionalText("subject"))
    }

    static func task(_ c: PostgresCells) throws -> TaskRecord {
        TaskRecord(
            id: try c.text("id"), caseID: CaseID(try c.text("case_id")), assigneeID: UserID(try c.text("assignee_id")), timerID: try c.optionalText("timer_id"),
            sealedTitle: try c.optionalBytes("title"), dueAt: try c.date("due_at"), status: TaskRecord.Status(rawValue: try c.text("status")) ?? .cancelled,
            createdAt: try c.date("created_at"), completedAt: try c.optionalDate("completed_at"), completedBy: try c.optionalText("completed_by").map(UserID.init),
            subject: try c.optionalText("subject"))
    }

    public func tasks(caseID: CaseID) async throws -> [TaskRecord] {
        try await unlocked("read tasks") { t in try await Self.tasks(caseID, in: t) }
    }

    static func tasks(_ caseID: CaseID, in t: PostgresTransaction) async throws -> [TaskRecord] {
        try await t.rows("SELECT * FROM case_task WHERE case_id = ? ORDER BY status, due_at", [caseID.rawValue], task)
    }

    public func openTasks(assigneeID: UserID) async throws -> [AssignedTask] {
        try await read("read tasks") { t in
            let cases = try await t.rows(
                """
                SELECT c.*, \(Self.membersPart) FROM case_file c WHERE c.wrapped_key IS NOT NULL
                AND c.id IN (SELECT case_id FROM case_task WHERE assignee_id = ? AND status = 'open')
                """, [assigneeID.rawValue]
            ) { (record: try Self.caseRecord($0), members: try Self.members($0)) }
            let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.record.id, $0) })
            return try await t.rows("SELECT * FROM case_task WHERE assignee_id = ? AND status = 'open' ORDER BY due_at", [assigneeID.rawValue], Self.task)
                .compactMap { task in byID[task.caseID].map { AssignedTask(task: task, caseRecord: $0.record, caseMembers: $0.members) } }
        }
    }

    static func approval(_ c: PostgresCells) throws -> ApprovalRecord {
        ApprovalRecord(
            id: try c.text("id"), caseID: CaseID(try c.text("case_id")), transitionID: try c.text("transition_id"), state: try c.text("state"),
            approverRole: try c.text("approver_role"), requestedBy: UserID(try c.text("requested_by")), requestedAt: try c.date("requested_at"),
            status: ApprovalRecord.Status(rawValue: try c.text("status")) ?? .withdrawn, decidedBy: try c.optionalText("decided_by").map(UserID.init),
            decidedAt: try c.optionalDate("decided_at"), sealedComment: try c.optionalBytes("comment"))
    }

    public func attachments(caseID: CaseID) async throws -> [AttachmentRecord] {
        try await unlocked("read attachments") { t in try await Self.attachments(caseID, in: t) }
    }

    static func attachments(_ caseID: CaseID, in t: PostgresTransaction) async throws -> [AttachmentRecord] {
        try await t.rows(
            "SELECT id, case_id, name, content_type, byte_count, at, actor_id FROM case_attachment WHERE case_id = ? ORDER BY at, id", [caseID.rawValue]
        ) { try attachment($0, content: []) }
    }

    public func attachment(caseID: CaseID, id: String) async throws -> AttachmentRecord? {
        try await unlocked("read an attachment") { t in
            try await t.row("SELECT * FROM case_attachment WHERE case_id = ? AND id = ?", [caseID.rawValue, id]) {
                try Self.attachment($0, content: try $0.bytes("content"))
            }
        }
    }

    static func attachment(_ c: PostgresCells, content: [UInt8]) throws -> AttachmentRecord {
        AttachmentRecord(
            id: try c.text("id"), caseID: CaseID(try c.text("case_id")), sealedName: try c.bytes("name"), contentType: try c.text("content_type"),
            byteCount: try c.int("byte_count"), sealedContent: content, at: try c.date("at"), actorID: UserID(try c.text("actor_id")))
    }

    public func approvals(caseID: CaseID) async throws -> [ApprovalRecord] {
        try await unlocked("read approvals") { t in try await Self.approvals(caseID, in: t) }
    }

    static func approvals(_ caseID: CaseID, in t: PostgresTransaction) async throws -> [ApprovalRecord] {
        try await t.rows("SELECT * FROM case_approval WHERE case_id = ? ORDER BY requested_at, id", [caseID.rawValue], approval)
    }

    public func pendingApprovals(approverRole: String) async throws -> [(ApprovalRecord, CaseRecord)] {
        try await read("read approvals") { t in
            try await Self.approvalsWithCases(
                """
                SELECT a.* FROM case_approval a JOIN case_file c ON c.id = a.case_id
                WHERE a.status = 'pending' AND a.approver_role = ? AND (a.state = c.state OR a.transition_id LIKE 'consent:%')
                AND c.wrapped_key IS NOT NULL
                ORDER BY a.requested_at, a.id
                """, [approverRole], in: t)
        }
    }

    public func consentOverrides(since: Date) async throws -> [(ApprovalRecord, CaseRecord)] {
        try await read("read consent overrides") { t in
            try await Self.approvalsWithCases(
                """
                SELECT a.* FROM case_approval a JOIN case_file c ON c.id = a.case_id
                WHERE a.transition_id LIKE 'override:%' AND a.requested_at >= ? AND c.wrapped_key IS NOT NULL
                ORDER BY a.requested_at DESC, a.id
                """, [since.storedMillis], in: t)
        }
    }

    private static func approvalsWithCases(_ sql: String, _ arguments: [any PostgresArgument], in t: PostgresTransaction) async throws -> [(ApprovalRecord, CaseRecord)] {
        try await withCases(try await t.rows(sql, arguments, approval), caseID: \.caseID, in: t)
    }

    /// Each of `items` with its case, in their order, reading the cases in one statement (not
    /// one per item: a supervisor's queue can hold hundreds). An item whose case is gone is left out.
    static func withCases<Item>(_ items: [Item], caseID: (Item) -> CaseID, in t: PostgresTransaction) async throws -> [(Item, CaseRecord)] {
        guard !items.isEmpty else { return [] }
        let ids = Set(items.map(caseID)).map(\.rawValue)
        let cases = try await t.rows("SELECT * FROM case_file WHERE id = ANY(?)", [ids], caseRecord)
        let byID = Dictionary(uniqueKeysWithValues: cases.map { ($0.id, $0) })
        return items.compactMap { item in byID[caseID(item)].map { (item, $0) } }
    }

    public func idempotency(actorID: UserID, key: String) async throws -> IdempotencyRecord? {
        try await read("read the request history") { t in
            try await t.row("SELECT * FROM idempotency WHERE actor_id = ? AND key = ?", [actorID.rawValue, key]) {
                IdempotencyRecord(
                    actorID: UserID(try $0.text("actor_id")), key: try $0.text("key"), requestDigest: try $0.bytes("request_digest"),
                    caseID: CaseID(try $0.text("case_id")), formID: try $0.text("form_id"), entry: try $0.int("entry"), version: try $0.int("version"),
                    at: try $0.date("at"))
            }
        }
    }
}
