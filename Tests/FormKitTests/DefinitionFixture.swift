import Foundation
@testable import FormKit

/// Writes a one-plugin tree (plugin `t`) to a temporary directory and loads it.
enum DefinitionFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let lookups = """
        id: t/violence-types
        title: {en: Violence types, ar: أنواع العنف}
        options:
          - {code: rape, label: {en: Rape, ar: الاغتصاب}}
          - {code: sexual_assault, label: {en: Sexual assault, ar: الاعتداء الجنسي}}
          - {code: physical_assault, label: {en: Physical assault, ar: الاعتداء الجسدي}}
        """
    static let places = """
        id: t/places
        title: {en: Places, ar: الأماكن}
        levels: [governorate, district]
        options:
          - {code: gov_a, level: governorate, label: {en: Governorate A, ar: المحافظة أ}}
          - {code: dist_a1, level: district, parent: gov_a, label: {en: District A1, ar: القضاء أ1}}
        """

    /// `manifestExtra` is appended to `plugin.yaml`; `files` are written relative to the plugin.
    static func load(form: String, extraLookups: [String] = [], manifestExtra: String = "", files: [String: String] = [:], roles: Set<String>? = nil) throws -> DefinitionCatalog {
        DefinitionLoader.load(roots: [try write(form: form, extraLookups: extraLookups, manifestExtra: manifestExtra, files: files)], roles: roles)
    }

    /// Writes the plugin and returns its directory.
    static func write(form: String, extraLookups: [String] = [], manifestExtra: String = "", files: [String: String] = [:]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("formkit-\(UUID().uuidString)").path
        for folder in ["forms", "lookups", "i18n"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try """
            id: t
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: Test, ar: اختبار}
            forms: [forms/*.yaml]
            lookups: [lookups/*.yaml]

            """.appending(manifestExtra).write(toFile: root + "/plugin.yaml", atomically: true, encoding: .utf8)
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try "languages:\n  - {code: en, name: English, direction: ltr}\n  - {code: ar, name: Arabic, direction: rtl}\n"
            .write(toFile: root + "/i18n/languages.yaml", atomically: true, encoding: .utf8)
        // The kernel's real message texts, so validation tests read what users read.
        try FileManager.default.copyItem(atPath: repositoryRoot + "/FormDefinitions/i18n/messages.yaml", toPath: root + "/i18n/messages.yaml")
        for (index, text) in ([lookups, places] + extraLookups).enumerated() {
            try text.write(toFile: root + "/lookups/l\(index).yaml", atomically: true, encoding: .utf8)
        }
        try form.write(toFile: root + "/forms/form.yaml", atomically: true, encoding: .utf8)
        return root
    }

    static func validator(_ form: String) throws -> SubmissionValidator {
        let catalog = try load(form: form)
        guard let definition = catalog.forms.values.first else {
            throw FixtureError.notLoaded(catalog.diagnostics.map(\.description).joined(separator: "\n"))
        }
        return SubmissionValidator(form: definition, lookups: catalog.lookups, messages: catalog.messages)
    }

    enum FixtureError: Error { case notLoaded(String) }
}
