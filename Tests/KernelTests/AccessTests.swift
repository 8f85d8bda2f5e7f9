import AmanaCore
import AmanaTestSupport
import Foundation
import Testing
@testable import Kernel

@Suite("Permissions and need-to-know")
struct AccessTests {
    func caseHeldByAmal(_ f: KernelFixture) async throws -> String {
        try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
    }

    @Test func anAdministratorCannotReadACaseField() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("admin", "administrator", team: nil)
        let opened = try await caseHeldByAmal(f)
        let admin = try await f.signIn("admin").actor
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.caseDetail(id: opened, actor: admin, requestID: "t") }
        // Exactly what a missing case answers: nothing leaks about existence.
        #expect(error == AmanaError.notFound)
        let missing = await #expect(throws: AmanaError.self) { try await f.kernel.caseDetail(id: CaseID.random().rawValue, actor: admin, requestID: "t") }
        #expect(missing == error)
        let denial = try await f.auditEntries("case.read").first { $0.draft.object == "case:\(opened)" }
        #expect(denial?.draft.outcome == .denied)
        #expect(denial?.draft.actor == admin.auditName)
        #expect(denial?.draft.object == "case:\(opened)")
        let search = await #expect(throws: AmanaError.self) {
            try await f.kernel.searchCases(value: "Hana", field: "given_name", actor: admin, requestID: "t")
        }
        #expect(search?.kind == .forbidden)
    }

    @Test func aCaseWorkerCannotManageUsers() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let add = await #expect(throws: AmanaError.self) {
            try await f.kernel.addUser(NewUser(username: "mallory", role: "administrator", password: "a long password!"), by: .user(amal), requestID: "t")
        }
        #expect(add?.kind == .forbidden)
        #expect(try await f.kernel.store.user(username: "mallory") == nil)
        let list = await #expect(throws: AmanaError.self) { try await f.kernel.listUsers(by: .user(amal), requestID: "t") }
        #expect(list?.kind == .forbidden)
        try await f.addUser("sara", "social_worker")
        let disable = await #expect(throws: AmanaError.self) { try await f.kernel.disableUser(username: "sara", by: .user(amal), requestID: "t") }
        #expect(disable?.kind == .forbidden)
        #expect(try await f.auditEntries("user.create").filter { $0.draft.outcome == .denied }.count == 1)
    }

    @Test func anAdministratorManagesOnlyTheirOwnAgency() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let admin = try await f.signIn("admin").actor
        let added = try await f.kernel.addUser(NewUser(username: "newcomer", role: "case_worker", password: "a long password!"), by: .user(admin), requestID: "t")
        #expect(added.agency == "ACME")
        let foreign = await #expect(throws: AmanaError.self) {
            try await f.kernel.addUser(NewUser(username: "x2", role: "case_worker", agencyCode: "PARTNER", password: "a long password!"), by: .user(admin), requestID: "t")
        }
        #expect(foreign?.kind == .forbidden)
        #expect(try await f.kernel.listUsers(by: .user(admin), requestID: "t").map(\.username).sorted() == ["admin", "newcomer"])
        await #expect(throws: AmanaError.self) { try await f.kernel.disableUser(username: "rania", by: .user(admin), requestID: "t") }
    }

    /// Who may read a GBV case owned by amal (GBV team, ACME).
    @Test(arguments: [
        ("amal", "case_worker", "GBV team", "ACME", true),
        ("layla", "case_manager", "GBV team", "ACME", true),
        ("omar", "team_lead", "GBV team", "ACME", false), // not in the GBV plugin's need_to_know
        ("huda", "case_manager", "CP team", "ACME", false),
        ("sara", "social_worker", "GBV team", "ACME", false),
        ("nadia", "specialist", "GBV team", "ACME", false),
        ("karim", "programme_manager", "GBV team", "ACME", false),
        ("rania", "case_worker", "GBV team", "PARTNER", false),
    ])
    func needToKnow(reader: (String, String, String, String, Bool)) async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        if reader.0 != "amal" { try await f.addUser(reader.0, reader.1, team: reader.2, agency: reader.3) }
        let opened = try await caseHeldByAmal(f)
        let actor = try await f.signIn(reader.0).actor
        if reader.4 {
            #expect(try await f.kernel.readSubmission(caseID: opened, formID: "core/registration", actor: actor, requestID: "t").values["given_name"] == "Hana")
        } else {
            await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: opened, actor: actor, requestID: "t") }
            if actor.may("read", "case") {
                #expect(try await f.kernel.searchCases(value: "hana", actor: actor, requestID: "t").isEmpty)
            }
        }
    }

    @Test func searchFindsOnlyByExactNormalisedValue() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let opened = try await caseHeldByAmal(f)
        let amal = try await f.signIn("amal").actor
        #expect(try await f.kernel.searchCases(value: "  HANA ", field: "given_name", actor: amal, requestID: "t").map(\.id) == [opened])
        #expect(try await f.kernel.searchCases(value: "example", actor: amal, requestID: "t").map(\.id) == [opened])
        #expect(try await f.kernel.searchCases(value: "Han", actor: amal, requestID: "t").isEmpty)
        #expect(try await f.kernel.searchCases(value: "Hana", field: "family_name", actor: amal, requestID: "t").isEmpty)
        let entry = try await f.auditEntries("case.search").last
        #expect(entry?.draft.detail.contains("Hana") == false)
    }

    @Test func findingACaseTakesANumberANameAndStateRiskOrProgrammeWords() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let opened = try await caseHeldByAmal(f)
        let amal = try await f.signIn("amal").actor
        let detail = try await f.kernel.caseDetail(id: opened, actor: amal, requestID: "t")
        let find = { (text: String) in try await f.kernel.findCases(text, actor: amal, requestID: "t").map(\.id) }
        #expect(try await find(detail.summary.caseNumber.lowercased()) == [opened])
        #expect(try await find("hana") == [opened])
        #expect(try await find("hana state:\(detail.summary.state)") == [opened])
        #expect(try await find("hana state:closed").isEmpty)
        #expect(try await find("programme:\(detail.summary.caseType)") == [opened])
        #expect(try await find("risk:high").isEmpty)
    }
}

@Suite("No existence leaks in account management")
struct AccountLeakTests {
    @Test func disablingSomeoneOutsideYourAgencyLooksLikeAnUnknownUser() async throws {
        let f = try await KernelFixture()
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("amal", "case_worker")
        try await f.addUser("rania", "case_worker", agency: "PARTNER")
        let admin = try await f.signIn("admin").actor
        let foreign = await #expect(throws: AmanaError.self) { try await f.kernel.disableUser(username: "rania", by: .user(admin), requestID: "t") }
        let unknown = await #expect(throws: AmanaError.self) { try await f.kernel.disableUser(username: "nobody", by: .user(admin), requestID: "t") }
        #expect(foreign != nil && foreign?.kind == .notFound)
        #expect(foreign?.code == unknown?.code && foreign?.kind == unknown?.kind)
        let amal = try await f.signIn("amal").actor
        let noPermission = await #expect(throws: AmanaError.self) { try await f.kernel.disableUser(username: "nobody", by: .user(amal), requestID: "t") }
        #expect(noPermission?.kind == .forbidden)
        #expect(try await f.kernel.store.user(username: "rania")?.disabled == false)
    }

    @Test func wrongCurrentPasswordsCountTowardsTheLockout() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let (_, actor) = try await f.signIn("amal")
        for _ in 1...5 {
            _ = try? await f.kernel.changePassword(actor: actor, current: "guess guess guess", new: "another long password", requestID: "t")
        }
        let locked = await #expect(throws: AmanaError.self) { try await f.signIn("amal") }
        #expect(locked?.kind == .locked)
        #expect(try await f.auditEntries("user.password").allSatisfy { $0.draft.outcome == .failed })
    }

    @Test(.enabled(if: !TestStore.onPostgres, "reads or changes the SQLite file itself")) func typedUsernamesAreNotStoredByTheLockout() async throws {
        let f = try await KernelFixture()
        _ = try? await f.kernel.signIn(username: "MyPassw0rd-typed-in-the-wrong-box", password: "x", requestID: "t")
        let bytes = FileManager.default.contents(atPath: f.layout.database + "-wal") ?? Data()
        #expect(!Array(bytes).contains(subsequence: Array("mypassw0rd-typed".utf8)))
        #expect(!Array(bytes).contains(subsequence: Array("MyPassw0rd-typed".utf8)))
    }
}
