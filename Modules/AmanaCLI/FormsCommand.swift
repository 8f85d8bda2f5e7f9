import AmanaCore
import ArgumentParser
import FormKit
import Foundation
import Kernel

struct FormsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "Check and browse form definitions.",
        subcommands: [Lint.self, List.self, Show.self, Schema.self])

    struct Lint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check definitions: the shipped ones, plus any plugin directories given.",
            discussion: """
                Prints every problem as file:line:column: severity[CODE]: message. Exit code 0 when there
                are no errors (warnings allowed), 1 when there are errors, 2 on a usage error.
                """)

        @Argument(help: "Plugin directories (or directories of plugins) to check with the shipped ones.")
        var paths: [String] = []

        @Option(help: "text or json.")
        var format = "text"

        @OptionGroup var install: InstallDefinitionsOption

        func run() async throws {
            guard ["text", "json"].contains(format) else {
                CLIErrors.printError("--format is text or json, not '\(format)'.")
                throw ExitCode(2)
            }
            if install.data != nil, !paths.isEmpty {
                CLIErrors.printError("Give plugin directories or --data, not both.")
                throw ExitCode(2)
            }
            let catalog: DefinitionCatalog
            var all: [Diagnostic]
            do {
                if install.data != nil {
                    // The install as it would serve: shipped, its own plugins and overlays,
                    // and each form compared with the version it served before.
                    let kernel = try install.openKernel()
                    catalog = kernel.definitions
                    all = try await kernel.definitionDiagnostics()
                } else {
                    catalog = try Kernel.lintDefinitions(extraRoots: paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
                    all = catalog.diagnostics
                }
            } catch {
                CLIErrors.printError(error.message)
                throw ExitCode(2)
            }
            let errorCount = all.filter { $0.severity == .error }.count
            let diagnostics = all.map { d in
                var shown = d
                shown.file = Self.relative(d.file)
                return shown
            }
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let report = Report(diagnostics: diagnostics, plugins: catalog.plugins.keys.sorted(), refused: catalog.refusedPlugins.sorted())
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                for diagnostic in diagnostics { print(diagnostic.description) }
                print("\(catalog.plugins.count) plugin(s), \(catalog.forms.count) form(s), \(catalog.lookups.count) lookup(s): \(errorCount) error(s), \(all.count - errorCount) warning(s)"
                      + (catalog.refusedPlugins.isEmpty ? "" : "; not loaded: \(catalog.refusedPlugins.sorted().joined(separator: ", "))"))
            }
            if errorCount > 0 { throw ExitCode(1) }
        }

        /// What `--format json` prints.
        struct Report: Encodable {
            var diagnostics: [Diagnostic]
            var plugins: [String]
            var refused: [String]
        }

        /// Paths under the current directory are shown relative to it, as editors expect.
        static func relative(_ path: String) -> String {
            let here = FileManager.default.currentDirectoryPath + "/"
            return path.hasPrefix(here) ? String(path.dropFirst(here.count)) : path
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the forms of every loaded plugin.")
        @Option(help: "Language of the titles (en, ar).") var lang = "en"
        @OptionGroup var install: InstallDefinitionsOption

        func run() async throws {
            try await CLIErrors.run {
                let catalog = try install.catalog()
                for form in catalog.forms.values.sorted(by: { $0.id < $1.id }) {
                    let overlays = form.overlays.keys.sorted().map { "+\($0)" }.joined(separator: " ")
                    print("\(form.id.padding(toLength: 40, withPad: " ", startingAt: 0)) v\(form.version)  \(form.title.text(lang))" + (overlays.isEmpty ? "" : "  (\(overlays))"))
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a form: its sections and fields, in a language.")
        @Argument(help: "The form id, e.g. gbv/incident.") var id: String
        @Option(help: "Language of the labels (en, ar).") var lang = "en"
        @Option(help: "text, or json (the definition as the API sends it).") var format = "text"
        @OptionGroup var install: InstallDefinitionsOption

        func run() async throws {
            try await CLIErrors.run {
                let catalog = try install.catalog()
                let form = try InstallDefinitionsOption.form(id, in: catalog)
                if format == "json" {
                    print(String(decoding: FormDocument.document(form, lookups: catalog.lookups).encoded(), as: UTF8.self))
                } else {
                    print(FormText.render(form, language: catalog.language(lang) ?? Language(code: lang, name: lang, rightToLeft: false)))
                }
            }
        }
    }

    struct Schema: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a form's JSON Schema (draft 2020-12), as served at /api/v1/forms/{id}/schema.")
        @Argument(help: "The form id, e.g. gbv/incident.") var id: String
        @Option(help: "Language of titles and descriptions (en, ar).") var lang = "en"
        @OptionGroup var install: InstallDefinitionsOption

        func run() async throws {
            try await CLIErrors.run {
                let catalog = try install.catalog()
                let form = try InstallDefinitionsOption.form(id, in: catalog)
                print(String(decoding: FormSchema.schema(form, lookups: catalog.lookups, language: lang).encoded(), as: UTF8.self))
            }
        }
    }
}

/// `--data DIR`: include an install's own plugins and overlays (`DIR/plugins`)
/// with the shipped definitions, so that a form shows as that install serves it.
struct InstallDefinitionsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Also load the plugins and overlays of the install in DIR.", valueName: "DIR"))
    var data: String?

    func catalog() throws(AmanaError) -> DefinitionCatalog {
        data == nil ? try Kernel.lintDefinitions() : try openKernel().definitions
    }

    func openKernel() throws(AmanaError) -> Kernel {
        try Kernel.open(InstallLayout.resolve(data))
    }

    static func form(_ id: String, in catalog: DefinitionCatalog) throws(AmanaError) -> FormDefinition {
        guard let form = catalog.forms[id] else {
            throw AmanaError(.notFound, code: "form-unknown", "No form '\(id)'. `amana forms list` shows the forms.")
        }
        return form
    }
}

/// A form as plain text for the terminal.
enum FormText {
    static func render(_ form: FormDefinition, language: Language) -> String {
        let l = language.code
        var lines = ["\(form.title.text(l))  [\(form.id) v\(form.version)]" + (language.rightToLeft ? "  (right-to-left)" : "")]
        func describe(_ field: FieldDefinition, indent: String) {
            var traits = [field.type.rawValue, field.sensitivity.rawValue]
            if field.required { traits.append("required") }
            if field.requiredIf != nil { traits.append("required if …") }
            if field.showIf != nil { traits.append("shown if …") }
            if let lookup = field.lookup { traits.append(lookup) }
            lines.append("\(indent)\(field.id): \(field.label?.text(l) ?? "")  (\(traits.joined(separator: ", ")))")
            if let hint = field.hint { lines.append("\(indent)    \(hint.text(l))") }
            for child in field.fields { describe(child, indent: indent + "    ") }
        }
        for section in form.sections {
            lines.append("")
            lines.append("\(section.title.text(l))")
            for field in section.fields { describe(field, indent: "  ") }
        }
        return lines.joined(separator: "\n")
    }
}
