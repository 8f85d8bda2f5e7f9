import AmanaCore
import Foundation
import Store

extension PostgresStore {
    public func insertCase(
        _ record: CaseRecord, opening: CaseChange, numberPrefix: String, year: Int, audit: AuditDraft, then changes: [(change: CaseChange, audit: AuditDraft)],
        keeping digest: ReportDigestWrite?
    ) async throws -> CaseRecord {
        try await write("save the case") { t in
            let sequence = try await t.value(
                Int64.self,
                """
                INSERT INTO case_number_sequence (prefix, year, last) VALUES (?, ?, 1)
                ON CONFLICT (prefix, year) DO UPDATE SET last = case_number_sequence.last + 1 RETURNING last
                """,
                [numberPrefix, year]) ?? 1
            var numbered = record
            numbered.caseNumber = String(format: "%@-%04d-%06d", numberPrefix, year, Int(sequence))
            try await t.run(
                """
                INSERT INTO case_file (id, case_number, case_type, owner_id, team_id, agency_id, wrapped_key, key_version,
                                       created_at, updated_at, version, state, risk_level, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [numbered.id.rawValue, numbered.caseNumber, numbered.caseType, numbered.ownerID.rawValue, numbered.teamID?.rawValue,
                 numbered.agencyID.rawValue, numbered.wrappedKey.map { Data($0) }, Int64(numbered.keyVersion), numbered.createdAt.storedMillis,
                 numbered.updatedAt.storedMillis, numbered.version, numbered.state, numbered.riskLevel, numbered.closedAt?.storedMillis])
            var entry = audit
            entry.object = "case:\(numbered.id.rawValue)"
            _ = try await self.apply(opening, bumping: false, in: t)
            try await self.append(entry, in: t)
            for (change, audit) in changes {
                _ = try await self.apply(change, bumping: true, in: t)
                try await self.append(audit, in: t)
            }
            if let digest { try await Self.keep(digest, in: t) }
            return try await Self.caseRecord(numbered.id, in: t)!
        }
    }

    public func applyCaseChange(_ change: CaseChange, audit: AuditDraft) async throws -> (CaseRecord, SubmissionRecord?) {
        try await write("save the case") { t in
            guard let current = try await Self.caseRecord(change.caseID, in: t), current.wrappedKey != nil else { throw AmanaError.notFound }
            if let expected = change.expectedVersion, expected != current.version {
                throw AmanaError(
                    .preconditionFailed, code: "case-changed",
                    "Someone changed this case since you read it (you read version \(expected); it is now version \(current.version)). Reload the case and apply your change again.")
            }
            let submission = try await self.apply(change, bumping: true, in: t)
            try await self.append(audit, in: t)
            return (try await Self.caseRecord(change.caseID, in: t)!, submission)
        }
    }

    /// Writes every part of `change`, as ``SQLiteStore`` does: the case version goes up when
    /// its envelope, forms or attachments change; tasks, timers, approvals and members alone
    /// leave it as it is.
    func apply(_ change: CaseChange, bumping: Bool, in t: PostgresTransaction) async throws -> SubmissionRecord? {
        let id = change.caseID.rawValue
        var contentChanged = false
        var written: SubmissionRecord?
        if let submission = change.submission {
            written = try await write(submission, in: t)
            contentChanged = true
        }
        if let state = change.state {
            try await t.run("UPDATE case_file SET state = ? WHERE id = ?", [state, id])
            contentChanged = true
        }
        if let risk = change.riskLevel {
            try await t.run("UPDATE case_file SET risk_level = ? WHERE id = ?", [risk, id])
            contentChanged = true
        }
        for imported in change.importedSubmissions {
            _ = try await write(imported, in: t)
            contentChanged = true
        }
        if let package = change.packageImport {
            guard try await t.value(Int64.self, "SELECT 1::bigint FROM transfer_import WHERE package_id = ?", [package.packageID]) == nil else {
                throw AmanaError(.conflict, code: "package-replayed", "This transfer package was already imported; nothing was imported again.")
            }
            try await t.run(
                "INSERT INTO transfer_import (package_id, case_id, sender, imported_at) VALUES (?, ?, ?, ?)",
                [package.packageID, id, package.sender, package.at.storedMillis])
        }
        if let agency = change.agencyID {
            try await t.run("UPDATE case_file SET agency_id = ? WHERE id = ?", [agency.rawValue, id])
            contentChanged = true
        }
        if let (owner, team) = change.owner {
            // The previous owner's open tasks go with the case: they may no longer see it.
            if let previous = try await t.value(String.self, "SELECT owner_id FROM case_file WHERE id = ?", [id]), previous != owner.rawValue {
                try await t.run(
                    "UPDATE case_task SET assignee_id = ? WHERE case_id = ? AND status = 'open' AND assignee_id = ?", [owner.rawValue, id, previous])
            }
            try await t.run("UPDATE case_file SET owner_id = ?, team_id = ? WHERE id = ?", [owner.rawValue, team?.rawValue, id])
            contentChanged = true
        }
        if let closedAt = change.closedAt {
            try await t.run("UPDATE case_file SET closed_at = ? WHERE id = ?", [closedAt?.storedMillis, id])
            contentChanged = true
        }
        if let s = change.stateChange {
            try await t.run(
                """
                INSERT INTO case_state_change (case_id, seq, at, actor_id, transition_id, from_state, to_state, reason)
                SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM case_state_change WHERE case_id = ?
                """,
                [id, s.at.storedMillis, s.actorID.rawValue, s.transitionID, s.fromState, s.toState, s.sealedReason.map { Data($0) }, id])
        }
        for stop in change.timersCancelled {
            if let subject = stop.subject {
                try await t.run(
                    "UPDATE case_timer SET status = 'cancelled' WHERE case_id = ? AND timer_id = ? AND status = 'pending' AND subject = ?",
                    [id, stop.timerID, subject])
            } else {
                try await t.run("UPDATE case_timer SET status = 'cancelled' WHERE case_id = ? AND timer_id = ? AND status = 'pending'", [id, stop.timerID])
            }
        }
        for timer in change.timersStarted {
            try await t.run(
                "INSERT INTO case_timer (id, case_id, timer_id, fires_at, status, started_at, subject) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [timer.id, id, timer.timerID, timer.firesAt.storedMillis, timer.status.rawValue, timer.startedAt?.storedMillis, timer.subject])
        }
        for (timerRowID, firesAt) in change.timersRetimed.sorted(by: { $0.key < $1.key }) {
            try await t.run(
                "UPDATE case_timer SET fires_at = ? WHERE id = ? AND case_id = ? AND status = 'pending'", [firesAt.storedMillis, timerRowID, id])
        }
        for task in change.tasksAdded { try await insert(task, in: t) }
        for (taskID, completion) in change.tasksCompleted.sorted(by: { $0.key < $1.key }) {
            let done = try await t.changed(
                "UPDATE case_task SET status = 'done', completed_at = ?, completed_by = ? WHERE id = ? AND case_id = ? AND status = 'open' RETURNING 1",
                [completion.at.storedMillis, completion.by.rawValue, taskID, id])
            guard done == 1 else { throw AmanaError(.conflict, code: "task-not-open", "This task is already done or was cancelled.") }
        }
        for taskID in change.tasksCancelled {
            try await t.run("UPDATE case_task SET status = 'cancelled' WHERE id = ? AND case_id = ? AND status = 'open'", [taskID, id])
        }
        for a in change.approvals {
            if let stored = try await t.value(String.self, "SELECT status FROM case_approval WHERE id = ?", [a.id]) {
                guard let status = ApprovalRecord.Status(rawValue: stored), a.status.mayFollow(status) else { throw ApprovalRecord.alreadyDecided }
            }
            try await t.run(
                """
                INSERT INTO case_approval (id, case_id, transition_id, state, approver_role, requested_by, requested_at,
                                           status, decided_by, decided_at, comment)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET case_id = excluded.case_id, transition_id = excluded.transition_id, state = excluded.state,
                    approver_role = excluded.approver_role, requested_by = excluded.requested_by, requested_at = excluded.requested_at,
                    status = excluded.status, decided_by = excluded.decided_by, decided_at = excluded.decided_at, comment = excluded.comment
                """,
                [a.id, id, a.transitionID, a.state, a.approverRole, a.requestedBy.rawValue, a.requestedAt.storedMillis, a.status.rawValue,
                 a.decidedBy?.rawValue, a.decidedAt?.storedMillis, a.sealedComment.map { Data($0) }])
        }
        for member in change.membersAdded {
            try await t.run(
                "INSERT INTO case_member (case_id, user_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [id, member.rawValue, change.at.storedMillis])
        }
        for a in change.attachmentsAdded {
            try await t.run(
                "INSERT INTO case_attachment (id, case_id, name, content_type, byte_count, content, at, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [a.id, id, Data(a.sealedName), a.contentType, a.byteCount, Data(a.sealedContent), a.at.storedMillis, a.actorID.rawValue])
            contentChanged = true
        }
        for activity in change.activities { try await write(activity, in: t) }
        for (serviceID, score) in change.serviceRatings.sorted(by: { $0.key < $1.key }) {
            try await t.run(
                "UPDATE service SET feedback_count = feedback_count + 1, feedback_total = feedback_total + ? WHERE id = ?", [score, serviceID])
        }
        if bumping && contentChanged {
            try await t.run("UPDATE case_file SET version = version + 1, updated_at = ? WHERE id = ?", [change.at.storedMillis, id])
        }
        return written
    }

    func write(_ submission: SubmissionWrite, in t: PostgresTransaction) async throws -> SubmissionRecord {
        let r = submission.record
        let stored = try await t.value(
            Int.self, "SELECT version FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?", [r.caseID.rawValue, r.formID, r.entry])
        try SubmissionWrite.check(stored: stored, expected: submission.expectedVersion, writing: r.version)
        let overlays = StoredJSON.text(r.overlays), changed = StoredJSON.text(r.changed)
        let row: [any PostgresArgument] = [
            r.caseID.rawValue, r.formID, r.entry, r.version, r.formVersion, overlays, Data(r.ciphertext), r.at.storedMillis, r.actorID.rawValue, changed,
        ]
        // The version this one replaces goes to the entry's history; the entry holds the latest.
        if stored != nil {
            try await t.run(
                """
                INSERT INTO case_submission_history (\(Self.submissionColumns))
                SELECT \(Self.submissionColumns) FROM case_submission WHERE case_id = ? AND form_id = ? AND entry = ?
                """, [r.caseID.rawValue, r.formID, r.entry])
        }
        try await t.run(
            """
            INSERT INTO case_submission (\(Self.submissionColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (case_id, form_id, entry) DO UPDATE SET version = excluded.version, form_version = excluded.form_version,
                overlays = excluded.overlays, ciphertext = excluded.ciphertext, at = excluded.at, actor_id = excluded.actor_id, changed = excluded.changed
            """, row)
        // A new entry has no keys yet (an entry's keys go only with it, at a purge).
        if stored != nil {
            try await t.run("DELETE FROM case_search WHERE case_id = ? AND form_id = ? AND entry = ?", [r.caseID.rawValue, r.formID, r.entry])
        }
        if !submission.searchKeys.isEmpty {
            // Every key in one statement, one round trip: a registration has about twenty.
            try await t.run(
                """
                INSERT INTO case_search (case_id, form_id, entry, field_id, blind_index)
                SELECT ?, ?, ?, field_id, decode(blind_index, 'hex') FROM unnest(?::text[], ?::text[]) AS key(field_id, blind_index)
                """,
                [r.caseID.rawValue, r.formID, r.entry, submission.searchKeys.map(\.fieldID), submission.searchKeys.map(\.blindIndex.hex)])
        }
        if let remembered = submission.idempotency {
            try await t.run(
                "INSERT INTO idempotency (actor_id, key, request_digest, case_id, form_id, entry, version, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [remembered.actorID.rawValue, remembered.key, Data(remembered.requestDigest), remembered.caseID.rawValue, remembered.formID, remembered.entry,
                 remembered.version, remembered.at.storedMillis])
        }
        return r
    }

    func insert(_ task: TaskRecord, in t: PostgresTransaction) async throws {
        try await t.run(
            """
            INSERT INTO case_task (id, case_id, assignee_id, timer_id, title, due_at, status, created_at, completed_at, completed_by, subject)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [task.id, task.caseID.rawValue, task.assigneeID.rawValue, task.timerID, task.sealedTitle.map { Data($0) }, task.dueAt.storedMillis,
             task.status.rawValue, task.createdAt.storedMillis, task.completedAt?.storedMillis, task.completedBy?.rawValue, task.subject])
    }

    public func fireTimer(_ timer: TimerRecord, task: TaskRecord?, audit: AuditDraft) async throws -> Bool {
        try await write("fire a timer") { t in
            // Another server fired it first: nothing more to do.
            guard try await t.changed("UPDATE case_timer SET status = 'fired' WHERE id = ? AND status = 'pending' RETURNING 1", [timer.id]) == 1 else {
                return false
            }
            if let task { try await self.insert(task, in: t) }
            try await self.append(audit, in: t)
            return true
        }
    }
}
