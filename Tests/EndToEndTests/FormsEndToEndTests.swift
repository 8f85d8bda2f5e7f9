import Foundation
import Testing

/// `amana forms ...` as an administrator uses it: lint the shipped plugins,
/// lint a broken one, and see an organisation's overlay on a shipped form.
@Suite("End to end: forms at the console")
struct FormsEndToEndTests {
    @Test func theShippedDefinitionsLintClean() throws {
        let lint = try AmanaBinary.run(["forms", "lint"])
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(lint.stdout.contains(": 0 error(s), 0 warning(s)"), "\(lint.stdout)")
        let list = try AmanaBinary.run(["forms", "list", "--lang", "ar"])
        #expect(list.stdout.contains("core/registration") && list.stdout.contains("التسجيل"))
    }

    @Test func aBrokenPluginExitsOneWithPositionsAndAUsageErrorTwo() throws {
        let broken = AmanaBinary.repositoryRoot + "/Tests/FormKitTests/Corpus/unknown-lookup"
        let text = try AmanaBinary.run(["forms", "lint", broken])
        #expect(text.status == 1)
        #expect(text.stdout.contains("forms/form.yaml:10:17: error[FK022]: unknown lookup 't/violence-type'; did you mean 't/violence-types'?"), "\(text.stdout)")
        let json = try AmanaBinary.run(["forms", "lint", broken, "--format", "json"])
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let diagnostics = object?["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.contains { $0["code"] as? String == "FK022" && $0["line"] as? Int == 10 && $0["severity"] as? String == "error" })
        #expect(object?["refused"] as? [String] == ["t"])
        #expect(try AmanaBinary.run(["forms", "lint", "--format", "xml"]).status == 2)
        #expect(try AmanaBinary.run(["forms", "lint", "/nonexistent/plugins"]).status == 2)
    }

    @Test func anOrganisationsOverlayShowsInTheCLIAndAForbiddenOneIsRefused() throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data]).status == 0)
        let acme = data + "/plugins/acme"
        try FileManager.default.createDirectory(atPath: acme + "/overlays", withIntermediateDirectories: true)
        try "id: acme\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: ACME, ar: أكمي}\nuses: [core/registration]\noverlays: [overlays/*.yaml]\n"
            .write(toFile: acme + "/plugin.yaml", atomically: true, encoding: .utf8)
        try """
            overlay: core/registration
            version: 1
            add:
              - {after: family_name, field: {id: tribe, type: text, max_length: 80, sensitivity: identifying, label: {en: Tribe or clan, ar: العشيرة أو القبيلة}}}
            hide: [other_names]
            relabel: {given_name: {en: Given name, ar: الاسم}}
            """.write(toFile: acme + "/overlays/registration.yaml", atomically: true, encoding: .utf8)

        let shown = try AmanaBinary.run(["forms", "show", "core/registration", "--data", data])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("tribe: Tribe or clan"))
        #expect(shown.stdout.contains("given_name: Given name"))
        #expect(!shown.stdout.contains("other_names"))
        #expect(try AmanaBinary.run(["forms", "list", "--data", data]).stdout.contains("(+acme)"))
        // The shipped form, without the install, is unchanged.
        #expect(try AmanaBinary.run(["forms", "show", "core/registration"]).stdout.contains("other_names"))
        #expect(try AmanaBinary.run(["forms", "lint", "--data", data]).status == 0)

        try "overlay: core/registration\nversion: 2\nhide: [date_of_birth]\n"
            .write(toFile: acme + "/overlays/registration.yaml", atomically: true, encoding: .utf8)
        let lint = try AmanaBinary.run(["forms", "lint", "--data", data])
        #expect(lint.status == 1)
        #expect(lint.stdout.contains("overlays/registration.yaml:3:8: error[FK072]: 'date_of_birth' cannot be hidden"), "\(lint.stdout)")
        #expect(try AmanaBinary.run(["forms", "show", "core/registration", "--data", data]).stdout.contains("date_of_birth"))
    }
}
