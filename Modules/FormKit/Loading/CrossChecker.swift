import AmanaCore
import Foundation
import YAMLSupport

/// The checks that need every plugin at once: duplicate ids, `uses`
/// references and cycles, kernel compatibility, lookups named by forms, and
/// the types of every expression (once all fields and lookups are known).
struct CrossChecker {
    let kernelVersion: SemanticVersion
    let roles: Set<String>?

    func check(_ plugins: inout [LoadedPlugin]) {
        duplicatePlugins(&plugins)
        var formOwners: [String: String] = [:], lookupOwners: [String: String] = [:]
        for index in plugins.indices {
            guard let manifest = plugins[index].manifest else { continue }
            if !manifest.kernel.isSatisfied(by: kernelVersion) {
                plugins[index].diagnostics.append(diagnostic(manifest.position, "FK055", "plugin '\(manifest.id)' needs kernel \(manifest.kernel), but this is kernel \(kernelVersion)"))
            }
            for parsed in plugins[index].forms {
                if let owner = formOwners[parsed.form.id] {
                    plugins[index].diagnostics.append(diagnostic(parsed.form.position, "FK056", "form '\(parsed.form.id)' is already defined by plugin '\(owner)'"))
                } else {
                    formOwners[parsed.form.id] = manifest.id
                }
            }
            for lookup in plugins[index].lookups {
                if let owner = lookupOwners[lookup.id] {
                    plugins[index].diagnostics.append(diagnostic(lookup.position, "FK056", "lookup '\(lookup.id)' is already defined by plugin '\(owner)'"))
                } else {
                    lookupOwners[lookup.id] = manifest.id
                }
            }
        }
        let lookups = Dictionary(plugins.flatMap(\.lookups).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let forms = Dictionary(plugins.flatMap(\.forms).map { ($0.form.id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in plugins.indices {
            guard let manifest = plugins[index].manifest else { continue }
            for used in manifest.uses where formOwners[used] == nil && lookupOwners[used] == nil {
                let hint = YAMLReader.didYouMean(used, in: Array(formOwners.keys) + Array(lookupOwners.keys))
                plugins[index].diagnostics.append(diagnostic(manifest.position, "FK057", "plugin '\(manifest.id)' uses '\(used)', which no plugin defines\(hint)"))
            }
            let visible = visibleNamespaces(manifest)
            for parsed in plugins[index].forms {
                var sink = DiagnosticSink()
                FormChecker(form: parsed, lookups: lookups, visibleNamespaces: visible, uses: Set(manifest.uses)).check(&sink)
                plugins[index].diagnostics += sink.diagnostics
            }
            var sink = DiagnosticSink()
            if let workflow = plugins[index].workflow {
                CaseDefinitionChecker(parsed: workflow, forms: forms, lookups: lookups, manifest: manifest, roles: roles).check(&sink)
            }
            if let policy = plugins[index].consentPolicy {
                CaseDefinitionChecker(parsed: policy, forms: forms, lookups: lookups, manifest: manifest, roles: roles).check(&sink)
            }
            for parsed in plugins[index].forms {
                for role in parsed.form.readableBy where roles.map({ !$0.contains(role) }) ?? false {
                    sink.error(parsed.form.position.file, parsed.readableByNode, "FK096", "readable_by names an unknown role '\(role)'\(YAMLReader.didYouMean(role, in: Array(roles ?? [])))")
                }
                for role in parsed.form.filledBy where roles.map({ !$0.contains(role) }) ?? false {
                    sink.error(parsed.form.position.file, parsed.filledByNode, "FK096", "filled_by names an unknown role '\(role)'\(YAMLReader.didYouMean(role, in: Array(roles ?? [])))")
                }
                for role in parsed.form.filledBy where !parsed.form.readableBy.isEmpty && !parsed.form.readableBy.contains(role) {
                    sink.error(parsed.form.position.file, parsed.filledByNode, "FK105", "filled_by names '\(role)', who may not read the form (readable_by): a form is filled by some of its readers")
                }
            }
            for role in manifest.needToKnow where roles.map({ !$0.contains(role) }) ?? false {
                sink.error(manifest.directory + "/plugin.yaml", plugins[index].manifestNode, "FK094", "need_to_know names an unknown role '\(role)'")
            }
            plugins[index].diagnostics += sink.diagnostics
        }
        dependencyCycles(&plugins, formOwners: formOwners, lookupOwners: lookupOwners)
    }

    /// Per form, the fields workflows and consent policies read: overlays may not hide them.
    static func fieldsReadByCaseDefinitions(_ plugins: [LoadedPlugin]) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for plugin in plugins {
            for read in [plugin.workflow?.fieldsRead, plugin.consentPolicy?.fieldsRead].compactMap({ $0 }) {
                out.merge(read) { $0.union($1) }
            }
        }
        return out
    }

    /// A plugin sees its own definitions, the kernel's (`core`), and what it `uses`.
    func visibleNamespaces(_ manifest: PluginManifest) -> Set<String> {
        Set([manifest.id, "core"])
    }

    func duplicatePlugins(_ plugins: inout [LoadedPlugin]) {
        var seen: [String: String] = [:]
        for index in plugins.indices {
            guard let manifest = plugins[index].manifest else { continue }
            if let first = seen[manifest.id] {
                plugins[index].diagnostics.append(diagnostic(manifest.position, "FK058", "a plugin with id '\(manifest.id)' is already loaded from \(first)"))
                plugins[index].manifest = nil
            } else {
                seen[manifest.id] = manifest.directory
            }
        }
    }

    /// Plugin A uses B's definitions and B uses A's (directly or further round): refused.
    func dependencyCycles(_ plugins: inout [LoadedPlugin], formOwners: [String: String], lookupOwners: [String: String]) {
        var edges: [String: Set<String>] = [:]
        for plugin in plugins {
            guard let m = plugin.manifest else { continue }
            edges[m.id] = Set(m.uses.compactMap { formOwners[$0] ?? lookupOwners[$0] }.filter { $0 != m.id })
        }
        for index in plugins.indices {
            guard let m = plugins[index].manifest else { continue }
            var stack = Array(edges[m.id] ?? []), seen: Set<String> = []
            while let next = stack.popLast() {
                if next == m.id {
                    plugins[index].diagnostics.append(diagnostic(m.position, "FK059", "plugin '\(m.id)' depends on itself through 'uses' (a cycle)"))
                    break
                }
                if seen.insert(next).inserted { stack += edges[next] ?? [] }
            }
        }
    }

    func diagnostic(_ position: SourcePosition, _ code: String, _ message: String) -> Diagnostic {
        Diagnostic(file: position.file, line: position.line, column: position.column, code: code, message: message)
    }
}

/// Which plugins make it into the catalog: those without errors whose
/// dependencies also made it.
enum PluginSelection {
    static func apply(_ plugins: [LoadedPlugin], to catalog: inout DefinitionCatalog) {
        // A plugin whose manifest could not be read is named by its directory.
        var refused = Set(plugins.filter(\.hasErrors).map { $0.manifest?.id ?? URL(fileURLWithPath: $0.directory).lastPathComponent })
        let owners = Dictionary(plugins.flatMap { p in (p.forms.map(\.form.id) + p.lookups.map(\.id)).map { ($0, p.manifest?.id ?? "") } }, uniquingKeysWith: { a, _ in a })
        var extra: [Diagnostic] = []
        // A plugin using a refused plugin's definitions is refused too (to a fixed point).
        var changed = true
        while changed {
            changed = false
            for plugin in plugins {
                guard let m = plugin.manifest, !refused.contains(m.id) else { continue }
                if let broken = m.uses.compactMap({ owners[$0] }).first(where: { refused.contains($0) }) {
                    refused.insert(m.id)
                    extra.append(Diagnostic(file: m.directory + "/plugin.yaml", line: m.position.line, column: m.position.column, code: "FK060", message: "plugin '\(m.id)' is not loaded: it uses plugin '\(broken)', which has errors"))
                    changed = true
                }
            }
        }
        for plugin in plugins {
            catalog.diagnostics += plugin.diagnostics
            guard let m = plugin.manifest else { continue }
            if refused.contains(m.id) { continue }
            catalog.plugins[m.id] = m
            for parsed in plugin.forms { catalog.forms[parsed.form.id] = parsed.form }
            for lookup in plugin.lookups { catalog.lookups[lookup.id] = lookup }
            if let workflow = plugin.workflow?.definition { catalog.workflows[workflow.id] = workflow }
            if let policy = plugin.consentPolicy?.definition { catalog.consentPolicies[policy.id] = policy }
        }
        catalog.diagnostics += extra
        catalog.refusedPlugins = refused
        catalog.diagnostics.sort { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
    }
}
