import AmanaCore
import AmanaTestSupport
import Testing
@testable import Kernel

/// Search goes through blind indexes written with each save: a changed answer must be found
/// as it is now, never as it was (on both stores).
@Suite("Search after a change")
struct SearchTests {
    @Test func aChangedNameIsFoundAsItIsNowNotAsItWas() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Haddad", phone: "0912345678")
        #expect(try await f.kernel.searchCases(value: "Hana", actor: amal, requestID: "t").map(\.id) == [id])

        let version = try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t").version
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: f.day, givenName: "Mariam", familyName: "Haddad", phone: "0912345678"),
            expectVersion: version, actor: amal, requestID: "t")

        #expect(try await f.kernel.searchCases(value: "Hana", actor: amal, requestID: "t").isEmpty, "the old name no longer finds her")
        #expect(try await f.kernel.searchCases(value: "Mariam", actor: amal, requestID: "t").map(\.id) == [id])
        #expect(try await f.kernel.searchCases(value: "Haddad", actor: amal, requestID: "t").map(\.id) == [id], "an answer kept is still found")
        #expect(try await f.kernel.searchCases(value: "0912345678", actor: amal, requestID: "t").map(\.id) == [id])
    }
}
