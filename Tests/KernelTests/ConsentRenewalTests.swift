import AmanaCore
import FormKit
import Identity
import Foundation
import Testing
@testable import Kernel

/// A child crossing an age band during the case gets a task to renew consent in their own right.
@Suite("Consent renewal at an age band")
struct ConsentRenewalTests {
    @Test func aFourteenYearOldTurningFifteenPutsARenewalTaskOnTheOwnersList() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let timers = try await f.kernel.store.pendingTimers(caseID: CaseID(id)).filter { $0.timerID == "consent_renewal" }.sorted { $0.firesAt < $1.firesAt }
        // The shipped child-protection bands start at 6, 12, 15 and 18: a 14-year-old has 15 and 18 ahead.
        #expect(timers.map(\.subject) == ["15", "18"])
        #expect(try await f.kernel.myWork(actor: yusuf, requestID: "t").allSatisfy { !$0.title.hasPrefix("Renew consent") })

        // A year on, his fifteenth birthday has passed: the task is there, and the policy asks for his own consent again.
        f.clock.advance(by: 366 * 86_400)
        let later = try await f.signIn("yusuf").actor
        let work = try await f.kernel.myWork(actor: later, requestID: "t")
        let renewal = try #require(work.first { $0.caseId == id && $0.title.hasPrefix("Renew consent") })
        #expect(renewal.title == "Renew consent: the person is now 15. Ask again, in their own right and in words fit for their age, for what they agree to.")
        let check = try await f.kernel.consentRequirements(caseID: id, act: "referral", recipient: nil, actor: later, requestID: "t")
        #expect(!check.allowed && check.missing.contains { $0.code == "consent.renewal" })
        #expect(try await f.kernel.store.pendingTimers(caseID: CaseID(id)).filter { $0.timerID == "consent_renewal" }.map(\.subject) == ["18"])
    }

    @Test func aCorrectedDateOfBirthMovesTheReminders() async throws {
        let f = try await KernelFixture()
        let (id, yusuf) = try await f.childCase(perpetrator: false)
        let current = try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: yusuf, requestID: "t")
        var values = current.values
        // Born 11 years and 360 days ago: twelve in five days.
        let born = Day(f.clock.now().addingTimeInterval(-(11 * 365 + 3 + 360) * 86_400))
        values["date_of_birth"] = .string(born.description)
        values["estimated_age"] = nil
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: values, expectVersion: current.version, actor: yusuf, requestID: "t")
        let timers = try await f.kernel.store.pendingTimers(caseID: CaseID(id)).filter { $0.timerID == "consent_renewal" }.sorted { $0.firesAt < $1.firesAt }
        #expect(timers.map(\.subject) == ["12", "15", "18"])
        #expect(timers.first.map { Day($0.firesAt) } == born.adding(years: 12))
    }

    @Test func closingStopsTheRemindersAndReopeningPlansThemAgain() async throws {
        let demo = try await DemoInstallFixture()
        let kernel = demo.kernel
        let yusuf = try await demo.actor("yusuf")
        let renewals = { (id: String) in
            try await kernel.store.pendingTimers(caseID: CaseID(id)).filter { $0.timerID == "consent_renewal" }.sorted { $0.firesAt < $1.firesAt }.map(\.subject)
        }
        // The demo's children are 14: open cases wait for 15 and 18; the closed one for nothing.
        let open = try #require(try await kernel.listCases(CaseFilter(caseTypes: ["child-protection"], states: ["follow_up"]), actor: yusuf, requestID: "t").cases.first)
        #expect(try await renewals(open.id) == ["15", "18"])
        let closed = try #require(try await kernel.listCases(CaseFilter(caseTypes: ["child-protection"], states: ["closed"]), actor: yusuf, requestID: "t").cases.first)
        #expect(try await renewals(closed.id).isEmpty)
        _ = try await kernel.performTransition(
            caseID: closed.id, transition: "reopen", reason: "He came back: his mother's partner threatens him.", expectVersion: closed.version, actor: yusuf, requestID: "t")
        #expect(try await renewals(closed.id) == ["15", "18"])
    }
}
