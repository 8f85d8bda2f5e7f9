import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Vault

extension Kernel {
    /// Fires every workflow timer whose time has come: each creates its task.
    /// Safe to run from several processes at once (a timer fires once). Called
    /// before "my work" and case reads, and every minute by `amana serve`.
    @discardableResult
    public func fireDueTimers(requestID: String) async throws(AmanaError) -> Int {
        try await run {
            var fired = 0
            let now = clock.now()
            for timer in try await store.dueTimers(at: now, limit: 1000) {
                var task: TaskRecord?
                if timer.timerID == Kernel.consentRenewalTimer, let record = try await store.caseRecord(id: timer.caseID), record.wrappedKey != nil {
                    task = consentRenewalTask(timer, of: record, now: now)
                } else if let record = try await store.caseRecord(id: timer.caseID), record.wrappedKey != nil,
                   let definition = definitions.workflow(forCaseType: record.caseType)?.timers.first(where: { $0.id == timer.timerID }) {
                    let assignee = try await assignee(definition.task.assignee, of: record)
                    task = TaskRecord(id: newID(), caseID: record.id, assigneeID: assignee, timerID: timer.timerID, sealedTitle: nil, dueAt: timer.firesAt, createdAt: now,
                        subject: timer.subject)
                }
                // A timer whose case or definition is gone fires with no task: nothing left to remind.
                let detail = "timer=\(timer.timerID)" + (task.map { " task=\($0.id)" } ?? " no-task")
                if try await store.fireTimer(timer, task: task, audit: audit("system", "timer.fire", "case:\(timer.caseID.rawValue)", requestID: requestID, detail: detail)) {
                    fired += 1
                }
            }
            return fired
        }
    }

    /// Who a workflow task goes to: the case owner, or a supervisor of the case's team
    /// (someone there who may approve), falling back to the owner.
    func assignee(_ assignee: WorkflowDefinition.Assignee, of record: CaseRecord) async throws -> UserID {
        guard assignee == .supervisor, let team = record.teamID else { return record.ownerID }
        let supervisor = try await store.users().first { user in
            user.teamID == team && !user.disabled && roles.role(user.role)?.scope(for: "case", "approve") != nil
        }
        return supervisor?.id ?? record.ownerID
    }

    /// ``fireDueTimers(requestID:)`` before a case, "my work", a dashboard or the overdue list is
    /// read, at most once a second by the install's clock: under load that is one trip to the
    /// store saved on nearly every read. A timer that fell due in the last second, or one another
    /// process set already due, is the most a read can miss, and a read a second later fires it;
    /// this process's own changes that set a timer already due reset the wait (``applyCaseChange(_:audit:)``).
    func catchUpOnTimers(requestID: String) async throws {
        let now = clock.now()
        let due = timersCaughtUp.withLock { last in
            guard abs(now.timeIntervalSince(last)) >= 1 else { return false }
            last = now
            return true
        }
        if due { try await fireDueTimers(requestID: requestID) }
    }

    /// Writes a case change. A change that sets a timer already due (a risk level that shortens
    /// the assessment's pace, a renewal date that has passed) makes the next read fire timers.
    func applyCaseChange(_ change: CaseChange, audit: AuditDraft) async throws -> (CaseRecord, SubmissionRecord?) {
        let written = try await store.applyCaseChange(change, audit: audit)
        noteTimersDue(in: change)
        return written
    }

    /// A change just written that starts or retimes a timer already due has it fire at the next catch-up.
    func noteTimersDue(in change: CaseChange) {
        if change.timersStarted.contains(where: { $0.firesAt <= change.at }) || change.timersRetimed.values.contains(where: { $0 <= change.at }) {
            timersCaughtUp.withLock { $0 = .distantPast }
        }
    }

    /// The actor's open tasks: overdue first, then by the case's risk (high
    /// first), then by due date. Tasks on cases the actor can no longer see are left out.
    public func myWork(actor: Actor, requestID: String) async throws(AmanaError) -> [TaskView] {
        try await run {
            try await catchUpOnTimers(requestID: requestID)
            let now = clock.now()
            var views: [TaskView] = []
            for assigned in try await store.openTasks(assigneeID: actor.userID) {
                guard permittedHolding(assigned.caseRecord, for: "read", actor: actor, members: assigned.caseMembers) != nil else { continue }
                // The key only for a title sealed on the case (a caseworker's own reminder): a workflow's task has its title in the definitions.
                views.append(try taskView(assigned.task, assigned.caseRecord, assignee: actor.username, key: try caseKey(of: assigned.caseRecord), language: actor.language, now: now))
            }
            try await store.appendAudit(audit(actor.auditName, "task.list", "task", requestID: requestID, detail: "count=\(views.count)"))
            let riskOrder = ["high": 0, "medium": 1, "low": 2]
            return views.sorted {
                ($0.overdue ? 0 : 1, riskOrder[$0.riskLevel ?? ""] ?? 3, $0.dueAt) < ($1.overdue ? 0 : 1, riskOrder[$1.riskLevel ?? ""] ?? 3, $1.dueAt)
            }
        }
    }

    /// - Parameter key: the case's key, asked for only when the title is sealed on the case.
    func taskView(_ task: TaskRecord, _ record: CaseRecord, assignee: String, key: @autoclosure () throws -> any CaseKey, language: String, now: Date? = nil) throws -> TaskView {
        let title: String
        if task.timerID == Kernel.consentRenewalTimer {
            title = definitions.messages.text("consent.renewal-task", language, ["age": task.subject ?? ""])
        } else if let timerID = task.timerID, let timer = definitions.workflow(forCaseType: record.caseType)?.timers.first(where: { $0.id == timerID }) {
            title = timer.task.title.text(language)
        } else {
            title = try task.sealedTitle.map { unsealText($0, key: try key(), caseID: record.id, as: "task:\(task.id)") ?? "" } ?? ""
        }
        return TaskView(
            id: task.id, caseId: record.id.rawValue, caseNumber: record.caseNumber, riskLevel: record.riskLevel, title: title, assignee: assignee,
            dueAt: task.dueAt, overdue: task.status == .open && task.dueAt <= (now ?? clock.now()), status: task.status.rawValue)
    }

    /// Adds a task on a case (a supervisor's follow-up action, a caseworker's
    /// own reminder). The title is sealed: it may name someone.
    public func addTask(caseID: String, title: String, dueAt: Date, assignee: String?, actor: Actor, requestID: String) async throws(AmanaError) -> TaskView {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(trimmed.utf8.count) else { throw .invalid("title", "A task title has 1 to 500 bytes.", pointer: "/title") }
        return try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "task.create", requestID: requestID)
            try requireOpen(opened.record)
            var assigneeID = opened.record.ownerID
            var assigneeName = try await usernames([assigneeID])[assigneeID] ?? ""
            if let assignee {
                guard let person = try await colleague(assignee, on: opened.record), person.may("read", "case", on: opened.holding) else {
                    throw AmanaError.invalid("assignee", "'\(assignee)' cannot work on this case.", pointer: "/assignee")
                }
                assigneeID = person.userID
                assigneeName = person.username
            }
            let id = newID()
            let task = TaskRecord(
                id: id, caseID: opened.record.id, assigneeID: assigneeID, timerID: nil,
                sealedTitle: try sealText(trimmed, key: opened.key, caseID: opened.record.id, as: "task:\(id)"), dueAt: dueAt, createdAt: clock.now())
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: clock.now())
            change.tasksAdded = [task]
            _ = try await applyCaseChange(change, audit: audit(actor.auditName, "task.create", "case:\(caseID)", requestID: requestID, detail: "task=\(id)"))
            return try taskView(task, opened.record, assignee: assigneeName, key: opened.key, language: actor.language)
        }
    }

    /// Marks a task done: its assignee, or anyone who may update the case.
    public func completeTask(caseID: String, taskID: String, actor: Actor, requestID: String) async throws(AmanaError) {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "task.complete", requestID: requestID)
            guard let task = try await store.tasks(caseID: opened.record.id).first(where: { $0.id == taskID }) else { throw AmanaError.notFound }
            guard task.assigneeID == actor.userID || actor.may("update", "case", on: opened.holding) else {
                throw await refuse(.user(actor), "task.complete", "case:\(caseID)", requestID: requestID)
            }
            var change = CaseChange(caseID: opened.record.id, expectedVersion: nil, at: clock.now())
            change.tasksCompleted = [taskID: (clock.now(), actor.userID)]
            _ = try await applyCaseChange(change, audit: audit(actor.auditName, "task.complete", "case:\(caseID)", requestID: requestID, detail: "task=\(taskID)"))
        }
    }
}
