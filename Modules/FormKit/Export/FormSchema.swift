import AmanaCore

/// The JSON Schema (draft 2020-12) of a form's submissions, in one language:
/// what API clients and editors check against before sending. The server's
/// validator stays the authority: conditions (`show_if`, `required_if`,
/// `valid_if`) cannot be said in JSON Schema and travel as `x-amana-*`
/// annotations; calculated fields are `readOnly`.
public enum FormSchema {
    public static let dialect = "https://json-schema.org/draft/2020-12/schema"

    public static func schema(_ form: FormDefinition, lookups: [String: LookupDefinition], language: String = "en") -> JSONValue {
        var schema = object(form.topLevelFields, sectionConditions: sectionConditions(form), lookups: lookups, language: language)
        schema.set("$schema", .string(dialect))
        schema.set("$id", .string("urn:amana:form:\(form.id):\(form.version)"))
        schema.set("title", .string(form.title.text(language)))
        var info: JSONValue = ["form": .string(form.id), "version": .number(Double(form.version)), "plugin": .string(form.plugin)]
        info.set("overlays", .object(form.overlays.mapValues { .number(Double($0)) }))
        schema.set("x-amana", info)
        return schema
    }

    /// Fields inside a section with `show_if` are only required when it is shown.
    static func sectionConditions(_ form: FormDefinition) -> [String: Expression] {
        var out: [String: Expression] = [:]
        for section in form.sections { if let c = section.showIf { for f in section.fields { out[f.id] = c } } }
        return out
    }

    static func object(_ fields: [FieldDefinition], sectionConditions: [String: Expression], lookups: [String: LookupDefinition], language: String) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        var required: [JSONValue] = []
        for field in fields where field.type != .note {
            properties[field.id] = property(field, sectionCondition: sectionConditions[field.id], lookups: lookups, language: language)
            // Unconditionally required only: a shown-when field is checked by the server.
            if field.required, field.showIf == nil, sectionConditions[field.id] == nil, field.type.takesInput { required.append(.string(field.id)) }
        }
        var schema: JSONValue = ["type": "object", "additionalProperties": false, "properties": .object(properties)]
        if !required.isEmpty { schema.set("required", .array(required)) }
        return schema
    }

    static func property(_ field: FieldDefinition, sectionCondition: Expression?, lookups: [String: LookupDefinition], language: String) -> JSONValue {
        var p: JSONValue = [:]
        let codes = field.lookup.flatMap { lookups[$0] }.map { lookup in
            lookup.options.filter { field.level == nil || $0.level == field.level }
        }
        func options() -> JSONValue {
            .array((codes ?? []).map { ["const": .string($0.code), "title": .string($0.label.text(language))] })
        }
        switch field.type {
        case .text, .textarea, .signature, .attachment:
            p = ["type": "string"]
            if let n = field.effectiveMaxLength { p.set("maxLength", .number(Double(n))) }
            if let n = field.minLength { p.set("minLength", .number(Double(n))) }
            if let pattern = field.pattern { p.set("pattern", .string(pattern)) }
        case .number: p = ["type": "number"]
        case .integer: p = ["type": "integer"]
        case .date: p = ["type": "string", "format": "date"]
        case .datetime: p = ["type": "string", "format": "date-time"]
        case .select, .location: p = ["oneOf": options()]
        case .multiSelect:
            p = ["type": "array", "uniqueItems": true, "items": ["oneOf": options()]]
            if let n = field.minItems { p.set("minItems", .number(Double(n))) }
            if let n = field.maxItems { p.set("maxItems", .number(Double(n))) }
        case .yesNo: p = ["type": "boolean"]
        case .tick: p = ["const": true]
        case .repeat:
            p = ["type": "array", "items": object(field.fields, sectionConditions: [:], lookups: lookups, language: language)]
            if let n = field.minRows { p.set("minItems", .number(Double(n))) }
            p.set("maxItems", .number(Double(field.maxRows ?? 100)))
        case .calculated: p = ["readOnly": true]
        case .note: break
        }
        if [.number, .integer].contains(field.type) {
            if let min = field.min { p.set("minimum", .number(min)) }
            if let max = field.max { p.set("maximum", .number(max)) }
        }
        if let label = field.label { p.set("title", .string(label.text(language))) }
        if let hint = field.hint { p.set("description", .string(hint.text(language))) }
        p.set("x-amana-sensitivity", .string(field.sensitivity.rawValue))
        let shown = [sectionCondition, field.showIf].compactMap { $0?.source }
        if !shown.isEmpty { p.set("x-amana-show-if", .string(shown.joined(separator: " and "))) }
        if let c = field.requiredIf { p.set("x-amana-required-if", .string(c.source)) }
        if let c = field.validIf { p.set("x-amana-valid-if", .string(c.source)) }
        if let e = field.expr { p.set("x-amana-expr", .string(e.source)) }
        return p
    }
}
