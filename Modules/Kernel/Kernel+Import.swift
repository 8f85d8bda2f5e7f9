import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Synchronization

/// One case brought in from elsewhere — a paper register typed up, a spreadsheet,
/// the system an organisation is leaving — with its forms' answers, in order.
public struct ImportedCase: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var formID: String
        public var values: [String: JSONValue]

        public init(formID: String, values: [String: JSONValue]) {
            self.formID = formID
            self.values = values
        }
    }

    public var caseType: String
    /// Filled in in this order (registration before consent, so that the person's age is known).
    public var entries: [Entry]

    public init(caseType: String, entries: [Entry]) {
        self.caseType = caseType
        self.entries = entries
    }
}

/// What an import did: the cases opened, in the order given, and those whose
/// forms were refused after the case was opened (left open, to be finished by hand).
public struct ImportReport: Sendable, Equatable {
    /// Case numbers, one per imported case, in the order given.
    public var caseNumbers: [String]
    /// Position in the import (0-based) -> what was refused.
    public var unfinished: [Int: AmanaError]
}

extension Kernel {
    /// Checks every case of an import without writing anything: the programme,
    /// each form's use and role, and each entry against its form. Returns each
    /// problem with the case's position; empty: the import may go ahead.
    public func checkImport(_ cases: [ImportedCase], actor: Actor) -> [(index: Int, error: AmanaError)] {
        let today = Day(clock.now())
        let visible = Set(caseTypes(visibleTo: actor.role))
        // Checking is all the work and each case is checked on its own: on every core, in slices.
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, cases.count / 64))
        let found = Mutex<[(index: Int, error: AmanaError)]>([])
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var problems: [(index: Int, error: AmanaError)] = []
            for index in stride(from: slice, to: cases.count, by: slices) {
                problems += checkImported(cases[index], at: index, visible: visible, today: today, actor: actor)
            }
            found.withLock { $0 += problems }
        }
        // By case, and a case's problems in the order found (one slice found them all).
        return found.withLock { $0 }.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.map(\.element)
    }

    /// The problems of one case of an import, each with the case's position.
    private func checkImported(_ imported: ImportedCase, at index: Int, visible: Set<String>, today: Day, actor: Actor) -> [(index: Int, error: AmanaError)] {
        var problems: [(index: Int, error: AmanaError)] = []
        guard visible.contains(imported.caseType), let plugin = definitions.plugin(forCaseType: imported.caseType) else {
            problems.append((index, .invalid("case-type-unknown", "Unknown case type '\(imported.caseType)'; expected one of \(visible.sorted().joined(separator: ", ")).", pointer: "/case_type")))
            return problems
        }
        for (position, entry) in imported.entries.enumerated() {
            let pointer = "/forms/\(position)"
            guard let form = definitions.forms[entry.formID], let validator = definitions.validator(for: entry.formID),
                  form.plugin == plugin.id || plugin.uses.contains(entry.formID)
            else {
                problems.append((index, .invalid("form-not-used", "\(imported.caseType) cases do not use a form '\(entry.formID)'.", pointer: pointer + "/form")))
                continue
            }
            guard mayRead(entry.formID, actor: actor), form.filledBy.isEmpty || form.filledBy.contains(actor.role.id) else {
                problems.append((index, .invalid("form-not-yours", "Your role does not fill in the form '\(entry.formID)'.", pointer: pointer + "/form")))
                continue
            }
            let result = validator.validate(entry.values, today: today, language: actor.language)
            if !result.isValid {
                var error = AmanaError.invalid(
                    "submission-invalid", "The form '\(entry.formID)' has \(result.problems.count) problem(s) to fix.", pointer: pointer + "/answers")
                error.fieldProblems = result.problems.map { FieldProblem(path: pointer + "/answers" + $0.path, code: $0.code, message: $0.message) }
                problems.append((index, error))
            }
        }
        return problems
    }

    /// Cases an import works on at once, by default. Each case waits on its commit far longer
    /// than it works, and concurrent writes share a commit (`WriteGroupCommit`, up to 64 at a
    /// time): on two cores 8 lanes took 2.0 ms a case, 64 lanes 1.1 ms (each case three commits then).
    public static let importLanes = 64

    /// Opens each case, held by `actor`, and fills in its forms, through every
    /// check casework goes through (the role, need-to-know, each form, the consent
    /// rules) and with every step audited as usual; `lanes` cases at a time.
    ///
    /// Refused at once, with nothing written, if ``checkImport(_:actor:)`` finds any
    /// problem. A form refused by a rule that needs the case (such as who may consent
    /// for a child) leaves the case opened with the forms before it, and is reported
    /// in ``ImportReport/unfinished``.
    public func importCases(
        _ cases: [ImportedCase], actor: Actor, lanes: Int = Kernel.importLanes, requestID: String
    ) async throws(AmanaError) -> ImportReport {
        guard actor.may("create", "case") else { throw await refuse(.user(actor), "case.import", "case", requestID: requestID) }
        let problems = checkImport(cases, actor: actor)
        if let first = problems.first {
            var error = AmanaError.invalid(
                "import-invalid", "\(problems.count) of \(cases.count) cases have problems to fix; nothing was imported.", pointer: "/\(first.index)\(first.error.pointer ?? "")")
            error.fieldProblems = problems.flatMap { index, error in
                error.fieldProblems.isEmpty
                    ? [FieldProblem(path: "/\(index)\(error.pointer ?? "")", code: error.code, message: error.message)]
                    : error.fieldProblems.map { FieldProblem(path: "/\(index)\($0.path)", code: $0.code, message: $0.message) }
            }
            throw error
        }
        let kept = reportDigests
        return try await run {
            let results = try await withThrowingTaskGroup(of: [(Int, String, AmanaError?)].self) { group in
                let lanes = max(1, min(lanes, cases.count))
                for lane in 0..<lanes {
                    group.addTask {
                        var made: [(Int, String, AmanaError?)] = []
                        let mine = Array(stride(from: lane, to: cases.count, by: lanes))
                        for start in stride(from: 0, to: mine.count, by: Kernel.importBatch) {
                            let batch = mine[start..<min(start + Kernel.importBatch, mine.count)]
                            var checked: [(index: Int, case: CheckedImport)] = []
                            for index in batch {
                                checked.append((index, try await self.check(cases[index], keeping: kept, actor: actor, requestID: requestID)))
                            }
                            made += try await self.write(checked, actor: actor)
                        }
                        return made
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }.sorted { $0.0 < $1.0 }
            var unfinished: [Int: AmanaError] = [:]
            for (index, _, error) in results { if let error { unfinished[index] = error } }
            return ImportReport(caseNumbers: results.map(\.1), unfinished: unfinished)
        }
    }

    /// Cases an import lane checks before writing them: written at once, they reach the writer
    /// together and share a commit, where each case written as soon as it was checked would
    /// often wait for a disk flush of its own.
    static let importBatch = 8

    /// One case of an import, checked and ready to write.
    struct CheckedImport {
        var new: NewCase
        var saves: [PreparedSave]
        var digest: ReportDigestWrite?
        /// The form refused by the case's own rules, if one was: the case is written with the forms before it.
        var refused: AmanaError?
    }

    /// One case: its entries checked in order, each handed those before it as checked (not read back
    /// and checked again), up to the first refusal. With `keeping` (what report digests hold), the case's
    /// report digest too, made from the entries as they were checked for their saves: the first report
    /// after an import need not unseal and check every form again.
    private func check(_ imported: ImportedCase, keeping kept: ReportDigestContents?, actor: Actor, requestID: String) async throws -> CheckedImport {
        let new = try newCase(type: imported.caseType, actor: actor, requestID: requestID)
        var saves: [PreparedSave] = []
        var checked: [(SubmissionRecord, ValidationResult)] = []
        // The case's timers as the store will hold them, for a risk level that paces them.
        var timers = new.opening.pendingTimers(after: [])
        var refused: AmanaError?
        for entry in imported.entries {
            do {
                let step = try await prepareSave(
                    new.opened, formID: entry.formID, entry: nil, values: entry.values, expectVersion: nil, auditDetail: "import", steadiness: kept != nil,
                    knownForms: checked, pendingTimers: timers, actor: actor, requestID: requestID)
                // Without an Idempotency-Key a save is never one made before.
                guard case .ready(let save) = step else { continue }
                saves.append(save)
                checked.append(save.checked)
                timers = save.change.pendingTimers(after: timers)
            } catch {
                let error = Kernel.amanaError(error)
                // A refusal of this case's content leaves it unfinished; the store or the install failing ends the import.
                guard ![.storageUnavailable, .installProblem, .internalFailure].contains(error.kind) else { throw error }
                refused = error
                break
            }
        }
        let digest = try kept.map { kept in
            // In the order a report reads a case's entries (by form, then entry): the latest valid entry of a form is the last.
            checked.sort { ($0.0.formID, $0.0.entry) < ($1.0.formID, $1.0.entry) }
            return try digestToKeep(
                checked, of: new.opened.record, key: new.opened.key, kept: kept,
                submissionMark: ReportDigestWrite.submissionMark(entries: checked.count, versions: checked.map(\.0.version).reduce(0, +)))
        }
        return CheckedImport(new: new, saves: saves, digest: digest, refused: refused)
    }

    /// Writes checked cases, each opened with the forms that passed and its digest in a transaction
    /// of its own (each step with its own audit entry, as in casework), all at once so that they
    /// share commits; returns each one's position, case number and refusal.
    private func write(_ checked: [(index: Int, case: CheckedImport)], actor: Actor) async throws -> [(Int, String, AmanaError?)] {
        try await withThrowingTaskGroup(of: (Int, String, AmanaError?).self) { group in
            for (index, one) in checked {
                group.addTask {
                    let opened = try await self.insert(one.new, then: one.saves, keeping: one.digest, actor: actor)
                    return (index, opened.record.caseNumber, one.refused)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}

extension CaseChange {
    /// The timers left pending once this change is written over `pending`, as the store writes it:
    /// stops first, then starts, then new times.
    func pendingTimers(after pending: [TimerRecord]) -> [TimerRecord] {
        var timers = pending.filter { timer in
            !timersCancelled.contains { $0.timerID == timer.timerID && ($0.subject == nil || $0.subject == timer.subject) }
        }
        timers += timersStarted.filter { $0.status == .pending }
        for index in timers.indices {
            if let firesAt = timersRetimed[timers[index].id] { timers[index].firesAt = firesAt }
        }
        return timers
    }
}
