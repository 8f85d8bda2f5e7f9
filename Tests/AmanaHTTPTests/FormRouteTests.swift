import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AmanaHTTP

/// An organisation's own plugin and overlays in the install's `plugins/`:
/// the API serves the forms as changed, refuses a forbidden overlay and
/// shows the refusal to administrators only.
@Suite("HTTP: forms and their schemas")
struct FormRouteTests {
    static let intake = """
        id: acme/intake
        version: 4
        title: {en: Intake, ar: الاستقبال}
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
              - {id: first_name, type: text, required: true, sensitivity: identifying, max_length: 80, label: {en: First name, ar: الاسم الأول}}
              - {id: site, type: select, lookup: acme/sites, label: {en: Site, ar: الموقع}}
              - {id: age, type: integer, min: 0, max: 120, label: {en: Age, ar: العمر}}
              - {id: notes, type: textarea, label: {en: Notes, ar: ملاحظات}}
              - {id: has_children, type: yes_no, label: {en: Children?, ar: أطفال؟}}
              - id: children
                type: repeat
                show_if: "has_children == true"
                max_rows: 10
                label: {en: Children, ar: الأطفال}
                fields:
                  - {id: child_age, type: integer, min: 0, max: 17, label: {en: Age, ar: العمر}}
        """

    /// Writes plugin `acme` (its own form and lookup), plugin `acme-changes`
    /// (an allowed overlay) and plugin `acme-bad` (a forbidden one).
    static func writePlugins(into plugins: String) throws {
        let files: [String: String] = [
            "acme/plugin.yaml": "id: acme\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: ACME, ar: أكمي}\nforms: [forms/*.yaml]\nlookups: [lookups/*.yaml]\n",
            "acme/forms/intake.yaml": intake,
            "acme/lookups/sites.yaml": "id: acme/sites\ntitle: {en: Sites, ar: المواقع}\noptions:\n  - {code: camp, label: {en: Camp, ar: مخيم}}\n  - {code: town, label: {en: Town, ar: بلدة}}\n",
            "acme-changes/plugin.yaml": "id: acme-changes\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: ACME changes, ar: تعديلات أكمي}\nuses: [acme/intake, acme/sites]\noverlays: [overlays/*.yaml]\n",
            "acme-changes/overlays/intake.yaml": """
                overlay: acme/intake
                version: 2
                add:
                  - {after: age, field: {id: phone_safe, type: yes_no, label: {en: Safe to call?, ar: هل الاتصال آمن؟}}}
                hide: [notes]
                relabel: {first_name: {en: Given name, ar: الاسم}}
                """,
            "acme-bad/plugin.yaml": "id: acme-bad\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: Bad, ar: سيئ}\nuses: [acme/intake]\noverlays: [overlays/*.yaml]\n",
            "acme-bad/overlays/intake.yaml": "overlay: acme/intake\nversion: 1\nhide: [first_name]\n",
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: plugins + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    func fixture() async throws -> HTTPFixture {
        try await HTTPFixture { config in
            try Self.writePlugins(into: URL(fileURLWithPath: config).deletingLastPathComponent().path + "/plugins")
        }
    }

    @Test func theFormsListAndTheFormShowTheOverlay() async throws {
        let f = try await fixture()
        try await f.test { client in
            let token = try await client.signIn("amal")
            let list = try await client.json("/api/v1/forms?lang=ar", .get, token: token)
            #expect(list.status == .ok)
            let forms = list.object["forms"] as? [[String: Any]] ?? []
            let intake = try #require(forms.first { $0["id"] as? String == "acme/intake" })
            #expect(intake["title"] as? String == "الاستقبال")
            #expect(intake["overlays"] as? [String: Int] == ["acme-changes": 2])

            let form = try await client.json("/api/v1/forms/acme/intake", .get, token: token)
            #expect(form.status == .ok)
            let fields = ((form.object["sections"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]]) ?? []
            #expect(fields.map { $0["id"] as? String } == ["first_name", "site", "age", "phone_safe", "has_children", "children"])
            #expect((fields[0]["label"] as? [String: String])?["en"] == "Given name")
            #expect((fields[1]["options"] as? [[String: Any]])?.map { $0["code"] as? String } == ["camp", "town"])
            #expect(fields[5]["show_if"] as? String == "has_children == true")

            let missing = try await client.json("/api/v1/forms/acme/nothing", .get, token: token)
            #expect(missing.status == .notFound)
            #expect(missing.object["type"] as? String == "urn:amana:problem:form-unknown")
            #expect(try await client.json("/api/v1/forms", .get).status == .unauthorized)
            #expect(try await client.json("/api/v1/forms?lang=xx", .get, token: token).status == .unprocessableContent)
        }
    }

    @Test func theSchemaDescribesTheOverlaidForm() async throws {
        let f = try await fixture()
        try await f.test { client in
            let token = try await client.signIn("amal")
            let response = try await client.json("/api/v1/forms/acme/intake/schema", .get, token: token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/schema+json")
            let schema = response.object
            #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
            #expect(schema["$id"] as? String == "urn:amana:form:acme/intake:4")
            #expect(schema["additionalProperties"] as? Bool == false)
            #expect(schema["required"] as? [String] == ["first_name"])
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            #expect(Set(properties.keys) == ["first_name", "site", "age", "phone_safe", "has_children", "children"])
            #expect(properties["first_name"]?["maxLength"] as? Int == 80)
            #expect(properties["first_name"]?["x-amana-sensitivity"] as? String == "identifying")
            #expect(properties["age"]?["type"] as? String == "integer")
            #expect(properties["age"]?["maximum"] as? Int == 120)
            #expect((properties["site"]?["oneOf"] as? [[String: Any]])?.map { $0["const"] as? String } == ["camp", "town"])
            #expect(properties["children"]?["maxItems"] as? Int == 10)
            #expect(properties["children"]?["x-amana-show-if"] as? String == "has_children == true")

            let openAPI = try await client.json("/api/v1/openapi.json", .get)
            #expect((openAPI.object["x-amana-form-schemas"] as? [String: String])?["acme/intake"] == "/api/v1/forms/acme/intake/schema")
        }
    }

    @Test func aForbiddenOverlayIsShownToAdministratorsOnly() async throws {
        let f = try await fixture()
        try await f.test { client in
            let admin = try await client.signIn("admin")
            let problems = try await client.json("/api/v1/definitions/problems", .get, token: admin)
            #expect(problems.status == .ok)
            let list = problems.object["problems"] as? [[String: Any]] ?? []
            #expect(list.contains { $0["code"] as? String == "FK072" && $0["file"] as? String == "plugins/acme-bad/overlays/intake.yaml" && $0["line"] as? Int == 3 })
            let caseWorker = try await client.signIn("amal")
            #expect(try await client.json("/api/v1/definitions/problems", .get, token: caseWorker).status == .forbidden)
        }
    }
}
