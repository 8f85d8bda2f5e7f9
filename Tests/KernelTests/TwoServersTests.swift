import AmanaCore
import AmanaTestSupport
import Foundation
import Testing
@testable import Kernel

/// Several API servers over one PostgreSQL database: here two kernels, each with its own
/// connection pool, as two `amana serve` processes have.
@Suite("Two servers over one database", .enabled(if: TestStore.onPostgres, "needs the PostgreSQL store (Tools/test.sh's second run)"))
struct TwoServersTests {
    @Test func concurrentChangesToOneFormFromBothServersLetExactlyOneWinPerVersion() async throws {
        let f = try await KernelFixture()
        let other = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let amal = try await f.signIn("amal").actor
        let servers = [f.kernel, other]
        var version = 1
        for round in 1...4 {
            // Twelve saves of the same version at once, half through each server.
            let expected = version
            let outcomes = await withTaskGroup(of: (String, Result<Int, AmanaError>).self) { group in
                for attempt in 0..<12 {
                    let name = "Round\(round)Attempt\(attempt)"
                    let kernel = servers[attempt % 2]
                    let day = f.day
                    group.addTask {
                        do throws(AmanaError) {
                            let saved = try await kernel.submitForm(
                                caseID: id, formID: "core/registration",
                                values: DemoAnswers.registration(day: day, givenName: name, familyName: "Example"), expectVersion: expected, actor: amal,
                                requestID: "t")
                            return (name, .success(saved.version))
                        } catch {
                            return (name, .failure(error))
                        }
                    }
                }
                var all: [(String, Result<Int, AmanaError>)] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let winners = outcomes.compactMap { name, result in (try? result.get()).map { (name, $0) } }
            #expect(winners.count == 1, "round \(round): \(winners.count) saves of version \(version) went in")
            let refusals = outcomes.compactMap { _, result -> AmanaError? in if case .failure(let error) = result { error } else { nil } }
            #expect(refusals.count == 11)
            #expect(refusals.allSatisfy { $0.kind == .preconditionFailed && $0.code == "submission-changed" })
            guard let (winner, saved) = winners.first else { return }
            #expect(saved == version + 1)
            version = saved
            // Both servers read the winner's answers: nothing lost, nothing merged.
            for kernel in servers {
                let history = try await kernel.submissionHistory(caseID: id, formID: "core/registration", actor: amal, requestID: "t")
                #expect(history.map(\.version) == Array(1...version))
                #expect(history.last?.values?["given_name"] == .string(winner))
            }
        }
        // One linear chain, whichever server wrote each entry.
        for kernel in servers {
            guard case .intact = try await kernel.verifyAudit() else {
                Issue.record("the audit chain is broken")
                return
            }
        }
    }

    @Test func aTimerDueOnBothServersFiresOnce() async throws {
        let f = try await KernelFixture()
        let other = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        // Identified and not registered: its reminder is due in three days.
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id) }
        f.clock.advance(by: 3 * 86_400 + 60)
        async let first = f.kernel.fireDueTimers(requestID: "t")
        async let second = other.fireDueTimers(requestID: "t")
        let fired = try await first + second
        #expect(fired == 5, "each timer fired once, by one server or the other")
        for id in ids {
            #expect(try await f.kernel.store.tasks(caseID: CaseID(id)).count == 1)
        }
    }
}
