import AmanaCore
import Foundation
import YAMLSupport

/// Reads `i18n/messages.yaml`: one entry per validator message code, each a
/// text per language. A missing code or an unknown one is an error; a missing
/// language is a warning (English is shown).
enum MessagesFile {
    static func read(_ path: String, languages: [String], _ diagnostics: inout [Diagnostic]) -> ValidationMessages {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.load(path: path, maxBytes: DefinitionLoader.maxFileBytes)
        } catch {
            diagnostics += DiagnosticList.from(error)
            return ValidationMessages([:])
        }
        var parser = DefinitionParser(file: path, languages: languages)
        var texts: [String: Translations] = [:]
        if let top = parser.reader.mapping(document.root, what: "the messages file", allowed: ["messages"], required: ["messages"]),
           let node = top["messages"],
           let entries = parser.reader.mapping(node, what: "messages", allowed: ValidationMessages.codes) {
            for (code, textNode) in entries {
                texts[code] = parser.translations(textNode, what: "message '\(code)'")
            }
            for code in ValidationMessages.codes where entries[code] == nil {
                parser.error(node, "FK045", "message '\(code)' is missing")
            }
        }
        diagnostics += parser.reader.diagnostics
        return ValidationMessages(texts)
    }
}
