import AmanaCore
import Yams
import YAMLSupport

/// An expression found in a form, kept with its node so that type errors found
/// later (once every field and lookup is known) point at the right place.
struct ExpressionSite {
    enum Kind: String { case showIf = "show_if", requiredIf = "required_if", validIf = "valid_if", expr, doneIf = "done_if" }
    var expression: Expression
    var node: Node
    var kind: Kind
    /// The field (or section) it belongs to.
    var owner: String
    /// The repeat whose row it is evaluated in, if any.
    var repeatID: String?
    /// The file it was written in (a form's own file, or an overlay's).
    var file: String
}

/// A lookup named by a field, where it was named.
struct LookupReference {
    var lookup: String
    var node: Node
    var field: String
    var file: String
}

/// A form file read into a ``FormDefinition``, with what the checker needs.
struct ParsedForm {
    var form: FormDefinition
    var expressions: [ExpressionSite] = []
    var lookupReferences: [LookupReference] = []
    /// Where `readable_by` was written, to point at an unknown role.
    var readableByNode: Node?
    /// Where `filled_by` was written.
    var filledByNode: Node?
}

/// Reads one form file.
struct FormParser {
    var parser: DefinitionParser
    let plugin: String
    var parsed: ParsedForm?
    var expressions: [ExpressionSite] = []
    var lookups: [LookupReference] = []
    /// Field ids already used in the form (an overlay seeds it with the form's).
    var seenFieldIDs: [String: Node] = [:]

    init(file: String, plugin: String, languages: [String]) {
        parser = DefinitionParser(file: file, languages: languages)
        self.plugin = plugin
    }

    static let formKeys = ["id", "version", "title", "description", "sensitivity", "sections", "migration", "multiple", "readable_by", "filled_by", "after_closure"]
    static let migrationKeys = ["from", "removed", "renamed", "retyped"]
    static let sectionKeys = ["id", "title", "show_if", "fields"]
    static let fieldKeys = [
        "id", "type", "label", "hint", "required", "required_if", "show_if", "valid_if", "message", "min", "max",
        "not_future", "min_length", "max_length", "pattern", "min_items", "max_items", "sensitivity", "default",
        "lookup", "level", "expr", "fields", "min_rows", "max_rows", "accept", "max_bytes", "protected", "tasks",
    ]
    static let taskKeys = ["title", "due", "done_if", "label"]

    /// Keys that only make sense for some types.
    static let keysByType: [String: Set<FieldType>] = [
        "min": [.number, .integer, .date], "max": [.number, .integer, .date],
        "not_future": [.date, .datetime],
        "min_length": [.text, .textarea], "max_length": [.text, .textarea], "pattern": [.text],
        "min_items": [.multiSelect], "max_items": [.multiSelect],
        "lookup": [.select, .multiSelect, .location], "level": [.location],
        "expr": [.calculated], "fields": [.repeat], "min_rows": [.repeat], "max_rows": [.repeat], "tasks": [.repeat],
        "accept": [.attachment], "max_bytes": [.attachment],
        "message": [.text, .textarea, .number, .integer, .date, .datetime, .select, .multiSelect, .yesNo, .tick, .repeat, .location, .signature, .attachment],
    ]

    mutating func parse(_ root: Node) -> ParsedForm? {
        guard let keys = parser.reader.mapping(root, what: "a form", allowed: Self.formKeys, required: ["id", "version", "title", "sections"]) else { return nil }
        let id = parser.definitionID(keys["id"], what: "form", namespace: plugin)
        let version = keys["version"].flatMap { parser.reader.int($0, what: "the form version", range: 1...1_000_000) }
        let title = parser.translations(keys["title"], what: "the form title")
        if let d = keys["description"] { _ = parser.translations(d, what: "the form description") }
        let sensitivity = keys["sensitivity"].flatMap { sensitivityValue($0) } ?? .sensitive
        var sections: [SectionDefinition] = []
        var sectionIDs: Set<String> = []
        if let list = keys["sections"].flatMap({ parser.reader.sequence($0, what: "sections") }) {
            if list.isEmpty { parser.error(keys["sections"], "FK005", "a form needs at least one section") }
            for node in list {
                guard let section = parseSection(node, sensitivity: sensitivity) else { continue }
                if !sectionIDs.insert(section.id).inserted { parser.error(node, "FK006", "duplicate section id '\(section.id)'") }
                sections.append(section)
            }
        }
        guard let id, let version, let title else { return nil }
        var form = FormDefinition(id: id, version: version, title: title, sensitivity: sensitivity, sections: sections, plugin: plugin, position: parser.position(root))
        form.migration = keys["migration"].flatMap { migration($0, version: version) }
        form.multiple = keys["multiple"].flatMap { parser.reader.bool($0, what: "multiple") } ?? false
        form.readableBy = keys["readable_by"].flatMap { parser.reader.strings($0, what: "readable_by") } ?? []
        form.afterClosure = keys["after_closure"].flatMap { parser.reader.bool($0, what: "after_closure") } ?? false
        form.filledBy = keys["filled_by"].flatMap { parser.reader.strings($0, what: "filled_by") } ?? []
        return ParsedForm(form: form, expressions: expressions, lookupReferences: lookups, readableByNode: keys["readable_by"], filledByNode: keys["filled_by"])
    }

    mutating func migration(_ node: Node, version: Int) -> FormMigration? {
        guard let keys = parser.reader.mapping(node, what: "migration", allowed: Self.migrationKeys, required: ["from"]),
              let from = parser.reader.int(keys["from"]!, what: "migration from", range: 1...1_000_000) else { return nil }
        if from >= version { parser.error(keys["from"], "FK104", "a migration is from an earlier version than \(version), not \(from)") }
        var renamed: [String: String] = [:]
        if let node = keys["renamed"], case .mapping(let pairs) = node {
            for (old, new) in pairs { if let o = old.string, let n = new.string { renamed[o] = n } }
        } else if keys["renamed"] != nil {
            parser.error(keys["renamed"], "FK104", "renamed maps old field ids to new ones")
        }
        return FormMigration(
            from: from, removed: keys["removed"].flatMap { parser.reader.strings($0, what: "removed") } ?? [],
            renamed: renamed, retyped: keys["retyped"].flatMap { parser.reader.strings($0, what: "retyped") } ?? [])
    }

    mutating func sensitivityValue(_ node: Node) -> Sensitivity? {
        guard let text = parser.reader.string(node, what: "a sensitivity") else { return nil }
        guard let value = Sensitivity(rawValue: text) else {
            parser.error(node, "FK007", "unknown sensitivity '\(text)'; expected one of \(Sensitivity.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    mutating func parseSection(_ node: Node, sensitivity: Sensitivity) -> SectionDefinition? {
        guard let keys = parser.reader.mapping(node, what: "a section", allowed: Self.sectionKeys, required: ["id", "title", "fields"]) else { return nil }
        let id = parser.code(keys["id"], what: "section id")
        let title = parser.translations(keys["title"], what: "the section title")
        var showIf: Expression?
        if let (e, n) = parser.expression(keys["show_if"], what: "show_if") {
            showIf = e
            expressions.append(ExpressionSite(expression: e, node: n, kind: .showIf, owner: id ?? "?", repeatID: nil, file: parser.file))
        }
        let fields = parseFields(keys["fields"], sensitivity: sensitivity, repeatID: nil)
        guard let id, let title else { return nil }
        return SectionDefinition(id: id, title: title, showIf: showIf, fields: fields)
    }

    mutating func parseFields(_ node: Node?, sensitivity: Sensitivity, repeatID: String?) -> [FieldDefinition] {
        guard let node, let list = parser.reader.sequence(node, what: "fields") else { return [] }
        if list.isEmpty { parser.error(node, "FK008", "a list of fields cannot be empty") }
        return list.compactMap { parseField($0, sensitivity: sensitivity, repeatID: repeatID) }
    }

    mutating func parseField(_ node: Node, sensitivity: Sensitivity, repeatID: String?) -> FieldDefinition? {
        guard let keys = parser.reader.mapping(node, what: "a field", allowed: Self.fieldKeys, required: ["id", "type"]),
              let id = parser.code(keys["id"], what: "field id"),
              let typeNode = keys["type"], let typeText = parser.reader.string(typeNode, what: "a field type")
        else { return nil }
        guard let type = FieldType(rawValue: typeText) else {
            let hint = YAMLReader.didYouMean(typeText, in: FieldType.allCases.map(\.rawValue))
            parser.error(typeNode, "FK010", "unknown field type '\(typeText)'\(hint)")
            return nil
        }
        if let previous = seenFieldIDs[id] {
            parser.error(keys["id"], "FK009", "duplicate field id '\(id)' (first defined at line \(previous.mark?.line ?? 0))")
        } else {
            seenFieldIDs[id] = keys["id"]
        }
        for (key, types) in Self.keysByType where keys[key] != nil && !types.contains(type) {
            parser.error(keys[key], "FK011", "'\(key)' does not apply to a \(type.rawValue) field")
        }
        var field = FieldDefinition(id: id, type: type, sensitivity: keys["sensitivity"].flatMap { sensitivityValue($0) } ?? sensitivity, position: parser.position(node))
        field.label = parser.translations(keys["label"], what: "the label of '\(id)'")
        if field.label == nil, type != .note || keys["label"] == nil {
            parser.error(node, "FK012", "field '\(id)' needs a label")
        }
        field.hint = parser.translations(keys["hint"], what: "the hint of '\(id)'")
        field.message = parser.translations(keys["message"], what: "the message of '\(id)'")
        if let n = keys["required"] { field.required = parser.reader.bool(n, what: "required") ?? false }
        if let n = keys["not_future"] { field.notFuture = parser.reader.bool(n, what: "not_future") ?? false }
        if let n = keys["protected"] { field.protected = parser.reader.bool(n, what: "protected") ?? false }
        for (key, kind) in [("show_if", ExpressionSite.Kind.showIf), ("required_if", .requiredIf), ("valid_if", .validIf), ("expr", .expr)] {
            guard let (e, n) = parser.expression(keys[key], what: "\(key) of '\(id)'") else { continue }
            expressions.append(ExpressionSite(expression: e, node: n, kind: kind, owner: id, repeatID: repeatID, file: parser.file))
            switch kind {
            case .showIf: field.showIf = e
            case .requiredIf: field.requiredIf = e
            case .validIf: field.validIf = e
            case .expr: field.expr = e
            case .doneIf: break  // read with `tasks:`, below
            }
        }
        if field.validIf != nil, field.message == nil { parser.error(keys["valid_if"], "FK013", "valid_if of '\(id)' needs a message saying what is expected") }
        if type == .calculated, field.expr == nil, keys["expr"] == nil { parser.error(node, "FK014", "calculated field '\(id)' needs an expr") }
        bounds(keys, &field)
        if let n = keys["min_length"] { field.minLength = parser.reader.int(n, what: "min_length", range: 0...100_000) }
        if let n = keys["max_length"] { field.maxLength = parser.reader.int(n, what: "max_length", range: 1...100_000) }
        if let n = keys["min_items"] { field.minItems = parser.reader.int(n, what: "min_items", range: 0...1000) }
        if let n = keys["max_items"] { field.maxItems = parser.reader.int(n, what: "max_items", range: 1...1000) }
        if let n = keys["min_rows"] { field.minRows = parser.reader.int(n, what: "min_rows", range: 0...10_000) }
        if let n = keys["max_rows"] { field.maxRows = parser.reader.int(n, what: "max_rows", range: 1...10_000) }
        if let n = keys["max_bytes"] { field.maxBytes = parser.reader.int(n, what: "max_bytes", range: 1...(1 << 30)) }
        if let n = keys["accept"] { field.accept = parser.reader.strings(n, what: "accept") ?? [] }
        if let n = keys["level"] { field.level = parser.reader.string(n, what: "level") }
        if let n = keys["pattern"], let pattern = parser.reader.string(n, what: "pattern") {
            if (try? Regex(pattern)) == nil { parser.error(n, "FK015", "the pattern of '\(id)' is not a valid regular expression") }
            if pattern.count > 500 { parser.error(n, "FK015", "the pattern of '\(id)' is longer than 500 characters") }
            field.pattern = pattern
        }
        if let n = keys["lookup"], let lookup = parser.reader.string(n, what: "lookup") {
            field.lookup = lookup
            lookups.append(LookupReference(lookup: lookup, node: n, field: id, file: parser.file))
        } else if [.select, .multiSelect, .location].contains(type) {
            parser.error(node, "FK016", "\(type.rawValue) field '\(id)' needs a lookup")
        }
        if let n = keys["default"] { field.defaultValue = defaultValue(n, for: field) }
        if type == .repeat {
            if keys["fields"] == nil { parser.error(node, "FK017", "repeat '\(id)' needs fields") }
            field.fields = parseFields(keys["fields"], sensitivity: field.sensitivity, repeatID: id)
            if repeatID != nil, field.fields.contains(where: { $0.type == .repeat }) {
                // Two levels of repeat are allowed; deeper nesting is refused below.
            }
            if let minRows = field.minRows, let maxRows = field.maxRows, minRows > maxRows {
                parser.error(keys["min_rows"], "FK018", "min_rows (\(minRows)) is larger than max_rows (\(maxRows))")
            }
            if let n = keys["tasks"] { field.tasks = rowTasks(n, of: field) }
        }
        if let min = field.min, let max = field.max, min > max { parser.error(keys["min"], "FK018", "min (\(min)) is larger than max (\(max))") }
        return field
    }

    /// `tasks:` of a repeat: `title` names a text field of the row, `due` a date field,
    /// `done_if` a condition on the row.
    mutating func rowTasks(_ node: Node, of field: FieldDefinition) -> RowTasks? {
        // A missing key is reported by `mapping` (FK with its line), which still returns the others:
        // never force-unwrap what a definition file may leave out (found by fuzzing).
        guard let keys = parser.reader.mapping(node, what: "tasks", allowed: Self.taskKeys, required: ["title", "due"]),
              let titleNode = keys["title"], let dueNode = keys["due"],
              let title = parser.reader.string(titleNode, what: "tasks title"), let due = parser.reader.string(dueNode, what: "tasks due")
        else { return nil }
        let row = Dictionary(field.fields.map { ($0.id, $0.type) }, uniquingKeysWith: { first, _ in first })
        if ![FieldType.text, .textarea].contains(row[title]) {
            parser.error(keys["title"], "FK097", "tasks title of '\(field.id)' names a text field of its rows; '\(title)' is not one (its fields: \(field.fields.map(\.id).joined(separator: ", ")))")
        }
        if row[due] != .date {
            parser.error(keys["due"], "FK097", "tasks due of '\(field.id)' names a date field of its rows; '\(due)' is not one")
        }
        var tasks = RowTasks(title: title, due: due)
        if let label = keys["label"].flatMap({ parser.reader.string($0, what: "tasks label") }) { tasks.label = label }
        if let (e, n) = parser.expression(keys["done_if"], what: "done_if of '\(field.id)'") {
            tasks.doneIf = e
            expressions.append(ExpressionSite(expression: e, node: n, kind: .doneIf, owner: field.id, repeatID: field.id, file: parser.file))
        }
        return tasks
    }

    /// `min`/`max`: numbers for numeric fields; a date or `today` for dates.
    mutating func bounds(_ keys: [String: Node], _ field: inout FieldDefinition) {
        for key in ["min", "max"] {
            guard let node = keys[key] else { continue }
            if field.type == .date {
                guard let text = parser.reader.string(node, what: key) else { continue }
                let bound: DayBound? = text == "today" ? .today : Day(iso: text).map { .day($0) }
                guard let bound else {
                    parser.error(node, "FK019", "\(key) of a date field is a date (YYYY-MM-DD) or 'today', not '\(text)'")
                    continue
                }
                if key == "min" { field.minDay = bound } else { field.maxDay = bound }
            } else if let value = Self.number(node) {
                if key == "min" { field.min = value } else { field.max = value }
            } else {
                parser.error(node, "FK019", "\(key) must be a number")
            }
        }
    }

    mutating func defaultValue(_ node: Node, for field: FieldDefinition) -> Value? {
        switch field.type {
        case .number, .integer:
            if let n = Self.number(node) { return .number(n) }
        case .yesNo, .tick:
            if let b = node.bool { return .boolean(b) }
        case .date:
            if let t = node.string, let d = Day(iso: t) { return .date(d) }
        case .text, .textarea, .select, .location:
            if case .scalar = node, let t = node.string { return .text(t) }
        case .multiSelect:
            if let items = node.sequence?.compactMap(\.string) { return .list(items.map(Value.text)) }
        default:
            parser.error(node, "FK011", "'default' does not apply to a \(field.type.rawValue) field")
            return nil
        }
        parser.error(node, "FK019", "the default of '\(field.id)' is not a valid \(field.type.rawValue) value")
        return nil
    }

    /// A YAML number (integer or decimal) as a Double.
    static func number(_ node: Node) -> Double? {
        guard case .scalar = node else { return nil }
        if let i = node.int { return Double(i) }
        return node.float
    }
}
