import AmanaCore
import Foundation
import Yams
import YAMLSupport

/// Applies every plugin's overlays, in load order (shipped plugins first, then
/// the install's, alphabetically). An overlay with an error is not applied and
/// its plugin is refused; the overlaid form is checked again as a whole.
enum OverlayStage {
    /// `roles`: the role ids an overlay's `readable_by` may name, when known.
    static func apply(_ plugins: inout [LoadedPlugin], languages: [String], protectedFields: [String: Set<String>], roles: Set<String>? = nil) {
        let lookups = Dictionary(plugins.flatMap(\.lookups).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for index in plugins.indices {
            guard let manifest = plugins[index].manifest, !plugins[index].overlays.isEmpty else { continue }
            for (file, root) in plugins[index].overlays {
                var applier = OverlayApplier(file: file, overlayPlugin: manifest.id, languages: languages, protectedFields: protectedFields, roles: roles)
                guard let (target, keys, version) = applier.target(root) else {
                    plugins[index].diagnostics += applier.parser.parser.reader.diagnostics
                    continue
                }
                if let (owner, formIndex) = locateForm(target, plugins) {
                    if plugins[owner].hasErrors {
                        plugins[index].diagnostics.append(error(file, root, "FK070", "overlay targets form '\(target)' of plugin '\(plugins[owner].manifest?.id ?? "?")', which has errors"))
                        continue
                    }
                    var overlaid = plugins[owner].forms[formIndex]
                    applier.apply(keys, version: version, to: &overlaid)
                    var sink = DiagnosticSink()
                    let visible: Set<String> = [overlaid.form.plugin, manifest.id, "core"]
                    FormChecker(form: overlaid, lookups: lookups, visibleNamespaces: visible, uses: Set(manifest.uses)).check(&sink)
                    let problems = applier.parser.parser.reader.diagnostics + sink.diagnostics
                    plugins[index].diagnostics += problems
                    if !problems.contains(where: { $0.severity == .error }) { plugins[owner].forms[formIndex] = overlaid }
                } else if let (owner, lookupIndex) = locateLookup(target, plugins) {
                    var lookup = plugins[owner].lookups[lookupIndex]
                    applier.apply(keys, version: version, to: &lookup)
                    let problems = applier.parser.parser.reader.diagnostics
                    plugins[index].diagnostics += problems
                    if !problems.contains(where: { $0.severity == .error }) { plugins[owner].lookups[lookupIndex] = lookup }
                } else {
                    let known = plugins.flatMap { $0.forms.map(\.form.id) + $0.lookups.map(\.id) }
                    let hint = YAMLReader.didYouMean(target, in: known)
                    plugins[index].diagnostics.append(error(file, keys["overlay"], "FK070", "no form or lookup '\(target)' to overlay\(hint)"))
                }
            }
        }
    }

    static func locateForm(_ id: String, _ plugins: [LoadedPlugin]) -> (Int, Int)? {
        for (p, plugin) in plugins.enumerated() { if let f = plugin.forms.firstIndex(where: { $0.form.id == id }) { return (p, f) } }
        return nil
    }

    static func locateLookup(_ id: String, _ plugins: [LoadedPlugin]) -> (Int, Int)? {
        for (p, plugin) in plugins.enumerated() { if let l = plugin.lookups.firstIndex(where: { $0.id == id }) { return (p, l) } }
        return nil
    }

    static func error(_ file: String, _ node: Node?, _ code: String, _ message: String) -> Diagnostic {
        Diagnostic(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, code: code, message: message)
    }
}

