import AmanaCore
import Foundation
import Testing
@testable import FormKit

/// An organisation (`acme`) changes plugin `t`'s forms from its own plugin
/// directory: what it may do is applied, what would weaken a form is refused.
@Suite("Organisation overlays")
struct OverlayTests {
    static let form = """
        id: t/incident
        version: 2
        title: {en: Incident, ar: الحادثة}
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
              - {id: incident_date, type: date, required: true, label: {en: Date, ar: التاريخ}}
              - {id: violence_type, type: select, lookup: t/violence-types, label: {en: Type, ar: النوع}}
              - {id: survivor_age, type: integer, min: 0, max: 120, label: {en: Age, ar: العمر}}
              - {id: account, type: textarea, label: {en: Account, ar: الرواية}}
              - {id: consent_ref, type: text, protected: true, label: {en: Consent reference, ar: مرجع الموافقة}}
              - {id: others_affected, type: yes_no, label: {en: Others affected?, ar: هل تأثر آخرون؟}}
              - id: others_count
                type: integer
                show_if: "others_affected == true"
                label: {en: How many?, ar: كم عددهم؟}
              - {id: caregiver_safe, type: yes_no, label: {en: Caregiver safe?, ar: هل مقدّم الرعاية آمن؟}}
        """

    static let workflow = """
        id: t/case
        title: {en: Case, ar: حالة}
        initial: open
        states:
          - {id: open, label: {en: Open, ar: مفتوحة}}
          - {id: closed, label: {en: Closed, ar: مغلقة}, final: true}
        transitions:
          - id: close
            from: open
            to: closed
            label: {en: Close, ar: إغلاق}
            requires:
              conditions:
                - {form: t/incident, expr: "caregiver_safe == true", message: {en: Not safe, ar: غير آمن}}
        """

    static let policy = """
        id: t/consent
        title: {en: Consent, ar: الموافقة}
        age_from: {form: t/incident, date_of_birth: incident_date}
        scopes: [services]
        bands:
          - {ages: "0-", child: consent}
        """

    func load(overlay: String, extraFiles: [String: String] = [:], form: String = Self.form, roles: Set<String>? = nil) throws -> DefinitionCatalog {
        let shipped = try DefinitionFixture.write(
            form: form, manifestExtra: "case_type: t\nworkflow: workflows/case.yaml\nconsent_policy: policies/consent.yaml\n",
            files: ["workflows/case.yaml": Self.workflow, "policies/consent.yaml": Self.policy])
        let install = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-\(UUID().uuidString)").path
        let acme = install + "/acme"
        try FileManager.default.createDirectory(atPath: acme + "/overlays", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: acme + "/lookups", withIntermediateDirectories: true)
        try """
            id: acme
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: ACME changes, ar: تعديلات أكمي}
            lookups: [lookups/*.yaml]
            overlays: [overlays/*.yaml]
            """.write(toFile: acme + "/plugin.yaml", atomically: true, encoding: .utf8)
        try """
            id: acme/sites
            title: {en: Sites, ar: المواقع}
            options:
              - {code: camp, label: {en: Camp, ar: مخيم}}
              - {code: town, label: {en: Town, ar: بلدة}}
            """.write(toFile: acme + "/lookups/sites.yaml", atomically: true, encoding: .utf8)
        try overlay.write(toFile: acme + "/overlays/incident.yaml", atomically: true, encoding: .utf8)
        for (path, text) in extraFiles { try text.write(toFile: acme + "/" + path, atomically: true, encoding: .utf8) }
        return DefinitionLoader.load(roots: [shipped, install], roles: roles)
    }

    @Test func anOrganisationAddsHidesRelabelsAndTightens() throws {
        let catalog = try load(overlay: """
            overlay: t/incident
            version: 1
            add:
              - {after: violence_type, field: {id: site_type, type: select, lookup: acme/sites, label: {en: Type of site, ar: نوع الموقع}}}
            hide: [account]
            relabel: {survivor_age: {en: Age of the survivor, ar: عمر الناجية}}
            tighten: {survivor_age: {required: true, max: 100}}
            """)
        #expect(catalog.diagnostics.map(\.description) == [])
        let form = try #require(catalog.forms["t/incident"])
        #expect(form.allFields.map(\.id) == ["incident_date", "violence_type", "site_type", "survivor_age", "consent_ref", "others_affected", "others_count", "caregiver_safe"])
        #expect(form.field("survivor_age")?.label?.text("ar") == "عمر الناجية")
        #expect(form.field("survivor_age")?.required == true)
        #expect(form.field("survivor_age")?.max == 100)
        #expect(form.overlays == ["acme": 1])
        #expect(form.version == 2)
        // The overlaid form validates: the new field is checked against its lookup.
        let validator = SubmissionValidator(form: form, lookups: catalog.lookups, messages: catalog.messages)
        let result = validator.validate(["incident_date": .string("2026-01-02"), "site_type": .string("palace"), "survivor_age": .number(30)], today: Day(year: 2026, month: 11, day: 25)!)
        #expect(result.problems.map(\.path) == ["/site_type"])
    }

    @Test func anOrganisationExtendsALookup() throws {
        let catalog = try load(overlay: """
            overlay: t/violence-types
            version: 1
            add_options:
              - {code: online_abuse, label: {en: Online abuse, ar: الإساءة عبر الإنترنت}}
            relabel: {rape: {en: Rape (penetration), ar: الاغتصاب (الإيلاج)}}
            """)
        #expect(catalog.diagnostics.map(\.description) == [])
        let lookup = try #require(catalog.lookups["t/violence-types"])
        #expect(lookup.option("online_abuse")?.label.text("ar") == "الإساءة عبر الإنترنت")
        #expect(lookup.option("rape")?.label.text("en") == "Rape (penetration)")
    }

    /// Each refused change: the overlay's line, the code, and the form left as shipped.
    static let refusals: [(name: String, change: String, code: String)] = [
        ("hide a required field", "hide: [incident_date]", "FK072"),
        ("hide a protected field", "hide: [consent_ref]", "FK072"),
        ("hide a field a workflow reads", "hide: [caregiver_safe]", "FK072"),
        ("hide a field another field's condition uses", "hide: [others_affected]", "FK073"),
        ("loosen a maximum", "tighten: {survivor_age: {max: 150}}", "FK074"),
        ("make a required field optional", "tighten: {incident_date: {required: false}}", "FK074"),
        ("change an unknown field", "relabel: {acount: {en: Story, ar: القصة}}", "FK071"),
        ("add a field with an unknown lookup", "add: [{after: account, field: {id: site, type: select, lookup: acme/site, label: {en: Site, ar: الموقع}}}]", "FK022"),
        ("add a field whose id is taken", "add: [{after: account, field: {id: survivor_age, type: text, label: {en: Age, ar: العمر}}}]", "FK009"),
        ("give options to a form", "add_options: [{code: x, label: {en: X, ar: س}}]", "FK075"),
        ("let no one read the form", "readable_by: []", "FK074"),
    ]

    @Test(arguments: refusals.indices)
    func aForbiddenOverlayIsRefused(index: Int) throws {
        let r = Self.refusals[index]
        let catalog = try load(overlay: "overlay: t/incident\nversion: 1\n" + r.change + "\n")
        let found = catalog.diagnostics.filter { $0.code == r.code }
        #expect(found.contains { $0.file.hasSuffix("acme/overlays/incident.yaml") && $0.line == 3 }, "\(r.name): \(catalog.diagnostics.map(\.description))")
        // The organisation's plugin is refused; the shipped form still serves, unchanged.
        #expect(catalog.refusedPlugins == ["acme"], "\(r.name)")
        #expect(catalog.forms["t/incident"]?.overlays == [:])
        #expect(catalog.forms["t/incident"]?.allFields.count == 8)
    }

    @Test func anOrganisationNarrowsWhoReadsAForm() throws {
        let catalog = try load(overlay: "overlay: t/incident\nversion: 1\nreadable_by: [case_manager]\n", roles: ["case_worker", "case_manager"])
        #expect(catalog.diagnostics.map(\.description) == [])
        #expect(catalog.forms["t/incident"]?.readableBy == ["case_manager"] && catalog.forms["t/incident"]?.overlays == ["acme": 1])
    }

    /// Only among the roles the form lets read it, keeping those who fill it, and only roles that exist.
    @Test func readersAreNarrowedNeverWidened() throws {
        let guarded = Self.form.replacingOccurrences(
            of: "title: {en: Incident, ar: الحادثة}\n", with: "title: {en: Incident, ar: الحادثة}\nreadable_by: [case_worker, case_manager]\nfilled_by: [case_worker]\n")
        let roles: Set<String> = ["case_worker", "case_manager", "specialist"]
        let widened = try load(overlay: "overlay: t/incident\nversion: 1\nreadable_by: [case_manager, specialist]\n", form: guarded, roles: roles)
        #expect(widened.diagnostics.map(\.message) == [
            "readable_by may only narrow who reads 't/incident': 'specialist' may not read it (it has case_worker, case_manager)",
            "readable_by must keep 'case_worker', who fills 't/incident' (filled_by)",
        ])
        #expect(widened.diagnostics.allSatisfy { $0.code == "FK074" && $0.file.hasSuffix("acme/overlays/incident.yaml") && $0.line == 3 })
        #expect(widened.refusedPlugins == ["acme"] && widened.forms["t/incident"]?.readableBy == ["case_worker", "case_manager"])
        let unknown = try load(overlay: "overlay: t/incident\nversion: 1\nreadable_by: [case_managr]\n", roles: roles)
        #expect(unknown.diagnostics.map(\.description).contains { $0.contains("FK096") && $0.contains("did you mean 'case_manager'?") }, "\(unknown.diagnostics)")
        #expect(unknown.forms["t/incident"]?.readableBy == [])
    }

    @Test func anOverlayOfAnUnknownFormSuggestsTheNearest() throws {
        let catalog = try load(overlay: "overlay: t/incidnt\nversion: 1\nhide: [account]\n")
        #expect(catalog.errors.map(\.message) == ["no form or lookup 't/incidnt' to overlay; did you mean 't/incident'?"])
    }
}
