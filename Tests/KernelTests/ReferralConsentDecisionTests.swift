import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// A consent to one referral is the person's own decision about that organisation: their
/// "no" stops the referral, and what they ticked is the most that goes there, whatever a
/// general consent or someone else's agreement says.
@Suite("Referral consent decisions")
struct ReferralConsentDecisionTests {
    /// Hana, an adult GBV survivor whose general consent covers services, referral and information sharing; amal her case worker.
    func adultCase(_ f: KernelFixture) async throws -> (String, Actor) { try await ReferralTests().adultCase(f) }

    /// An entry of `gbv/referral-consent` for Cedar clinic: a "no", or a "yes" to sharing what `shares` ticks.
    func decide(_ f: KernelFixture, _ id: String, _ actor: Actor, agrees: Bool, shares: [String] = ["name_contact"]) async throws {
        var values: [String: JSONValue] = [
            "service_type": "health", "organisation": " cedar community clinic (DEMO) ", "urgent": false, "options_discussed": true, "referral_method": "phone",
            "survivor_agrees": .bool(agrees), "given_by": "survivor", "method": "verbal_with_witness", "witness_name": "Colleague", "consent_date": .string(f.day),
        ]
        if agrees { values["information_to_share"] = .array(shares.map { .string($0) }) }
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/referral-consent", values: values, expectVersion: nil, actor: actor, requestID: "t")
    }

    @Test func aNoToOneReferralStopsItThoughTheGeneralConsentCoversReferrals() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        try await decide(f, id, amal, agrees: false)
        let cedar = ReferralDraft(service: "cedar-clinic-health")
        let preview = try await f.kernel.previewReferral(caseID: id, draft: cedar, actor: amal, requestID: "t")
        #expect(!preview.sendable && preview.consent.missing.first?.code == "consent.refused")
        #expect(preview.consent.missing.first?.message.hasPrefix("The person themself (adult survivor or client) said no to 'Referral to other services — Cedar Community Clinic (demo)'") == true)
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: cedar, actor: amal, requestID: "t") }
        #expect(refused?.code == "consent-required" && refused?.fieldProblems.first?.code == "consent.refused")
        #expect(try await f.kernel.referrals(caseID: id, actor: amal, requestID: "t").isEmpty)
        // The whole case does not go there either.
        let partnerInstall = try await KernelFixture()
        let package = await #expect(throws: AmanaError.self) {
            try await f.kernel.exportTransferPackage(
                caseID: id, recipientKey: partnerInstall.kernel.installPublicKey.text, recipientName: "Cedar Community Clinic (demo)", reason: nil, actor: amal, requestID: "t")
        }
        #expect(package?.code == "consent-required")
        // Her "no" is not turned into a "yes" by editing the entry: a new decision is a new entry.
        var flipped = try await f.kernel.readSubmission(caseID: id, formID: "gbv/referral-consent", actor: amal, requestID: "t").values
        flipped["survivor_agrees"] = true
        flipped["information_to_share"] = ["name_contact"]
        let flip = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "gbv/referral-consent", entry: 1, values: flipped, expectVersion: 1, actor: amal, requestID: "t")
        }
        #expect(flip?.fieldProblems.map(\.path) == ["/survivor_agrees", "/information_to_share"])
        // Her "no" is about Cedar only: her general consent still covers another organisation.
        #expect(try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "willow-safe-space"), actor: amal, requestID: "t").status == "sent")
        // She changes her mind in a new entry: the latest decision about Cedar holds.
        try await decide(f, id, amal, agrees: true)
        let sent = try await f.kernel.sendReferral(caseID: id, draft: cedar, actor: amal, requestID: "t")
        #expect(sent.agreedBy == ["gbv/referral-consent#2"])
        // And a "no" after a "yes" stops it again.
        try await decide(f, id, amal, agrees: false)
        let again = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: cedar, actor: amal, requestID: "t") }
        #expect(again?.fieldProblems.first?.code == "consent.refused")
    }

    @Test func whatSheTickedForOneOrganisationIsTheMostThatGoesThere() async throws {
        let f = try await KernelFixture()
        let (id, amal) = try await adultCase(f)
        // A case worker's "best interests" entry is not an adult's agreement, and widens nothing.
        var caseWorkers = DemoAnswers.consent(day: f.day, scopes: ["information_sharing"])
        caseWorkers["given_by"] = "case_worker_best_interest"
        caseWorkers["best_interest_reason"] = "Entered to test that it does not count."
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: caseWorkers, expectVersion: nil, actor: amal, requestID: "t")
        try await decide(f, id, amal, agrees: true, shares: ["name_contact"])
        let more = ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name", "core/registration/sex"])
        let preview = try await f.kernel.previewReferral(caseID: id, draft: more, actor: amal, requestID: "t")
        #expect(preview.notAgreed == ["core/registration/sex"] && !preview.sendable)
        let notTicked = await #expect(throws: AmanaError.self) { try await f.kernel.sendReferral(caseID: id, draft: more, actor: amal, requestID: "t") }
        #expect(notTicked?.code == "consent-required" && notTicked?.fieldProblems.map(\.path) == ["/fields/1"])
        let sent = try await f.kernel.sendReferral(
            caseID: id, draft: ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name"]), actor: amal, requestID: "t")
        #expect(sent.agreedBy == ["gbv/referral-consent#1"] && sent.shared.map(\.text) == ["Hana"])
        // Elsewhere her general consent, unlimited, still decides.
        let elsewhere = try await f.kernel.previewReferral(
            caseID: id, draft: ReferralDraft(service: "willow-safe-space", fields: ["core/registration/sex"]), actor: amal, requestID: "t")
        #expect(elsewhere.notAgreed.isEmpty && elsewhere.sendable)
    }

    @Test func theChildsTicksAreNotWidenedByHerCaregiversGeneralConsent() async throws {
        let f = try await KernelFixture()
        let (_, amal) = try await adultCase(f)
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        // Rana is 16: she consents in her own right; her mother agrees to information sharing in general.
        var mother = DemoAnswers.consent(day: f.day, scopes: ["services", "referral", "information_sharing"])
        mother["given_by"] = "caregiver"
        mother["agreeing_person_name"] = "Mother"
        mother["agreeing_person_relationship"] = "parent"
        var rana = DemoAnswers.consent(day: f.day, scopes: ["services"])
        rana["given_by"] = "child"
        for (form, values) in [
            ("core/registration", DemoAnswers.registration(day: f.day, givenName: "Rana", familyName: "Example", age: 16)),
            ("core/consent", rana), ("core/consent", mother),
        ] {
            _ = try await f.kernel.submitForm(caseID: id, formID: form, values: values, expectVersion: nil, actor: amal, requestID: "t")
        }
        var values: [String: JSONValue] = [
            "service_type": "health", "organisation": "Cedar Community Clinic (demo)", "urgent": false, "options_discussed": true, "referral_method": "phone",
            "survivor_agrees": true, "information_to_share": ["age_sex"], "given_by": "child", "method": "verbal_with_witness", "witness_name": "Colleague",
            "consent_date": .string(f.day),
        ]
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/referral-consent", values: values, expectVersion: nil, actor: amal, requestID: "t")
        let draft = ReferralDraft(service: "cedar-clinic-health", fields: ["core/registration/given_name", "core/registration/sex"])
        let preview = try await f.kernel.previewReferral(caseID: id, draft: draft, actor: amal, requestID: "t")
        #expect(preview.consent.allowed && preview.notAgreed == ["core/registration/given_name"])
        // The mother says no to Cedar: her "no" stops it, though Rana agreed.
        values["survivor_agrees"] = false
        values["information_to_share"] = nil
        values["given_by"] = "caregiver"
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/referral-consent", values: values, expectVersion: nil, actor: amal, requestID: "t")
        let stopped = try await f.kernel.previewReferral(caseID: id, draft: ReferralDraft(service: "cedar-clinic-health"), actor: amal, requestID: "t")
        #expect(!stopped.consent.allowed && stopped.consent.missing.map(\.code).first == "consent.refused")
    }
}
