import AmanaCore
import FormKit
import Foundation
import Store
import Vault

/// A plan's actions as tasks: a repeat with `tasks:` (the case plan's actions)
/// makes each row not yet done a task for the case owner, due on its date.
/// Every save of the form brings the tasks in line: a new or changed action
/// gets a task, one done, dropped or removed has its open task cancelled; tasks
/// already done stay done.
extension Kernel {
    /// The tasks to add and to cancel when `values` are saved as `formID` entry `entry`.
    func rowTaskChanges(
        form: FormDefinition, entry: Int, values: [String: Value], opened: OpenedCase, at now: Date
    ) async throws -> (added: [TaskRecord], cancelled: [String]) {
        guard form.allFields.contains(where: { $0.tasks != nil }) else { return ([], []) }
        let prefix = "rows:\(form.id)#\(entry):"
        var wanted: [String: (title: String, due: Day)] = [:]
        collect(form.topLevelFields, values: values, outer: [:], into: &wanted, prefix: prefix, today: Day(now))
        let existing = try await store.tasks(caseID: opened.record.id).filter { $0.subject?.hasPrefix(prefix) == true }
        let known = Set(existing.compactMap(\.subject))
        var added: [TaskRecord] = []
        for (subject, row) in wanted.sorted(by: { $0.key < $1.key }) where !known.contains(subject) {
            let id = newID()
            added.append(TaskRecord(
                id: id, caseID: opened.record.id, assigneeID: opened.record.ownerID, timerID: nil,
                sealedTitle: try sealText(row.title, key: opened.key, caseID: opened.record.id, as: "task:\(id)"),
                // Due by the end of its day.
                dueAt: Date(timeIntervalSince1970: TimeInterval(row.due.number * 86_400 + 86_399)), createdAt: now, subject: subject))
        }
        let cancelled = existing.filter { $0.status == .open && wanted[$0.subject ?? ""] == nil }.map(\.id)
        return (added, cancelled)
    }

    /// Rows of repeats with `tasks:` that are not done, by a subject naming the row's title
    /// and date (a keyed digest: the plain subject says nothing of the action).
    func collect(
        _ fields: [FieldDefinition], values: [String: Value], outer: [String: Value], into wanted: inout [String: (title: String, due: Day)], prefix: String, today: Day
    ) {
        for field in fields where field.type == .repeat {
            guard case .rows(let rows)? = values[field.id] else { continue }
            for row in rows {
                let scope = outer.merging(values) { _, inner in inner }
                if let tasks = field.tasks, case .text(let title)? = row[tasks.title], case .date(let due)? = row[tasks.due],
                   !(tasks.doneIf?.evaluate(in: EvaluationContext(values: scope.merging(row) { _, inner in inner }, today: today)).isTrue ?? false) {
                    let digest = vault.tokenDigest(Array("\(prefix)\(field.id)|\(title)|\(due)".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
                    wanted[prefix + digest] = ("\(tasks.label): " + title, due)
                }
                collect(field.fields, values: row, outer: scope, into: &wanted, prefix: prefix, today: today)
            }
        }
    }
}
