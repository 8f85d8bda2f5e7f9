import Yams
import YAMLSupport

/// Reads a `plugin.yaml`.
struct ManifestParser {
    var parser: DefinitionParser

    init(file: String, languages: [String]) {
        parser = DefinitionParser(file: file, languages: languages)
    }

    static let keys = ["id", "version", "kernel", "title", "description", "case_type", "uses", "forms", "lookups", "overlays", "workflow", "consent_policy", "need_to_know"]

    mutating func parse(_ root: Node, directory: String) -> PluginManifest? {
        guard let keys = parser.reader.mapping(root, what: "a plugin manifest", allowed: Self.keys, required: ["id", "version", "kernel", "title"]) else { return nil }
        var id: String?
        if let node = keys["id"], let text = parser.reader.string(node, what: "the plugin id") {
            if text.range(of: "^[a-z][a-z0-9-]{0,40}$", options: .regularExpression) == nil {
                parser.error(node, "FK001", "'\(text)' is not a valid plugin id: lowercase letters, digits and '-'")
            } else {
                id = text
            }
        }
        var version: SemanticVersion?
        if let node = keys["version"] {
            let text = node.string ?? ""
            version = SemanticVersion(text)
            if version == nil { parser.error(node, "FK050", "'\(text)' is not a version: expected major.minor.patch (1.0.0)") }
        }
        var kernel: VersionRequirement?
        if let node = keys["kernel"] {
            let text = node.string ?? ""
            kernel = VersionRequirement(text)
            if kernel == nil { parser.error(node, "FK051", "'\(text)' is not a kernel version range: expected e.g. \">=1.0\" or \">=1.0 <2.0\"") }
        }
        let title = parser.translations(keys["title"], what: "the plugin title")
        if let d = keys["description"] { _ = parser.translations(d, what: "the plugin description") }
        let strings = { (key: String, parser: inout DefinitionParser) -> [String] in
            keys[key].flatMap { parser.reader.strings($0, what: key) } ?? []
        }
        let uses = strings("uses", &parser), forms = strings("forms", &parser), lookups = strings("lookups", &parser)
        let overlays = strings("overlays", &parser)
        let needToKnow = strings("need_to_know", &parser)
        let caseType = keys["case_type"].flatMap { parser.reader.string($0, what: "case_type") }
        let workflow = keys["workflow"].flatMap { parser.reader.string($0, what: "workflow") }
        let consentPolicy = keys["consent_policy"].flatMap { parser.reader.string($0, what: "consent_policy") }
        for pattern in forms + lookups + overlays where pattern.contains("..") || pattern.hasPrefix("/") {
            parser.error(root, "FK052", "'\(pattern)' must be a path inside the plugin's directory")
        }
        guard let id, let version, let kernel, let title else { return nil }
        return PluginManifest(
            id: id, version: version, kernel: kernel, title: title, caseType: caseType, uses: uses, forms: forms, lookups: lookups, overlays: overlays,
            workflow: workflow, consentPolicy: consentPolicy, needToKnow: needToKnow, directory: directory, position: parser.position(root))
    }
}
