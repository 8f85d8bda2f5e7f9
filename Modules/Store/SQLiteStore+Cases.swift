import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertCase(
        _ record: CaseRecord, opening: CaseChange, numberPrefix: String, year: Int, audit: AuditDraft, then changes: [(change: CaseChange, audit: AuditDraft)],
        keeping digest: ReportDigestWrite?
    ) async throws -> CaseRecord {
        try await write("save the case") { db in
            try db.run(
                sql: """
                    INSERT INTO case_number_sequence (prefix, year, last) VALUES (?, ?, 1)
                    ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1
                    """,
                arguments: [numberPrefix, year])
            let sequence = try db.value(Int.self, sql: "SELECT last FROM case_number_sequence WHERE prefix = ? AND year = ?", arguments: [numberPrefix, year]) ?? 1
            var numbered = record
            numbered.caseNumber = String(format: "%@-%04d-%06d", numberPrefix, year, sequence)
            try db.run(
                sql: """
                    INSERT INTO case_file (id, case_number, case_type, owner_id, team_id, agency_id, wrapped_key, key_version,
                                           created_at, updated_at, version, state, risk_level, closed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [numbered.id.rawValue, numbered.caseNumber, numbered.caseType, numbered.ownerID.rawValue,
                            numbered.teamID?.rawValue, numbered.agencyID.rawValue, numbered.wrappedKey.map { Data($0) },
                            Int64(numbered.keyVersion), millis(numbered.createdAt), millis(numbered.updatedAt), numbered.version,
                            numbered.state, numbered.riskLevel, numbered.closedAt.map(millis)])
            var entry = audit
            entry.object = "case:\(numbered.id.rawValue)"
            _ = try self.apply(opening, bumping: false, in: db)
            try self.append(entry, in: db)
            for (change, audit) in changes {
                _ = try self.apply(change, bumping: true, in: db)
                try self.append(audit, in: db)
            }
            if let digest { try Self.keep(digest, in: db) }
            return try Self.caseRecord(numbered.id, in: db)!
        }
    }

    public func applyCaseChange(_ change: CaseChange, audit: AuditDraft) async throws -> (CaseRecord, SubmissionRecord?) {
        try await write("save the case") { db in
            guard let current = try Self.caseRecord(change.caseID, in: db), current.wrappedKey != nil else { throw AmanaError.notFound }
            if let expected = change.expectedVersion, expected != current.version {
                throw AmanaError(
                    .preconditionFailed, code: "case-changed",
                    "Someone changed this case since you read it (you read version \(expected); it is now version \(current.version)). Reload the case and apply your change again.")
            }
            let submission = try self.apply(change, bumping: true, in: db)
            try self.append(audit, in: db)
            return (try Self.caseRecord(change.caseID, in: db)!, submission)
        }
    }

    /// Writes every part of `change`. The case version goes up when its envelope,
    /// its forms or its attachments change; tasks, timers, approvals and members alone leave it
    /// as it is, so a timer firing never makes a caseworker's save stale.
    func apply(_ change: CaseChange, bumping: Bool, in db: Database) throws -> SubmissionRecord? {
        let id = change.caseID.rawValue
        var contentChanged = false
        var written: SubmissionRecord?
        if let submission = change.submission {
            written = try write(submission, in: db)
            contentChanged = true
        }
        if let state = change.state {
            try db.run(sql: "UPDATE case_file SET state = ? WHERE id = ?", arguments: [state, id])
            contentChanged = true
        }
        if let risk = change.riskLevel {
            try db.run(sql: "UPDATE case_file SET risk_level = ? WHERE id = ?", arguments: [risk, id])
            contentChanged = true
        }
        for imported in change.importedSubmissions {
            _ = try write(imported, in: db)
            contentChanged = true
        }
        if let package = change.packageImport {
            guard try db.value(Int.self, sql: "SELECT 1 FROM transfer_import WHERE package_id = ?", arguments: [package.packageID]) == nil else {
                throw AmanaError(.conflict, code: "package-replayed", "This transfer package was already imported; nothing was imported again.")
            }
            try db.run(
                sql: "INSERT INTO transfer_import (package_id, case_id, sender, imported_at) VALUES (?, ?, ?, ?)",
                arguments: [package.packageID, id, package.sender, millis(package.at)])
        }
        if let agency = change.agencyID {
            try db.run(sql: "UPDATE case_file SET agency_id = ? WHERE id = ?", arguments: [agency.rawValue, id])
            contentChanged = true
        }
        if let (owner, team) = change.owner {
            // The previous owner's open tasks go with the case: they may no longer see it.
            if let previous = try db.value(String.self, sql: "SELECT owner_id FROM case_file WHERE id = ?", arguments: [id]), previous != owner.rawValue {
                try db.run(
                    sql: "UPDATE case_task SET assignee_id = ? WHERE case_id = ? AND status = 'open' AND assignee_id = ?", arguments: [owner.rawValue, id, previous])
            }
            try db.run(sql: "UPDATE case_file SET owner_id = ?, team_id = ? WHERE id = ?", arguments: [owner.rawValue, team?.rawValue, id])
            contentChanged = true
        }
        if let closedAt = change.closedAt {
            try db.run(sql: "UPDATE case_file SET closed_at = ? WHERE id = ?", arguments: [closedAt.map(millis), id])
            contentChanged = true
        }
        if let s = change.stateChange {
            let seq = try db.value(Int.self, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_state_change WHERE case_id = ?", arguments: [id]) ?? 1
            try db.run(
                sql: "INSERT INTO case_state_change (case_id, seq, at, actor_id, transition_id, from_state, to_state, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, seq, millis(s.at), s.actorID.rawValue, s.transitionID, s.fromState, s.toState, s.sealedReason.map { Data($0) }])
        }
        for stop in change.timersCancelled {
            try db.run(
                sql: "UPDATE case_timer SET status = 'cancelled' WHERE case_id = ? AND timer_id = ? AND status = 'pending' AND (?3 IS NULL OR subject = ?3)",
                arguments: [id, stop.timerID, stop.subject])
        }
        for timer in change.timersStarted {
            try db.run(
                sql: "INSERT INTO case_timer (id, case_id, timer_id, fires_at, status, started_at, subject) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [timer.id, id, timer.timerID, millis(timer.firesAt), timer.status.rawValue, timer.startedAt.map(millis), timer.subject])
        }
        for (timerRowID, firesAt) in change.timersRetimed.sorted(by: { $0.key < $1.key }) {
            try db.run(
                sql: "UPDATE case_timer SET fires_at = ? WHERE id = ? AND case_id = ? AND status = 'pending'", arguments: [millis(firesAt), timerRowID, id])
        }
        for task in change.tasksAdded { try insert(task, in: db) }
        for (taskID, completion) in change.tasksCompleted.sorted(by: { $0.key < $1.key }) {
            try db.run(
                sql: "UPDATE case_task SET status = 'done', completed_at = ?, completed_by = ? WHERE id = ? AND case_id = ? AND status = 'open'",
                arguments: [millis(completion.at), completion.by.rawValue, taskID, id])
            guard db.changesCount == 1 else {
                throw AmanaError(.conflict, code: "task-not-open", "This task is already done or was cancelled.")
            }
        }
        for taskID in change.tasksCancelled {
            try db.run(sql: "UPDATE case_task SET status = 'cancelled' WHERE id = ? AND case_id = ? AND status = 'open'", arguments: [taskID, id])
        }
        for a in change.approvals {
            if let stored = try db.value(String.self, sql: "SELECT status FROM case_approval WHERE id = ?", arguments: [a.id]) {
                guard let status = ApprovalRecord.Status(rawValue: stored), a.status.mayFollow(status) else { throw ApprovalRecord.alreadyDecided }
            }
            try db.run(
                sql: """
                    INSERT OR REPLACE INTO case_approval (id, case_id, transition_id, state, approver_role, requested_by, requested_at,
                                                          status, decided_by, decided_at, comment)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [a.id, id, a.transitionID, a.state, a.approverRole, a.requestedBy.rawValue, millis(a.requestedAt), a.status.rawValue,
                            a.decidedBy?.rawValue, a.decidedAt.map(millis), a.sealedComment.map { Data($0) }])
        }
        for member in change.membersAdded {
            try db.run(
                sql: "INSERT OR IGNORE INTO case_member (case_id, user_id, added_at) VALUES (?, ?, ?)", arguments: [id, member.rawValue, millis(change.at)])
        }
        for a in change.attachmentsAdded {
            try db.run(
                sql: "INSERT INTO case_attachment (id, case_id, name, content_type, byte_count, content, at, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [a.id, id, Data(a.sealedName), a.contentType, a.byteCount, Data(a.sealedContent), millis(a.at), a.actorID.rawValue])
            contentChanged = true
        }
        for activity in change.activities { try write(activity, in: db) }
        for (serviceID, score) in change.serviceRatings.sorted(by: { $0.key < $1.key }) { try Self.rate(serviceID, score: score, in: db) }
        if bumping && contentChanged {
            try db.run(sql: "UPDATE case_file SET version = version + 1, updated_at = ? WHERE id = ?", arguments: [millis(change.at), id])
        }
        return written
    }

    func write(_ submission: SubmissionWrite, in db: Database) throws -> SubmissionRecord {
        let r = submission.record
        let key: [any DatabaseValueConvertible] = [r.caseID.rawValue, r.formID]
        let stored = try db.value(
            Int.self, sql: "SELECT version FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?", arguments: StatementArguments(key + [r.entry]))
        try SubmissionWrite.check(stored: stored, expected: submission.expectedVersion, writing: r.version)
        let overlays = StoredJSON.text(r.overlays), changed = StoredJSON.text(r.changed)
        // The version this one replaces goes to the entry's history; the entry holds the latest.
        // A new entry's answers are written once (written twice, entry and history, they were a
        // tenth of an import).
        if stored != nil {
            try db.run(
                sql: """
                    INSERT INTO case_submission_history (\(Self.submissionColumns))
                    SELECT \(Self.submissionColumns) FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?
                    """,
                arguments: StatementArguments(key + [r.entry]))
        }
        try db.run(
            sql: """
                INSERT OR REPLACE INTO case_submission (\(Self.submissionColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [r.caseID.rawValue, r.formID, r.entry, r.version, r.formVersion, overlays, Data(r.ciphertext), millis(r.at),
                        r.actorID.rawValue, changed])
        // A new entry has no keys yet (an entry's keys go only with it, at a purge).
        if stored != nil {
            try db.run(sql: "DELETE FROM case_search WHERE case_id = ? AND form_id = ? AND entry = ?", arguments: StatementArguments(key + [r.entry]))
        }
        // Eight rows a statement: one trip through SQLite's statement machinery for most forms'
        // keys (the writer is the one thread every save waits for), and at most eight shapes cached.
        var keys = submission.searchKeys[...]
        while !keys.isEmpty {
            let rows = keys.prefix(8)
            keys = keys.dropFirst(rows.count)
            var arguments = StatementArguments()
            for search in rows { arguments += [r.caseID.rawValue, r.formID, r.entry, search.fieldID, Data(search.blindIndex)] }
            try db.run(
                sql: "INSERT INTO case_search (case_id, form_id, entry, field_id, blind_index) VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?)", count: rows.count).joined(separator: ", "),
                arguments: arguments)
        }
        if let remembered = submission.idempotency {
            try db.run(
                sql: "INSERT INTO idempotency (actor_id, key, request_digest, case_id, form_id, entry, version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [remembered.actorID.rawValue, remembered.key, Data(remembered.requestDigest), remembered.caseID.rawValue,
                            remembered.formID, remembered.entry, remembered.version, millis(remembered.at)])
        }
        return r
    }

    func insert(_ task: TaskRecord, in db: Database) throws {
        try db.run(
            sql: """
                INSERT INTO case_task (id, case_id, assignee_id, timer_id, title, due_at, status, created_at, completed_at, completed_by, subject)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [task.id, task.caseID.rawValue, task.assigneeID.rawValue, task.timerID, task.sealedTitle.map { Data($0) },
                        millis(task.dueAt), task.status.rawValue, millis(task.createdAt), task.completedAt.map(millis), task.completedBy?.rawValue,
                        task.subject])
    }

    public func fireTimer(_ timer: TimerRecord, task: TaskRecord?, audit: AuditDraft) async throws -> Bool {
        try await write("fire a timer") { db in
            try db.run(sql: "UPDATE case_timer SET status = 'fired' WHERE id = ? AND status = 'pending'", arguments: [timer.id])
            // Another process fired it first: nothing more to do.
            guard db.changesCount == 1 else { return false }
            if let task { try self.insert(task, in: db) }
            try self.append(audit, in: db)
            return true
        }
    }

    /// A purge forgets which install sent the case and when: that would still say where the
    /// person came from. The package id stays, so that the same package is still refused
    /// as a replay and cannot bring the purged case back.
    static let forgetTransferSender = "UPDATE transfer_import SET sender = '', imported_at = 0 WHERE case_id = ?"

    @discardableResult
    public func purgeCase(id: CaseID, audit: AuditDraft) async throws -> Bool {
        try await write("purge the case") { db in
            try db.run(
                sql: "UPDATE case_file SET wrapped_key = NULL, version = version + 1 WHERE id = ?", arguments: [id.rawValue])
            // Everything the case held: its sealed answers and files, and what stays plain
            // (states, dates, tasks, members). The blind indexes too: they would still let
            // a key holder confirm a guessed name.
            for table in [
                "case_search", "idempotency", "case_submission", "case_submission_history", "case_attachment", "case_activity",
                "case_timer", "case_task", "case_approval", "case_state_change", "case_member", "case_report_digest",
            ] {
                try db.run(sql: "DELETE FROM \(table) WHERE case_id = ?", arguments: [id.rawValue])
            }
            try db.run(sql: SQLiteStore.forgetTransferSender, arguments: [id.rawValue])
            try self.append(audit, in: db)
        }
        // secure_delete zeroed the deleted cells and the pages freed; the WAL could still hold
        // old copies of those pages, so it is emptied now. Giving the freed pages back to the
        // disk (VACUUM) waits for `amana db vacuum`: it rewrites the whole file and holds the
        // writer meanwhile (4 to 5 minutes at a million cases), and erases nothing more.
        do {
            return try await emptyWAL()
        } catch {
            return false
        }
    }

    /// Copies the WAL into the file and truncates it; false when a reader kept it from finishing.
    func emptyWAL() async throws -> Bool {
        try await pool.writeWithoutTransaction { db in
            // The first column is 1 when the checkpoint could not complete.
            try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") == 0
        }
    }

    public func compact() async throws {
        let emptied: Bool
        do {
            try await pool.vacuum()
            emptied = try await emptyWAL()
        } catch {
            throw SQLiteStore.map(error, doing: "compact the database")
        }
        guard emptied else {
            throw AmanaError(.storageUnavailable, code: "store-busy", "Compacted, but the WAL could not be emptied: another process was reading it; try again.")
        }
    }
}
