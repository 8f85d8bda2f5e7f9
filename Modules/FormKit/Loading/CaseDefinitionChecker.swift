import AmanaCore
import Yams
import YAMLSupport

/// Checks a workflow or consent policy against everything loaded: the forms
/// it names exist and are visible to its plugin, its roles exist, its
/// conditions are yes/no expressions over their form's fields, and the fields
/// it reads have the types it needs.
struct CaseDefinitionChecker<Definition> {
    let parsed: ParsedCaseDefinition<Definition>
    let forms: [String: ParsedForm]
    let lookups: [String: LookupDefinition]
    let manifest: PluginManifest
    /// Nil when roles are not known (linting definitions alone).
    let roles: Set<String>?

    func check(_ sink: inout DiagnosticSink) {
        for reference in parsed.references {
            switch reference.kind {
            case .form: checkForm(reference, &sink)
            case .role:
                if let roles, !roles.contains(reference.id) {
                    sink.error(reference.file, reference.node, "FK094", "unknown role '\(reference.id)'\(YAMLReader.didYouMean(reference.id, in: Array(roles)))")
                }
            }
        }
        for condition in parsed.conditions {
            guard let form = forms[condition.form] else { continue }
            let scope = FormChecker(form: form, lookups: lookups, visibleNamespaces: [], uses: []).scope(repeatID: nil)
            let result = TypeChecker(fields: scope).check(condition.expression)
            var errors = result.errors
            if errors.isEmpty, !ValueType.boolean.accepts(result.type) {
                errors.append(ExpressionError("must be a yes/no condition, but gives \(result.type)", at: 0))
            }
            for e in errors {
                let (line, column) = DefinitionParser.location(of: e.offset, in: condition.node)
                sink.diagnostics.append(Diagnostic(file: condition.file, line: line, column: column, code: "FK021", message: "\(condition.what) (over \(condition.form)): \(e.message)"))
            }
        }
        for expected in parsed.fields {
            guard let form = forms[expected.form] else { continue }
            guard let field = form.form.field(expected.field) else {
                let hint = YAMLReader.didYouMean(expected.field, in: form.form.allFields.map(\.id))
                sink.error(expected.file, expected.node, "FK095", "form '\(expected.form)' has no field '\(expected.field)'\(hint)")
                continue
            }
            if let type = expected.type, field.valueType != type {
                sink.error(expected.file, expected.node, "FK095", "'\(expected.field)' of \(expected.form) must hold \(type), but holds \(field.valueType)")
            }
        }
    }

    func checkForm(_ reference: DefinitionReference, _ sink: inout DiagnosticSink) {
        guard forms[reference.id] != nil else {
            let hint = YAMLReader.didYouMean(reference.id, in: Array(forms.keys))
            sink.error(reference.file, reference.node, "FK023", "unknown form '\(reference.id)'\(hint)")
            return
        }
        let namespace = String(reference.id.prefix { $0 != "/" })
        if namespace != manifest.id, namespace != "core", !manifest.uses.contains(reference.id) {
            sink.error(reference.file, reference.node, "FK024", "form '\(reference.id)' belongs to plugin '\(namespace)': add it to this plugin's 'uses'")
        }
    }
}

extension ParsedCaseDefinition {
    /// Fields, per form, that this definition reads: an overlay may not hide them.
    var fieldsRead: [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for c in conditions { out[c.form, default: []].formUnion(c.expression.fieldReferences) }
        for f in fields where f.protects { out[f.form, default: []].insert(f.field) }
        return out
    }
}
