import AmanaCore
import Foundation
import Yams
import YAMLSupport

/// Reads plugins from disk: the shipped `FormDefinitions/` (plugin `core`) and
/// `Plugins/`, then an install's own `plugins/`. Every problem is a positioned
/// diagnostic; a plugin with errors is left out and the rest still load.
public enum DefinitionLoader {
    /// The kernel version plugins declare compatibility with.
    public static let kernelVersion = SemanticVersion(1, 0, 0)
    /// A definition file larger than this is refused unread.
    public static let maxFileBytes = 1 << 20

    /// Loads every plugin under `roots`, in order. A root that holds a
    /// `plugin.yaml` is one plugin; otherwise each of its subdirectories that
    /// holds one is.
    /// `roles`, when given, are the role ids workflows and policies may name.
    public static func load(roots: [String], kernelVersion: SemanticVersion = kernelVersion, roles: Set<String>? = nil) -> DefinitionCatalog {
        let languageFile = firstFile("i18n/languages.yaml", in: roots)
        var diagnostics: [Diagnostic] = []
        let languages = languageFile.map { readLanguages($0, &diagnostics) } ?? defaultLanguages
        var loaded: [LoadedPlugin] = []
        for root in roots {
            for directory in pluginDirectories(root) {
                loaded.append(loadPlugin(directory, languages: languages.map(\.code)))
            }
        }
        var catalog = DefinitionCatalog(languages: languages)
        if let messageFile = firstFile("i18n/messages.yaml", in: roots) {
            catalog.messages = MessagesFile.read(messageFile, languages: languages.map(\.code), &diagnostics)
        }
        catalog.diagnostics = diagnostics
        CrossChecker(kernelVersion: kernelVersion, roles: roles).check(&loaded)
        let baseForms = Dictionary(loaded.flatMap(\.forms).map { ($0.form.id, $0.form) }, uniquingKeysWith: { first, _ in first })
        OverlayStage.apply(&loaded, languages: languages.map(\.code), protectedFields: CrossChecker.fieldsReadByCaseDefinitions(loaded), roles: roles)
        PluginSelection.apply(loaded, to: &catalog)
        catalog.baseForms = baseForms.filter { catalog.forms[$0.key] != nil }
        return catalog
    }

    /// The kernel-wide files (languages, messages) come from the first root that has them.
    static func firstFile(_ relative: String, in roots: [String]) -> String? {
        roots.lazy.map { $0 + "/" + relative }.first { FileManager.default.fileExists(atPath: $0) }
    }

    static let defaultLanguages = [Language(code: "en", name: "English", rightToLeft: false), Language(code: "ar", name: "العربية", rightToLeft: true)]

    /// The plugin directories under `roots`, in load order.
    public static func pluginDirectories(roots: [String]) -> [String] {
        roots.flatMap(pluginDirectories)
    }

    static func pluginDirectories(_ root: String) -> [String] {
        let files = FileManager.default
        if files.fileExists(atPath: root + "/plugin.yaml") { return [root] }
        let children = (try? files.contentsOfDirectory(atPath: root)) ?? []
        return children.sorted().map { root + "/" + $0 }.filter { files.fileExists(atPath: $0 + "/plugin.yaml") }
    }

    static func readLanguages(_ path: String, _ diagnostics: inout [Diagnostic]) -> [Language] {
        do {
            let document = try YAMLDocument.load(path: path, maxBytes: maxFileBytes)
            var reader = YAMLReader(file: path)
            var out: [Language] = []
            if let top = reader.mapping(document.root, what: "the languages file", allowed: ["languages"], required: ["languages"]),
               let list = top["languages"].flatMap({ reader.sequence($0, what: "languages") }) {
                for node in list {
                    guard let l = reader.mapping(node, what: "a language", allowed: ["code", "name", "direction"], required: ["code", "name", "direction"]),
                          let code = l["code"].flatMap({ reader.string($0, what: "code") }),
                          let name = l["name"].flatMap({ reader.string($0, what: "name") }),
                          let direction = l["direction"].flatMap({ reader.string($0, what: "direction") }) else { continue }
                    guard direction == "ltr" || direction == "rtl" else {
                        reader.report(l["direction"], "FK043", "direction is 'ltr' or 'rtl', not '\(direction)'")
                        continue
                    }
                    out.append(Language(code: code, name: name, rightToLeft: direction == "rtl"))
                }
            }
            if !out.contains(where: { $0.code == "en" }) { reader.report(document.root, "FK044", "English (en) must be one of the languages") }
            diagnostics += reader.diagnostics
            return out.isEmpty ? defaultLanguages : out
        } catch {
            diagnostics += DiagnosticList.from(error)
            return defaultLanguages
        }
    }

    static func loadPlugin(_ directory: String, languages: [String]) -> LoadedPlugin {
        let manifestPath = directory + "/plugin.yaml"
        var plugin = LoadedPlugin(directory: directory)
        let document: YAMLDocument
        do {
            document = try YAMLDocument.load(path: manifestPath, maxBytes: maxFileBytes)
        } catch {
            plugin.diagnostics += DiagnosticList.from(error)
            return plugin
        }
        var manifestParser = ManifestParser(file: manifestPath, languages: languages)
        plugin.manifest = manifestParser.parse(document.root, directory: directory)
        plugin.manifestNode = document.root
        plugin.diagnostics += manifestParser.parser.reader.diagnostics
        guard let manifest = plugin.manifest else { return plugin }
        for path in expand(manifest.lookups, in: directory, diagnostics: &plugin.diagnostics, manifestPath: manifestPath) {
            guard let root = read(path, &plugin.diagnostics) else { continue }
            var parser = LookupParser(file: path, plugin: manifest.id, languages: languages)
            if let lookup = parser.parse(root) { plugin.lookups.append(lookup) }
            plugin.diagnostics += parser.parser.reader.diagnostics
        }
        for path in expand(manifest.overlays, in: directory, diagnostics: &plugin.diagnostics, manifestPath: manifestPath) {
            if let root = read(path, &plugin.diagnostics) { plugin.overlays.append((path, root)) }
        }
        for path in expand(manifest.forms, in: directory, diagnostics: &plugin.diagnostics, manifestPath: manifestPath) {
            guard let root = read(path, &plugin.diagnostics) else { continue }
            var parser = FormParser(file: path, plugin: manifest.id, languages: languages)
            if let form = parser.parse(root) { plugin.forms.append(form) }
            plugin.diagnostics += parser.parser.reader.diagnostics
        }
        if let path = manifest.workflow.flatMap({ single($0, in: directory, &plugin.diagnostics, manifestPath) }), let root = read(path, &plugin.diagnostics) {
            var parser = WorkflowParser(file: path, plugin: manifest.id, languages: languages)
            plugin.workflow = parser.parse(root)
            plugin.diagnostics += parser.parser.reader.diagnostics
        }
        if let path = manifest.consentPolicy.flatMap({ single($0, in: directory, &plugin.diagnostics, manifestPath) }), let root = read(path, &plugin.diagnostics) {
            var parser = ConsentPolicyParser(file: path, plugin: manifest.id, languages: languages)
            plugin.consentPolicy = parser.parse(root)
            plugin.diagnostics += parser.parser.reader.diagnostics
        }
        if manifest.caseType != nil {
            for (key, value) in [("workflow", manifest.workflow), ("consent_policy", manifest.consentPolicy)] where value == nil {
                plugin.diagnostics.append(Diagnostic(file: manifestPath, line: manifest.position.line, column: manifest.position.column, code: "FK088", message: "plugin '\(manifest.id)' has a case_type, so it needs a '\(key)'"))
            }
        }
        return plugin
    }

    /// One file named by the manifest (no pattern); a missing one is an error.
    static func single(_ relative: String, in directory: String, _ diagnostics: inout [Diagnostic], _ manifestPath: String) -> String? {
        let path = directory + "/" + relative
        guard FileManager.default.fileExists(atPath: path) else {
            diagnostics.append(Diagnostic(file: manifestPath, line: 1, column: 1, code: "FK054", message: "'\(relative)' does not exist"))
            return nil
        }
        return path
    }

    static func read(_ path: String, _ diagnostics: inout [Diagnostic]) -> Node? {
        do {
            let document = try YAMLDocument.load(path: path, maxBytes: maxFileBytes)
            guard AliasBudget.isWithinBudget(document.root) else {
                diagnostics.append(Diagnostic(file: path, line: 1, column: 1, code: "FK053", message: "the file expands to more than \(AliasBudget.maxNodes) YAML nodes (aliases?)"))
                return nil
            }
            return document.root
        } catch {
            diagnostics += DiagnosticList.from(error)
            return nil
        }
    }

    /// Expands `forms/*.yaml`-style patterns (one `*` in the file name) relative to
    /// the plugin's directory; a pattern that matches nothing is an error.
    static func expand(_ patterns: [String], in directory: String, diagnostics: inout [Diagnostic], manifestPath: String) -> [String] {
        var out: [String] = []
        for pattern in patterns {
            let url = URL(fileURLWithPath: directory + "/" + pattern)
            let folder = url.deletingLastPathComponent().path
            let name = url.lastPathComponent
            var matches: [String] = []
            if name.contains("*") {
                let parts = name.split(separator: "*", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
                matches = entries.filter { $0.hasPrefix(parts[0]) && $0.hasSuffix(parts[1]) && !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
            } else if FileManager.default.fileExists(atPath: url.path) {
                matches = [url.path]
            }
            if matches.isEmpty {
                diagnostics.append(Diagnostic(file: manifestPath, line: 1, column: 1, severity: .warning, code: "FK054", message: "'\(pattern)' matches no file"))
            }
            out += matches.filter { !out.contains($0) }
        }
        return out
    }
}

/// One plugin as read from disk, before the cross-plugin checks.
struct LoadedPlugin {
    var directory: String
    var manifest: PluginManifest?
    var manifestNode: Node?
    var forms: [ParsedForm] = []
    var lookups: [LookupDefinition] = []
    var overlays: [(file: String, root: Node)] = []
    var workflow: ParsedCaseDefinition<WorkflowDefinition>?
    var consentPolicy: ParsedCaseDefinition<ConsentPolicyDefinition>?
    var diagnostics: [Diagnostic] = []

    var hasErrors: Bool { manifest == nil || diagnostics.contains { $0.severity == .error } }
}

enum DiagnosticList {
    /// The diagnostics a definition error carries (or one naming the failure).
    static func from(_ error: AmanaError) -> [Diagnostic] {
        error.diagnostics.isEmpty ? [Diagnostic(file: error.pointer ?? "?", line: 1, column: 1, code: "YAML000", message: error.message)] : error.diagnostics
    }
}

/// Bounds how many nodes a document may expand to, so an alias bomb
/// (`a: &a [*b, *b, ...]`) is refused instead of exhausting memory or time.
enum AliasBudget {
    static let maxNodes = YAMLDocument.maxNodes

    static func isWithinBudget(_ root: Node) -> Bool {
        root.visitEveryNode(atMost: maxNodes)
    }
}
