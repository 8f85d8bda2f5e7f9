import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// Teams are made by whoever manages accounts, one name per agency.
@Suite("Teams")
struct TeamTests {
    @Test func anAdministratorMakesATeamItsAccountsJoinAndItsLeadSupervisesIt() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        let admin = try await f.signIn("admin").actor
        let made = try await f.kernel.addTeam(name: "  Mobile team ", agencyCode: nil, by: .user(admin), requestID: "t")
        #expect(made == TeamSummary(name: "Mobile team", agency: "ACME", members: 0))
        try await f.addUser("rana", "case_worker", team: "Mobile team")
        try await f.addUser("sami", "team_lead", team: "Mobile team")
        let teams = try await f.kernel.listTeams(by: .user(admin), requestID: "t")
        #expect(teams.map { "\($0.name)=\($0.members)" } == ["CP team=0", "GBV team=0", "Mobile team=2"])
        // The team lead's dashboard counts the new team's cases.
        _ = try await f.kernel.openCase(type: "gbv", actor: try await f.signIn("rana").actor, requestID: "t")
        #expect(try await f.kernel.dashboard(actor: try await f.signIn("sami").actor, requestID: "t").openCases == 1)
        #expect(try await f.auditEntries("team.create").count == 3)
    }

    @Test func aNameIsUniqueInItsAgencyAndOnlyAccountManagersMakeTeams() async throws {
        let f = try await KernelFixture()
        await #expect(throws: AmanaError.self) { _ = try await f.kernel.addTeam(name: "gbv TEAM", agencyCode: "ACME", by: .installOperator, requestID: "t") }
        // The same name in another agency is another team.
        _ = try await f.kernel.addTeam(name: "GBV team", agencyCode: "PARTNER", by: .installOperator, requestID: "t")
        for bad in ["", String(repeating: "x", count: 101), "two\nlines"] {
            await #expect(throws: AmanaError.self) { _ = try await f.kernel.addTeam(name: bad, agencyCode: "ACME", by: .installOperator, requestID: "t") }
        }
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        do {
            _ = try await f.kernel.addTeam(name: "Mine", agencyCode: nil, by: .user(amal), requestID: "t")
            Issue.record("a case worker made a team")
        } catch {
            #expect(error.kind == .forbidden)
        }
    }
}
