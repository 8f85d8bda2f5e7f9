import Foundation
import Testing
@testable import AmanaTUI
@testable import Kernel

/// The screens as state -> lines, and what keys do: no terminal needed.
@Suite("TUI screens")
struct ScreenTests {
    static let day = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30, 01:33 UTC

    func task(_ number: String, _ title: String, overdue: Bool, risk: String?) -> TaskView {
        TaskView(id: number, caseId: "id-\(number)", caseNumber: number, riskLevel: risk, title: title, assignee: "amal", dueAt: Self.day, overdue: overdue, status: "open")
    }

    @Test func theSignInScreenMasksThePasswordAndSaysWhatTheKeysDo() {
        var state = TUIState()
        for c in "amal" { _ = state.handle(.character(c)) }
        _ = state.handle(.tab)
        for c in "secret" { _ = state.handle(.character(c)) }
        let lines = Screens.lines(state, width: 80, height: 24)
        #expect(lines.count == 24 && lines.allSatisfy { $0.text.count <= 80 })
        #expect(lines[0].text == "Amana — sign in")
        #expect(lines.map(\.text).contains("  Username: amal"))
        #expect(lines.map(\.text).contains("▸ Password: ••••••"))
        #expect(!lines.map(\.text).joined().contains("secret"))
        #expect(lines[23].style == .help && lines[23].text.contains("Enter sign in"))
        #expect(state.handle(.enter) == .signIn(username: "amal", password: "secret"))
    }

    @Test func myWorkShowsOverdueTasksAndEnterOpensTheSelectedCase() {
        var state = TUIState()
        state.screen = .work
        state.username = "amal"
        state.tasks = [task("DEMO-2026-000006", "Follow up on the referral", overdue: true, risk: "high"), task("DEMO-2026-000003", "Finish the assessment", overdue: false, risk: nil)]
        let lines = Screens.lines(state, width: 80, height: 24)
        #expect(lines[0].text == "My work — amal")
        #expect(lines[3].text.hasPrefix("OVERDUE DEMO-2026-000006") && lines[3].style == .selected)
        #expect(lines[4].text.contains("Finish the assessment") && lines[4].style == .plain)
        _ = state.handle(.down)
        #expect(state.handle(.enter) == .openCase(id: "id-DEMO-2026-000003"))
        #expect(state.returnTo == .work)
        #expect(state.handle(.character("d")) == .completeTask(caseID: "id-DEMO-2026-000003", taskID: "DEMO-2026-000003"))
        #expect(state.handle(.character("c")) == .loadCases)
        #expect(state.handle(.character("q")) == .signOut)
        #expect(state.handle(.ctrl("c")) == .quit)
    }

    @Test func aTerminalTooSmallSaysSoInsteadOfDrawingGarbage() {
        var state = TUIState()
        state.screen = .work
        state.tasks = [task("DEMO-2026-000006", "Follow up", overdue: true, risk: "high")]
        let lines = Screens.lines(state, width: 60, height: 20)
        #expect(lines.count == 20)
        #expect(lines[0].text.hasPrefix("The terminal is 60×20; Amana needs at least 80×24."))
        #expect(!lines.map(\.text).joined().contains("DEMO-2026"))
    }

    @Test func longTextIsCutToTheWidthAndAPasteCannotGrowAFieldWithoutEnd() {
        var state = TUIState()
        for c in String(repeating: "x", count: 500) { _ = state.handle(.character(c)) }
        #expect(state.login.username.count == 64)
        state.screen = .work
        state.tasks = [task("N", String(repeating: "ع", count: 300), overdue: false, risk: "low")]
        let lines = Screens.lines(state, width: 100, height: 30)
        #expect(lines.allSatisfy { $0.text.count <= 100 })
        #expect(lines[3].text.hasSuffix("…"))
    }

    @Test func signingOutLeavesNothingOfTheLastPersonsWork() {
        var state = TUIState()
        state.screen = .caseView
        state.username = "amal"
        state.tasks = [task("N", "T", overdue: false, risk: nil)]
        state.signedOut(status: "Signed out after 30 minutes without a key.")
        #expect(state.screen == .login && state.tasks.isEmpty && state.username == nil && state.detail == nil)
        #expect(Screens.lines(state, width: 80, height: 24)[22].text == "Signed out after 30 minutes without a key.")
    }

    @Test func aSearchIsTypedOnTheCaseListAndRunOnEnter() {
        var state = TUIState()
        state.screen = .work
        state.username = "amal"
        #expect(state.handle(.character("/")) == nil)
        for c in "hana" { _ = state.handle(.character(c)) }
        let typing = Screens.lines(state, width: 80, height: 24)
        #expect(typing[2].text == "Search: hana▏" && typing[23].text.contains("Esc cancel"))
        #expect(state.handle(.character("q")) == nil && state.search == "hanaq")  // letters are typed, not commands
        _ = state.handle(.backspace)
        #expect(state.handle(.enter) == .search("hana") && state.search == nil)
        state.searchedFor = "hana"
        #expect(Screens.lines(state, width: 80, height: 24)[2].text == "Found 0 for the search “hana”")
        _ = state.handle(.character("/"))
        _ = state.handle(.escape)
        #expect(state.search == nil)
    }

    @Test func aStepIsChosenOnTheCaseScreenAndTakenFromTheVersionRead() {
        var state = TUIState()
        state.screen = .caseView
        state.username = "amal"
        let summary = CaseSummary(id: "c1", caseNumber: "DEMO-2026-000004", caseType: "gbv", state: "case_planning", riskLevel: "high", owner: "amal", version: 7, updatedAt: Self.day, closed: false)
        state.detail = CaseDetail(
            summary: summary, stateLabel: "Case planning", team: "GBV team", createdAt: Self.day, closedAt: nil, members: [], forms: [],
            transitions: [
                TransitionView(id: "start_implementation", label: "Start implementing the plan", to: "implementation", available: false, canRequestApproval: false,
                               blockedBy: [.init(code: "workflow.condition", message: "This is a high-risk case.")]),
                TransitionView(id: "start_implementation_high_risk", label: "Start implementing (high risk)", to: "implementation", available: false, canRequestApproval: true,
                               blockedBy: [.init(code: "workflow.approval-needed", message: "A Case manager must approve this step.")]),
                TransitionView(id: "reassess", label: "Reassess", to: "assessment", available: true, canRequestApproval: false, blockedBy: []),
            ],
            tasks: [], approvals: [], attachments: [], history: [])
        #expect(state.handle(.character("t")) == nil && state.stepChoice == 0)
        let lines = Screens.lines(state, width: 80, height: 24)
        #expect(lines[0].text == "Case DEMO-2026-000004 — take a step")
        #expect(lines[4].text == "✗ Start implementing the plan" && lines[4].style == .selected && lines[5].text == "    This is a high-risk case.")
        #expect(lines[6].text.hasPrefix("? Start implementing (high risk) — needs approval"))
        // A blocked step says why in the status line; one waiting only for approval asks for it; an open one is taken.
        #expect(state.handle(.enter) == nil && state.status == "Not yet: This is a high-risk case.")
        _ = state.handle(.down)
        #expect(state.handle(.enter) == .requestApproval(caseID: "c1", transition: "start_implementation_high_risk"))
        _ = state.handle(.character("t"))
        _ = state.handle(.down)
        _ = state.handle(.down)
        #expect(state.handle(.enter) == .transition(caseID: "c1", transition: "reassess", version: 7, reason: nil))
    }

    @Test func reopeningAClosedCaseAsksWhy() {
        var state = TUIState()
        state.screen = .caseView
        let summary = CaseSummary(id: "c2", caseNumber: "DEMO-2026-000007", caseType: "gbv", state: "closed", riskLevel: nil, owner: "amal", version: 12, updatedAt: Self.day, closed: true)
        state.detail = CaseDetail(
            summary: summary, stateLabel: "Closed", team: nil, createdAt: Self.day, closedAt: Self.day, members: [], forms: [],
            transitions: [TransitionView(id: "reopen", label: "Reopen the case", to: "assessment", available: true, canRequestApproval: false, blockedBy: [])],
            tasks: [], approvals: [], attachments: [], history: [])
        _ = state.handle(.character("t"))
        #expect(state.handle(.enter) == nil && state.stepReason == "")
        #expect(state.handle(.enter) == nil && state.status == "Say why the case is reopened.")
        for c in "She came back" { _ = state.handle(.character(c)) }
        #expect(Screens.lines(state, width: 80, height: 24).map(\.text).contains("Why: She came back▏"))
        #expect(state.handle(.enter) == .transition(caseID: "c2", transition: "reopen", version: 12, reason: "She came back"))
        #expect(state.stepChoice == nil && state.stepReason == nil)
        #expect(state.handle(.character("p")) == .requestConsentApproval(caseID: "c2"))
    }

    @Test func aCaseScreenListsItsConferencesWithTheirDecisions() {
        var coordination = TUIState.Coordination()
        coordination.conferences = [ConferenceView(
            id: "k1", caseId: "c1", status: "held", version: 2, scheduledFor: Self.day, agenda: "Who agrees for Sami.", participants: ["yusuf", "huda"],
            externalParticipants: [], survivorInvited: true, createdBy: "yusuf", createdAt: Self.day,
            outcome: .init(heldOn: "2026-11-29", decisions: "His aunt consents for him.", planChanges: nil, survivorAttended: true, consentException: nil,
                           consentExceptionLabel: nil, recordedBy: "huda", recordedAt: Self.day),
            cancelReason: nil, notes: nil)]
        let lines = Screens.coordinationBody(coordination, t: TUIState().t).map(\.text)
        #expect(lines == ["", "Case conferences", "  2026-11-30 held · yusuf, huda · Who agrees for Sami.", "      Decided: His aunt consents for him."])
    }
}
