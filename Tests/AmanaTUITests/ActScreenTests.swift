import AmanaCore
import Foundation
import Testing
@testable import AmanaTUI
@testable import Kernel

/// Referring, approving and the team's caseload, as state -> lines and keys -> commands.
@Suite("TUI acts and supervision")
struct ActScreenTests {
    static let day = Date(timeIntervalSince1970: 1_796_000_000)

    func service(_ id: String, _ name: String, _ organisation: String, type: String) -> ServiceEntry {
        ServiceEntry(
            id: id, organisation: organisation, name: name, serviceType: type, serviceTypeLabel: type.capitalized, location: "amber", locationLabel: "Amber Governorate",
            address: "", hours: "", contact: "", profiles: ["women": "entry_point"], coordinationRegistration: nil, agency: nil, active: true, ratings: 0, score: nil,
            version: 1, updatedAt: Self.day)
    }

    func check(_ act: String, allowed: Bool, missing: [String] = []) -> ConsentCheck {
        ConsentCheck(
            act: act, recipient: nil, allowed: allowed, ageBand: nil, exception: nil, missing: missing.map { .init(code: "consent", message: $0) }, agreedBy: [],
            overriddenBy: nil, overrideApproval: nil)
    }

    func referralState() -> TUIState {
        var state = TUIState()
        state.screen = .refer
        state.referral = ReferralComposer(
            caseID: "c1", caseNumber: "DEMO-2026-000004", language: "en",
            services: [service("s1", "Legal counselling", "Amber Legal Aid", type: "legal"), service("s2", "Clinical care", "Cedar Clinic", type: "health")],
            shareable: [.init(path: "core/registration/given_name", label: "Registration — First name", text: "Noor"),
                        .init(path: "core/registration/sex", label: "Registration — Sex", text: "Female")])
        return state
    }

    @Test func aReferralIsWrittenInThreeStepsAndSentOnlyWhenConsentAllowsIt() {
        var state = referralState()
        for c in "cedar" { #expect(state.handle(.character(c)) == nil) }
        var lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.contains { $0.hasPrefix("Clinical care") } && !lines.contains { $0.hasPrefix("Legal counselling") })
        _ = state.handle(.enter)
        _ = state.handle(.down)
        _ = state.handle(.character(" "))
        lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.contains("[ ] Registration — First name: Noor") && lines.contains("[x] Registration — Sex: Female"))
        #expect(state.handle(.enter) == .previewReferral, "the Kernel is asked what would go before anything is sent")
        #expect(state.referral?.draft == ReferralDraft(service: "s2", fields: ["core/registration/sex"]))

        // Consent not given yet: the check says what is missing, and Ctrl-S sends nothing.
        let service = state.referral!.services[1]
        state.referral?.preview = ReferralPreview(
            service: service, consent: check("referral", allowed: false, missing: ["Informed consent for 'Referral' from: the person themself."]),
            sharingConsent: nil, profileWarning: nil, shared: [], notAgreed: [], sendable: false)
        lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.contains("Consent: not yet — nothing can be sent until:"))
        #expect(lines.contains("  ✗ Informed consent for 'Referral' from: the person themself."))
        #expect(state.handle(.ctrl("s")) == nil)
        #expect(state.status == "Not sent: the consent check says what is missing.")

        state.referral?.preview?.consent = check("referral", allowed: true)
        for c in "Medical care" { _ = state.handle(.character(c)) }
        _ = state.handle(.ctrl("t"))
        lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.contains("Consent: allowed") && lines.contains("Reason: Medical care▏") && lines.contains("Urgent: Yes"))
        #expect(state.handle(.ctrl("s")) == .sendReferral)
        #expect(state.referral?.draft?.urgent == true && state.referral?.draft?.reason == "Medical care")
    }

    @Test func aServiceNotListingThePersonsProfileIsConfirmedFirst() {
        var state = referralState()
        _ = state.handle(.enter)
        _ = state.handle(.enter)
        let legal = state.referral!.services[0]
        state.referral?.preview = ReferralPreview(
            service: legal, consent: check("referral", allowed: true), sharingConsent: nil,
            profileWarning: "Legal counselling does not list men among those it serves.", shared: [], notAgreed: [], sendable: false)
        guard case nil = state.handle(.ctrl("s")) else {
            Issue.record("sent without confirming the profile")
            return
        }
        #expect(state.handle(.ctrl("p")) == .previewReferral)
        #expect(state.handle(.ctrl("s")) == .sendReferral)
        #expect(state.referral?.draft?.confirmProfile == true)
    }

    func approval(_ id: String, _ number: String) -> ApprovalView {
        ApprovalView(
            id: id, caseId: "case-\(id)", caseNumber: number, transition: "close", transitionLabel: "Close the case", approverRole: "case_manager", requestedBy: "amal",
            requestedAt: Self.day, status: "pending", decidedBy: nil, decidedAt: nil, comment: nil)
    }

    @Test func aSupervisorApprovesOrRejectsWithAReason() {
        var state = TUIState()
        state.username = "layla"
        state.screen = .work
        #expect(state.handle(.character("a")) == .loadApprovals)
        state.screen = .approvals
        state.approvals = [approval("a1", "DEMO-2026-000004"), approval("a2", "DEMO-2026-000006")]
        var lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines[0] == "Approvals — layla")
        #expect(lines[3].hasPrefix("DEMO-2026-000004  amal        2026-11-30  Close the case"))
        #expect(state.handle(.character("y")) == .decideApproval(caseID: "case-a1", approvalID: "a1", approve: true, comment: nil))
        _ = state.handle(.down)
        #expect(state.handle(.character("x")) == nil && state.rejection == "")
        #expect(state.handle(.enter) == nil)
        #expect(state.status == "Say why you reject it: the caseworker needs to know what to change.")
        for c in "The safety plan is missing" { _ = state.handle(.character(c)) }
        lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines.contains("Why reject it: The safety plan is missing▏"))
        #expect(state.handle(.enter) == .decideApproval(caseID: "case-a2", approvalID: "a2", approve: false, comment: "The safety plan is missing"))
        // Overrides given lately are flagged under the approvals, with who decided and why.
        var override = approval("o1", "DEMO-2026-000011")
        override.transitionLabel = "Consent override (referral): A life-threatening situation for the child"
        override.status = "used"
        override.decidedBy = "layla"
        override.decidedAt = Self.day
        override.comment = "Threatened tonight."
        state.overrides = [override]
        let flagged = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(flagged.contains("Consent overrides in the last 90 days"))
        #expect(flagged.contains("  ! DEMO-2026-000011 · Consent override (referral): A life-threatening situation"))
        #expect(flagged.contains("    for the child · layla 2026-11-30 · used: Threatened tonight."))
        // Enter on an approval opens its case for review, and Esc comes back to the approvals.
        #expect(state.handle(.enter) == .openCase(id: "case-a2") && state.returnTo == .approvals)
    }

    @Test func approvingAPurgeTakesASecondKey() {
        var state = TUIState()
        state.screen = .approvals
        var purge = approval("p1", "DEMO-2026-000007")
        purge.transition = "purge:erasure_request"
        state.approvals = [purge]
        #expect(state.handle(.character("y")) == nil && state.status?.hasPrefix("Approving this purges the case for good") == true)
        #expect(state.handle(.down) == nil && state.confirmingPurge == nil, "any other key stops")
        _ = state.handle(.character("y"))
        #expect(state.handle(.character("y")) == .decideApproval(caseID: "case-p1", approvalID: "p1", approve: true, comment: nil))
    }

    @Test func theCaseloadShowsEachWorkerAndOpensTheirCases() {
        var state = TUIState()
        state.username = "layla"
        state.screen = .caseload
        let amal = Dashboard.Load(name: "amal", open: 12, highRisk: 2, overdueTasks: 1, referralsWaiting: 3, dueForClosureReview: 1)
        let sara = Dashboard.Load(name: "sara", open: 3, highRisk: 0, overdueTasks: 0, referralsWaiting: 0, dueForClosureReview: 0)
        let team = Dashboard.Load(name: "GBV team", open: 15, highRisk: 2, overdueTasks: 1, referralsWaiting: 3, dueForClosureReview: 1)
        state.dashboard = Dashboard(
            openCases: 15, workers: [amal, sara], teams: [team], byState: [.init(programme: "gbv", state: "follow_up", label: "Follow-up", count: 15)],
            byRisk: ["high": 2, "not_assessed": 13], overdueTasks: 1, referralsWaiting: 3, dueForClosureReview: 1, consentOverrides: 0)
        let lines = Screens.lines(state, width: 80, height: 24).map(\.text)
        #expect(lines[2] == "15 open · 1 overdue tasks · 3 referrals without an answer · 1 due for closure")
        #expect(lines[3] == "review · 0 consent overrides (90 days)")
        #expect(lines[5] == "WORKER              OPEN   HIGH RISK  OVERDUE  REFERRALS  CLOSURE REVIEW")
        #expect(lines[6] == "amal                12     2          1        3          1")
        #expect(lines[9] == "TEAM                OPEN   HIGH RISK  OVERDUE  REFERRALS  CLOSURE REVIEW")
        #expect(lines.contains("  gbv · Follow-up: 15"))
        _ = state.handle(.down)
        #expect(state.handle(.enter) == .loadCasesOf(owner: "sara"))
    }

    @Test func everyScreensKeysFitOnTwoLinesIn80Columns() {
        for language in ["en", "ar"] {
            for screen in [TUIState.Screen.login, .work, .cases, .caseView, .forms, .approvals, .caseload] {
                var state = TUIState()
                state.language = language
                state.screen = screen
                let lines = Screens.lines(state, width: 80, height: 24)
                let help = lines.filter { $0.style == .help }
                #expect(!help.isEmpty && help.count <= 2, "\(screen) \(language)")
                #expect(help.allSatisfy { !$0.text.contains("…") }, "\(screen) \(language): \(help.map(\.text))")
            }
        }
        var state = referralState()
        for step in [ReferralComposer.Step.service, .answers, .review] {
            state.referral?.step = step
            #expect(Screens.lines(state, width: 80, height: 24).filter { $0.style == .help }.allSatisfy { !$0.text.contains("…") })
        }
        var form = TUIState()
        form.screen = .form
        form.editor = FormFixture.editor()
        #expect(Screens.lines(form, width: 80, height: 24).filter { $0.style == .help }.allSatisfy { !$0.text.contains("…") })
    }

    @Test func f2SwitchesTheLanguageAndReadsTheCaseAgainInIt() {
        var state = TUIState()
        #expect(state.handle(.function(2)) == nil && state.language == "ar")
        #expect(Screens.lines(state, width: 80, height: 24)[0].text.hasSuffix("ﺔﻧﺎﻣﺃ"))
        state.screen = .caseView
        state.detail = CaseDetail(
            summary: CaseSummary(id: "c1", caseNumber: "DEMO-2026-000001", caseType: "gbv", state: "identified", riskLevel: nil, owner: "amal", version: 1, updatedAt: Self.day, closed: false),
            stateLabel: "Identified", team: nil, createdAt: Self.day, closedAt: nil, members: [], forms: [], transitions: [], tasks: [], approvals: [], attachments: [], history: [])
        #expect(state.handle(.function(2)) == .openCase(id: "c1") && state.language == "en")
    }

    @Test func keysThatMeanNothingChangeNothing() {
        let meaningless: [TUIKey] = [.function(5), .function(12), .ctrl("z"), .ctrl("g"), .ctrl("b"), .none]
        var states: [TUIState] = [TUIState(), referralState()]
        for screen in [TUIState.Screen.work, .cases, .caseView, .forms, .approvals, .caseload] {
            var state = TUIState()
            state.screen = screen
            states.append(state)
        }
        var form = TUIState()
        form.screen = .form
        form.editor = FormFixture.editor()
        states.append(form)
        for var state in states {
            let before = Screens.lines(state, width: 80, height: 24)
            for key in meaningless { #expect(state.handle(key) == nil, "\(state.screen) \(key)") }
            #expect(Screens.lines(state, width: 80, height: 24) == before, "\(state.screen)")
        }
    }
}
