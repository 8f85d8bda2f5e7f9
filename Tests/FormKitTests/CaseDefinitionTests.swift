import AmanaCore
import Foundation
import Testing
@testable import FormKit

/// Workflows and consent policies: a good pair loads and answers questions;
/// each kind of mistake is a diagnostic with its code at the right line.
@Suite("Workflows and consent policies")
struct CaseDefinitionTests {
    static let form = """
        id: t/registration
        version: 1
        title: {en: Registration, ar: التسجيل}
        sections:
          - id: main
            title: {en: Main, ar: رئيسي}
            fields:
              - {id: date_of_birth, type: date, label: {en: Date of birth, ar: تاريخ الميلاد}}
              - {id: estimated_age, type: integer, min: 0, max: 120, label: {en: Estimated age, ar: العمر التقديري}}
              - {id: caregiver_safe, type: yes_no, label: {en: Caregiver safe to involve?, ar: هل إشراك مقدّم الرعاية آمن؟}}
              - {id: risk_level, type: select, lookup: t/violence-types, label: {en: Risk, ar: الخطر}}
        """

    static let workflow = """
        id: t/case
        title: {en: Case, ar: حالة}
        initial: identified
        states:
          - {id: identified, label: {en: Identified, ar: محدّدة}}
          - {id: registered, label: {en: Registered, ar: مسجّلة}}
          - {id: closed, label: {en: Closed, ar: مغلقة}, final: true}
        transitions:
          - id: register
            from: identified
            to: registered
            label: {en: Register, ar: تسجيل}
            roles: [case_worker]
            requires:
              forms: [t/registration]
              consent: [services]
              conditions:
                - form: t/registration
                  expr: "caregiver_safe == true"
                  message: {en: Not safe, ar: غير آمن}
          - id: close
            from: [identified, registered]
            to: closed
            label: {en: Close, ar: إغلاق}
            requires: {approval: case_manager, case_conference: true}
        timers:
          - id: follow_up
            on: entered.registered
            after: 3d
            urgent_after: 1d
            cancel_on: [left.registered]
            task: {title: {en: Follow up, ar: متابعة}, assignee: case_owner}
        """

    static let policy = """
        id: t/consent
        title: {en: Consent, ar: الموافقة}
        age_from: {form: t/registration, date_of_birth: date_of_birth, estimated_age: estimated_age}
        scopes: [services, referral]
        bands:
          - {ages: "0-5", child: none, caregiver: consent}
          - {ages: "6-17", child: assent, caregiver: consent}
          - {ages: "18-", child: consent}
        exceptions:
          - id: caregiver_is_perpetrator
            label: {en: Caregiver is the perpetrator, ar: مقدّم الرعاية هو المعتدي}
            when: {form: t/registration, expr: "caregiver_safe == false"}
            caregiver: exclude
            substitute: [trusted_adult]
            requires: {case_conference: true, approval: case_manager}
        """

    static let roles: Set<String> = ["case_worker", "case_manager"]

    func load(workflow: String = Self.workflow, policy: String = Self.policy) throws -> DefinitionCatalog {
        try DefinitionFixture.load(
            form: Self.form, manifestExtra: "case_type: t\nworkflow: workflows/case.yaml\nconsent_policy: policies/consent.yaml\n",
            files: ["workflows/case.yaml": workflow, "policies/consent.yaml": policy], roles: Self.roles)
    }

    @Test func aGoodWorkflowAndPolicyLoad() throws {
        let catalog = try load()
        #expect(catalog.diagnostics.map(\.description) == [])
        let workflow = try #require(catalog.workflow(forCaseType: "t"))
        #expect(workflow.transitions(from: "identified").map(\.id) == ["register", "close"])
        #expect(workflow.transition("register")?.requires.consent == [.services])
        #expect(workflow.timers.first?.after.seconds == 3 * 86_400)
        #expect(workflow.timers.first?.on == .entered("registered"))
        let policy = try #require(catalog.consentPolicy(forCaseType: "t"))
        #expect(policy.band(forAge: 4)?.child == ConsentPolicyDefinition.PersonRequirement.none)
        #expect(policy.band(forAge: 12)?.child == .assent)
        #expect(policy.band(forAge: 40)?.caregiver == ConsentPolicyDefinition.CaregiverRequirement.none)
        #expect(policy.exceptions.first?.substitutes == [.trustedAdult])
    }

    /// Each mistake, the code it must give, and the line (in its file) it must point at.
    static let mistakes: [(name: String, file: String, from: String, to: String, code: String, line: Int)] = [
        ("unknown state", "workflow", "to: registered\n", "to: registerd\n", "FK081", 11),
        ("unknown form", "workflow", "forms: [t/registration]", "forms: [t/registrations]", "FK023", 15),
        ("unknown role", "workflow", "roles: [case_worker]", "roles: [caseworker]", "FK094", 13),
        ("unknown scope", "workflow", "consent: [services]", "consent: [service]", "FK082", 16),
        ("condition not yes/no", "workflow", "expr: \"caregiver_safe == true\"", "expr: \"estimated_age + 1\"", "FK021", 19),
        ("condition names an unknown field", "workflow", "expr: \"caregiver_safe == true\"", "expr: \"caregiver_sfe == true\"", "FK021", 19),
        ("no final state", "workflow", ", final: true}", "}", "FK083", 5),
        ("bad time span", "workflow", "after: 3d", "after: 3 days", "FK086", 29),
        ("unknown event", "workflow", "on: entered.registered", "on: registered", "FK085", 28),
        ("duplicate transition", "workflow", "- id: close", "- id: register", "FK080", 9),
        ("gap between bands", "policy", "\"6-17\"", "\"7-17\"", "FK092", 6),
        ("overlapping bands", "policy", "\"6-17\"", "\"5-17\"", "FK092", 6),
        ("no open band", "policy", "\"18-\"", "\"18-99\"", "FK092", 6),
        ("bad band", "policy", "\"6-17\"", "\"six-17\"", "FK090", 7),
        ("exclude without substitute", "policy", "substitute: [trusted_adult]", "substitute: []", "FK093", 13),
        ("age field of the wrong type", "policy", "date_of_birth: date_of_birth", "date_of_birth: caregiver_safe", "FK095", 3),
        ("unknown child requirement", "policy", "child: assent", "child: agree", "FK091", 7),
    ]

    @Test(arguments: mistakes.indices)
    func aMistakeIsADiagnostic(index: Int) throws {
        let m = Self.mistakes[index]
        let text = m.file == "workflow" ? Self.workflow : Self.policy
        #expect(text.contains(m.from), "fixture drifted: \(m.name)")
        let broken = text.replacingOccurrences(of: m.from, with: m.to)
        let catalog = try m.file == "workflow" ? load(workflow: broken) : load(policy: broken)
        let found = catalog.diagnostics.filter { $0.code == m.code }
        #expect(found.contains { $0.line == m.line && $0.file.hasSuffix(m.file == "workflow" ? "case.yaml" : "consent.yaml") },
                "\(m.name): \(catalog.diagnostics.map(\.description))")
        #expect(catalog.workflows.isEmpty && catalog.consentPolicies.isEmpty, "\(m.name): the plugin must be refused")
    }

    @Test func anUnreachableStateIsOnlyAWarning() throws {
        let text = Self.workflow.replacingOccurrences(of: "  - {id: closed,", with: "  - {id: limbo, label: {en: Limbo, ar: معلّقة}}\n  - {id: closed,")
        let catalog = try load(workflow: text)
        #expect(catalog.warnings.map(\.code) == ["FK087"])
        #expect(catalog.workflows["t/case"] != nil)
    }

    @Test func aCaseTypeNeedsAWorkflowAndAPolicy() throws {
        let catalog = try DefinitionFixture.load(form: Self.form, manifestExtra: "case_type: t\n", roles: Self.roles)
        #expect(catalog.errors.map(\.code) == ["FK088", "FK088"])
    }
}
