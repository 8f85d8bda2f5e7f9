import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// Case conferences: who takes part, who reads what, and what a held one settles.
@Suite("Case conferences")
struct ConferenceTests {
    /// Sami's mother is the alleged perpetrator: his aunt agrees instead and the
    /// supervisor approves; the conference is what is still missing.
    func approvedExceptionCase(_ f: KernelFixture) async throws -> (String, Actor, Actor) {
        let (id, yusuf) = try await f.childCase(perpetrator: true)
        try await f.addUser("huda", "case_manager")
        let huda = try await f.signIn("huda").actor
        var aunt = DemoAnswers.childAgreement(day: f.day, caregiver: "Aunt of Sami")
        aunt["given_by"] = "trusted_adult"
        aunt["best_interest_reason"] = "His aunt is the adult he trusts; his mother is the alleged perpetrator."
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/consent", values: aunt, expectVersion: nil, actor: yusuf, requestID: "t")
        let asked = try await f.kernel.requestConsentApproval(caseID: id, actor: yusuf, requestID: "t")
        _ = try await f.kernel.decideApproval(caseID: id, approvalID: asked.id, approve: true, comment: nil, actor: huda, requestID: "t")
        return (id, yusuf, huda)
    }

    @Test func aConferenceThatDecidesOnTheExceptionLetsTheReferralGo() async throws {
        let f = try await KernelFixture()
        let (id, yusuf, huda) = try await approvedExceptionCase(f)
        let before = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(before.missing.map(\.code) == ["consent.case-conference"])
        let scheduled = try await f.kernel.scheduleConference(
            caseID: id,
            plan: ConferencePlan(
                scheduledFor: f.clock.now().addingTimeInterval(86_400), agenda: "Who agrees for Sami instead of his mother; safety at home.",
                participants: ["huda"], externalParticipants: ["Nurse, Health clinic X"], survivorInvited: true),
            actor: yusuf, requestID: "t")
        #expect(scheduled.status == "scheduled" && scheduled.participants == ["yusuf", "huda"] && scheduled.version == 1)
        // Scheduled is not held: still missing.
        #expect(!(try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: nil, actor: yusuf, requestID: "t").allowed))
        f.clock.advance(by: 86_400)
        let held = try await f.kernel.recordConferenceOutcome(
            caseID: id, conferenceID: scheduled.id,
            outcome: ConferenceRecordedOutcome(
                decisions: "His aunt consents for him; the caseworker refers him to the clinic.", planChanges: "Add the clinic referral.",
                survivorAttended: true, consentException: "caregiver_is_perpetrator"),
            expectVersion: 1, actor: huda, requestID: "t")
        #expect(held.status == "held" && held.version == 2 && held.outcome?.consentExceptionLabel == "A caregiver is the perpetrator")
        let after = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: "Health clinic X", actor: yusuf, requestID: "t")
        #expect(after.allowed, "\(after.missing.map(\.message))")
        // The workflow asks the same policy: the case can now be registered.
        let register = try #require(try await f.kernel.transitions(caseID: id, actor: yusuf, requestID: "t").first { $0.id == "register" })
        #expect(register.available, "\(register.blockedBy.map(\.message))")
        // Recorded once: a second record is refused, and nothing in the audit names the person.
        let again = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordConferenceOutcome(
                caseID: id, conferenceID: scheduled.id, outcome: ConferenceRecordedOutcome(decisions: "Other"), expectVersion: 2, actor: huda, requestID: "t")
        }
        #expect(again?.code == "conference-not-scheduled")
        let entry = try #require(try await f.auditEntries("conference.outcome").last)
        #expect(entry.draft.detail == "conference=\(scheduled.id)")
    }

    @Test func aDecisionOnConsentNeedsTheExceptionThatAppliesAndMoreThanOnePerson() async throws {
        let f = try await KernelFixture()
        let (id, yusuf, _) = try await approvedExceptionCase(f)
        let alone = try await f.kernel.scheduleConference(caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "Consent."), actor: yusuf, requestID: "t")
        let wrong = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordConferenceOutcome(
                caseID: id, conferenceID: alone.id, outcome: ConferenceRecordedOutcome(decisions: "D", consentException: "unaccompanied"), expectVersion: 1, actor: yusuf,
                requestID: "t")
        }
        #expect(wrong?.code == "consent-exception" && wrong?.message.contains("caregiver_is_perpetrator") == true)
        let small = await #expect(throws: AmanaError.self) {
            try await f.kernel.recordConferenceOutcome(
                caseID: id, conferenceID: alone.id, outcome: ConferenceRecordedOutcome(decisions: "D", consentException: "caregiver_is_perpetrator"), expectVersion: 1,
                actor: yusuf, requestID: "t")
        }
        #expect(small?.code == "conference-too-small")
    }

    @Test func aConferenceOnAnotherMatterDoesNotMeetTheRequirement() async throws {
        let f = try await KernelFixture()
        let (id, yusuf, _) = try await approvedExceptionCase(f)
        let scheduled = try await f.kernel.scheduleConference(
            caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "School attendance."), actor: yusuf, requestID: "t")
        _ = try await f.kernel.recordConferenceOutcome(
            caseID: id, conferenceID: scheduled.id, outcome: ConferenceRecordedOutcome(decisions: "Talk to the school."), expectVersion: 1, actor: yusuf, requestID: "t")
        let check = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: nil, actor: yusuf, requestID: "t")
        #expect(check.missing.map(\.code) == ["consent.case-conference"])
    }

    @Test func confidentialNotesAreForParticipantsOnly() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        try await f.addUser("huda", "case_manager")
        try await f.addUser("salma", "specialist")
        let huda = try await f.signIn("huda").actor
        let salma = try await f.signIn("salma").actor
        // A caseworker cannot bring in someone who cannot see the case; the supervisor can, and that invites them.
        let refused = await #expect(throws: AmanaError.self) {
            try await f.kernel.scheduleConference(
                caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "Psychosocial support.", participants: ["salma"]), actor: yusuf, requestID: "t")
        }
        #expect(refused?.code == "participant-not-on-case" && refused?.pointer == "/participants/0")
        let scheduled = try await f.kernel.scheduleConference(
            caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "Psychosocial support.", participants: ["salma"]), actor: huda, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: huda, requestID: "t").members == ["salma"])
        let noted = try await f.kernel.addConferenceNote(caseID: id, conferenceID: scheduled.id, text: "He told me about the night shifts.", actor: salma, requestID: "t")
        #expect(noted.notes?.map(\.text) == ["He told me about the night shifts."] && noted.notes?.first?.by == "salma")
        // Yusuf owns the case but was not in this conference: he sees the agenda, not the notes, and cannot add any.
        let seen = try #require(try await f.kernel.conferences(caseID: id, actor: yusuf, requestID: "t").first)
        #expect(seen.agenda == "Psychosocial support." && seen.notes == nil)
        let outsider = await #expect(throws: AmanaError.self) {
            try await f.kernel.addConferenceNote(caseID: id, conferenceID: scheduled.id, text: "x", actor: yusuf, requestID: "t")
        }
        #expect(outsider?.kind == .forbidden)
        #expect(try await f.auditEntries("conference.note").map(\.draft.outcome) == [.success, .denied])
        // Notes only add: two participants writing one after the other both keep theirs.
        _ = try await f.kernel.addConferenceNote(caseID: id, conferenceID: scheduled.id, text: "Agreed to meet weekly.", actor: huda, requestID: "t")
        #expect(try await f.kernel.conferences(caseID: id, actor: salma, requestID: "t").first?.notes?.count == 2)
    }

    @Test func badInputChangesNothing() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let noAgenda = await #expect(throws: AmanaError.self) {
            try await f.kernel.scheduleConference(caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "  "), actor: yusuf, requestID: "t")
        }
        #expect(noAgenda?.pointer == "/agenda")
        let stranger = await #expect(throws: AmanaError.self) {
            try await f.kernel.scheduleConference(
                caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "A", participants: ["nobody"]), actor: yusuf, requestID: "t")
        }
        #expect(stranger?.code == "participant")
        #expect(try await f.kernel.conferences(caseID: id, actor: yusuf, requestID: "t").isEmpty)
        let scheduled = try await f.kernel.scheduleConference(caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "A"), actor: yusuf, requestID: "t")
        let outcomes: [(ConferenceRecordedOutcome, Int?, String)] = [
            (ConferenceRecordedOutcome(decisions: "D", consentException: "caregiver_is_busy"), 1, "consent-exception"),
            (ConferenceRecordedOutcome(heldOn: "2999-01-01", decisions: "D"), 1, "held-on"),
            (ConferenceRecordedOutcome(decisions: ""), 1, "decisions"),
            (ConferenceRecordedOutcome(decisions: "D"), nil, "version-required"),
            (ConferenceRecordedOutcome(decisions: "D"), 7, "activity-changed"),
        ]
        for (outcome, version, code) in outcomes {
            let error = await #expect(throws: AmanaError.self) {
                try await f.kernel.recordConferenceOutcome(caseID: id, conferenceID: scheduled.id, outcome: outcome, expectVersion: version, actor: yusuf, requestID: "t")
            }
            #expect(error?.code == code)
        }
        let cancelled = try await f.kernel.cancelConference(caseID: id, conferenceID: scheduled.id, reason: "The family moved.", expectVersion: 1, actor: yusuf, requestID: "t")
        #expect(cancelled.status == "cancelled" && cancelled.cancelReason == "The family moved." && cancelled.version == 2)
    }

    /// An organisation's own programme whose decision step needs a case conference.
    static let panelPlugin = [
        "acme-panel/plugin.yaml": """
            id: acme-panel
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: Panel decisions, ar: قرارات اللجنة}
            case_type: acme-panel
            uses: [core/registration]
            workflow: workflows/case.yaml
            consent_policy: policies/consent.yaml
            """,
        "acme-panel/policies/consent.yaml": """
            id: acme-panel/consent
            title: {en: Consent, ar: الموافقة}
            age_from: {form: core/registration, date_of_birth: date_of_birth, estimated_age: estimated_age}
            scopes: [services]
            bands:
              - {ages: "0-", child: consent}
            """,
        "acme-panel/workflows/case.yaml": """
            id: acme-panel/case
            title: {en: Panel case, ar: حالة اللجنة}
            initial: open
            states:
              - {id: open, label: {en: Open, ar: مفتوحة}}
              - {id: decided, label: {en: Decided, ar: تقرّر}}
              - {id: closed, label: {en: Closed, ar: مغلقة}, final: true}
            transitions:
              - id: close
                from: decided
                to: closed
                label: {en: Close, ar: أغلق}
              - id: decide
                from: open
                to: decided
                label: {en: Decide, ar: قرّر}
                requires: {case_conference: true}
              - id: reconsider
                from: decided
                to: open
                label: {en: Reconsider, ar: أعد النظر}
            """,
    ]

    @Test func aWorkflowStepThatNeedsAConferenceCountsOnlyOneHeldSinceTheCaseEnteredItsState() async throws {
        let f = try await KernelFixture(installPlugins: Self.panelPlugin)
        #expect(f.kernel.definitions.errors.isEmpty, "\(f.kernel.definitions.errors)")
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let opened = try await f.kernel.openCase(type: "acme-panel", actor: amal, requestID: "t")
        let id = opened.summary.id
        let decide = { () async throws -> TransitionView? in try await f.kernel.transitions(caseID: id, actor: amal, requestID: "t").first { $0.id == "decide" } }
        #expect(try await decide()?.blockedBy.map(\.code) == ["workflow.case-conference-needed"])
        let conference = try await f.kernel.scheduleConference(caseID: id, plan: ConferencePlan(scheduledFor: f.clock.now(), agenda: "Decide."), actor: amal, requestID: "t")
        _ = try await f.kernel.recordConferenceOutcome(
            caseID: id, conferenceID: conference.id, outcome: ConferenceRecordedOutcome(decisions: "Go ahead."), expectVersion: 1, actor: amal, requestID: "t")
        #expect(try await decide()?.available == true)
        var version = try await f.kernel.performTransition(caseID: id, transition: "decide", expectVersion: opened.summary.version, actor: amal, requestID: "t").summary.version
        f.clock.advance(by: 60)
        version = try await f.kernel.performTransition(caseID: id, transition: "reconsider", expectVersion: version, actor: amal, requestID: "t").summary.version
        // Back in "open": the earlier conference decided the earlier question.
        #expect(try await decide()?.available == false)
    }
}
