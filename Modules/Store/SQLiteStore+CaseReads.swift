import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    static func caseRecord(_ id: CaseID, in db: Database) throws -> CaseRecord? {
        try db.row(sql: "SELECT \(caseColumns) FROM case_file WHERE id = ?", arguments: [id.rawValue], caseRecord)
    }

    /// The columns ``caseRecord(_:)`` reads, in the order it reads them: of `case_file`, or of
    /// `case_file c` (``casesColumns``).
    ///
    /// Read by position: read by name, a list of 50 cases looked each of its 750 names up, and
    /// decoding took twice as long (`amana-bench profile list`, under `perf`).
    static let caseColumns = caseFileColumns.joined(separator: ", ") + ", rowid AS seq"
    static let casesColumns = caseFileColumns.map { "c." + $0 }.joined(separator: ", ") + ", c.rowid AS seq"

    private static let caseFileColumns = [
        "id", "case_number", "case_type", "owner_id", "team_id", "agency_id", "wrapped_key", "key_version",
        "created_at", "updated_at", "version", "state", "risk_level", "closed_at",
    ]

    /// A case selected with ``caseColumns`` or ``casesColumns``.
    static func caseRecord(_ row: Row) -> CaseRecord { caseRecord(row, from: 0) }

    /// A case selected with ``casesColumns`` starting at column `first` (after another table's columns).
    static func caseRecord(_ row: Row, from first: Int) -> CaseRecord {
        var record = CaseRecord(
            id: CaseID(row[first]), caseNumber: row[first + 1], caseType: row[first + 2],
            ownerID: UserID(row[first + 3]), teamID: (row[first + 4] as String?).map(TeamID.init),
            agencyID: AgencyID(row[first + 5]), wrappedKey: (row[first + 6] as Data?)?.bytes,
            keyVersion: UInt32(row[first + 7] as Int64), createdAt: date(millis: row[first + 8]),
            updatedAt: date(millis: row[first + 9]), version: row[first + 10], state: row[first + 11], riskLevel: row[first + 12],
            closedAt: (row[first + 13] as Int64?).map { date(millis: $0) })
        record.sequence = row[first + 14]
        return record
    }

    /// How many columns ``caseColumns`` and ``casesColumns`` select.
    static let caseColumnCount = caseFileColumns.count + 1

    public func caseRecord(id: CaseID) async throws -> CaseRecord? {
        try readNow("read the case") { db in try Self.caseRecord(id, in: db) }
    }

    public func caseRecordWithMembers(id: CaseID) async throws -> (record: CaseRecord, members: [UserID])? {
        try readNow("read the case") { db in
            guard let record = try Self.caseRecord(id, in: db) else { return nil }
            return (record, try Self.members(id, in: db))
        }
    }

    static func members(_ caseID: CaseID, in db: Database) throws -> [UserID] {
        try db.values(String.self, sql: "SELECT user_id FROM case_member WHERE case_id = ? ORDER BY added_at", arguments: [caseID.rawValue]).map(UserID.init)
    }

    public func caseFile(id: CaseID) async throws -> CaseFile? {
        try readNow("read the case") { db in
            guard let record = try Self.caseRecord(id, in: db) else { return nil }
            var file = CaseFile(
                record: record, members: try Self.members(id, in: db), submissions: try Self.submissions(id, in: db), approvals: try Self.approvals(id, in: db),
                stateChanges: try Self.stateChanges(id, in: db),
                openTasks: try Self.tasks(id, in: db).filter { $0.status == .open }.sorted { $0.dueAt < $1.dueAt },
                attachments: try Self.attachments(id, in: db), activities: try Self.activities(id, in: db),
                teamName: try record.teamID.flatMap { try db.value(String.self, sql: "SELECT name FROM team WHERE id = ?", arguments: [$0.rawValue]) },
                usernames: [:])
            file.usernames = try Self.usernames(file.people, in: db)
            return file
        }
    }

    public func caseMembers(caseIDs: [CaseID]) async throws -> [CaseID: [UserID]] {
        guard !caseIDs.isEmpty else { return [:] }
        return try readNow("read the cases") { db in
            var out: [CaseID: [UserID]] = [:]
            // A list of question marks, not one JSON array (``Database/jsonList(_:)``): for a page of 50
            // cases the JSON array measured no better (`profile list`, alternated), and this plan is known.
            for chunk in stride(from: 0, to: caseIDs.count, by: 500).map({ caseIDs[$0..<min($0 + 500, caseIDs.count)] }) {
                let pairs = try db.rows(
                    sql: "SELECT case_id, user_id FROM case_member WHERE case_id IN (\(databaseQuestionMarks(count: chunk.count))) ORDER BY added_at",
                    arguments: StatementArguments(chunk.map(\.rawValue)), cached: false
                ) { (CaseID($0[0]), UserID($0[1])) }
                for (caseID, userID) in pairs { out[caseID, default: []].append(userID) }
            }
            return out
        }
    }

    public func cases(_ query: CaseQuery) async throws -> [CaseRecord] {
        try readNow("list cases") { db in
            let reach = query.reachPaths
            var clauses = reach.clauses
            var arguments = reach.arguments.map { $0 as any DatabaseValueConvertible }
            Self.oneOf("c.case_type", query.caseTypes, &clauses, &arguments)
            if let ids = query.ids { Self.oneOf("c.id", ids.map(\.rawValue), &clauses, &arguments) }
            if !query.states.isEmpty { Self.oneOf("c.state", query.states, &clauses, &arguments) }
            if !query.riskLevels.isEmpty { Self.oneOf("c.risk_level", query.riskLevels, &clauses, &arguments) }
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
                arguments.append(millis(overdue))
            }
            if let before = query.before {
                clauses.append("c.rowid < ?")
                arguments.append(before)
            }
            let page = query.pageOfCases(
                select: Self.casesColumns, order: "c.rowid", filter: clauses.joined(separator: " AND "), arguments: arguments,
                argument: { $0 }, limit: { $0 })
            // A list's statement has few shapes (its reach, the programmes and states asked for), so each is
            // prepared once per connection: preparing it (with GRDB's look at what it reads) cost as much as
            // running it. A search's names its cases one by one: kept for a few (a name or a number finds one
            // or two), not for many.
            return try db.rows(sql: page.sql, arguments: StatementArguments(page.arguments), cached: (query.ids?.count ?? 0) <= 16, Self.caseRecord)
        }
    }

    /// The need-to-know filter of `query` (its reach, ``CaseQuery/reachFilter``, and its case types),
    /// for what reads the whole reach (a page of cases reads ``CaseQuery/reachPaths``).
    static func filter(_ query: CaseQuery) -> (clauses: [String], arguments: [any DatabaseValueConvertible]) {
        let reach = query.reachFilter
        var clauses = reach.clauses
        var arguments = reach.arguments.map { $0 as any DatabaseValueConvertible }
        oneOf("c.case_type", query.caseTypes, &clauses, &arguments)
        return (clauses, arguments)
    }

    static func oneOf(_ column: String, _ values: [String], _ clauses: inout [String], _ arguments: inout [any DatabaseValueConvertible]) {
        clauses.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))")
        arguments += values
    }

    public func caseIDs(matching keys: [SearchKeyRecord]) async throws -> [CaseID] {
        try readNow("search cases") { db in
            var ids: Set<String> = []
            for key in keys {
                ids.formUnion(try db.values(String.self, sql: "SELECT case_id FROM case_search WHERE field_id = ? AND blind_index = ?", arguments: [key.fieldID, Data(key.blindIndex)]))
            }
            return ids.sorted().map(CaseID.init)
        }
    }

    /// The columns ``submission(_:)`` reads, in its order, of `case_submission` or its history.
    /// Read by position, as ``caseColumns``: a case's view reads every form it holds.
    static let submissionColumns = "case_id, form_id, entry, version, form_version, overlays, ciphertext, at, actor_id, changed"

    /// A submission selected with ``submissionColumns``.
    static func submission(_ row: Row) throws -> SubmissionRecord {
        SubmissionRecord(
            caseID: CaseID(row[0]), formID: row[1], entry: row[2], version: row[3], formVersion: row[4],
            overlays: try StoredJSON.overlays(row[5]), ciphertext: (row[6] as Data).bytes, at: date(millis: row[7]),
            actorID: UserID(row[8]), changed: try StoredJSON.changedPaths(row[9]))
    }

    public func submissions(caseID: CaseID) async throws -> [SubmissionRecord] {
        try readNow("read the case") { db in try Self.submissions(caseID, in: db) }
    }

    static func submissions(_ caseID: CaseID, in db: Database) throws -> [SubmissionRecord] {
        try db.rows(sql: "SELECT \(submissionColumns) FROM case_submission WHERE case_id = ? ORDER BY form_id, entry", arguments: [caseID.rawValue], Self.submission)
    }

    /// The versions an entry replaced (its history) and the one it holds, oldest first.
    public func submissionHistory(caseID: CaseID, formID: String, entry: Int) async throws -> [SubmissionRecord] {
        try readNow("read the case") { db in
            try db.rows(
                sql: """
                    SELECT \(Self.submissionColumns) FROM case_submission_history WHERE case_id = ? AND form_id = ? AND entry = ?
                    UNION ALL SELECT \(Self.submissionColumns) FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?
                    ORDER BY version
                    """,
                arguments: [caseID.rawValue, formID, entry, caseID.rawValue, formID, entry], Self.submission)
        }
    }

    static func stateChanges(_ caseID: CaseID, in db: Database) throws -> [StateChangeRecord] {
        try db.rows(sql: "SELECT * FROM case_state_change WHERE case_id = ? ORDER BY seq", arguments: [caseID.rawValue]) {
            StateChangeRecord(
                at: date(millis: $0["at"]), actorID: UserID($0["actor_id"]), transitionID: $0["transition_id"], fromState: $0["from_state"],
                toState: $0["to_state"], sealedReason: ($0["reason"] as Data?)?.bytes)
        }
    }

    public func pendingTimers(caseID: CaseID) async throws -> [TimerRecord] {
        try readNow("read the case") { db in
            try db.rows(sql: "SELECT * FROM case_timer WHERE case_id = ? AND status = 'pending' ORDER BY fires_at", arguments: [caseID.rawValue], Self.timer)
        }
    }

    public func dueTimers(at now: Date, limit: Int) async throws -> [TimerRecord] {
        try readNow("read timers") { db in
            try db.rows(
                sql: "SELECT * FROM case_timer WHERE status = 'pending' AND fires_at <= ? ORDER BY fires_at LIMIT ?", arguments: [millis(now), limit], Self.timer)
        }
    }

    static func timer(_ row: Row) -> TimerRecord {
        TimerRecord(
            id: row["id"], caseID: CaseID(row["case_id"]), timerID: row["timer_id"], firesAt: date(millis: row["fires_at"]),
            status: TimerRecord.Status(rawValue: row["status"]) ?? .cancelled, startedAt: (row["started_at"] as Int64?).map { date(millis: $0) },
            subject: row["subject"])
    }

    /// The columns ``task(_:)`` reads, in its order (by position: my work reads every open task).
    static let taskColumns = taskTableColumns.joined(separator: ", ")

    private static let taskTableColumns = [
        "id", "case_id", "assignee_id", "timer_id", "title", "due_at", "status", "created_at", "completed_at", "completed_by", "subject",
    ]

    /// A task selected with ``taskColumns``.
    static func task(_ row: Row) -> TaskRecord {
        TaskRecord(
            id: row[0], caseID: CaseID(row[1]), assigneeID: UserID(row[2]), timerID: row[3],
            sealedTitle: (row[4] as Data?)?.bytes, dueAt: date(millis: row[5]), status: TaskRecord.Status(rawValue: row[6]) ?? .cancelled,
            createdAt: date(millis: row[7]), completedAt: (row[8] as Int64?).map { date(millis: $0) },
            completedBy: (row[9] as String?).map(UserID.init), subject: row[10])
    }

    public func tasks(caseID: CaseID) async throws -> [TaskRecord] {
        try readNow("read tasks") { db in try Self.tasks(caseID, in: db) }
    }

    static func tasks(_ caseID: CaseID, in db: Database) throws -> [TaskRecord] {
        try db.rows(sql: "SELECT \(taskColumns) FROM case_task WHERE case_id = ? ORDER BY status, due_at", arguments: [caseID.rawValue], Self.task)
    }

    public func openTasks(assigneeID: UserID) async throws -> [AssignedTask] {
        try readNow("read tasks") { db in
            // One statement down the assignee's index, already in order of due date: each task with
            // its case and the case's members. Three statements (the cases, their members, the tasks,
            // each finding the tasks again) took a third of "my work" (`amana-bench profile mywork`).
            try db.rows(sql: Self.openTasksSQL, arguments: [assigneeID.rawValue]) { row in
                let members = (row[Self.openTaskMembersColumn] as String?).map { $0.split(separator: Self.memberSeparator).map { UserID(String($0)) } } ?? []
                return AssignedTask(task: Self.task(row), caseRecord: Self.caseRecord(row, from: Self.taskColumnCount), caseMembers: members)
            }
        }
    }

    /// Joins user ids in ``openTasksSQL``: the unit separator, never in an id.
    private static let memberSeparator: Character = "\u{1F}"
    private static let taskColumnCount = taskTableColumns.count
    private static let openTaskMembersColumn = taskColumnCount + caseColumnCount
    private static let openTasksSQL = """
        SELECT \(taskTableColumns.map { "t." + $0 }.joined(separator: ", ")), \(casesColumns),
        (SELECT group_concat(m.user_id, char(31)) FROM case_member m WHERE m.case_id = c.id)
        FROM case_task t JOIN case_file c ON c.id = t.case_id
        WHERE t.assignee_id = ? AND t.status = 'open' AND c.wrapped_key IS NOT NULL
        ORDER BY t.due_at
        """

    static func approval(_ row: Row) -> ApprovalRecord {
        ApprovalRecord(
            id: row["id"], caseID: CaseID(row["case_id"]), transitionID: row["transition_id"], state: row["state"], approverRole: row["approver_role"],
            requestedBy: UserID(row["requested_by"]), requestedAt: date(millis: row["requested_at"]),
            status: ApprovalRecord.Status(rawValue: row["status"]) ?? .withdrawn, decidedBy: (row["decided_by"] as String?).map(UserID.init),
            decidedAt: (row["decided_at"] as Int64?).map { date(millis: $0) }, sealedComment: (row["comment"] as Data?)?.bytes)
    }

    public func attachments(caseID: CaseID) async throws -> [AttachmentRecord] {
        try readNow("read attachments") { db in try Self.attachments(caseID, in: db) }
    }

    static func attachments(_ caseID: CaseID, in db: Database) throws -> [AttachmentRecord] {
        try db.rows(
            sql: "SELECT id, case_id, name, content_type, byte_count, at, actor_id FROM case_attachment WHERE case_id = ? ORDER BY at, id",
            arguments: [caseID.rawValue]
        ) { Self.attachment($0, content: []) }
    }

    public func attachment(caseID: CaseID, id: String) async throws -> AttachmentRecord? {
        try readNow("read an attachment") { db in
            try db.row(sql: "SELECT * FROM case_attachment WHERE case_id = ? AND id = ?", arguments: [caseID.rawValue, id]) {
                Self.attachment($0, content: ($0["content"] as Data?)?.bytes ?? [])
            }
        }
    }

    static func attachment(_ row: Row, content: [UInt8]) -> AttachmentRecord {
        AttachmentRecord(
            id: row["id"], caseID: CaseID(row["case_id"]), sealedName: (row["name"] as Data?)?.bytes ?? [], contentType: row["content_type"],
            byteCount: row["byte_count"], sealedContent: content, at: date(millis: row["at"]), actorID: UserID(row["actor_id"]))
    }

    public func approvals(caseID: CaseID) async throws -> [ApprovalRecord] {
        try readNow("read approvals") { db in try Self.approvals(caseID, in: db) }
    }

    static func approvals(_ caseID: CaseID, in db: Database) throws -> [ApprovalRecord] {
        try db.rows(sql: "SELECT * FROM case_approval WHERE case_id = ? ORDER BY requested_at", arguments: [caseID.rawValue], Self.approval)
    }

    public func pendingApprovals(approverRole: String) async throws -> [(ApprovalRecord, CaseRecord)] {
        try await read("read approvals") { db in
            try db.rows(
                sql: """
                    SELECT a.* FROM case_approval a JOIN case_file c ON c.id = a.case_id
                    WHERE a.status = 'pending' AND a.approver_role = ? AND (a.state = c.state OR a.transition_id LIKE 'consent:%')
                    AND c.wrapped_key IS NOT NULL
                    ORDER BY a.requested_at
                    """,
                arguments: [approverRole]
            ) { row in
                let approval = Self.approval(row)
                return (approval, try Self.caseRecord(approval.caseID, in: db)!)
            }
        }
    }

    public func consentOverrides(since: Date) async throws -> [(ApprovalRecord, CaseRecord)] {
        try await read("read consent overrides") { db in
            try db.rows(
                sql: """
                    SELECT a.* FROM case_approval a JOIN case_file c ON c.id = a.case_id
                    WHERE a.transition_id LIKE 'override:%' AND a.requested_at >= ? AND c.wrapped_key IS NOT NULL
                    ORDER BY a.requested_at DESC
                    """,
                arguments: [millis(since)]
            ) { row in
                let approval = Self.approval(row)
                return (approval, try Self.caseRecord(approval.caseID, in: db)!)
            }
        }
    }

    public func idempotency(actorID: UserID, key: String) async throws -> IdempotencyRecord? {
        try readNow("read the request history") { db in
            try db.row(sql: "SELECT * FROM idempotency WHERE actor_id = ? AND key = ?", arguments: [actorID.rawValue, key]) {
                IdempotencyRecord(
                    actorID: UserID($0["actor_id"]), key: $0["key"], requestDigest: ($0["request_digest"] as Data).bytes, caseID: CaseID($0["case_id"]),
                    formID: $0["form_id"], entry: $0["entry"], version: $0["version"], at: date(millis: $0["at"]))
            }
        }
    }
}
