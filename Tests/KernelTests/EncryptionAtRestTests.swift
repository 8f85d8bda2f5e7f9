import AmanaCore
import AmanaTestSupport
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
        let walStart = TestStore.onPostgres ? try InstallDatabase.walPosition(ofInstall: f.layout.directory) : ""
        try await f.addUser("amal", "case_worker")
        let id = try await f.caseWithRegistration(owner: "amal", givenName: Self.latinMarker, familyName: Self.arabicMarker)
        let amal = try await f.signIn("amal").actor
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "core/case-note", values: DemoAnswers.caseNote(at: "2026-09-21T10:00:00Z", note: "Told in her own words: \(Self.latinMarker)"),
            expectVersion: nil, actor: amal, requestID: "t")
        // Look in the database file and its write-ahead log, as they are on disk now
        // (on PostgreSQL: the install's table files and the server's write-ahead log).
        var bytes = [UInt8]()
        if TestStore.onPostgres {
            bytes = try #require(try InstallDatabase.bytesOnDisk(ofInstall: f.layout.directory, walFrom: walStart), "AMANA_TEST_POSTGRES_DATA names the server's data directory")
        } else {
            for suffix in ["", "-wal"] {
                if let data = FileManager.default.contents(atPath: f.layout.database + suffix) { bytes += data }
            }
        }
        #expect(bytes.count > 10_000)
        #expect(bytes.contains(subsequence: Array("core/registration".utf8)), "the scan reads the install's records (form ids are plain)")
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
        try await f.tamper("""
            UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ? AND form_id = 'core/registration')
            WHERE case_id = ? AND form_id = 'core/registration'
            """, [first, second])
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
        try await f.tamper("""
            UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission_history WHERE case_id = ?1 AND form_id = 'core/registration' AND version = 1)
            WHERE case_id = ?1 AND form_id = 'core/registration'
            """, [id])
        await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t") }
        try await f.tamper("""
            UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ?1 AND form_id = 'core/consent')
            WHERE case_id = ?1 AND form_id = 'core/registration'
            """, [id])
        let error = await #expect(throws: AmanaError.self) { try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: amal, requestID: "t") }
        #expect(error?.code == "decryption-refused")
        let entry = try await f.auditEntries("form.read").last
        #expect(entry?.draft.outcome == .failed)
        #expect(entry?.draft.detail == "decryption-refused")
    }

    @Test(.enabled(if: !TestStore.onPostgres, "reads or changes the SQLite file itself")) func anErasureRequestApprovedBySupervisorLeavesNothingOfTheCaseInTheFile() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Zaynab", familyName: "Qudsiyya", phone: "0799988877")
        let other = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        // What the file holds of the case before: its sealed answers, its blind indexes, its plain rows.
        let database = f.layout.database
        func bytes() throws -> Data {
            try [database, database + "-wal"].filter { FileManager.default.fileExists(atPath: $0) }.reduce(into: Data()) { $0 += try Data(contentsOf: URL(fileURLWithPath: $1)) }
        }
        // (A blind index the other case shares, the same signature note on both, stays with it.)
        let (sealed, indexes) = try await DatabaseQueue(path: database).read { db in
            (try Data.fetchAll(db, sql: "SELECT ciphertext FROM case_submission WHERE case_id = ?", arguments: [id]),
             try Data.fetchAll(
                db, sql: "SELECT blind_index FROM case_search WHERE case_id = ? AND blind_index NOT IN (SELECT blind_index FROM case_search WHERE case_id = ?)",
                arguments: [id, other]))
        }
        #expect(!sealed.isEmpty && !indexes.isEmpty)
        let before = try bytes()
        #expect((sealed + indexes).allSatisfy { before.range(of: $0) != nil })

        // A case worker asks (the person asked for erasure); she cannot purge it herself, the supervisor's approval does.
        let request = try await f.kernel.requestPurge(caseID: id, reason: .erasureRequest, actor: amal, requestID: "t")
        #expect(request.transitionLabel == "Purge the case (the person asked for their data to be erased)" && request.approverRole == "case_manager")
        let own = await #expect(throws: AmanaError.self) { try await f.kernel.decideApproval(caseID: id, approvalID: request.id, approve: true, comment: nil, actor: amal, requestID: "t") }
        #expect(own?.kind == .forbidden)
        #expect(try await f.kernel.pendingApprovals(actor: layla, requestID: "t").map(\.id) == [request.id])
        _ = try await f.kernel.decideApproval(caseID: id, approvalID: request.id, approve: true, comment: nil, actor: layla, requestID: "t")

        await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t") }
        #expect(try await f.kernel.searchCases(value: "Zaynab", actor: amal, requestID: "t").isEmpty)
        #expect(try await f.kernel.store.caseRecord(id: CaseID(id))?.wrappedKey == nil)
        // Scanning the file (and its WAL) finds none of it: not the sealed answers, not the blind indexes.
        let after = try bytes()
        #expect((sealed + indexes).allSatisfy { after.range(of: $0) == nil })
        let rows = try await DatabaseQueue(path: database).read { db in
            try ["case_submission", "case_submission_history", "case_search", "case_state_change", "case_task", "case_approval", "case_member"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0) WHERE case_id = ?", arguments: [id]) ?? -1
            }
        }
        #expect(rows.allSatisfy { $0 == 0 })
        // The other case is whole, and the audit chain still verifies, with the purge in it (no content).
        #expect(try await f.kernel.caseDetail(id: other, actor: amal, requestID: "t").forms.count == 2)
        guard case .intact = try await f.kernel.verifyAudit() else {
            Issue.record("the audit chain no longer verifies after a purge")
            return
        }
        let entry = try await f.auditEntries("case.purge").last
        #expect(entry?.draft.detail == "approval=\(request.id) reason=erasure_request requested_by=\(amal.userID.rawValue)")
    }

    @Test func aPurgeIsRefusedWithoutAReasonThatHoldsAndARejectionKeepsTheCase() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        // Retention: the case is not even closed, and no retention is set.
        let early = await #expect(throws: AmanaError.self) { try await f.kernel.requestPurge(caseID: id, reason: .retention, actor: amal, requestID: "t") }
        #expect(early?.code == "retention-not-over")
        let request = try await f.kernel.requestPurge(caseID: id, reason: .erasureRequest, actor: amal, requestID: "t")
        let twice = await #expect(throws: AmanaError.self) { try await f.kernel.requestPurge(caseID: id, reason: .erasureRequest, actor: amal, requestID: "t") }
        #expect(twice?.code == "approval-pending")
        _ = try await f.kernel.decideApproval(
            caseID: id, approvalID: request.id, approve: false, comment: "She wants the case kept while the court case runs.", actor: layla, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").approvals.first?.status == "rejected")
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


/// Retention rules from config.yaml: closed cases due for purging, per programme.
@Suite("Retention")
struct RetentionTests {
    @Test func closedCasesPastTheirProgrammesRetentionAreDueAndCanBeAskedToBePurged() async throws {
        let demo = try await DemoInstallFixture(config: "retention:\n  - {programme: gbv, closed_years: 5}\n")
        let (kernel, clock) = (demo.kernel, demo.clock)
        var amal = try await demo.actor("amal")
        #expect(try await kernel.purgesDue(actor: amal, requestID: "t").isEmpty)
        // Five years and a day on: the closed GBV case is due; the general-protection one has no rule.
        clock.advance(by: (5 * 365 + 2) * 86_400)
        amal = try await demo.actor("amal")
        let due = try await kernel.purgesDue(actor: amal, requestID: "t")
        #expect(due.map(\.programme) == ["gbv"])
        let request = try await kernel.requestPurge(caseID: due[0].caseId, reason: .retention, actor: amal, requestID: "t")
        #expect(request.transitionLabel == "Purge the case (its retention period is over)")
        let layla = try await demo.actor("layla")
        _ = try await kernel.decideApproval(caseID: due[0].caseId, approvalID: request.id, approve: true, comment: nil, actor: layla, requestID: "t")
        #expect(try await kernel.purgesDue(actor: amal, requestID: "t").isEmpty)
    }

    @Test func aBadRetentionRuleIsAClearErrorWithItsLine() throws {
        let layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-retention-\(UUID().uuidString)").path)
        try FileManager.default.createDirectory(atPath: layout.directory, withIntermediateDirectories: true)
        try "retention:\n  - {programme: gbv, closed_years: 0}\n".write(toFile: layout.config, atomically: true, encoding: .utf8)
        let error = #expect(throws: AmanaError.self) { try InstallConfig.load(path: layout.config) }
        #expect(error?.diagnostics.first?.line == 2 && error?.diagnostics.first?.message.contains("closed_years") == true)
    }
}
