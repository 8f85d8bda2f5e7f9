import AmanaCore
import AmanaTestSupport
import Foundation
import Kernel
import Testing

/// The install remembers every form version it served; upgrading a plugin
/// that would make given answers unreadable is reported until the form says
/// how to migrate.
@Suite("Form versions across plugin upgrades")
struct FormVersionTests {
    static func form(version: Int, fields: String, migration: String = "") -> String {
        """
        id: acme/intake
        version: \(version)
        title: {en: Intake, ar: الاستقبال}
        \(migration)
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
        \(fields)
        """
    }

    static let v1Fields = """
              - {id: name, type: text, label: {en: Name, ar: الاسم}}
              - {id: age, type: integer, label: {en: Age, ar: العمر}}
              - {id: notes, type: textarea, label: {en: Notes, ar: ملاحظات}}
        """

    struct Install {
        let layout: InstallLayout

        init() async throws {
            layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-versions-\(UUID().uuidString)").path)
            _ = try await Kernel.initialize(layout, agencyCode: "ACME", shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
            try FileManager.default.createDirectory(atPath: layout.pluginsDirectory + "/acme/forms", withIntermediateDirectories: true)
            try "id: acme\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: ACME, ar: أكمي}\nforms: [forms/*.yaml]\n"
                .write(toFile: layout.pluginsDirectory + "/acme/plugin.yaml", atomically: true, encoding: .utf8)
        }

        /// Installs `text` as the form and opens the install as `amana serve` would.
        func serve(_ text: String) async throws -> (kernel: Kernel, problems: [Diagnostic]) {
            try text.write(toFile: layout.pluginsDirectory + "/acme/forms/intake.yaml", atomically: true, encoding: .utf8)
            let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
            #expect(kernel.definitions.forms["acme/intake"] != nil, "\(kernel.definitions.diagnostics)")
            return (kernel, try await kernel.recordFormVersions(requestID: "t"))
        }
    }

    @Test func aCompatibleUpgradeIsRecordedAndTheOldVersionStaysReadable() async throws {
        let install = try await Install()
        #expect(try await install.serve(Self.form(version: 1, fields: Self.v1Fields)).problems.isEmpty)
        let added = Self.v1Fields + "\n      - {id: phone, type: text, label: {en: Phone, ar: الهاتف}}"
        let (kernel, problems) = try await install.serve(Self.form(version: 2, fields: added))
        #expect(problems.isEmpty)
        let old = try #require(try await kernel.servedFormDocument(id: "acme/intake", version: 1))
        let oldFields = (old["sections"].flatMap { if case .array(let s) = $0 { s.first } else { nil } })?["fields"]
        if case .array(let fields) = oldFields { #expect(fields.count == 3) } else { Issue.record("no fields in \(old)") }
        #expect(try await kernel.servedFormDocument(id: "acme/intake", version: 2) != nil)
    }

    @Test func aRemovedFieldOrAChangedTypeNeedsAMigration() async throws {
        let install = try await Install()
        _ = try await install.serve(Self.form(version: 1, fields: Self.v1Fields))
        let broken = """
                  - {id: name, type: text, label: {en: Name, ar: الاسم}}
                  - {id: age, type: text, label: {en: Age, ar: العمر}}
            """
        let (kernel, problems) = try await install.serve(Self.form(version: 2, fields: broken))
        #expect(problems.map(\.code) == ["FK100", "FK100"])
        #expect(problems.contains { $0.message.contains("field 'notes'") && $0.message.contains("migration.removed") })
        #expect(problems.contains { $0.message.contains("'age'") && $0.message.contains("from integer to text") })
        // Not recorded while broken; still reported to administrators.
        #expect(try await kernel.servedFormDocument(id: "acme/intake", version: 2) == nil)
        #expect(try await kernel.definitionProblems(by: .installOperator, requestID: "t").map(\.code).filter { $0 == "FK100" }.count == 2)

        let migrated = try await install.serve(Self.form(version: 2, fields: broken, migration: "migration: {from: 1, removed: [notes], retyped: [age]}"))
        #expect(migrated.problems.isEmpty)
        #expect(try await migrated.kernel.servedFormDocument(id: "acme/intake", version: 2) != nil)
    }

    @Test func aChangeWithoutANewVersionAndADowngradeAreRefused() async throws {
        let install = try await Install()
        _ = try await install.serve(Self.form(version: 2, fields: Self.v1Fields))
        let relabelled = Self.v1Fields.replacingOccurrences(of: "{en: Name, ar: الاسم}", with: "{en: Full name, ar: الاسم الكامل}")
        #expect(try await install.serve(Self.form(version: 2, fields: relabelled)).problems.map(\.code) == ["FK102"])
        #expect(try await install.serve(Self.form(version: 1, fields: Self.v1Fields)).problems.map(\.code) == ["FK103"])
        #expect(try await install.serve(Self.form(version: 2, fields: Self.v1Fields)).problems.isEmpty)
    }
}
