import FormKit
import Foundation
import Testing
import Workflow

/// The engine over the shipped GBV workflow: which steps are open, and each
/// reason one is not, as a caseworker would be told.
@Suite("Workflow engine")
struct WorkflowEngineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let catalog = DefinitionLoader.load(roots: [root + "/FormDefinitions", root + "/Plugins"])
    static let gbv = WorkflowEngine(catalog.workflow(forCaseType: "gbv")!)
    let today = Day(iso: "2026-11-25")!

    @Test func registeringNeedsConsentAndTheRegistrationForm() throws {
        let situation = CaseSituation(state: "identified", today: today)
        let register = try #require(Self.gbv.option("register", for: situation, role: "social_worker"))
        #expect(register.blockers == [.formMissing("core/consent"), .formMissing("core/registration"), .consentMissing(.services)])
        var ready = situation
        ready.forms = ["core/consent": .complete([:]), "core/registration": .complete([:])]
        ready.consentScopes = [.services]
        #expect(Self.gbv.option("register", for: ready, role: "social_worker")?.isAvailable == true)
        // A programme manager never moves a case.
        #expect(Self.gbv.option("register", for: ready, role: "programme_manager")?.blockers == [.role(allowed: ["social_worker", "case_worker", "case_manager"])])
    }

    @Test func anIncompleteFormIsNamedAndItsConditionsAreNotJudged() throws {
        let situation = CaseSituation(state: "follow_up", forms: ["core/closure": .incomplete(problems: 2)], today: today)
        let close = try #require(Self.gbv.option("close", for: situation, role: "case_worker"))
        #expect(close.blockers == [.formIncomplete("core/closure", problems: 2), .approvalNeeded(role: "case_manager")])
    }

    @Test(arguments: ["gbv", "child-protection", "general-protection"])
    func closingAHighRiskCaseWithGoalsMetIsRefusedInTheWorkflowsWords(caseType: String) throws {
        let engine = WorkflowEngine(try #require(Self.catalog.workflow(forCaseType: caseType)))
        let closure: [String: Value] = ["risk_level_at_closure": .text("high"), "closure_reason": .text("goals_met")]
        var situation = CaseSituation(state: "follow_up", forms: ["core/closure": .complete(closure)], today: today)
        let close = try #require(engine.option("close", for: situation, role: "case_worker"))
        guard case .condition(let text) = close.blockers.first else { Issue.record("expected a condition"); return }
        #expect(text.text("en").contains("still at high risk"))
        #expect(close.blockers.last == .approvalNeeded(role: "case_manager"))
        #expect(!close.canRequestApproval)

        situation.forms["core/closure"] = .complete(["risk_level_at_closure": .text("low"), "closure_reason": .text("goals_met")])
        let ready = try #require(engine.option("close", for: situation, role: "case_worker"))
        #expect(ready.blockers == [.approvalNeeded(role: "case_manager")])
        #expect(ready.canRequestApproval)
        situation.approvalPending = ["close"]
        #expect(engine.option("close", for: situation, role: "case_worker")?.blockers == [.approvalPending(role: "case_manager")])
        situation.approved = ["close"]
        #expect(engine.option("close", for: situation, role: "case_worker")?.isAvailable == true)
    }

    @Test func aTransitionFromAnotherStateIsNotOffered() {
        let situation = CaseSituation(state: "identified", today: today)
        #expect(Self.gbv.option("close", for: situation, role: "case_worker") == nil)
        #expect(Self.gbv.options(for: situation, role: "case_worker").map(\.transition.id) == ["register", "close_early"])
    }

    @Test func referralTimersFollowTheForumsRuleOfThreeDaysOrOneWhenUrgent() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let normal = Self.gbv.timerChanges(for: [.referralSent], at: now, riskLevel: nil)
        #expect(normal.count == 1)
        guard case .start(let timer, let fires) = normal.first else { Issue.record("expected a start"); return }
        #expect(timer.id == "referral_follow_up")
        #expect(fires == now.addingTimeInterval(3 * 86_400))
        guard case .start(_, let urgent) = Self.gbv.timerChanges(for: [.referralSent], at: now, riskLevel: nil, urgent: true).first else { Issue.record("expected a start"); return }
        #expect(urgent == now.addingTimeInterval(86_400))
        #expect(Self.gbv.timerChanges(for: [.referralAnswered], at: now, riskLevel: nil) == [.cancel(timerID: "referral_follow_up")])
    }

    @Test(arguments: [("high", 1), ("medium", 3), ("low", 7), (nil, 3)] as [(String?, Int)])
    func theAssessmentIsDueSoonerTheHigherTheRisk(risk: String?, days: Int) throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let changes = Self.gbv.timerChanges(for: WorkflowEngine.events(from: "registered", to: "assessment"), at: now, riskLevel: risk)
        guard case .start(let timer, let fires)? = changes.first(where: { if case .start = $0 { true } else { false } }) else {
            Issue.record("expected a start"); return
        }
        #expect(timer.id == "assessment_due")
        #expect(fires == now.addingTimeInterval(TimeInterval(days * 86_400)))
    }

    @Test func movingIntoFollowUpStartsTheClosureReviewAndLeavingItCancelsIt() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let entering = Self.gbv.timerChanges(for: WorkflowEngine.events(from: "implementation", to: "follow_up"), at: now, riskLevel: nil)
        #expect(entering.count == 1)
        guard case .start(let timer, let fires) = entering.first else { Issue.record("expected a start"); return }
        #expect(timer.id == "closure_review")
        #expect(fires == now.addingTimeInterval(90 * 86_400))
        #expect(Self.gbv.timerChanges(for: WorkflowEngine.events(from: "follow_up", to: "closed"), at: now, riskLevel: nil) == [.cancel(timerID: "closure_review")])
        #expect(Self.gbv.isFinal("closed"))
    }
}
