import AmanaCore
import Yams
import YAMLSupport

/// Shared helpers for reading definition files: translations with language
/// checks, expressions with positions inside the YAML file, ids.
struct DefinitionParser {
    var reader: YAMLReader
    let languages: [String]

    init(file: String, languages: [String]) {
        reader = YAMLReader(file: file)
        self.languages = languages
    }

    var file: String { reader.file }

    func position(_ node: Node?) -> SourcePosition {
        SourcePosition(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    mutating func error(_ node: Node?, _ code: String, _ message: String) {
        reader.report(node, code, message)
    }

    mutating func warning(_ node: Node?, _ code: String, _ message: String) {
        reader.report(node, code, message, severity: .warning)
    }

    /// `{en: ..., ar: ...}`: English required; a missing declared language is a warning.
    mutating func translations(_ node: Node?, what: String, required: Bool = true) -> Translations? {
        guard let node else {
            return nil
        }
        guard let texts = reader.translations(node, what: what) else { return nil }
        if texts["en"] == nil { error(node, "FK041", "\(what) needs an English text (en)") }
        for (language, _) in texts where !languages.contains(language) {
            error(node, "FK042", "unknown language '\(language)' in \(what); declared languages are \(languages.joined(separator: ", "))")
        }
        for language in languages where texts[language] == nil {
            warning(node, "FK040", "\(what) has no \(language) translation; English is shown instead")
        }
        return Translations(texts)
    }

    static let idPattern = #"^[a-z][a-z0-9-]*/[a-z0-9][a-z0-9-]*$"#
    static let codePattern = #"^[a-z][a-z0-9_]*$"#

    /// A `namespace/name` id whose namespace must be `namespace`.
    mutating func definitionID(_ node: Node?, what: String, namespace: String) -> String? {
        guard let node, let id = reader.string(node, what: "\(what) id") else { return nil }
        guard id.range(of: Self.idPattern, options: .regularExpression) != nil else {
            error(node, "FK002", "'\(id)' is not a valid \(what) id: expected namespace/name in lowercase letters, digits and '-'")
            return nil
        }
        if !id.hasPrefix(namespace + "/") {
            error(node, "FK003", "\(what) '\(id)' must be in the plugin's namespace: '\(namespace)/...'")
        }
        return id
    }

    /// A field, section or option code.
    mutating func code(_ node: Node?, what: String) -> String? {
        guard let node, let code = reader.string(node, what: what) else { return nil }
        guard code.range(of: Self.codePattern, options: .regularExpression) != nil, code.count <= 64 else {
            error(node, "FK004", "'\(code)' is not a valid \(what): expected lowercase letters, digits and '_', starting with a letter")
            return nil
        }
        return code
    }

    /// Parses an expression; a syntax error is reported at its exact line and column.
    mutating func expression(_ node: Node?, what: String) -> (Expression, Node)? {
        guard let node, let text = reader.string(node, what: what) else { return nil }
        do {
            return (try Expression.parse(text), node)
        } catch {
            let (line, column) = Self.location(of: error.offset, in: node)
            reader.add(Diagnostic(file: file, line: line, column: column, code: "FK020", message: "\(what): \(error.message)"))
            return nil
        }
    }

    /// The file position of a character offset inside a scalar (quoted scalars
    /// start one column after their quote; block scalars start on the next line).
    static func location(of offset: Int, in node: Node) -> (Int, Int) {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        guard case .scalar(let scalar) = node else { return (line, column) }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: return (line, column + 1 + offset)
        case .literal, .folded: return (line + 1, 1)
        default: return (line, column + offset)
        }
    }

    /// Reports type-checker errors at their position in the file.
    mutating func report(_ errors: [ExpressionError], in node: Node, what: String) {
        for e in errors {
            let (line, column) = Self.location(of: e.offset, in: node)
            reader.add(Diagnostic(file: file, line: line, column: column, code: "FK021", message: "\(what): \(e.message)"))
        }
    }
}
