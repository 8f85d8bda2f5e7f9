import AmanaCore
import FormKit
import Foundation
@testable import AmanaTUI
@testable import Kernel

/// A form with one field of every type, loaded by the real definition loader
/// from a plugin written to a temporary directory; and the shipped definitions.
enum FormFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let everyType = """
        id: t/every-type
        version: 1
        title: {en: Every type, ar: كل الأنواع}
        sensitivity: sensitive
        sections:
          - id: first
            title: {en: About the person, ar: عن الشخص}
            fields:
              - {id: intro, type: note, label: {en: Ask gently., ar: اسأل بلطف.}}
              - {id: name, type: text, required: true, max_length: 20, label: {en: Name, ar: الاسم}}
              - {id: story, type: textarea, label: {en: What happened, ar: ما حدث}}
              - {id: weight, type: number, min: 1, label: {en: Weight, ar: الوزن}}
              - {id: children, type: integer, min: 0, label: {en: Children, ar: الأطفال}}
              - {id: day, type: date, not_future: true, label: {en: Day, ar: اليوم}}
              - {id: moment, type: datetime, label: {en: Moment, ar: اللحظة}}
              - {id: violence, type: select, lookup: t/violence-types, label: {en: Violence, ar: العنف}}
              - {id: also, type: multi_select, lookup: t/violence-types, label: {en: Also, ar: أيضاً}}
              - {id: place, type: location, lookup: t/places, level: district, label: {en: Place, ar: المكان}}
              - {id: disabled, type: yes_no, label: {en: Has a disability, ar: لديه إعاقة}}
              - {id: disability, type: text, show_if: "disabled == true", required: true, label: {en: Which disability, ar: أي إعاقة}}
              - {id: agreed, type: tick, required: true, label: {en: Agreed, ar: وافق}}
              - {id: signed, type: signature, label: {en: Signature, ar: التوقيع}}
              - {id: scan, type: attachment, label: {en: Scan, ar: المسح}}
              - {id: twice, type: calculated, expr: "children * 2", label: {en: Twice the children, ar: ضعف الأطفال}}
          - id: people
            title: {en: Other people, ar: أشخاص آخرون}
            fields:
              - id: others
                type: repeat
                label: {en: Others, ar: آخرون}
                max_rows: 2
                fields:
                  - {id: other_name, type: text, required: true, label: {en: Their name, ar: اسمهم}}
                  - {id: other_age, type: integer, label: {en: Their age, ar: عمرهم}}
        """

    static let lookups = [
        """
        id: t/violence-types
        title: {en: Violence types, ar: أنواع العنف}
        options:
          - {code: rape, label: {en: Rape, ar: الاغتصاب}}
          - {code: sexual_assault, label: {en: Sexual assault, ar: الاعتداء الجنسي}}
          - {code: physical_assault, label: {en: Physical assault, ar: الاعتداء الجسدي}}
        """,
        """
        id: t/places
        title: {en: Places, ar: الأماكن}
        levels: [governorate, district]
        options:
          - {code: gov_a, level: governorate, label: {en: Governorate A, ar: المحافظة أ}}
          - {code: dist_a1, level: district, parent: gov_a, label: {en: District A1, ar: القضاء أ1}}
          - {code: dist_a2, level: district, parent: gov_a, label: {en: District A2, ar: القضاء أ2}}
        """,
    ]

    static let catalog: DefinitionCatalog = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tui-forms-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: root + "/forms", withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(atPath: root + "/lookups", withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(atPath: root + "/i18n", withIntermediateDirectories: true)
        try! "id: t\nversion: 1.0.0\nkernel: \">=1.0\"\ntitle: {en: Test}\nforms: [forms/*.yaml]\nlookups: [lookups/*.yaml]\n"
            .write(toFile: root + "/plugin.yaml", atomically: true, encoding: .utf8)
        try! everyType.write(toFile: root + "/forms/every-type.yaml", atomically: true, encoding: .utf8)
        for (index, text) in lookups.enumerated() { try! text.write(toFile: root + "/lookups/l\(index).yaml", atomically: true, encoding: .utf8) }
        try! "languages:\n  - {code: en, name: English, direction: ltr}\n  - {code: ar, name: Arabic, direction: rtl}\n"
            .write(toFile: root + "/i18n/languages.yaml", atomically: true, encoding: .utf8)
        try! FileManager.default.copyItem(atPath: repositoryRoot + "/FormDefinitions/i18n/messages.yaml", toPath: root + "/i18n/messages.yaml")
        let catalog = DefinitionLoader.load(roots: [root], roles: nil)
        try? FileManager.default.removeItem(atPath: root)
        precondition(catalog.errors.isEmpty, "\(catalog.errors)")
        return catalog
    }()

    static let shipped = try! Kernel.lintDefinitions(shippedDirectory: repositoryRoot)

    static let today = Day(iso: "2026-11-29")!

    static func editor(_ formID: String = "t/every-type", catalog: DefinitionCatalog = catalog, language: String = "en", answers: [String: JSONValue] = [:], version: Int? = nil) -> FormEditor {
        FormEditor(
            caseID: "case-1", caseNumber: "DEMO-2026-000001", form: catalog.forms[formID]!, lookups: catalog.lookups, messages: catalog.messages, language: language,
            entry: version == nil ? nil : 1, version: version, answers: answers, attachments: [FormEditor.Choice(code: "att-1", label: "consent-scan.pdf")], today: today)
    }
}

extension FormEditor {
    /// Types text, key by key, as a person would.
    mutating func type(_ text: String) {
        for c in text { _ = handle(.character(c)) }
    }

    /// Moves the cursor to a field.
    mutating func go(to path: String) {
        focus = path
    }
}
