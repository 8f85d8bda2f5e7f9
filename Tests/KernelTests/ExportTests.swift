import AmanaCore
import Foundation
import Identity
import Testing
@testable import Kernel

/// Exports of individual records: permission, what may be read, the purpose in the audit log, sealed by default.
@Suite("Exports of records")
struct ExportTests {
    @Test func aSupervisorExportsASealedFileThatOnlyThePassphraseOpens() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let request = ExportRequest(caseIDs: [id], forms: ["core/registration"], purpose: .personRequest, passphrase: "correct horse battery")
        // A case worker may not export.
        let refused = await #expect(throws: AmanaError.self) { try await f.kernel.exportRecords(request, actor: amal, requestID: "t") }
        #expect(refused?.kind == .forbidden)
        // Sealed by default: no passphrase, no file.
        var unsealed = request
        unsealed.passphrase = nil
        let noPassphrase = await #expect(throws: AmanaError.self) { try await f.kernel.exportRecords(unsealed, actor: layla, requestID: "t") }
        #expect(noPassphrase?.pointer == "/passphrase")

        // A case out of reach refuses the whole export, and nothing is recorded as exported.
        var withUnknown = request
        withUnknown.caseIDs.append("no-such-case")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.exportRecords(withUnknown, actor: layla, requestID: "t") }
        #expect(try await f.auditEntries("case.export").allSatisfy { $0.draft.outcome != .success })

        let file = try await f.kernel.exportRecords(request, actor: layla, requestID: "t")
        #expect(file.encrypted && file.cases == 1)
        #expect(Data(file.bytes).range(of: Data("Hana".utf8)) == nil, "nothing readable without the passphrase")
        let wrong = #expect(throws: AmanaError.self) { try Kernel.openSealedExport(file.bytes, passphrase: "wrong horse battery") }
        #expect(wrong?.code == "wrong-passphrase")
        let plain = try Kernel.openSealedExport(file.bytes, passphrase: "correct horse battery")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plain)) as? [String: Any])
        #expect(document["purpose"] as? String == "person_request" && document["exported_by"] as? String == "layla")
        let forms = ((document["cases"] as? [[String: Any]])?.first?["forms"] as? [[String: Any]]) ?? []
        #expect(forms.map { $0["form"] as? String } == ["core/registration"], "only the forms asked for")
        #expect((forms.first?["answers"] as? [String: Any])?["given_name"] as? String == "Hana")
        let entry = try await f.auditEntries("case.export").last
        #expect(entry?.draft.detail.hasSuffix("purpose=person_request forms=1 encrypted=true") == true && entry?.draft.object == "case:\(id)")
    }
}
