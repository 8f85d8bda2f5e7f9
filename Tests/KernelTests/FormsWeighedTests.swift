import AmanaCore
import Foundation
import Testing
import Workflow
@testable import Kernel

/// A case's view and its steps unseal and re-check only the forms the steps out of its state
/// weigh: a case gathers forms as it goes, and a read must not cost more for each of them.
@Suite("Forms a case's steps weigh")
struct FormsWeighedTests {
    @Test func theStepsOutOfAStateAndTheConsentRulesNameTheForms() async throws {
        let f = try await KernelFixture()
        let engine = try #require(f.kernel.definitions.workflow(forCaseType: "gbv").map(WorkflowEngine.init))
        // Registering asks for consent: the consent rules' forms (age, agreements, exceptions) count too.
        let identified = f.kernel.formsWeighed(in: "identified", by: engine, caseType: "gbv")
        #expect(identified.consent)
        #expect(identified.forms == ["core/consent", "core/registration", "core/closure", "gbv/referral-consent", "gbv/incident"])
        // Out of `registered`: the incident (assessment) and the closure (closing early); no consent.
        let registered = f.kernel.formsWeighed(in: "registered", by: engine, caseType: "gbv")
        #expect(!registered.consent)
        #expect(registered.forms == ["gbv/incident", "core/closure"])
    }

    @Test func aRegisteredCaseIsReadWithoutOpeningItsRegistrationAndTheFormStillRefusesTampering() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        _ = try await f.register(id, by: amal)
        // The registration sealed for another form: no step out of `registered` weighs it, so the view opens.
        try await f.tamper("""
            UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ?1 AND form_id = 'core/consent')
            WHERE case_id = ?1 AND form_id = 'core/registration'
            """, [id])
        let detail = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t")
        #expect(detail.summary.state == "registered")
        #expect(detail.transitions.map(\.id).contains("start_assessment"))
        // Reading the form itself still refuses it, and says so in the audit log.
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        #expect(try await f.auditEntries("form.read").last?.draft.detail == "decryption-refused")
    }
}
