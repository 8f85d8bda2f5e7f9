import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// The supervisor's dashboard against a caseload whose true counts are known.
@Suite("Dashboards")
struct DashboardTests {
    @Test func countsMatchAGeneratedCaseloadAndMoveWithTime() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("noor", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("admin", "administrator", team: nil)
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        let amal = try await f.signIn("amal").actor, noor = try await f.signIn("noor").actor, layla = try await f.signIn("layla").actor
        // amal holds three: one plain, one high risk, one with a referral waiting for the service's answer.
        _ = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t")
        let risky = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary
        _ = try await f.kernel.updateCase(id: risky.id, owner: nil, riskLevel: "high", expectVersion: risky.version, actor: amal, requestID: "t")
        let referred = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let referral = try await f.kernel.sendReferral(caseID: referred, draft: ReferralDraft(service: "cedar-clinic-health"), actor: amal, requestID: "t")
        // noor holds one, with a task she should have done yesterday.
        let late = try await f.kernel.openCase(type: "gbv", actor: noor, requestID: "t").summary.id
        _ = try await f.kernel.addTask(caseID: late, title: "Call her back", dueAt: f.clock.now().addingTimeInterval(-86_400), assignee: nil, actor: noor, requestID: "t")

        var dashboard = try await f.kernel.dashboard(actor: layla, requestID: "t")
        #expect(dashboard.openCases == 4)
        let loads = { (d: Dashboard) in d.workers.map { "\($0.name) open=\($0.open) high=\($0.highRisk) overdue=\($0.overdueTasks) waiting=\($0.referralsWaiting)" } }
        #expect(loads(dashboard) == ["noor open=1 high=0 overdue=1 waiting=0", "amal open=3 high=1 overdue=0 waiting=1"])
        #expect(dashboard.teams.map(\.name) == ["GBV team"] && dashboard.teams.first?.open == 4)
        #expect(dashboard.byState.map { "\($0.programme) \($0.state) \($0.count)" } == ["gbv identified 4"])
        #expect(dashboard.byRisk == ["high": 1, "not_assessed": 3])
        #expect(dashboard.overdueTasks == 1 && dashboard.referralsWaiting == 1 && dashboard.dueForClosureReview == 0 && dashboard.consentOverrides == 0)

        // Four days on, each case still only identified has its "register it" task (the workflow's
        // 3-day timer), and the referral its follow-up (3 days): all overdue.
        f.clock.advance(by: 4 * 86_400)
        dashboard = try await f.kernel.dashboard(actor: layla, requestID: "t")
        #expect(loads(dashboard) == ["amal open=3 high=1 overdue=4 waiting=1", "noor open=1 high=0 overdue=2 waiting=0"])
        #expect(dashboard.overdueTasks == 6)
        // Chased, the service did not answer: the referral is still waiting.
        _ = try await f.kernel.changeReferralStatus(
            caseID: referred, referralID: referral.id, change: ReferralStatusChange(status: "no_answer"), expectVersion: 1, actor: amal, requestID: "t")
        #expect(try await f.kernel.dashboard(actor: layla, requestID: "t").referralsWaiting == 1)

        // A case worker has their own work list, not the team's dashboard.
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.dashboard(actor: amal, requestID: "t") }
        #expect(refused?.kind == .forbidden)
        #expect(try await f.auditEntries("dashboard.read").count == 4)
    }

    @Test func threeMonthsOfFollowUpPutACaseDueForClosureReview() async throws {
        let demo = try await DemoInstallFixture()
        let (kernel, clock) = (demo.kernel, demo.clock)
        let layla = try await demo.actor("layla")
        #expect(try await kernel.dashboard(actor: layla, requestID: "t").dueForClosureReview == 0)
        clock.advance(by: 91 * 86_400)
        // The GBV and general-protection cases in follow-up are her team's; the child-protection one is not.
        let dashboard = try await kernel.dashboard(actor: layla, requestID: "t")
        #expect(dashboard.dueForClosureReview == 2)
        #expect(dashboard.byState.filter { $0.state == "follow_up" }.map(\.programme).sorted() == ["gbv", "general-protection"])
    }
}
