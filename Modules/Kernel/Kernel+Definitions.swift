import AmanaCore
import FormKit
import Identity
import Foundation

extension Kernel {
    /// Where definitions are read from, in order: the kernel's own
    /// (`FormDefinitions/`), the shipped programme plugins (`Plugins/`), then
    /// the install's `plugins/` (its own plugins and overlays).
    public static func definitionRoots(shipped: String, install: InstallLayout?) -> [String] {
        [shipped + "/FormDefinitions", shipped + "/Plugins"] + (install.map { [$0.pluginsDirectory] } ?? [])
    }

    /// The kernel's roles, extended by each plugin's own `roles.yaml` (a plugin
    /// may add roles or grant more to existing ones, never take away). A broken
    /// roles file stops the install from opening: permissions are never guessed.
    static func roleCatalog(shipped: String, roots: [String]) throws(AmanaError) -> RoleCatalog {
        var roles = try RoleCatalog.load(path: ShippedContent.rolesFile(in: shipped))
        for directory in DefinitionLoader.pluginDirectories(roots: roots) where FileManager.default.fileExists(atPath: directory + "/roles.yaml") {
            roles = roles.extended(with: try RoleCatalog.load(path: directory + "/roles.yaml"))
        }
        let unknown = roles.unknownSupervisedRoles()
        guard unknown.isEmpty else { throw AmanaError.definition(unknown) }
        return roles
    }

    /// Loads and checks definitions without opening an install: what
    /// `amana forms lint` runs. `extraRoots` are linted with the shipped ones,
    /// so that their references to `core/...` resolve.
    public static func lintDefinitions(extraRoots: [String] = [], shippedDirectory: String? = nil) throws(AmanaError) -> DefinitionCatalog {
        let shipped: String
        if let shippedDirectory { shipped = shippedDirectory } else { shipped = try ShippedContent.locate() }
        for root in extraRoots where !FileManager.default.fileExists(atPath: root) {
            throw .invalid("path-missing", "\(root) does not exist.")
        }
        let roots = definitionRoots(shipped: shipped, install: nil) + extraRoots
        let roles = try roleCatalog(shipped: shipped, roots: roots)
        return DefinitionLoader.load(roots: roots, roles: Set(roles.roleIDs))
    }
}

/// One form in a list of forms, titled in the reader's language.
public struct FormSummary: Sendable, Equatable, Encodable {
    public var id: String
    public var version: Int
    public var plugin: String
    public var title: String
    /// Organisations' overlays applied to it: plugin id to overlay version.
    public var overlays: [String: Int]
}

extension Kernel {
    /// The forms this install serves, shipped ones as overlaid by the
    /// organisation. Definitions hold no case data: any signed-in user may read them.
    public func formSummaries(language: String) throws(AmanaError) -> [FormSummary] {
        try checkLanguage(language)
        return definitions.forms.values.sorted { $0.id < $1.id }.map {
            FormSummary(id: $0.id, version: $0.version, plugin: $0.plugin, title: $0.title.text(language), overlays: $0.overlays)
        }
    }

    /// A form as clients draw it: every language, options, conditions.
    public func formDocument(id: String) throws(AmanaError) -> JSONValue {
        FormDocument.document(try servedForm(id), lookups: definitions.lookups)
    }

    /// The JSON Schema (draft 2020-12) of a form's submissions.
    public func formSchema(id: String, language: String) throws(AmanaError) -> JSONValue {
        try checkLanguage(language)
        return FormSchema.schema(try servedForm(id), lookups: definitions.lookups, language: language)
    }

    /// A language the definitions are written in, or `language-unknown`.
    func checkLanguage(_ code: String) throws(AmanaError) {
        guard definitions.language(code) != nil else {
            throw .invalid("language-unknown", "lang must be one of \(definitions.languages.map(\.code).joined(separator: ", ")).", pointer: "lang")
        }
    }

    func servedForm(_ id: String) throws(AmanaError) -> FormDefinition {
        guard let form = definitions.forms[id] else {
            throw AmanaError(.notFound, code: "form-unknown", "No form '\(id)' is served by this install.", pointer: "id")
        }
        return form
    }

    /// Problems found in the definitions when the install opened (a refused
    /// overlay, a plugin not loaded): for those who look after the install.
    public func definitionProblems(by principal: Principal, requestID: String) async throws(AmanaError) -> [Diagnostic] {
        if case .user(let actor) = principal, !actor.may("check", "install") {
            throw await refuse(principal, "definitions.problems", "install", requestID: requestID)
        }
        return try await definitionDiagnostics().map { d in
            // Paths relative to the shipped or install directory: no host paths leave the server.
            var shown = d
            shown.file = Self.relativeDefinitionPath(d.file, layout: layout)
            return shown
        }
    }

    /// Every problem with the definitions this install serves, with paths as
    /// on disk: those found when they loaded, and each form compared with the
    /// version served before. For the console (`amana forms lint --data`).
    public func definitionDiagnostics() async throws(AmanaError) -> [Diagnostic] {
        definitions.diagnostics + (try await formVersionProblems())
    }

    static func relativeDefinitionPath(_ path: String, layout: InstallLayout) -> String {
        let plugins = layout.pluginsDirectory + "/"
        if path.hasPrefix(plugins) { return "plugins/" + path.dropFirst(plugins.count) }
        for marker in ["/FormDefinitions/", "/Plugins/"] {
            if let range = path.range(of: marker, options: .backwards) { return String(path[path.index(after: range.lowerBound)...]) }
        }
        return URL(fileURLWithPath: path).lastPathComponent
    }
}

extension Kernel {
    /// The forms cases of `caseType` are filled in with that the actor's role
    /// works on (`readable_by`): the shared ones the programme uses, in its
    /// order, then the programme's own, by id.
    public func formsUsed(byCaseType caseType: String, actor: Actor) -> [FormDefinition] {
        guard let plugin = definitions.plugin(forCaseType: caseType) else { return [] }
        let own = definitions.forms.values.filter { $0.plugin == plugin.id }.sorted { $0.id < $1.id }
        let shared = plugin.uses.compactMap { definitions.forms[$0] }
        return (shared + own).filter { mayRead($0.id, actor: actor) }
    }
}
