import AmanaCore
import Foundation
import GRDB
import Testing
@testable import Kernel

@Suite("Encryption at rest")
struct EncryptionAtRestTests {
    static let latinMarker = "Zainab Quxwell-Marker 7731"
    static let arabicMarker = "زينب العلامة الفريدة"

    @Test func identifyingValuesAreNeverStoredInPlainText() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: Self.latinMarker, familyName: Self.arabicMarker)
        let amal = try await f.signIn("amal").actor
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/case-note", values: DemoAnswers.caseNote(at: "2026-09-21T10:00:00Z", note: "Told in her own words: \(Self.latinMarker)"),
            expectVersion: nil, actor: amal, requestID: "t")
        // Look in the database file and its write-ahead log, as they are on disk now.
        var bytes = [UInt8]()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: f.layout.database + suffix) { bytes += data }
        }
        #expect(bytes.count > 10_000)
        for needle in [Self.latinMarker, Self.arabicMarker, "Quxwell", "Told in her own words", SearchableForms.lowercased(Self.latinMarker)] {
            #expect(!bytes.contains(subsequence: Array(needle.utf8)), "found '\(needle)' in plain text")
            #expect(!bytes.contains(subsequence: Array(needle.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })), "found '\(needle)' as UTF-16")
        }
        // And the search still finds her, through the blind index only.
        #expect(try await f.kernel.searchCases(value: Self.arabicMarker, actor: amal, requestID: "t").map(\.id) == [id])
    }

    @Test func answersMovedToAnotherCaseAreRefused() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let first = try await f.caseWithRegistration(owner: "amal", givenName: "First", familyName: "Case")
        let second = try await f.caseWithRegistration(owner: "amal", givenName: "Second", familyName: "Case")
        try await f.rawWrite { db in
            try db.execute(sql: """
                UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ? AND form_id = 'core/registration')
                WHERE case_id = ? AND form_id = 'core/registration'
                """, arguments: [first, second])
        }
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: second, formID: "core/registration", actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        #expect(try await f.kernel.readSubmission(caseID: first, formID: "core/registration", actor: amal, requestID: "t").values["given_name"] == "First")
    }

    @Test func answersMovedToAnotherFormOrAnOlderVersionAreRefused() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        var changed = DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Changed")
        changed["other_names"] = "Umm Sami"
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: changed, expectVersion: 1, actor: amal, requestID: "t")
        // Rolling the current answers back to version 1's ciphertext: refused, it was sealed for version 1.
        try await f.rawWrite { db in
            try db.execute(sql: """
                UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission_history WHERE case_id = ?1 AND form_id = 'core/registration' AND version = 1)
                WHERE case_id = ?1 AND form_id = 'core/registration'
                """, arguments: [id])
        }
        await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t") }
        try await f.rawWrite { db in
            try db.execute(sql: """
                UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ?1 AND form_id = 'core/consent')
                WHERE case_id = ?1 AND form_id = 'core/registration'
                """, arguments: [id])
        }
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        let entry = try await f.auditEntries("form.read").last
        #expect(entry?.draft.outcome == .failed)
        #expect(entry?.draft.detail == "decryption-refused")
    }

    @Test func purgingACaseShredsItsKeyAndItsSearchKeys() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        // A case worker may not purge; no shipped role includes purge.
        await #expect(throws: AmanaError.self) { try await f.kernel.purgeCase(id: id, actor: amal, requestID: "t") }
        var purger = amal
        purger.role.permissions.append(.init(resource: "case", actions: ["purge"], scope: .own))
        try await f.kernel.purgeCase(id: id, actor: purger, requestID: "t")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t") }
        #expect(try await f.kernel.searchCases(value: "Hana", actor: amal, requestID: "t").isEmpty)
        #expect(try await f.kernel.store.caseRecord(id: CaseID(id))?.wrappedKey == nil)
        let left = try await DatabaseQueue(path: f.layout.database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM case_search WHERE case_id = ?", arguments: [id]) }
        #expect(left == 0)
    }
}

enum SearchableForms {
    static func lowercased(_ value: String) -> String { value.lowercased() }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, count >= subsequence.count else { return false }
        let first = subsequence[0]
        var index = 0
        while index <= count - subsequence.count {
            if self[index] == first && Array(self[index..<index + subsequence.count]) == subsequence { return true }
            index += 1
        }
        return false
    }
}

