import AmanaCore

/// A form as sent to clients that draw it (`GET /api/v1/forms/{id}`): its
/// sections and fields with every language's texts, each select's options,
/// and the conditions as source text (the server checks them again on save).
public enum FormDocument {
    public static func document(_ form: FormDefinition, lookups: [String: LookupDefinition]) -> JSONValue {
        var doc: JSONValue = [
            "id": .string(form.id), "version": .number(Double(form.version)), "plugin": .string(form.plugin),
            "title": texts(form.title), "sensitivity": .string(form.sensitivity.rawValue),
            "overlays": .object(form.overlays.mapValues { .number(Double($0)) }),
            "multiple": .bool(form.multiple),
        ]
        if !form.readableBy.isEmpty { doc.set("readable_by", .array(form.readableBy.map { .string($0) })) }
        doc.set("sections", .array(form.sections.map { section in
            var s: JSONValue = ["id": .string(section.id), "title": texts(section.title), "fields": .array(section.fields.map { field($0, lookups) })]
            if let c = section.showIf { s.set("show_if", .string(c.source)) }
            return s
        }))
        return doc
    }

    static func texts(_ t: Translations) -> JSONValue { .object(t.texts.mapValues { .string($0) }) }

    static func field(_ f: FieldDefinition, _ lookups: [String: LookupDefinition]) -> JSONValue {
        var out: JSONValue = ["id": .string(f.id), "type": .string(f.type.rawValue), "sensitivity": .string(f.sensitivity.rawValue)]
        if let l = f.label { out.set("label", texts(l)) }
        if let h = f.hint { out.set("hint", texts(h)) }
        if f.required { out.set("required", true) }
        if f.protected { out.set("protected", true) }
        for (key, e) in [("required_if", f.requiredIf), ("show_if", f.showIf), ("valid_if", f.validIf), ("expr", f.expr)] {
            if let e { out.set(key, .string(e.source)) }
        }
        if let m = f.message { out.set("message", texts(m)) }
        for (key, n) in [("min", f.min), ("max", f.max)] { if let n { out.set(key, .number(n)) } }
        for (key, n) in [("min_length", f.minLength), ("max_length", f.effectiveMaxLength), ("min_items", f.minItems), ("max_items", f.maxItems),
                         ("min_rows", f.minRows), ("max_rows", f.type == .repeat ? (f.maxRows ?? 100) : nil), ("max_bytes", f.maxBytes)] {
            if let n { out.set(key, .number(Double(n))) }
        }
        if let p = f.pattern { out.set("pattern", .string(p)) }
        if f.notFuture { out.set("not_future", true) }
        if !f.accept.isEmpty { out.set("accept", .array(f.accept.map { .string($0) })) }
        if let level = f.level { out.set("level", .string(level)) }
        if let id = f.lookup, let lookup = lookups[id] {
            out.set("lookup", .string(id))
            out.set("options", .array(lookup.options.map { o in
                var option: JSONValue = ["code": .string(o.code), "label": texts(o.label)]
                if let p = o.parent { option.set("parent", .string(p)) }
                if let l = o.level { option.set("level", .string(l)) }
                return option
            }))
        }
        if !f.fields.isEmpty { out.set("fields", .array(f.fields.map { field($0, lookups) })) }
        return out
    }
}
