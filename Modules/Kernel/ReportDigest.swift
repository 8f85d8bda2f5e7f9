import AmanaCore
import FormKit
import Foundation
import Store
import VaultSodium

/// What a report found in a case's entries, kept sealed under the case key so
/// that the next report reads one small record instead of unsealing and
/// re-validating every form of the case (at a million cases, that was most of
/// a report's 85 seconds).
///
/// It holds the case's valid entries of the forms reports read, and of each only
/// the answers a report reads: those its programme's consent decision reads (the
/// decision itself is taken again at each report, against that day's date,
/// approvals and case conferences) and those marked `aggregate`, the only ones a
/// table may count by. Invalid entries count for nothing, so they are left out.
///
/// A digest is a cache, never the record: it is used only while it is in force.
/// It is made under one set of definitions (``Kernel/reportBasis``; an overlay that
/// makes a form incomplete must be seen), it holds until the first day on which
/// the same answers could be checked differently (``ValidationResult/steadyUntil``:
/// an age in a calculation goes up), and any save of an entry deletes it (a
/// trigger on `case_submission`). A report that finds none reads the forms and
/// keeps a new one.
struct ReportDigest: Sendable {
    struct Entry: Sendable {
        var form: String
        var entry: Int
        var at: Date
        var values: [String: Value]
    }

    var entries: [Entry]
    /// The first day on which it may no longer hold; nil: until an entry changes.
    var steadyUntil: Day?

    /// What the case's checked entries (checked with `steadiness`) leave for reports to read:
    /// of each form in `keeping`, its valid entries with the answers named there.
    init(checked: [(SubmissionRecord, ValidationResult)], keeping: [String: Set<String>]) {
        entries = checked.compactMap { submission, result in
            guard result.isValid, let kept = keeping[submission.formID] else { return nil }
            return Entry(form: submission.formID, entry: submission.entry, at: submission.at, values: result.values.filter { kept.contains($0.key) })
        }
        steadyUntil = checked.compactMap(\.1.steadyUntil).min()
    }

    /// The entries as consent decisions and counting read checked submissions: each one valid.
    /// Only the form, the entry and when it was saved are read of the record around it.
    func checked(caseID: CaseID) -> [(SubmissionRecord, ValidationResult)] {
        entries.map { entry in
            var result = ValidationResult()
            result.values = entry.values
            let record = SubmissionRecord(
                caseID: caseID, formID: entry.form, entry: entry.entry, version: 0, formVersion: 0, overlays: [:], ciphertext: [], at: entry.at,
                actorID: UserID(""), changed: [])
            return (record, result)
        }
    }

    /// What a digest is sealed for, besides its case.
    static let purpose = "report-digest"

    /// Bumped when what a digest holds, or how answers are checked, changes: digests made before are not used.
    static let format = 1

    // MARK: As JSON

    var json: JSONValue {
        .object([
            "e": .array(entries.map { entry in
                .object([
                    "f": .string(entry.form), "n": .number(Double(entry.entry)), "t": .number(Double(entry.at.storedMillis)),
                    "v": .object(entry.values.mapValues(Self.json)),
                ])
            })
        ])
    }

    init?(json: JSONValue) {
        guard case .object(let top) = json, case .array(let items)? = top["e"] else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard case .object(let o) = item, case .string(let form)? = o["f"], case .number(let entry)? = o["n"], case .number(let at)? = o["t"],
                  case .object(let values)? = o["v"]
            else { return nil }
            guard let decoded = Self.values(values) else { return nil }
            entries.append(Entry(form: form, entry: Int(entry), at: Date(storedMillis: Int64(at)), values: decoded))
        }
        self.entries = entries
    }

    /// A value as JSON, its kind kept: a date is `{"d": "YYYY-MM-DD"}`, repeat rows `{"r": [...]}`.
    static func json(_ value: Value) -> JSONValue {
        switch value {
        case .null: .null
        case .number(let n): .number(n)
        case .text(let t): .string(t)
        case .boolean(let b): .bool(b)
        case .date(let d): .object(["d": .string(d.description)])
        case .list(let items): .array(items.map(json))
        case .rows(let rows): .object(["r": .array(rows.map { .object($0.mapValues(json)) })])
        }
    }

    static func value(_ json: JSONValue) -> Value? {
        switch json {
        case .null: return .null
        case .number(let n): return .number(n)
        case .string(let t): return .text(t)
        case .bool(let b): return .boolean(b)
        case .array(let items):
            var list: [Value] = []
            for item in items {
                guard let v = value(item) else { return nil }
                list.append(v)
            }
            return .list(list)
        case .object(let o):
            if case .string(let text)? = o["d"], let day = Day(iso: text) { return .date(day) }
            guard case .array(let rows)? = o["r"] else { return nil }
            var decoded: [[String: Value]] = []
            for row in rows {
                guard case .object(let fields) = row, let values = values(fields) else { return nil }
                decoded.append(values)
            }
            return .rows(decoded)
        }
    }

    /// An entry's answers, or a repeat row's; nil if any is not a value ``json(_:)`` writes.
    static func values(_ object: [String: JSONValue]) -> [String: Value]? {
        var values: [String: Value] = [:]
        values.reserveCapacity(object.count)
        for (name, json) in object {
            guard let v = value(json) else { return nil }
            values[name] = v
        }
        return values
    }

    // MARK: The definitions it was made under

    /// A digest of every definition file under `roots` (its path under the root and its bytes),
    /// with ``format``: two installs, or two servers of one install, with the same definitions
    /// and the same Amana agree on it; any change to a form, a lookup, an overlay or a policy changes it.
    static func basis(roots: [String]) -> String {
        var bytes = Array("amana-report-digest \(format) \(DefinitionLoader.kernelVersion)\n".utf8)
        let files = FileManager.default
        for (index, root) in roots.enumerated() {
            let paths = (files.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
            for path in paths {
                var isDirectory: ObjCBool = false
                guard files.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      let content = files.contents(atPath: root + "/" + path)
                else { continue }
                bytes += Array("\(index)/\(path)\0\(content.count)\0".utf8) + Array(content)
            }
        }
        return InstallIdentity.digest(bytes)
    }
}
