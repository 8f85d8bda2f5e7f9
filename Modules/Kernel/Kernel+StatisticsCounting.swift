import AmanaCore
import FormKit
import Foundation
import Store
import Vault

/// Counting a statistics table: a page of cases at a time, each case's forms
/// unsealed and checked, its consent asked, its entries counted.
extension Kernel {
    /// Cases read for a table at a time.
    static let statisticsPage = 1_000

    /// The forms a programme's consent decision reads: the consent form, the form the person's
    /// age comes from, the forms the policy's exceptions and other agreements are recorded on.
    func consentForms(forCaseType caseType: String) -> Set<String> {
        Set(consentFields(forCaseType: caseType).keys)
    }

    /// The answers a programme's consent decision reads, by form: the consent form's
    /// (``consentRecordFields``), the date of birth and estimated age, what each exception's
    /// condition reads, and each other agreement form's answers. What a report digest keeps of those forms.
    func consentFields(forCaseType caseType: String) -> [String: Set<String>] {
        var fields = [Kernel.consentForm: Kernel.consentRecordFields]
        guard let policy = definitions.consentPolicy(forCaseType: caseType) else { return fields }
        fields[policy.ageFrom.form, default: []].formUnion([policy.ageFrom.dateOfBirth] + [policy.ageFrom.estimatedAge].compactMap { $0 })
        for exception in policy.exceptions { fields[exception.form, default: []].formUnion(exception.when.fieldReferences) }
        for source in policy.agreementSources {
            fields[source.form, default: []].formUnion([source.agrees, source.givenBy] + [source.recipient, source.shares?.field].compactMap { $0 })
        }
        return fields
    }

    /// What report digests hold under the definitions in force; nil: none are kept. Worked out once
    /// per kernel (its definitions do not change while it is open), not at every report or import.
    var reportDigests: ReportDigestContents? {
        guard let basis = reportBasis else { return nil }
        if let known = knownDigestContents.withLock({ $0 }) { return known }
        let contents = reportDigestContents(basis: basis)
        knownDigestContents.withLock { $0 = contents }
        return contents
    }

    /// What report digests made under `basis` (the definitions in force) hold.
    func reportDigestContents(basis: String) -> ReportDigestContents {
        var aggregate: [String: Set<String>] = [:]
        for form in definitions.forms.values {
            let fields = Set(form.topLevelFields.filter { $0.sensitivity == .aggregate }.map(\.id))
            if !fields.isEmpty { aggregate[form.id] = fields }
        }
        var kept: [String: [String: Set<String>]] = [:]
        for caseType in definitions.plugins.values.compactMap(\.caseType) {
            kept[caseType] = consentFields(forCaseType: caseType).merging(aggregate) { $0.union($1) }
        }
        return ReportDigestContents(basis: basis, forms: Set(kept.values.flatMap(\.keys)), kept: kept, aggregate: aggregate)
    }

    /// The report digest of a case's checked entries (checked with `steadiness`), sealed under its key,
    /// to keep while its entries are still as `submissionMark` says: what a report and an import keep.
    func digestToKeep(
        _ checked: [(SubmissionRecord, ValidationResult)], of record: CaseRecord, key: any CaseKey, kept: ReportDigestContents, submissionMark: String
    ) throws -> ReportDigestWrite {
        let digest = ReportDigest(checked: checked, keeping: kept.kept[record.caseType] ?? kept.aggregate)
        return ReportDigestWrite(
            caseID: record.id, basis: kept.basis, steadyUntil: digest.steadyUntil?.number,
            ciphertext: try seal(digest.json, key: key, caseID: record.id, as: ReportDigest.purpose), submissionMark: submissionMark)
    }

    /// Keeps the report digests a report's page or an import made. A digest only saves work: when
    /// it cannot be kept, the report or the import goes on and the next report reads those forms again.
    /// Returns whether they were written.
    @discardableResult
    func keep(_ digests: [ReportDigestWrite]) async -> Bool {
        do {
            try await store.saveReportDigests(digests)
            return true
        } catch {
            logger.warning("Report digests were not kept; the next report reads those cases' forms again.")
            return false
        }
    }

    /// Counts a page of cases, split across the machine's cores (unsealing and checking answers is the work).
    func count(_ page: [CaseReportSource], _ counting: StatisticsCounting) async throws -> StatisticsTally {
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, page.count / 64))
        let size = (page.count + lanes - 1) / lanes
        return try await withThrowingTaskGroup(of: StatisticsTally.self) { group in
            for start in stride(from: 0, to: page.count, by: size) {
                let slice = page[start..<min(start + size, page.count)]
                group.addTask { try slice.reduce(into: StatisticsTally()) { tally, source in try self.count(source, counting, into: &tally) } }
            }
            return try await group.reduce(into: StatisticsTally()) { $0.add($1) }
        }
    }

    /// One case's entries, if the person's consent allows their use in anonymous reports.
    func count(_ source: CaseReportSource, _ counting: StatisticsCounting, into tally: inout StatisticsTally) throws {
        let record = source.record
        let opened = String(Day(record.createdAt).description.prefix(7))
        if let from = counting.from, opened < from { return }
        if let to = counting.to, opened > to { return }
        guard let wrapped = record.wrappedKey else { return }
        let today = counting.today
        let key = try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
        let checked: [(SubmissionRecord, ValidationResult)]
        if let sealed = source.digest {
            guard let digest = ReportDigest(json: try unseal(sealed, key: key, caseID: record.id, as: ReportDigest.purpose)) else {
                throw AmanaError(.internalFailure, code: "report-digest-unreadable", "A case's report digest could not be read.")
            }
            checked = digest.checked(caseID: record.id)
        } else {
            checked = try checkedSubmissions(source.submissions, key: key, today: today, steadiness: counting.kept != nil)
            if let kept = counting.kept, let mark = source.submissionMark {
                tally.digests.append(try digestToKeep(checked, of: record, key: key, kept: kept, submissionMark: mark))
            }
        }
        let entries: [[String: Value]]
        if let form = counting.form {
            entries = checked.filter { $0.0.formID == form.id && $0.1.isValid }.map(\.1.values)
        } else {
            entries = try source.activities.filter { $0.kind == .referral }.map { activity in
                let content = try self.content(ReferralContent.self, of: activity, key: key)
                return ["service_type": .text(content.serviceType ?? ""), "status": .text(activity.status)]
            }
        }
        if entries.isEmpty { return }
        // The person's consent decides, as for every other use of their case.
        let agreed = consentScopesAgreed(
            caseType: record.caseType, checked: checked, approvals: source.approvals,
            conferenceDecided: conferenceDecisions(source.activities, key: key).consentExceptions, today: today)
        guard agreed.contains(.reporting) else {
            tally.leftOut += entries.count
            return
        }
        // The other forms' answers: their latest valid entry on the case.
        var shared: [String: Value] = [:]
        for formID in counting.otherForms {
            guard let latest = checked.filter({ $0.0.formID == formID && $0.1.isValid }).max(by: { $0.0.entry < $1.0.entry }) else { continue }
            for (field, value) in latest.1.values { shared["\(formID)/\(field)"] = value }
        }
        for entry in entries {
            let values = entry.merging(shared) { own, _ in own }
            let row = counting.rows.code(in: values, opened: opened)
            let column = counting.columns?.code(in: values, opened: opened) ?? ""
            tally.columnCodes.insert(column)
            tally.counts[row, default: [:]][column, default: 0] += 1
        }
    }
}

/// What one statistics table asks of each case.
struct StatisticsCounting: Sendable {
    var form: FormDefinition?
    var rows: CountedField
    var columns: CountedField?
    var otherForms: Set<String>
    var from: String?
    var to: String?
    var today: Day
    /// What report digests hold; nil: none are kept.
    var kept: ReportDigestContents?
}

/// The definitions report digests are made under, the forms they hold, and which of their answers.
struct ReportDigestContents: Sendable {
    /// ``Kernel/reportBasis``.
    var basis: String
    /// Every form any programme's consent decision reads, and every form with an `aggregate` answer.
    var forms: Set<String>
    /// By programme (case type), by form: the answers its consent decision reads and those marked `aggregate`.
    var kept: [String: [String: Set<String>]]
    /// By form, its top-level answers marked `aggregate` (for a case of a programme no longer loaded).
    var aggregate: [String: Set<String>]
}

/// Counts so far: by row code, then column code; entries left out for want of consent;
/// the report digests made on the way, to keep.
struct StatisticsTally: Sendable {
    var counts: [String: [String: Int]] = [:]
    var columnCodes: Set<String> = []
    var leftOut = 0
    var digests: [ReportDigestWrite] = []

    mutating func add(_ other: StatisticsTally) {
        for (row, columns) in other.counts {
            for (column, count) in columns { counts[row, default: [:]][column, default: 0] += count }
        }
        columnCodes.formUnion(other.columnCodes)
        leftOut += other.leftOut
        digests += other.digests
    }
}
