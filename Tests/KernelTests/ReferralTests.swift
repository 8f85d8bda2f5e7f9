import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// Referrals: consent first, minimum necessary, follow-up timers, feedback into the directory.
@Suite("Referrals")
struct ReferralTests {
    /// Hana, an adult GBV survivor who agreed to services, referral and information sharing, and amal her case worker; the demo service map.
    func adultCase(_ f: KernelFixture) async throws -> (String, Actor) {
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("amal", "case_worker")
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        return (try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example", phone: "0791234567"), try await f.signIn("amal").actor)
    }

    func openTasks(_ f: KernelFixture, _ actor: Actor) async throws -> [TaskView] {
        try await f.kernel.myWork(actor: actor, requestID: "t").filter { $0.title == "Follow up on the referral" }
    }

    @Test func onlyTheSelectedAnswersGoAndTheyAreShownFirst() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let draft = ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name", "core/registration/sex"], reason: "Medical care within 72 hours.")
        let preview = try await f.kernel.previewReferral(caseID: id, draft: draft, actor: amal, requestID: "t")
        #expect(preview.sendable && preview.consent.allowed && preview.sharingConsent?.allowed == true && preview.profileWarning == nil)
        #expect(preview.shared.map(\.text) == ["Hana", "Female"] && preview.shared.map(\.label) == ["First name", "Sex"])
        #expect(try await f.kernel.referrals(caseID: id, actor: amal, requestID: "t").isEmpty)  // a preview sends nothing
        let sent = try await f.kernel.sendReferral(caseID: id, draft: draft, actor: amal, requestID: "t")
        #expect(sent.status == "sent" && sent.shared == preview.shared && sent.agreedBy == ["core/consent#1"] && sent.serviceType == "health")
        // What was shared, and with whom, stays listed on the case.
        let listed = try #require(try await f.kernel.referrals(caseID: id, actor: amal, requestID: "t").first)
        #expect(listed.organisation == "Cedar Community Clinic (demo)" && listed.shared.map(\.field) == ["given_name", "sex"])
        #expect(try await f.auditEntries("referral.send").last?.draft.detail == "referral=\(sent.id) urgent=false fields=2")
        // Nothing of the person in the plain columns of the store.
        let activities = try await f.kernel.store.activities(caseID: CaseID(id))
        #expect(!String(decoding: activities[0].sealedContent, as: UTF8.self).contains("Hana"))
    }

    @Test func theFollowUpTaskComesAfterThreeDaysOrOneWhenUrgentAndAnAnswerStopsIt() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let normal = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "cedar-clinic-health"), actor: amal, requestID: "t")
        let urgent = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "willow-safe-space", urgent: true), actor: amal, requestID: "t")
        let answered = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "amber-legal-aid"), actor: amal, requestID: "t")
        _ = try await f.kernel.changeReferralStatus(
            caseID: id, referralID: answered.id, change: ReferralStatusChange(status: "accepted"), expectVersion: 1, actor: amal, requestID: "t")
        f.clock.advance(by: 86_400 - 60)
        #expect(try await openTasks(f, amal).isEmpty)
        f.clock.advance(by: 120)
        let afterOneDay = try await f.kernel.store.tasks(caseID: CaseID(id)).filter { $0.timerID == "referral_follow_up" }
        #expect(try await openTasks(f, amal).count == 1)
        #expect(try await f.kernel.store.tasks(caseID: CaseID(id)).filter { $0.timerID == "referral_follow_up" }.map(\.subject) == [urgent.id])
        #expect(afterOneDay.isEmpty)  // read before my work fired the timer
        f.clock.advance(by: 2 * 86_400)
        #expect(try await openTasks(f, amal).count == 2)
        // The accepted referral's timer was stopped, the others fired: one task each.
        let subjects = Set(try await f.kernel.store.tasks(caseID: CaseID(id)).compactMap(\.subject))
        #expect(subjects == [urgent.id, normal.id])
    }

    @Test func statusesMoveOnlyForwardAndADeclineSaysWhy() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let sent = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "lotus-shelter"), actor: amal, requestID: "t")
        let noReason = await #expect(throws: AmanaError.self) {
            try await f.kernel.changeReferralStatus(caseID: id, referralID: sent.id, change: ReferralStatusChange(status: "declined"), expectVersion: 1, actor: amal, requestID: "t")
        }
        #expect(noReason?.code == "reason-required")
        let declined = try await f.kernel.changeReferralStatus(
            caseID: id, referralID: sent.id, change: ReferralStatusChange(status: "declined", reason: "No place free this week."), expectVersion: 1, actor: amal, requestID: "t")
        #expect(declined.status == "declined" && declined.history.map(\.status) == ["sent", "declined"] && declined.history.last?.reason == "No place free this week.")
        let backwards = await #expect(throws: AmanaError.self) {
            try await f.kernel.changeReferralStatus(caseID: id, referralID: sent.id, change: ReferralStatusChange(status: "accepted"), expectVersion: 2, actor: amal, requestID: "t")
        }
        #expect(backwards?.code == "referral-status")
        let stale = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordReferralFollowUp(caseID: id, referralID: sent.id, followUp: ReferralFollowUp(outcome: "x"), expectVersion: 1, actor: amal, requestID: "t")
        }
        #expect(stale?.kind == .preconditionFailed)
    }

    @Test func satisfactionAtFollowUpFeedsTheDirectorysScoreOncePerReferral() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        for (index, answer) in ["very_satisfied", "satisfied", "satisfied", "neutral", "very_satisfied"].enumerated() {
            let sent = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "willow-safe-space"), actor: amal, requestID: "t")
            let followed = try await f.kernel.recordReferralFollowUp(
                caseID: id, referralID: sent.id, followUp: ReferralFollowUp(outcome: "Attends the group every week.", serviceReceived: true, satisfaction: answer),
                expectVersion: 1, actor: amal, requestID: "t")
            #expect(followed.followUps.count == 1)
            let service = try await f.kernel.service(id: "willow-safe-space", actor: amal, requestID: "t")
            #expect(service.ratings == index + 1)
            // No score from fewer than 5 answers: one person's answer could be told from it.
            #expect(service.score == (index < 4 ? nil : 4.2))
            if index == 0 {
                let again = await #expect(throws: AmanaError.self) {
                    try await f.kernel.recordReferralFollowUp(
                        caseID: id, referralID: sent.id, followUp: ReferralFollowUp(outcome: "Again", satisfaction: "dissatisfied"), expectVersion: 2, actor: amal,
                        requestID: "t")
                }
                #expect(again?.code == "already-rated")
            }
        }
    }

    @Test func withoutConsentNothingIsSentAndTheCaseWorkerIsToldWhatIsMissing() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        // Sami and his mother agreed to referral, not to sharing information.
        let draft = ReferralDraft(service: "jasmine-child-friendly", fields: ["core/registration/given_name"])
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: draft, actor: yusuf, requestID: "t") }
        #expect(refused?.code == "consent-required" && refused?.kind == .conflict)
        #expect(refused?.fieldProblems.map(\.code) == ["consent.agreement", "consent.agreement"])
        #expect(try await f.kernel.referrals(caseID: id, actor: yusuf, requestID: "t").isEmpty)
        #expect(try await f.auditEntries("referral.send").map(\.draft.outcome) == [.denied])
        // A referral that names no one is within what they agreed to.
        let bare = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "jasmine-child-friendly"), actor: yusuf, requestID: "t")
        #expect(bare.shared.isEmpty && bare.agreedBy == ["core/consent#1", "core/consent#2"])
        // The mother withdraws referral: the next referral is refused.
        _ = try await f.kernel.withdrawConsent(caseID: id, entry: 2, scopes: ["referral"], note: nil, actor: yusuf, requestID: "t")
        let withdrawn = await #expect(throws: AmanaError.self) {
            try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "jasmine-child-friendly"), actor: yusuf, requestID: "t")
        }
        #expect(withdrawn?.code == "consent-required")
    }

    @Test func noAnswerWhenChasedStartsTheWaitAgain() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let sent = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "cedar-clinic-health", urgent: true), actor: amal, requestID: "t")
        f.clock.advance(by: 86_400 + 60)
        #expect(try await openTasks(f, amal).count == 1)
        // Chased, the service did not answer: still waiting, and chased again a day later (it is urgent).
        _ = try await f.kernel.changeReferralStatus(
            caseID: id, referralID: sent.id, change: ReferralStatusChange(status: "no_answer"), expectVersion: 1, actor: amal, requestID: "t")
        f.clock.advance(by: 86_400 + 60)
        #expect(try await openTasks(f, amal).count == 2)
        #expect(try await f.kernel.store.tasks(caseID: CaseID(id)).filter { $0.timerID == "referral_follow_up" }.map(\.subject) == [sent.id, sent.id])
        // Then it answers: the wait ends.
        _ = try await f.kernel.changeReferralStatus(
            caseID: id, referralID: sent.id, change: ReferralStatusChange(status: "accepted"), expectVersion: 2, actor: amal, requestID: "t")
        f.clock.advance(by: 7 * 86_400)
        #expect(try await openTasks(f, amal).count == 2)
    }

    @Test func withdrawingConsentStopsTheChasingAndAsksToTellTheService() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let cedar = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "cedar-clinic-health"), actor: amal, requestID: "t")
        let willow = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "willow-safe-space"), actor: amal, requestID: "t")
        _ = try await f.kernel.changeReferralStatus(
            caseID: id, referralID: willow.id, change: ReferralStatusChange(status: "accepted"), expectVersion: 1, actor: amal, requestID: "t")
        _ = try await f.kernel.withdrawConsent(caseID: id, entry: 1, scopes: ["referral"], note: nil, actor: amal, requestID: "t")
        // The waiting referral: the case owner is asked to tell the service; no one chases it any more.
        let work = try await f.kernel.myWork(actor: amal, requestID: "t").map(\.title)
        #expect(work.filter { $0.hasPrefix("Tell Cedar Community Clinic (demo) that the person withdrew their consent") }.count == 1)
        #expect(!work.contains { $0.contains("Willow") }, "an accepted referral is not waiting")
        f.clock.advance(by: 4 * 86_400)
        #expect(try await openTasks(f, amal).isEmpty)
        #expect(try await f.auditEntries("referral.consent-withdrawn").map(\.draft.detail).first?.hasPrefix("referral=\(cedar.id) task=") == true)
    }

    @Test func aConsentToOneReferralCoversThatOrganisationOnly() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("amal", "case_worker")
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        let amal = try await f.signIn("amal").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        // Kathya agreed to services only; each referral is agreed on its own.
        for (form, values) in [
            ("core/consent", DemoAnswers.consent(day: f.day, scopes: ["services"])),
            ("core/registration", DemoAnswers.registration(day: f.day, givenName: "Kathya", familyName: "Example")),
        ] {
            _ = try await f.kernel.submitForm(caseID: id, formID: form, values: values, expectVersion: nil, actor: amal, requestID: "t")
        }
        let draft = ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name"])
        let before = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: draft, actor: amal, requestID: "t") }
        #expect(before?.code == "consent-required")
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "gbv/referral-consent",
            values: [
                "service_type": "health", "organisation": "Cedar Community Clinic (demo)", "urgent": false, "options_discussed": true, "referral_method": "phone",
                "survivor_agrees": true, "information_to_share": ["name_contact"], "given_by": "survivor", "method": "verbal_with_witness",
                "witness_name": "Colleague", "consent_date": .string(f.day),
            ],
            expectVersion: nil, actor: amal, requestID: "t")
        let sent = try await f.kernel.sendReferral(caseID: id, draft: draft, actor: amal, requestID: "t")
        #expect(sent.agreedBy == ["gbv/referral-consent#1"])
        // She ticked her name and contact only: her sex was not agreed to be shared, and nothing goes.
        let more = ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name", "core/registration/sex"])
        #expect(try await f.kernel.previewReferral(caseID: id, draft: more, actor: amal, requestID: "t").notAgreed == ["core/registration/sex"])
        let notTicked = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: more, actor: amal, requestID: "t") }
        #expect(notTicked?.code == "consent-required" && notTicked?.fieldProblems.map(\.path) == ["/fields/1"])
        // A referral consent does not let the whole case go to that organisation.
        let partnerInstall = try await KernelFixture()
        let package = await #expect(throws: AmanaError.self) {
            try await f.kernel.exportTransferPackage(
                caseID: id, recipientKey: partnerInstall.kernel.installPublicKey.text, recipientName: "Cedar Community Clinic (demo)", reason: nil, actor: amal, requestID: "t")
        }
        #expect(package?.code == "consent-required")
        // Another organisation was not agreed to.
        let other = await #expect(throws: AmanaError.self) {
            try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "willow-safe-space"), actor: amal, requestID: "t")
        }
        #expect(other?.code == "consent-required")
    }

    @Test func aServiceThatDoesNotTakeThePersonAsksForConfirmation() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        // Hana is a woman of 29; the child friendly space takes girls and boys.
        let draft = ReferralDraft(service: "jasmine-child-friendly")
        let preview = try await f.kernel.previewReferral(caseID: id, draft: draft, actor: amal, requestID: "t")
        #expect(!preview.sendable && preview.profileWarning?.contains("does not list women") == true)
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: draft, actor: amal, requestID: "t") }
        #expect(refused?.code == "service-profile-mismatch" && refused?.pointer == "/confirm_profile")
        var confirmed = draft
        confirmed.confirmProfile = true
        #expect(try await f.kernel.sendReferral(caseID: id, draft: confirmed, actor: amal, requestID: "t").profileWarningConfirmed)
    }

    @Test func anUnknownServiceOrAnswerIsNamed() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        let unknown = await #expect(throws: AmanaError.self) {
            try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "nowhere"), actor: amal, requestID: "t")
        }
        #expect(unknown?.code == "service-unknown" && unknown?.pointer == "/service")
        let fields = await #expect(throws: AmanaError.self) {
            try await f.kernel.previewReferral(
                caseID: id, draft: ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/nickname", "gbv/incident/incident_date", "given_name"]),
                actor: amal, requestID: "t")
        }
        #expect(fields?.fieldProblems.map(\.path) == ["/fields/0", "/fields/1", "/fields/2"])
        #expect(fields?.fieldProblems.map(\.code) == ["unknown", "not-answered", "invalid"])
    }
}
