import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// "My work": every open task given to me, on the cases I may still see, however I hold them.
@Suite("My work")
struct MyWorkTests {
    @Test func invitedPeopleSeeTheirTasksAndACaseHandedOnTakesItsOldTasksOutOfReach() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("nadia", "specialist", team: nil)
        try await f.addUser("sara", "specialist", team: nil)
        try await f.addUser("yusuf", "case_worker", team: "CP team")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let nadia = try await f.signIn("nadia").actor, sara = try await f.signIn("sara").actor, yusuf = try await f.signIn("yusuf").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let due = f.clock.now().addingTimeInterval(86_400)
        let amals = try await f.kernel.addTask(caseID: id, title: "Call back", dueAt: due, assignee: nil, actor: amal, requestID: "t")
        // Two people invited into one case: each holds it as a member only, among others.
        for username in ["nadia", "sara"] { _ = try await f.kernel.addMember(caseID: id, username: username, actor: layla, requestID: "t") }
        let nadias = try await f.kernel.addTask(caseID: id, title: "Medical follow-up", dueAt: due, assignee: "nadia", actor: layla, requestID: "t")
        let saras = try await f.kernel.addTask(caseID: id, title: "Legal advice", dueAt: due, assignee: "sara", actor: layla, requestID: "t")
        let laylas = try await f.kernel.addTask(caseID: id, title: "Review the plan", dueAt: due, assignee: "layla", actor: layla, requestID: "t")
        #expect(try await f.kernel.myWork(actor: nadia, requestID: "t").map(\.id) == [nadias.id])
        #expect(try await f.kernel.myWork(actor: sara, requestID: "t").map { [$0.id, $0.title] } == [[saras.id, "Legal advice"]])
        #expect(try await f.kernel.myWork(actor: amal, requestID: "t").map(\.id) == [amals.id])
        #expect(try await f.kernel.myWork(actor: layla, requestID: "t").map(\.id) == [laylas.id])
        // Handed to a caseworker of another team, the case is out of reach of Amal and of her team's
        // case manager: Amal's open task goes with the case, Layla's stays hers and is left out of her work.
        let version = try await f.kernel.caseDetail(id: id, actor: layla, requestID: "t").summary.version
        _ = try await f.kernel.updateCase(id: id, owner: "yusuf", riskLevel: nil, expectVersion: version, actor: layla, requestID: "t")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t") }
        #expect(try await f.kernel.myWork(actor: amal, requestID: "t").isEmpty)
        await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: id, actor: layla, requestID: "t") }
        #expect(try await f.kernel.store.tasks(caseID: CaseID(id)).contains { $0.id == laylas.id && $0.status == .open && $0.assigneeID == layla.userID })
        #expect(try await f.kernel.myWork(actor: layla, requestID: "t").isEmpty)
        #expect(try await f.kernel.myWork(actor: yusuf, requestID: "t").map { [$0.id, $0.title] } == [[amals.id, "Call back"]])
        #expect(try await f.kernel.myWork(actor: nadia, requestID: "t").map(\.id) == [nadias.id])
    }
}
