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
        let amal = try await f.signIn("amal").actor
        _ = try await f.kernel.openCase(
            type: "gbv",
            fields: [
                CaseFieldInput(id: "survivor_name", value: Self.latinMarker, identifying: true),
                CaseFieldInput(id: "name_ar", value: Self.arabicMarker, identifying: true),
                CaseFieldInput(id: "account", value: "Told in her own words: \(Self.latinMarker)"),
            ],
            actor: amal, requestID: "t")
        // Look in the database file and its write-ahead log, as they are on disk now.
        var bytes = [UInt8]()
        for suffix in ["", "-wal"] {
            if let data = FileManager.default.contents(atPath: f.layout.database + suffix) { bytes += data }
        }
        #expect(bytes.count > 10_000)
        for needle in [Self.latinMarker, Self.arabicMarker, "Quxwell", SearchableForms.lowercased(Self.latinMarker)] {
            #expect(!bytes.contains(subsequence: Array(needle.utf8)), "found '\(needle)' in plain text")
            #expect(!bytes.contains(subsequence: Array(needle.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] })), "found '\(needle)' as UTF-16")
        }
    }

    @Test func aCiphertextMovedToAnotherCaseIsRefused() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let first = try await f.kernel.openCase(type: "gbv", fields: [CaseFieldInput(id: "survivor_name", value: "First")], actor: amal, requestID: "t")
        let second = try await f.kernel.openCase(type: "gbv", fields: [CaseFieldInput(id: "survivor_name", value: "Second")], actor: amal, requestID: "t")
        try await rawWrite(f) { db in
            try db.execute(sql: """
                UPDATE case_field SET ciphertext = (SELECT ciphertext FROM case_field WHERE case_id = ? AND field_id = 'survivor_name')
                WHERE case_id = ? AND field_id = 'survivor_name'
                """, arguments: [first.id, second.id])
        }
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readCase(id: second.id, actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        #expect(try await f.kernel.readCase(id: first.id, actor: amal, requestID: "t").fields["survivor_name"] == "First")
    }

    @Test func aCiphertextMovedToAnotherFieldIsRefused() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let opened = try await f.kernel.openCase(
            type: "gbv", fields: [CaseFieldInput(id: "survivor_name", value: "Hana"), CaseFieldInput(id: "phone", value: "0790")],
            actor: amal, requestID: "t")
        try await rawWrite(f) { db in
            try db.execute(sql: """
                UPDATE case_field SET ciphertext = (SELECT ciphertext FROM case_field WHERE case_id = ?1 AND field_id = 'phone')
                WHERE case_id = ?1 AND field_id = 'survivor_name'
                """, arguments: [opened.id])
        }
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readCase(id: opened.id, actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
    }

    @Test func purgingACaseShredsItsKey() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor
        let opened = try await f.kernel.openCase(type: "gbv", fields: [CaseFieldInput(id: "survivor_name", value: "Hana", identifying: true)], actor: amal, requestID: "t")
        // A case worker may not purge; the supervisor role does not include purge either in the shipped roles.
        await #expect(throws: AmanaError.notFound) { try await f.kernel.purgeCase(id: opened.id, actor: amal, requestID: "t") }
        var purger = amal
        purger.role.permissions.append(.init(resource: "case", actions: ["purge"], scope: .own))
        try await f.kernel.purgeCase(id: opened.id, actor: purger, requestID: "t")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.readCase(id: opened.id, actor: amal, requestID: "t") }
        #expect(try await f.kernel.findCases(field: "survivor_name", value: "Hana", actor: amal, requestID: "t").isEmpty)
        let record = try await f.kernel.store.caseRecord(id: CaseID(opened.id))
        #expect(record?.wrappedKey == nil)
        #expect(try await f.kernel.store.caseFields(caseID: CaseID(opened.id)).allSatisfy { $0.blindIndex == nil })
    }

    func rawWrite(_ f: KernelFixture, _ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let queue = try DatabaseQueue(path: f.layout.database)
        try await queue.write(body)
        try queue.close()
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

@Suite("Case fields: bad input and failed decryption")
struct CaseFieldInputTests {
    @Test(arguments: ["", "Name", "has space", "a\u{0}b", String(repeating: "x", count: 65)])
    func badFieldIDsAreRefused(id: String) async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let error = await #expect(throws: AmanaError.self) {
            try await f.kernel.openCase(type: "gbv", fields: [CaseFieldInput(id: id, value: "v")], actor: amal, requestID: "t")
        }
        #expect(error?.pointer == "/fields/0/id")
    }

    @Test func aFailedDecryptionLeavesAnAuditTrace() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let opened = try await f.kernel.openCase(type: "gbv", fields: [CaseFieldInput(id: "name", value: "Hana")], actor: amal, requestID: "t")
        let queue = try DatabaseQueue(path: f.layout.database)
        try await queue.write { db in try db.execute(sql: "UPDATE case_field SET ciphertext = zeroblob(60)") }
        try queue.close()
        await #expect(throws: AmanaError.self) { try await f.kernel.readCase(id: opened.id, actor: amal, requestID: "t") }
        let entry = try await f.auditEntries("case.read").last
        #expect(entry?.draft.outcome == .failed)
        #expect(entry?.draft.detail == "decryption-refused")
    }
}
