import AmanaCore

/// Everything the definitions on disk say, after loading and checking: the
/// plugins that loaded cleanly, their forms and lookups, and every problem
/// found (including those of plugins that were refused).
public struct DefinitionCatalog: Sendable {
    public var languages: [Language]
    public var plugins: [String: PluginManifest] = [:]
    public var forms: [String: FormDefinition] = [:]
    /// The served forms as their plugins define them, before overlays: what
    /// versions are compared on (an overlay is the organisation's own change).
    public var baseForms: [String: FormDefinition] = [:]
    public var lookups: [String: LookupDefinition] = [:]
    public var workflows: [String: WorkflowDefinition] = [:]
    public var consentPolicies: [String: ConsentPolicyDefinition] = [:]
    /// The validator's messages (`i18n/messages.yaml`).
    public var messages = ValidationMessages([:])
    /// Every diagnostic, errors and warnings, in file order.
    public var diagnostics: [Diagnostic] = []
    /// Plugins not loaded because of errors (theirs or a plugin they use).
    public var refusedPlugins: Set<String> = []

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    public func language(_ code: String) -> Language? { languages.first { $0.code == code } }

    /// The validator for a served form, or nil when no such form is served.
    public func validator(for formID: String) -> SubmissionValidator? {
        forms[formID].map { SubmissionValidator(form: $0, lookups: lookups, messages: messages) }
    }

    /// The plugin that defines cases of `caseType` (`gbv`, `child-protection`...).
    public func plugin(forCaseType caseType: String) -> PluginManifest? {
        plugins.values.first { $0.caseType == caseType }
    }

    /// The workflow cases of `caseType` follow.
    public func workflow(forCaseType caseType: String) -> WorkflowDefinition? {
        plugin(forCaseType: caseType).flatMap { p in workflows.values.first { $0.plugin == p.id } }
    }

    /// The consent policy for cases of `caseType`.
    public func consentPolicy(forCaseType caseType: String) -> ConsentPolicyDefinition? {
        plugin(forCaseType: caseType).flatMap { p in consentPolicies.values.first { $0.plugin == p.id } }
    }
}
