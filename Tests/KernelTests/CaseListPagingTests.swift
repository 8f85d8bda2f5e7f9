import AmanaCore
import Foundation
import Identity
import Kernel
import Testing

/// A page of cases is read way by way (owned, the team's, assigned: `CaseQuery.reachPaths`),
/// each stopped at the page's end and then merged: the pages must still be the whole reach,
/// newest first, each case once, on either store.
@Suite struct CaseListPagingTests {
    @Test func pagesMergeOwnedTeamAndAssignedCasesNewestFirst() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("yusuf", "case_worker", team: "CP team")
        try await f.addUser("omar", "case_manager", team: "CP team")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let yusuf = try await f.signIn("yusuf").actor, omar = try await f.signIn("omar").actor
        // Opened in turns, so that each person's reach interleaves with cases out of it.
        var mine: [String] = [], theirs: [String] = []
        for _ in 0..<5 {
            mine.append(try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id)
            theirs.append(try await f.kernel.openCase(type: "gbv", actor: yusuf, requestID: "t").summary.id)
        }
        for (n, username) in [(1, "amal"), (3, "amal"), (2, "layla")] {
            _ = try await f.kernel.addMember(caseID: theirs[n], username: username, actor: omar, requestID: "t")
        }
        // Amal: her own cases and the two she was invited to (owned and assigned).
        #expect(try await allPages(f, amal, limit: 2) == [mine[4], theirs[3], mine[3], mine[2], theirs[1], mine[1], mine[0]])
        // Layla, case manager: her team's cases (all Amal's) and the one she was invited to.
        #expect(try await allPages(f, layla, limit: 3) == [mine[4], mine[3], theirs[2], mine[2], mine[1], mine[0]])
        // A filter applies on every way in: none of these cases is registered yet.
        #expect(try await f.kernel.listCases(CaseFilter(states: ["registered"]), actor: layla, requestID: "t").cases.isEmpty)
        #expect(try await f.kernel.listCases(CaseFilter(owner: "yusuf"), actor: amal, requestID: "t").cases.map(\.id) == [theirs[3], theirs[1]])
    }

    /// Every page of the actor's list, `limit` at a time, as case ids.
    func allPages(_ f: KernelFixture, _ actor: Identity.Actor, limit: Int) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try await f.kernel.listCases(CaseFilter(cursor: cursor, limit: limit), actor: actor, requestID: "t")
            #expect(page.cases.count <= limit)
            ids += page.cases.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        return ids
    }
}
