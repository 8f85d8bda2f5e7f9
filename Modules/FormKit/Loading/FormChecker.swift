import AmanaCore
import Yams
import YAMLSupport

/// Checks one form against everything loaded: its lookups exist and are
/// visible to its plugin, location fields name a level of a hierarchy, and
/// every expression type-checks with the form's fields in scope (calculated
/// fields typed from their expressions, in dependency order, without cycles).
struct FormChecker {
    let form: ParsedForm
    let lookups: [String: LookupDefinition]
    let visibleNamespaces: Set<String>
    let uses: Set<String>

    func check(_ reporter: inout DiagnosticSink) {
        checkLookups(&reporter)
        let types = fieldTypes(&reporter)
        for site in form.expressions {
            let result = TypeChecker(fields: types.scope(site.repeatID)).check(site.expression)
            reporter.report(result.errors, at: site)
            if [.showIf, .requiredIf, .validIf, .doneIf].contains(site.kind), !ValueType.boolean.accepts(result.type) {
                reporter.report([ExpressionError("must be a yes/no condition, but gives \(result.type)", at: 0)], at: site)
            }
        }
    }

    func checkLookups(_ reporter: inout DiagnosticSink) {
        for reference in form.lookupReferences {
            guard let lookup = lookups[reference.lookup] else {
                let hint = YAMLReader.didYouMean(reference.lookup, in: Array(lookups.keys))
                reporter.error(reference.file, reference.node, "FK022", "unknown lookup '\(reference.lookup)'\(hint)")
                continue
            }
            let namespace = String(lookup.id.prefix { $0 != "/" })
            if !visibleNamespaces.contains(namespace), !uses.contains(lookup.id) {
                reporter.error(reference.file, reference.node, "FK024", "lookup '\(lookup.id)' belongs to plugin '\(namespace)': add it to this plugin's 'uses'")
            }
            guard let field = form.form.field(reference.field) else { continue }
            if field.type == .location {
                if lookup.levels.isEmpty {
                    reporter.error(reference.file, reference.node, "FK025", "location field '\(field.id)' needs a lookup with levels (a location hierarchy)")
                } else if let level = field.level, !lookup.levels.contains(level) {
                    reporter.error(reference.file, reference.node, "FK025", "level '\(level)' is not one of \(lookup.id)'s levels: \(lookup.levels.joined(separator: ", "))")
                }
            }
            if case .text(let code) = field.defaultValue, lookup.option(code) == nil {
                reporter.error(reference.file, reference.node, "FK026", "the default '\(code)' of '\(field.id)' is not an option of \(lookup.id)")
            }
        }
    }

    struct Types {
        var topLevel: [String: ValueType] = [:]
        var rows: [String: [String: ValueType]] = [:]
        /// A nested repeat's enclosing repeat.
        var parent: [String: String] = [:]

        /// The fields in scope: a repeat row's own fields first, then those of
        /// the rows around it, then the form's.
        func scope(_ repeatID: String?) -> [String: ValueType] {
            var chain: [String] = []
            var next = repeatID
            while let id = next, !chain.contains(id) { chain.append(id); next = parent[id] }
            var scope = topLevel
            for id in chain.reversed() { scope.merge(rows[id] ?? [:]) { _, inner in inner } }
            return scope
        }

        mutating func set(_ field: String, in repeatID: String?, _ type: ValueType) {
            if let repeatID { rows[repeatID]?[field] = type } else { topLevel[field] = type }
        }
    }

    /// The fields an expression over this form may use, with their types.
    func scope(repeatID: String?) -> [String: ValueType] {
        var ignored = DiagnosticSink()
        return fieldTypes(&ignored).scope(repeatID)
    }

    /// Field types, with calculated fields inferred from their expressions.
    func fieldTypes(_ reporter: inout DiagnosticSink) -> Types {
        var types = Types()
        for field in form.form.topLevelFields { types.topLevel[field.id] = field.valueType }
        for field in form.form.allFields where field.type == .repeat {
            types.rows[field.id] = Dictionary(field.fields.map { ($0.id, $0.valueType) }, uniquingKeysWith: { a, _ in a })
            for child in field.fields where child.type == .repeat { types.parent[child.id] = field.id }
        }
        // Calculated fields in dependency order; a cycle is an error.
        let calculated = form.form.allFields.filter { $0.type == .calculated && $0.expr != nil }
        var resolved: Set<String> = []
        var remaining = calculated
        while !remaining.isEmpty {
            let ready = remaining.filter { field in
                field.expr!.fieldReferences.allSatisfy { reference in resolved.contains(reference) || !calculated.contains { $0.id == reference } }
            }
            if ready.isEmpty {
                for field in remaining {
                    if let site = form.expressions.first(where: { $0.owner == field.id && $0.kind == .expr }) {
                        reporter.report([ExpressionError("calculated fields depend on each other in a cycle (\(remaining.map(\.id).joined(separator: ", ")))", at: 0)], at: site)
                    }
                }
                break
            }
            for field in ready {
                let repeatID = form.expressions.first { $0.owner == field.id && $0.kind == .expr }?.repeatID
                let type = TypeChecker(fields: types.scope(repeatID)).check(field.expr!).type
                types.set(field.id, in: repeatID, type)
                resolved.insert(field.id)
            }
            remaining.removeAll { ready.map(\.id).contains($0.id) }
        }
        return types
    }
}

/// Collects diagnostics from checks that span files (a form and its overlays).
struct DiagnosticSink {
    var diagnostics: [Diagnostic] = []

    mutating func error(_ file: String, _ node: Node?, _ code: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, code: code, message: message))
    }

    mutating func report(_ errors: [ExpressionError], at site: ExpressionSite) {
        for e in errors {
            let (line, column) = DefinitionParser.location(of: e.offset, in: site.node)
            diagnostics.append(Diagnostic(file: site.file, line: line, column: column, code: "FK021", message: "\(site.kind.rawValue) of '\(site.owner)': \(e.message)"))
        }
    }
}
