import AmanaCore
import FormKit
import Foundation

/// A form being filled in or changed in the terminal, drawn from its
/// definition. Every change is checked at once by the same validator the
/// Kernel saves with, so `show_if` applies as the person types and each
/// problem shows next to its field; saving still goes through the Kernel,
/// which checks again.
public struct FormEditor: Sendable {
    /// One option of a lookup (or one of the case's attachments), in the reader's language.
    public struct Choice: Sendable, Equatable {
        public var code: String
        public var label: String
    }

    /// Choosing among options, with a search line.
    public struct Picker: Sendable, Equatable {
        public var path: String
        public var title: String
        public var options: [Choice]
        public var multiple: Bool
        public var search = ""
        public var selection = 0
        public var chosen: [String]

        /// The options whose label or code holds the search text.
        public var shown: [Choice] {
            let text = search.trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? options : options.filter { $0.label.localizedCaseInsensitiveContains(text) || $0.code.localizedCaseInsensitiveContains(text) }
        }
    }

    /// Someone saved this form after it was read: their version and what each side changed.
    public struct Conflict: Sendable, Equatable {
        public var version: Int
        public var by: String
        public var theirs: [String: JSONValue]
        /// Top-level field ids they changed since the version read.
        public var changedByThem: [String]
        /// Top-level field ids changed here since the version read.
        public var changedHere: [String]
    }

    /// One line of the form: a section title, a field, a repeat's row, or the place to add a row.
    public enum Item: Sendable, Equatable {
        case section(String)
        case field(path: String, field: FieldDefinition, depth: Int)
        case row(path: String, index: Int, depth: Int)
        case addRow(path: String, field: FieldDefinition, depth: Int)

        public var path: String? {
            switch self {
            case .section: nil
            case .field(let path, _, _), .row(let path, _, _), .addRow(let path, _, _): path
            }
        }

        /// Whether the cursor stops on it: inputs, rows (to remove them) and "add a row".
        var focusable: Bool {
            switch self {
            case .section: false
            case .field(_, let field, _): field.type.takesInput && field.type != .repeat
            case .row, .addRow: true
            }
        }
    }

    public let caseID: String
    public let caseNumber: String
    public let form: FormDefinition
    let validator: SubmissionValidator
    let lookups: [String: LookupDefinition]
    public let language: String
    /// The entry changed; nil for a new entry.
    public var entry: Int?
    /// The version read (what a save names); nil when the form is not on the case yet.
    public var version: Int?
    /// The answers as read.
    public var base: [String: JSONValue]
    /// The answers as they stand here.
    public var answers: [String: JSONValue]
    /// The case's attachments, for `attachment` fields.
    public var attachments: [Choice]
    /// The path of the item with the cursor.
    public var focus: String?
    /// Fields the cursor has left: their problems show from then on.
    public var touched: Set<String> = []
    /// After a save was asked for, every problem shows.
    public var showAllProblems = false
    /// Problems the Kernel found on saving that the form alone cannot (a consent given by someone not on the case).
    public var serverProblems: [FieldProblem] = []
    public var picker: Picker?
    public var conflict: Conflict?
    /// Esc was pressed once with changes not saved.
    public var leaving = false
    /// The validator's answer for the answers as they stand.
    public private(set) var check = ValidationResult()
    let today: Day

    public init(
        caseID: String, caseNumber: String, form: FormDefinition, lookups: [String: LookupDefinition], messages: ValidationMessages, language: String,
        entry: Int?, version: Int?, answers: [String: JSONValue], attachments: [Choice] = [], today: Day
    ) {
        self.caseID = caseID
        self.caseNumber = caseNumber
        self.form = form
        self.validator = SubmissionValidator(form: form, lookups: lookups, messages: messages)
        self.lookups = lookups
        self.language = language
        self.entry = entry
        self.version = version
        self.base = answers
        self.answers = answers
        self.attachments = attachments
        self.today = today
        recheck()
        focus = items.first(where: \.focusable)?.path
    }

    /// Whether anything was changed since the version read.
    public var changed: Bool { answers != base }

    /// Validates the answers as they stand (after every change).
    mutating func recheck() {
        check = validator.validate(submission, today: today, language: language, visiblePaths: true)
    }

    // MARK: Items

    /// The lines of the form for the answers as they stand: hidden fields and empty sections left out.
    public var items: [Item] {
        var out: [Item] = []
        for section in form.sections {
            let shown = fieldItems(section.fields, path: "", depth: 0)
            if shown.isEmpty { continue }
            out.append(.section(section.title.text(language)))
            out += shown
        }
        return out
    }

    func fieldItems(_ fields: [FieldDefinition], path: String, depth: Int) -> [Item] {
        var out: [Item] = []
        for field in fields {
            let fieldPath = path + "/" + field.id
            guard check.visible.contains(fieldPath) else { continue }
            out.append(.field(path: fieldPath, field: field, depth: depth))
            guard field.type == .repeat else { continue }
            for index in rows(at: fieldPath).indices {
                out.append(.row(path: "\(fieldPath)/\(index)", index: index, depth: depth + 1))
                out += fieldItems(field.fields, path: "\(fieldPath)/\(index)", depth: depth + 2)
            }
            out.append(.addRow(path: fieldPath, field: field, depth: depth + 1))
        }
        return out
    }

    /// The focusable items, and where the cursor is among them.
    var stops: [Item] { items.filter(\.focusable) }

    var focusedItem: Item? { stops.first { $0.path == focus } }

    // MARK: Values

    public func value(at path: String) -> JSONValue? {
        JSONPath.get(.object(answers), JSONPath.components(path))
    }

    mutating func setValue(_ value: JSONValue?, at path: String) {
        var root = JSONValue.object(answers)
        JSONPath.set(&root, JSONPath.components(path), value)
        if case .object(let object) = root { answers = object }
        serverProblems.removeAll { $0.path == path || $0.path.hasPrefix(path + "/") }
        leaving = false
        recheck()
    }

    func rows(at path: String) -> [JSONValue] {
        if case .array(let rows)? = value(at: path) { return rows }
        return []
    }

    /// The answers as the Kernel takes them: typed numbers as numbers (Arabic-Indic digits too), empty text left out.
    public var submission: [String: JSONValue] { Self.submission(answers, fields: form.topLevelFields) }

    static func submission(_ values: [String: JSONValue], fields: [FieldDefinition]) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (key, value) in values {
            guard let field = fields.first(where: { $0.id == key }) else {
                out[key] = value
                continue
            }
            switch (field.type, value) {
            case (.number, .string(let text)), (.integer, .string(let text)):
                let typed = text.trimmingCharacters(in: .whitespaces)
                if typed.isEmpty { continue }
                out[key] = Double(westernDigits(typed)).map(JSONValue.number) ?? value
            case (.repeat, .array(let rows)):
                out[key] = .array(rows.map { row in
                    if case .object(let object) = row { return .object(submission(object, fields: field.fields)) }
                    return row
                })
            case (_, .string(let text)) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                continue
            default:
                out[key] = value
            }
        }
        return out
    }

    /// `٣٤` → `34`: a number typed on an Arabic keyboard is still a number.
    static func westernDigits(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            switch scalar.value {
            case 0x0660...0x0669: Character(Unicode.Scalar(scalar.value - 0x0660 + 48)!)
            case 0x06F0...0x06F9: Character(Unicode.Scalar(scalar.value - 0x06F0 + 48)!)
            case 0x066B: "."
            default: Character(scalar)
            }
        })
    }

    /// Whether an answer is needed at this path now: `required`, or a `required_if` true for the answers as they stand.
    public func isRequired(_ field: FieldDefinition, at path: String) -> Bool {
        if field.required { return true }
        guard let condition = field.requiredIf else { return false }
        var values = check.values
        // Inside a repeat row, the row's answers first, then the form's.
        let parts = JSONPath.components(path)
        if parts.count >= 3, case .rows(let rows)? = check.values[parts[0]], let index = Int(parts[1]), rows.indices.contains(index) {
            values.merge(rows[index]) { _, row in row }
        }
        return condition.evaluate(in: EvaluationContext(values: values, today: today)).isTrue
    }

    // MARK: Problems

    /// The problems shown at a path: the validator's once the field was left
    /// (or a save was asked for), and the Kernel's from the last save.
    public func problems(at path: String) -> [FieldProblem] {
        let local = check.problems.filter { ($0.path == path || isOptionProblem($0.path, of: path)) && (showAllProblems || touched.contains(path)) }
        return local + serverProblems.filter { $0.path == path }
    }

    /// `/needs/2` is a problem with the third option of the multi-select `/needs`.
    func isOptionProblem(_ problemPath: String, of path: String) -> Bool {
        guard problemPath.hasPrefix(path + "/") else { return false }
        return Int(problemPath.dropFirst(path.count + 1)) != nil && !rowPaths.contains(problemPath)
    }

    var rowPaths: Set<String> { Set(items.compactMap { if case .row(let path, _, _) = $0 { path } else { nil } }) }

    /// Problems whose field is not on the form as drawn (an answer the form no longer has).
    public var strayProblems: [FieldProblem] {
        let paths = Set(items.compactMap(\.path))
        let all = (showAllProblems ? check.problems : []) + serverProblems
        return all.filter { problem in !paths.contains(problem.path) && !paths.contains(where: { isOptionProblem(problem.path, of: $0) }) }
    }

    /// Every problem the save would meet, local and from the Kernel.
    public var allProblems: [FieldProblem] { check.problems + serverProblems }

    // MARK: Display

    /// An answer as the person reads it: option labels, yes/no, attachment names.
    public func display(_ field: FieldDefinition, at path: String) -> String {
        if field.type == .calculated {
            return JSONPath.get(.object(check.accepted), JSONPath.components(path)).map(plain) ?? ""
        }
        guard let value = value(at: path) else { return "" }
        switch (field.type, value) {
        case (.select, .string(let code)), (.location, .string(let code)):
            return label(of: code, in: field)
        case (.multiSelect, .array(let codes)):
            return codes.compactMap { if case .string(let code) = $0 { label(of: code, in: field) } else { nil } }.joined(separator: ", ")
        case (.yesNo, .bool(let yes)):
            return TUIText.t(yes ? "Yes" : "No", language)
        case (.attachment, .string(let id)):
            return attachments.first { $0.code == id }?.label ?? id
        default:
            return plain(value)
        }
    }

    func plain(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): TUIText.t(b ? "Yes" : "No", language)
        case .array(let items): items.map(plain).joined(separator: ", ")
        case .null, .object: ""
        }
    }

    func label(of code: String, in field: FieldDefinition) -> String {
        guard let lookup = field.lookup.flatMap({ lookups[$0] }), let option = lookup.option(code) else { return code }
        return option.label.text(language)
    }

    /// The options a field offers: its lookup (at its level), or the case's attachments.
    func choices(for field: FieldDefinition) -> [Choice] {
        if field.type == .attachment { return attachments }
        guard let lookup = field.lookup.flatMap({ lookups[$0] }) else { return [] }
        return lookup.options.filter { field.level == nil || $0.level == field.level }.map { Choice(code: $0.code, label: $0.label.text(language)) }
    }

    /// Whether a field is answered by choosing rather than typing.
    static func isChosen(_ field: FieldDefinition) -> Bool {
        switch field.type {
        case .select, .multiSelect, .attachment: true
        case .location: field.lookup != nil
        default: false
        }
    }

    // MARK: Conflicts

    /// The Kernel refused the save because the form changed meanwhile: keep
    /// both sides, to show what changed and let the person re-apply theirs.
    public mutating func conflicted(version: Int, by: String, theirs: [String: JSONValue]) {
        let keys = Set(base.keys).union(theirs.keys).union(answers.keys)
        conflict = Conflict(
            version: version, by: by, theirs: theirs,
            changedByThem: keys.filter { base[$0] != theirs[$0] }.sorted(),
            changedHere: keys.filter { base[$0] != answers[$0] }.sorted())
    }

    /// Lays the changes made here over their version; the person checks and saves again.
    mutating func reapply() {
        guard let conflict else { return }
        var merged = conflict.theirs
        for key in conflict.changedHere { merged[key] = answers[key] }
        base = conflict.theirs
        version = conflict.version
        answers = merged
        self.conflict = nil
        recheck()
    }

    /// Drops the changes made here and shows their version.
    mutating func takeTheirs() {
        guard let conflict else { return }
        base = conflict.theirs
        answers = conflict.theirs
        version = conflict.version
        self.conflict = nil
        recheck()
    }
}
