import AmanaCore
import AmanaTestSupport
import Foundation
import GRDB
import Testing
@testable import Kernel

/// An entry holds its latest version, and its history the versions it replaced: a new
/// entry's answers are written once. An install whose history also held each entry's
/// latest version loses that copy when it opens, and reads the same history as before.
@Suite("Submission history")
struct SubmissionHistoryTests {
    /// The versions of `id`'s registration in the store's history table.
    func versionsInHistory(_ f: KernelFixture, _ id: String) throws -> [Int] {
        let sql = "SELECT version FROM case_submission_history WHERE case_id = '\(id)' AND form_id = 'core/registration' ORDER BY version"
        if TestStore.onPostgres {
            let (process, _, output) = try InstallDatabase.psql(ofInstall: f.layout.directory, input: "\\pset tuples_only on\n\\pset format unaligned\n\(sql);\n")
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }
        let queue = try DatabaseQueue(path: f.layout.database)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchAll(db, sql: sql) }
    }

    /// A registration saved, then changed: versions 1 and 2.
    func changedRegistration(_ f: KernelFixture) async throws -> String {
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        #expect(try versionsInHistory(f, id) == [], "a new entry's answers are written once, as the entry")
        var changed = DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Example")
        changed["other_names"] = "Umm Sami"
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: changed, expectVersion: 1, actor: amal, requestID: "t")
        return id
    }

    func history(_ kernel: Kernel, _ f: KernelFixture, _ id: String) async throws -> [SubmissionVersionView] {
        try await kernel.submissionHistory(caseID: id, formID: "core/registration", actor: try await f.signIn("amal").actor, requestID: "t")
    }

    @Test func theHistoryHoldsTheVersionsReplacedAndIsReadWithTheLatest() async throws {
        let f = try await KernelFixture()
        let id = try await changedRegistration(f)
        #expect(try versionsInHistory(f, id) == [1])
        let versions = try await history(f.kernel, f, id)
        #expect(versions.map(\.version) == [1, 2])
        #expect(versions[0].values?["other_names"] == nil && versions[1].values?["other_names"] == "Umm Sami")
        #expect(versions[1].changed == ["/other_names"])
    }

    @Test func anInstallWhoseHistoryHeldTheLatestVersionsLosesThatCopyWhenItOpens() async throws {
        let f = try await KernelFixture()
        let id = try await changedRegistration(f)
        let before = try await history(f.kernel, f, id)
        // As the history was written before: every version, the latest too; the migration not yet applied.
        let columns = "case_id, form_id, entry, version, form_version, overlays, ciphertext, at, actor_id, changed"
        try await f.tamper("INSERT INTO case_submission_history (\(columns)) SELECT \(columns) FROM case_submission WHERE case_id = ?1", [id])
        try await f.tamper(
            TestStore.onPostgres
                ? "DELETE FROM amana_migration WHERE id = 'pg4-history-of-replaced-versions'"
                : "DELETE FROM grdb_migrations WHERE identifier = 'v12-history-of-replaced-versions'", [])
        #expect(try versionsInHistory(f, id) == [1, 2])
        let reopened = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        // (PostgreSQL's store migrates when first used.)
        #expect(try await history(reopened, f, id) == before)
        #expect(try versionsInHistory(f, id) == [1], "the copy of the latest version went")
    }
}
