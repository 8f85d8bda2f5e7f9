import AmanaCore
import Yams
import YAMLSupport

/// Applies an organisation's overlays to shipped forms and lookups: add fields
/// and sections, hide optional fields, relabel, tighten validation, narrow who
/// reads a form, extend lookups. What would weaken a form is refused: hiding a
/// required or protected field, or one other fields' conditions use; loosening a
/// rule; letting more roles read a form.
struct OverlayApplier {
    static let keys = ["overlay", "version", "add", "hide", "relabel", "rehint", "tighten", "readable_by", "add_options"]
    static let tightenKeys = ["required", "min", "max", "min_length", "max_length", "min_rows", "max_rows", "max_items", "min_items"]

    var parser: FormParser
    let overlayPlugin: String
    /// Per form, the fields workflows and consent policies read.
    let protectedFields: [String: Set<String>]
    /// The role ids `readable_by` may name, when known.
    let knownRoles: Set<String>?

    init(file: String, overlayPlugin: String, languages: [String], protectedFields: [String: Set<String>] = [:], roles: Set<String>? = nil) {
        parser = FormParser(file: file, plugin: overlayPlugin, languages: languages)
        self.overlayPlugin = overlayPlugin
        self.protectedFields = protectedFields
        knownRoles = roles
    }

    var file: String { parser.parser.file }

    /// Reads the overlay's target id (without applying it).
    mutating func target(_ root: Node) -> (id: String, keys: [String: Node], version: Int)? {
        guard let keys = parser.parser.reader.mapping(root, what: "an overlay", allowed: Self.keys, required: ["overlay", "version"]),
              let id = keys["overlay"].flatMap({ parser.parser.reader.string($0, what: "overlay") }),
              let version = keys["version"].flatMap({ parser.parser.reader.int($0, what: "the overlay version", range: 1...1_000_000) })
        else { return nil }
        return (id, keys, version)
    }

    // MARK: Forms

    mutating func apply(_ keys: [String: Node], version: Int, to parsed: inout ParsedForm) {
        if keys["add_options"] != nil { parser.parser.error(keys["add_options"], "FK075", "add_options applies to a lookup, not a form") }
        var form = parsed.form
        for field in form.allFields { parser.seenFieldIDs[field.id] = keys["overlay"] }
        if let list = keys["add"].flatMap({ parser.parser.reader.sequence($0, what: "add") }) {
            for node in list { add(node, to: &form) }
        }
        if let node = keys["hide"], let ids = parser.parser.reader.sequence(node, what: "hide") {
            for idNode in ids { if let id = parser.parser.reader.string(idNode, what: "a field id") { hide(id, idNode, in: &form, expressions: parsed.expressions) } }
        }
        for (key, isHint) in [("relabel", false), ("rehint", true)] {
            guard let node = keys[key], case .mapping(let mapping) = node else {
                if keys[key] != nil { parser.parser.error(keys[key], "FK071", "\(key) maps field or section ids to texts") }
                continue
            }
            for (idNode, textNode) in mapping {
                guard let id = idNode.string, let texts = parser.parser.translations(textNode, what: "the \(isHint ? "hint" : "label") of '\(id)'") else { continue }
                if !relabel(id, texts, hint: isHint, in: &form) { unknownField(id, idNode, form) }
            }
        }
        if let node = keys["tighten"], case .mapping(let mapping) = node {
            for (idNode, rules) in mapping {
                guard let id = idNode.string else { continue }
                guard form.field(id) != nil else { unknownField(id, idNode, form); continue }
                tighten(id, rules, in: &form)
            }
        }
        if let node = keys["readable_by"], let roles = parser.parser.reader.strings(node, what: "readable_by") {
            narrowReaders(to: roles, node, in: &form)
        }
        form.overlays[overlayPlugin] = version
        parsed.form = form
        parsed.expressions += parser.expressions
        parsed.lookupReferences += parser.lookups
    }

    /// An organisation may let fewer of the roles that read a case read a form (need-to-know),
    /// never more: `roles` must be among those the form lets read it (all, when it names
    /// none), and keep those who fill it.
    mutating func narrowReaders(to roles: [String], _ node: Node, in form: inout FormDefinition) {
        guard !roles.isEmpty else {
            parser.parser.error(node, "FK074", "readable_by in an overlay names at least one role: no one would read '\(form.id)'")
            return
        }
        var narrowed = true
        for role in roles where knownRoles.map({ !$0.contains(role) }) ?? false {
            parser.parser.error(node, "FK096", "readable_by names an unknown role '\(role)'\(YAMLReader.didYouMean(role, in: Array(knownRoles ?? [])))")
            narrowed = false
        }
        for role in roles where !form.readableBy.isEmpty && !form.readableBy.contains(role) {
            parser.parser.error(node, "FK074", "readable_by may only narrow who reads '\(form.id)': '\(role)' may not read it (it has \(form.readableBy.joined(separator: ", ")))")
            narrowed = false
        }
        for role in form.filledBy where !roles.contains(role) {
            parser.parser.error(node, "FK074", "readable_by must keep '\(role)', who fills '\(form.id)' (filled_by)")
            narrowed = false
        }
        if narrowed { form.readableBy = roles }
    }

    mutating func add(_ node: Node, to form: inout FormDefinition) {
        guard let keys = parser.parser.reader.mapping(node, what: "an addition", allowed: ["after", "field", "section"]) else { return }
        let after = keys["after"].flatMap { parser.parser.reader.string($0, what: "after") }
        if let fieldNode = keys["field"] {
            guard let after else { parser.parser.error(node, "FK071", "an added field needs 'after': the field it follows"); return }
            guard let field = parser.parseField(fieldNode, sensitivity: form.sensitivity, repeatID: repeatContaining(after, form)) else { return }
            if !insert(field, after: after, in: &form) { unknownField(after, keys["after"]!, form) }
        } else if let sectionNode = keys["section"] {
            guard let section = parser.parseSection(sectionNode, sensitivity: form.sensitivity) else { return }
            if form.sections.contains(where: { $0.id == section.id }) {
                parser.parser.error(sectionNode, "FK006", "the form already has a section '\(section.id)'")
                return
            }
            if let after, let index = form.sections.firstIndex(where: { $0.id == after }) {
                form.sections.insert(section, at: index + 1)
            } else if let after {
                parser.parser.error(keys["after"], "FK071", "the form has no section '\(after)'")
            } else {
                form.sections.append(section)
            }
        } else {
            parser.parser.error(node, "FK071", "an addition holds a 'field' (with 'after') or a 'section'")
        }
    }

    func repeatContaining(_ id: String, _ form: FormDefinition) -> String? {
        form.allFields.first { $0.type == .repeat && $0.fields.contains { $0.id == id } }?.id
    }

    func insert(_ field: FieldDefinition, after id: String, in form: inout FormDefinition) -> Bool {
        func insert(into fields: inout [FieldDefinition]) -> Bool {
            if let index = fields.firstIndex(where: { $0.id == id }) {
                fields.insert(field, at: index + 1)
                return true
            }
            for i in fields.indices where fields[i].type == .repeat {
                if insert(into: &fields[i].fields) { return true }
            }
            return false
        }
        for s in form.sections.indices where insert(into: &form.sections[s].fields) { return true }
        return false
    }

    mutating func hide(_ id: String, _ node: Node, in form: inout FormDefinition, expressions: [ExpressionSite]) {
        guard let field = form.field(id) else { unknownField(id, node, form); return }
        if field.required || field.requiredIf != nil || field.protected {
            parser.parser.error(node, "FK072", "'\(id)' cannot be hidden: it is \(field.protected ? "protected (the kernel or a workflow relies on it)" : "required")")
            return
        }
        if protectedFields[form.id]?.contains(id) == true {
            parser.parser.error(node, "FK072", "'\(id)' cannot be hidden: a workflow or consent policy reads it")
            return
        }
        let users = expressions.filter { $0.owner != id && $0.expression.fieldReferences.contains(id) }.map(\.owner)
        if !users.isEmpty {
            parser.parser.error(node, "FK073", "'\(id)' cannot be hidden: the conditions of \(Set(users).sorted().joined(separator: ", ")) use it")
            return
        }
        func remove(from fields: inout [FieldDefinition]) {
            fields.removeAll { $0.id == id }
            for i in fields.indices { remove(from: &fields[i].fields) }
        }
        for s in form.sections.indices { remove(from: &form.sections[s].fields) }
    }

    func relabel(_ id: String, _ texts: Translations, hint: Bool, in form: inout FormDefinition) -> Bool {
        if !hint, let s = form.sections.firstIndex(where: { $0.id == id }) {
            form.sections[s].title = form.sections[s].title.merging(texts)
            return true
        }
        return modify(id, in: &form) { field in
            if hint { field.hint = (field.hint ?? Translations([:])).merging(texts) } else { field.label = (field.label ?? Translations([:])).merging(texts) }
        }
    }

    mutating func tighten(_ id: String, _ node: Node, in form: inout FormDefinition) {
        guard let rules = parser.parser.reader.mapping(node, what: "tighten rules", allowed: Self.tightenKeys) else { return }
        var field = form.field(id)!
        func number(_ key: String) -> Double? { rules[key].flatMap { FormParser.number($0) } }
        func loosen(_ key: String, _ why: String) { parser.parser.error(rules[key], "FK074", "tighten may not loosen '\(id)': \(why)") }
        if let n = rules["required"], let required = parser.parser.reader.bool(n, what: "required") {
            if !required && field.required { loosen("required", "it is required") } else { field.required = required || field.required }
        }
        if let v = number("min") { if let old = field.min, v < old { loosen("min", "its min is \(old)") } else { field.min = v } }
        if let v = number("max") { if let old = field.max, v > old { loosen("max", "its max is \(old)") } else { field.max = v } }
        for (key, path) in [("min_length", \FieldDefinition.minLength), ("min_rows", \.minRows), ("min_items", \.minItems)] {
            if let v = number(key).map(Int.init) { if let old = field[keyPath: path], v < old { loosen(key, "its \(key) is \(old)") } else { field[keyPath: path] = v } }
        }
        for (key, path) in [("max_length", \FieldDefinition.maxLength), ("max_rows", \.maxRows), ("max_items", \.maxItems)] {
            if let v = number(key).map(Int.init) { if let old = field[keyPath: path], v > old { loosen(key, "its \(key) is \(old)") } else { field[keyPath: path] = v } }
        }
        _ = modify(id, in: &form) { $0 = field }
    }

    func modify(_ id: String, in form: inout FormDefinition, _ change: (inout FieldDefinition) -> Void) -> Bool {
        func visit(_ fields: inout [FieldDefinition]) -> Bool {
            for i in fields.indices {
                if fields[i].id == id { change(&fields[i]); return true }
                if visit(&fields[i].fields) { return true }
            }
            return false
        }
        for s in form.sections.indices where visit(&form.sections[s].fields) { return true }
        return false
    }

    mutating func unknownField(_ id: String, _ node: Node, _ form: FormDefinition) {
        let hint = YAMLReader.didYouMean(id, in: form.allFields.map(\.id) + form.sections.map(\.id))
        parser.parser.error(node, "FK071", "form '\(form.id)' has no field '\(id)'\(hint)")
    }

    // MARK: Lookups

    mutating func apply(_ keys: [String: Node], version: Int, to lookup: inout LookupDefinition) {
        for key in ["add", "hide", "tighten", "rehint"] where keys[key] != nil {
            parser.parser.error(keys[key], "FK075", "'\(key)' applies to a form, not a lookup")
        }
        if let list = keys["add_options"].flatMap({ parser.parser.reader.sequence($0, what: "add_options") }) {
            for node in list {
                guard let o = parser.parser.reader.mapping(node, what: "an option", allowed: LookupParser.optionKeys, required: ["code", "label"]),
                      let code = parser.parser.code(o["code"], what: "option code"),
                      let label = parser.parser.translations(o["label"], what: "the label of option '\(code)'") else { continue }
                if lookup.option(code) != nil {
                    parser.parser.error(o["code"], "FK031", "\(lookup.id) already has an option '\(code)'")
                    continue
                }
                lookup.options.append(.init(code: code, label: label, parent: o["parent"]?.string, level: o["level"]?.string))
            }
        }
        if let node = keys["relabel"], case .mapping(let mapping) = node {
            for (codeNode, textNode) in mapping {
                guard let code = codeNode.string, let texts = parser.parser.translations(textNode, what: "the label of option '\(code)'") else { continue }
                guard let index = lookup.options.firstIndex(where: { $0.code == code }) else {
                    parser.parser.error(codeNode, "FK071", "\(lookup.id) has no option '\(code)'")
                    continue
                }
                lookup.options[index].label = lookup.options[index].label.merging(texts)
            }
        }
    }
}
