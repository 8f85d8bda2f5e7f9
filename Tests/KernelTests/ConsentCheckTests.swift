import AmanaCore
import Foundation
import Identity
import Store
import Testing
@testable import Kernel

/// The consent policy asked through the Kernel, over what the case's forms hold.
@Suite("Consent requirements of a case")
struct ConsentCheckTests {
    @Test func withASafeCaregiverTheChildsAssentAndTheMothersConsentAllowTheReferral() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let check = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(check.allowed && check.ageBand == "12-14" && check.exception == nil)
        #expect(check.agreedBy == ["core/consent#1", "core/consent#2"])
        // Sharing was never agreed to: both are asked, in words.
        let sharing = try await f.kernel.consentRequirements(caseID: id, act: "information_sharing", recipient: nil, actor: yusuf, requestID: "t")
        #expect(!sharing.allowed)
        #expect(sharing.missing.map(\.code) == ["consent.agreement", "consent.agreement"])
        #expect(sharing.missing[0].message.contains("The child"))
        #expect(try await f.auditEntries("consent.check").last?.draft.detail == "act=information_sharing allowed=false")
    }

    @Test func whenTheMotherIsTheAllegedPerpetratorHerConsentDoesNotCount() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: true)
        let check = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(!check.allowed)
        #expect(check.exception == "A caregiver is the perpetrator")
        #expect(check.missing.map(\.code) == ["consent.agreement", "consent.case-conference", "consent.approval"])
        #expect(check.missing[1].message == "A case conference decision, because: A caregiver is the perpetrator.")
        #expect(check.agreedBy == ["core/consent#1"])  // the child's assent still counts
        // The workflow asks the same policy: the case cannot be registered on the mother's consent.
        let register = try #require(try await f.kernel.transitions(caseID: id, actor: yusuf, requestID: "t").first { $0.id == "register" })
        #expect(!register.available)
        #expect(register.blockedBy.map(\.code) == ["workflow.consent-missing"])
    }

    @Test func anInvitedSpecialistIsNotToldTheExceptionTheIncidentKeepsFromThem() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("nadia", "specialist", team: nil)
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor, nadia = try await f.signIn("nadia").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        // Rana is 13; her father, her caregiver, is the alleged perpetrator (the incident, read by case workers and managers only).
        var incident = DemoAnswers.incident(day: f.day)
        incident["survivor_age_band"] = "age_12_17"
        incident["perpetrator_relationship"] = "parent"
        incident["care_situation"] = "with_caregiver"
        incident["caregiver_safe_to_involve"] = false
        incident["caregiver_not_safe_reason"] = "She says her father hurts her."
        for (form, values) in [
            ("core/registration", DemoAnswers.registration(day: f.day, givenName: "Rana", familyName: "Example", age: 13)),
            ("gbv/incident", incident),
        ] {
            _ = try await f.kernel.submitForm(caseID: id, formID: form, values: values, expectVersion: nil, actor: amal, requestID: "t")
        }
        _ = try await f.kernel.addMember(caseID: id, username: "nadia", actor: layla, requestID: "t")
        _ = try await f.kernel.requestConsentApproval(caseID: id, actor: amal, requestID: "t")
        let label = "A caregiver is the alleged perpetrator, and no other caregiver is safe to involve"
        let caseWorkers = try await f.kernel.consentRequirements(caseID: id, act: "services", recipient: nil, actor: amal, requestID: "t")
        #expect(caseWorkers.exception == label && caseWorkers.missing.contains { $0.message.contains(label) })
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").approvals.map(\.transitionLabel) == [label])
        // The specialist learns what changes (who agrees, what is decided), not why.
        let withheld = "the person's situation, recorded on a form your role does not read"
        let specialists = try await f.kernel.consentRequirements(caseID: id, act: "services", recipient: nil, actor: nadia, requestID: "t")
        #expect(specialists.exception == withheld && specialists.missing.map(\.code) == caseWorkers.missing.map(\.code))
        #expect(!specialists.missing.contains { $0.message.contains("perpetrator") })
        let overview = try await f.kernel.consentOverview(caseID: id, actor: nadia, requestID: "t")
        #expect(!overview.isEmpty && overview.allSatisfy { $0.check.exception == withheld })
        #expect(try await f.kernel.caseDetail(id: id, actor: nadia, requestID: "t").approvals.map(\.transitionLabel) == [withheld])
    }

    @Test func withASafeCaregiverTheWorkflowLetsTheCaseBeRegistered() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let register = try #require(try await f.kernel.transitions(caseID: id, actor: yusuf, requestID: "t").first { $0.id == "register" })
        #expect(register.available, "\(register.blockedBy.map(\.message))")
    }

    @Test func aTrustedAdultAndTheSupervisorsApprovalLeaveOnlyTheCaseConference() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: true)
        try await f.addUser("huda", "case_manager")
        let huda = try await f.signIn("huda").actor
        var aunt = DemoAnswers.childAgreement(day: f.day, caregiver: "Aunt of Sami")
        aunt["given_by"] = "trusted_adult"
        aunt["best_interest_reason"] = "His aunt is the adult he trusts; his mother is the alleged perpetrator."
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: aunt, expectVersion: nil, actor: yusuf, requestID: "t")
        // The caseworker cannot approve; the supervisor is asked, and sees it waiting.
        let asked = try await f.kernel.requestConsentApproval(caseID: id, actor: yusuf, requestID: "t")
        #expect(asked.approverRole == "case_manager" && asked.transitionLabel == "A caregiver is the perpetrator")
        let again = await #expect(throws: AmanaError.self) { try await f.kernel.requestConsentApproval(caseID: id, actor: yusuf, requestID: "t") }
        #expect(again?.code == "approval-pending")
        #expect(try await f.kernel.pendingApprovals(actor: huda, requestID: "t").map(\.id) == [asked.id])
        _ = try await f.kernel.decideApproval(caseID: id, approvalID: asked.id, approve: true, comment: nil, actor: huda, requestID: "t")
        let check = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(check.missing.map(\.code) == ["consent.case-conference"])
        #expect(check.agreedBy == ["core/consent#1", "core/consent#3"])
        #expect(try await f.auditEntries("approval.request").last?.draft.detail.hasSuffix("consent-exception=caregiver_is_perpetrator") == true)
    }

    @Test func afterTheMotherWithdrawsReferralTheNextReferralIsRefused() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        #expect(try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t").allowed)
        // Entry 2 is the mother's consent.
        let saved = try await f.kernel.withdrawConsent(caseID: id, entry: 2, scopes: ["referral"], note: "She wants to talk to her husband first.", actor: yusuf, requestID: "t")
        #expect(saved.version == 2 && saved.values["withdrawn_scopes"] == ["referral"])
        let after = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(!after.allowed)
        #expect(after.missing.map(\.code) == ["consent.agreement"] && after.agreedBy == ["core/consent#1"])
        // Services were not withdrawn: they still stand.
        #expect(try await f.kernel.consentRequirements(caseID: id, act: "services", recipient: nil, actor: yusuf, requestID: "t").allowed)
        let entry = try #require(try await f.auditEntries("consent.withdraw").last)
        #expect(entry.draft.detail == "form=core/consent entry=2 version=2 scopes=referral")
        // What the entry never agreed to cannot be withdrawn; nothing is saved.
        let never = await #expect(throws: AmanaError.self) {
            try await f.kernel.withdrawConsent(caseID: id, entry: 2, scopes: ["contact_after_closure"], note: nil, actor: yusuf, requestID: "t")
        }
        #expect(never?.code == "scope-not-agreed")
        let history = try await f.kernel.submissionHistory(caseID: id, formID: "core/consent", entry: 2, actor: yusuf, requestID: "t")
        #expect(history.map(\.version) == [1, 2])
        // An ordinary save cannot undo the withdrawal, nor widen what was agreed under its old date.
        var undone = saved.values
        undone["withdrawn_scopes"] = []
        let undo = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/consent", entry: 2, values: undone, expectVersion: 2, actor: yusuf, requestID: "t")
        }
        #expect(undo?.fieldProblems.map(\.code) == ["consent.withdrawal-kept"] && undo?.fieldProblems.first?.path == "/withdrawn_scopes")
        var widened = saved.values
        widened["scopes"] = ["services", "referral", "information_sharing"]
        let widen = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/consent", entry: 2, values: widened, expectVersion: 2, actor: yusuf, requestID: "t")
        }
        #expect(widen?.fieldProblems.map(\.path) == ["/scopes"])
        #expect(!(try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t").allowed))
        // A correction around the agreement is still made in place.
        var corrected = saved.values
        corrected["agreeing_person_name"] = "Mother of Sami (Huda)"
        #expect(try await f.kernel.submitForm(caseID: id, formID: "core/consent", entry: 2, values: corrected, expectVersion: 2, actor: yusuf, requestID: "t").version == 3)
    }

    @Test func anAdultsAssentIsRefusedAndNothingIsSaved() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")  // 29 years old
        var assent = DemoAnswers.consent(day: f.day)
        assent["given_by"] = "child"
        assent["agreement_kind"] = "assent"
        let refused = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: assent, expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(refused?.fieldProblems.map(\.path) == ["/agreement_kind", "/given_by"])
        #expect(refused?.fieldProblems.first?.message == "This person is an adult: an adult gives consent, not assent.")
        let detail = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t")
        #expect(detail.forms.filter { $0.formId == "core/consent" }.count == 1)
        // The age is the registration's as it stands: corrected to 15, the same assent is taken.
        let registration = try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t")
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Example", age: 15),
            expectVersion: registration.version, actor: amal, requestID: "t")
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: assent, expectVersion: nil, actor: amal, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").forms.filter { $0.formId == "core/consent" }.count == 2)
    }

    @Test func anUnknownActOrAnotherCaseworkersCaseIsRefused() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let unknown = await #expect(throws: AmanaError.self) {
            try await f.kernel.consentRequirements(caseID: id, act: "publishing", recipient: nil, actor: yusuf, requestID: "t")
        }
        #expect(unknown?.code == "act-unknown" && unknown?.pointer == "/act")
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let hidden = await #expect(throws: AmanaError.self) {
            try await f.kernel.consentRequirements(caseID: id, act: "services", recipient: nil, actor: amal, requestID: "t")
        }
        #expect(hidden?.kind == .notFound)
    }

    /// Two acts that read the same override before either used it: the second write finds it
    /// used and is refused, so one override lets one act through even in a race (as two
    /// supervisors deciding one request at once: the second decision is refused).
    @Test func anOverrideIsUsedOnceAndARequestDecidedOnceEvenInARace() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        try await f.addUser("huda", "case_manager")
        let huda = try await f.signIn("huda").actor
        let override = try await f.kernel.overrideConsent(
            caseID: id, override: "life_threatening", act: "information_sharing", reason: "Danger tonight.", actor: huda, requestID: "t")
        var closure = DemoAnswers.closure(day: f.day)
        closure["closure_reason"] = "relocated"
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/closure", values: closure, expectVersion: nil, actor: yusuf, requestID: "t")
        let requested = try await f.kernel.requestApproval(caseID: id, transition: "close_early", actor: yusuf, requestID: "t")
        let read = try await f.kernel.store.approvals(caseID: CaseID(id))
        func write(_ id: String, as status: ApprovalRecord.Status) async throws {
            var approval = try #require(read.first { $0.id == id })
            approval.status = status
            var change = CaseChange(caseID: approval.caseID, expectedVersion: nil, at: f.clock.now())
            change.approvals = [approval]
            _ = try await f.kernel.store.applyCaseChange(change, audit: f.kernel.audit("t", "t", "t", requestID: "t"))
        }
        for (approval, status) in [(override.id, ApprovalRecord.Status.used), (requested.id, .approved)] {
            try await write(approval, as: status)
            let second = await #expect(throws: AmanaError.self) { try await write(approval, as: status) }
            #expect(second?.code == "approval-decided" && second?.kind == .conflict)
        }
        let rejectedAfter = await #expect(throws: AmanaError.self) { try await write(requested.id, as: .rejected) }
        #expect(rejectedAfter?.code == "approval-decided")
    }

    @Test func aSupervisorsOverrideLetsOneActThroughFlaggedAndNeverForAnAdult() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        try await f.addUser("huda", "case_manager")
        let huda = try await f.signIn("huda").actor
        // Sami's family never agreed to sharing; he is in danger tonight.
        let draft = ReferralDraft(service: "lotus-shelter", fields: ["core/registration/given_name"], urgent: true, confirmProfile: true)
        await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: draft, actor: yusuf, requestID: "t") }
        let notHis = await #expect(throws: AmanaError.self) {
            try await f.kernel.overrideConsent(caseID: id, override: "life_threatening", act: "information_sharing", reason: "Danger tonight.", actor: yusuf, requestID: "t")
        }
        #expect(notHis?.kind == .forbidden)
        let noReason = await #expect(throws: AmanaError.self) {
            try await f.kernel.overrideConsent(caseID: id, override: "life_threatening", act: "information_sharing", reason: " ", actor: huda, requestID: "t")
        }
        #expect(noReason?.pointer == "/reason")
        let override = try await f.kernel.overrideConsent(
            caseID: id, override: "life_threatening", act: "information_sharing", reason: "He was threatened with a knife; the shelter must know who arrives tonight.",
            actor: huda, requestID: "t")
        #expect(override.transitionLabel == "Consent override (information_sharing): A life-threatening situation for the child")
        let check = try await f.kernel.consentRequirements(caseID: id, act: "information_sharing", recipient: "Lotus Safe Shelter (demo)", actor: yusuf, requestID: "t")
        #expect(check.allowed && !check.missing.isEmpty && check.overriddenBy == "A life-threatening situation for the child")
        let sent = try await f.kernel.sendReferral(caseID: id, draft: draft, actor: yusuf, requestID: "t")
        #expect(try await f.auditEntries("referral.send").last?.draft.detail == "referral=\(sent.id) urgent=true fields=1 override=\(override.id)")
        #expect(try await f.auditEntries("consent.override").last?.draft.detail == "override=life_threatening act=information_sharing approval=\(override.id)")
        // One act only: the next sharing needs the agreements again, and the case shows the override used.
        await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: draft, actor: yusuf, requestID: "t") }
        #expect(try await f.kernel.caseDetail(id: id, actor: huda, requestID: "t").approvals.first { $0.id == override.id }?.status == "used")
        // Flagged in the supervisor's view of overrides, with who decided and why; not for the caseworker.
        let flagged = try await f.kernel.consentOverrides(actor: huda, requestID: "t")
        #expect(flagged.map(\.id) == [override.id] && flagged.first?.decidedBy == "huda" && flagged.first?.status == "used")
        #expect(flagged.first?.comment == "He was threatened with a knife; the shelter must know who arrives tonight.")
        await #expect(throws: AmanaError.self) { try await f.kernel.consentOverrides(actor: yusuf, requestID: "t") }
        // Never for an adult.
        try await f.addUser("amal", "case_worker")
        let adult = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let forAdult = await #expect(throws: AmanaError.self) {
            try await f.kernel.overrideConsent(caseID: adult, override: "life_threatening", act: "referral", reason: "x", actor: huda, requestID: "t")
        }
        #expect(forAdult?.code == "override-not-applicable")
    }
}
