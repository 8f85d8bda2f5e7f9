import AmanaCore
import FormKit
import Foundation
import Kernel
import Testing

/// The definitions shipped in `FormDefinitions/` and `Plugins/`, loaded as an
/// install loads them: clean, complete in English and Arabic, and saying what
/// the interagency guidance says.
@Suite("Shipped definitions")
struct ShippedDefinitionsTests {
    static let catalog = try! Kernel.lintDefinitions(shippedDirectory: KernelFixture.repositoryRoot)

    @Test func everyShippedPluginLoadsWithNoErrorAndNoWarning() {
        #expect(Self.catalog.diagnostics.map(\.description) == [])
        #expect(Set(Self.catalog.plugins.keys) == ["core", "gbv", "child-protection", "general-protection"])
        #expect(Self.catalog.refusedPlugins.isEmpty)
    }

    @Test func theCoreFormsEveryProgrammeReusesAreThere() {
        for id in ["registration", "consent", "assessment", "case-plan", "safety-plan", "case-note", "follow-up", "closure", "service-feedback"] {
            #expect(Self.catalog.forms["core/\(id)"] != nil, "core/\(id)")
        }
        #expect(Self.catalog.forms["core/assessment"]?.field("risk_level")?.required == true)
    }

    @Test(arguments: ["gbv", "child-protection", "general-protection"])
    func eachProgrammeHasAWorkflowFromIdentificationToClosureAndAConsentPolicy(caseType: String) throws {
        let workflow = try #require(Self.catalog.workflow(forCaseType: caseType))
        #expect(workflow.states.contains { $0.final })
        let close = workflow.transitions.filter { workflow.state($0.to)?.final == true }
        #expect(!close.isEmpty && close.allSatisfy { !$0.requires.forms.isEmpty }, "closing needs the closure form")
        let policy = try #require(Self.catalog.consentPolicy(forCaseType: caseType))
        #expect(policy.band(forAge: 30)?.child == .consent)
    }

    @Test func theChildProtectionPolicyFollowsTheCaringForChildSurvivorsBands() throws {
        let policy = try #require(Self.catalog.consentPolicy(forCaseType: "child-protection"))
        #expect(policy.bands.map(\.label) == ["0-5", "6-11", "12-14", "15-17", "18-"])
        #expect(policy.band(forAge: 4)?.child == ConsentPolicyDefinition.PersonRequirement.none)
        #expect(policy.band(forAge: 8)?.child == .assent)
        #expect(policy.band(forAge: 16)?.child == .consent)
        #expect(policy.band(forAge: 8)?.caregiver == .consent)
        // When the caregiver is the danger, someone else agrees, with safeguards.
        let exclusions = policy.exceptions.filter { $0.caregiver == .exclude }
        #expect(!exclusions.isEmpty)
        #expect(exclusions.allSatisfy { !$0.substitutes.isEmpty && ($0.requiresApproval != nil || $0.requiresCaseConference) })
    }

    @Test func theGBVIncidentFormHasTheSixGBVIMSCoreTypes() throws {
        let types = try #require(Self.catalog.lookups["gbv/violence-types"])
        #expect(Set(types.options.map(\.code)) == ["rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources", "psychological_abuse"])
        #expect(Self.catalog.forms["gbv/incident"]?.allFields.contains { $0.lookup == "gbv/violence-types" } == true)
    }

    @Test func arabicIsMarkedRightToLeft() {
        #expect(Self.catalog.language("ar")?.rightToLeft == true)
        #expect(Self.catalog.language("en")?.rightToLeft == false)
    }

    /// Every shipped form validates an empty submission without crashing and
    /// names its required fields in Arabic.
    @Test func everyShippedFormValidates() throws {
        for id in Self.catalog.forms.keys.sorted() {
            let validator = try #require(Self.catalog.validator(for: id))
            let result = validator.validate([:], today: Day(year: 2026, month: 11, day: 25)!, language: "ar")
            #expect(result.problems.allSatisfy { $0.code != "required" || $0.message == "هذا الحقل مطلوب." }, "\(id)")
        }
    }
}
