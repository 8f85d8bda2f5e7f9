import AmanaCore
import Foundation
import GRDB
import Testing
@testable import Store

@Suite("SQLite store: settings, schema versions, integrity, backup")
struct SQLiteSettingsTests {
    @Test func durabilityAndSafetyPragmasAreInForceOnTheWriter() async throws {
        let fixture = try StoreFixture()
        let values = try await fixture.store.pool.write { db in
            [try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchOne(db, sql: "PRAGMA synchronous"),
             try String.fetchOne(db, sql: "PRAGMA foreign_keys"), try String.fetchOne(db, sql: "PRAGMA secure_delete")]
        }
        #expect(values == ["wal", "2", "1", "1"])
    }

    @Test func aDatabaseFromANewerAmanaIsRefusedAndLeftAlone() async throws {
        let fixture = try StoreFixture()
        try await fixture.store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let error = #expect(throws: AmanaError.self) { try fixture.reopen() }
        #expect(error?.code == "store-newer")
        #expect(error?.kind == .installProblem)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path)) == before)
    }

    @Test func aFileThatIsNotADatabaseGetsAClearError() throws {
        let fixture = try StoreFixture()
        let path = fixture.directory + "/garbage.sqlite"
        _ = FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 8192))
        let error = #expect(throws: AmanaError.self) { try SQLiteStore(path: path, auditLinker: { _, _ in [] }) }
        #expect(error?.kind == .storageUnavailable)
        #expect(error?.code == "store-corrupt")
    }

    @Test func integrityCheckPassesOnASoundStore() async throws {
        let fixture = try StoreFixture()
        _ = try await fixture.seed()
        #expect(try await fixture.store.integrityProblems() == [])
    }

    @Test func backupIsAConsistentOpenableCopyAndNeverOverwrites() async throws {
        let fixture = try StoreFixture()
        _ = try await fixture.seed()
        let destination = fixture.directory + "/backup.sqlite"
        try await fixture.store.backup(to: destination)
        let vault = fixture.vault
        let copy = try SQLiteStore(path: destination, auditLinker: { vault.auditLink(previous: $0, entry: $1) })
        #expect(try await copy.users().map(\.username) == ["amal"])
        #expect(try await copy.verifyAuditChain() == .intact(entries: 2))
        await #expect(throws: AmanaError.self) { try await fixture.store.backup(to: destination) }
    }

    @Test func optimisticVersionsRefuseAStaleUpdate() async throws {
        let fixture = try StoreFixture()
        let (_, user) = try await fixture.seed()
        var first = user
        first.displayName = "Amal H."
        let updated = try await fixture.store.updateUser(first, revokingSessions: false, at: Date(), audit: fixture.draft("user.update"))
        #expect(updated.version == user.version + 1)
        var stale = user
        stale.displayName = "Someone else's edit"
        let error = await #expect(throws: AmanaError.self) {
            try await fixture.store.updateUser(stale, revokingSessions: false, at: Date(), audit: fixture.draft("user.update"))
        }
        #expect(error?.kind == .preconditionFailed)
        #expect(try await fixture.store.user(id: user.id)?.displayName == "Amal H.")
    }

    @Test func duplicateUsernameIsAConflictNotACrash() async throws {
        let fixture = try StoreFixture()
        let (agency, _) = try await fixture.seed()
        let twin = UserRecord(id: .random(), username: "amal", displayName: "Twin", role: "case_worker", agencyID: agency.id, teamID: nil, passwordHash: "x", createdAt: Date())
        let error = await #expect(throws: AmanaError.self) { try await fixture.store.insertUser(twin, audit: fixture.draft("user.create")) }
        #expect(error?.kind == .conflict)
    }

    @Test func caseNumbersAreSequentialPerPrefixAndYear() async throws {
        let fixture = try StoreFixture()
        let (agency, user) = try await fixture.seed()
        var numbers: [String] = []
        for year in [2026, 2026, 2027] {
            let record = CaseRecord(id: .random(), caseType: "gbv", ownerID: user.id, teamID: nil, agencyID: agency.id, wrappedKey: [1], keyVersion: 1, createdAt: Date(), updatedAt: Date(), state: "identified")
            let opening = CaseChange(caseID: record.id, expectedVersion: nil, at: Date())
            numbers.append(try await fixture.store.insertCase(record, opening: opening, numberPrefix: "ACME", year: year, audit: fixture.draft("case.create"), then: [], keeping: nil).caseNumber)
        }
        #expect(numbers == ["ACME-2026-000001", "ACME-2026-000002", "ACME-2027-000001"])
    }
}
