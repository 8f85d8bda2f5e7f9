import AmanaCore
import Foundation
import Testing
@testable import FormKit

/// The validator's messages come from `i18n/messages.yaml`: a language is added
/// by adding its texts there; gaps are found when the definitions load.
@Suite("Validator messages file")
struct MessagesFileTests {
    static let form = """
        id: t/f
        version: 1
        title: {en: F, ar: ف}
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
              - {id: age, type: integer, required: true, max: 120, label: {en: Age, ar: العمر}}
        """

    func load(messages: (String) -> String) throws -> DefinitionCatalog {
        let root = try DefinitionFixture.write(form: Self.form)
        let path = root + "/i18n/messages.yaml"
        try messages(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        return DefinitionLoader.load(roots: [root])
    }

    @Test func theShippedMessagesAreCompleteAndUsed() throws {
        let catalog = try load { $0 }
        #expect(catalog.diagnostics.isEmpty)
        let result = try #require(catalog.validator(for: "t/f")).validate(["age": .number(130)], today: Day(number: 20_000), language: "ar")
        #expect(result.problems.map(\.message) == ["أكبر قيمة مسموح بها هي 120."])
    }

    @Test func aMissingMessageIsAnErrorAndAMissingLanguageAWarning() throws {
        let catalog = try load { text in
            text.replacingOccurrences(of: "  must-be-ticked:\n", with: "  must_be_ticked:\n")
                .replacingOccurrences(of: "    ar: \"هذا الحقل مطلوب.\"\n", with: "")
        }
        #expect(catalog.diagnostics.contains { $0.code == "YAML012" && $0.message.contains("did you mean 'must-be-ticked'") })
        #expect(catalog.diagnostics.contains { $0.code == "FK045" && $0.message == "message 'must-be-ticked' is missing" })
        #expect(catalog.diagnostics.contains { $0.code == "FK040" && $0.severity == .warning && $0.message.contains("message 'required'") })
        // English stands in for the missing Arabic text.
        let result = try #require(catalog.validator(for: "t/f")).validate([:], today: Day(number: 20_000), language: "ar")
        #expect(result.problems.map(\.message) == ["This field is required."])
    }

    @Test func parametersAreFilledInOnePass() {
        let messages = ValidationMessages(["workflow.role": Translations(["en": "Only {roles} may do this; {roles} were asked. {unknown} {"])])
        // A value is never read as a template, a name not given stays as written, a lone brace stays.
        #expect(messages.text("workflow.role", "en", ["roles": "{roles}, case worker"])
            == "Only {roles}, case worker may do this; {roles}, case worker were asked. {unknown} {")
        #expect(ValidationMessages.fill("{a}{b}ب{a}", ["a": "ا", "b": ""]) == "اب" + "ا")
        #expect(ValidationMessages.fill("no parameters", ["a": "x"]) == "no parameters")
    }
}
