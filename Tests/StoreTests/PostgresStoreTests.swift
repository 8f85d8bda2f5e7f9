import AmanaCore
import AmanaTestSupport
import Foundation
import PostgresStore
import Store
import Testing
import VaultSodium

@Suite("PostgreSQL store: its address")
struct PostgresAddressTests {
    @Test func anAddressIsReadWithItsDefaultsAndNeverShownWithItsPassword() throws {
        let remote = try PostgresConnectionURL("postgres://amana:s3cret%40x@db.example.org/cases")
        #expect(remote.port == 5432 && remote.database == "cases" && remote.password == "s3cret@x")
        #expect(remote.tls == .require, "TLS unless the server is on this machine")
        #expect(!remote.redacted.contains("s3cret"))
        #expect(try PostgresConnectionURL(remote.withPassword) == remote)
        let local = try PostgresConnectionURL("postgresql://amana@127.0.0.1:6543/cases", environment: ["AMANA_POSTGRES_PASSWORD": "from-env"])
        #expect(local.tls == .disable && local.port == 6543 && local.password == "from-env")
    }

    @Test(arguments: [
        ("mysql://amana@host/cases", "must look like"), ("postgres://host/cases", "names no user"), ("postgres://amana@host", "names no database"),
        ("postgres://amana:pw@host/cases?sslmode=sometimes", "sslmode must be"),
    ])
    func aWrongAddressSaysWhichPartIsWrong(text: String, expected: String) {
        let error = #expect(throws: AmanaError.self) { try PostgresConnectionURL(text) }
        #expect(error?.message.contains(expected) == true)
        #expect(error?.message.contains("pw") == false)
    }

    @Test func aServerThatDoesNotAnswerIsAClearErrorWithoutTheAddress() async throws {
        // Nothing listens on port 1.
        let address = try PostgresConnectionURL("postgres://amana_operator:hunter2-secret@127.0.0.1:1/cases_db")
        let store = PostgresStore(address: address, auditLinker: { _, _ in [] })
        let error = await #expect(throws: AmanaError.self) { try await store.agencies() }
        #expect(error?.kind == .storageUnavailable)
        #expect(error?.code == "store-unreachable")
        // The message reaches API clients: no password, and no user, host or database either
        // (the address goes to the operator's log).
        for secret in ["hunter2", "amana_operator", "127.0.0.1", "cases_db"] {
            #expect(error?.message.contains(secret) == false, "\(secret)")
        }
    }
}

@Suite("PostgreSQL store", .enabled(if: TestStore.onPostgres, "needs the PostgreSQL server of Tools/test.sh's second run"))
struct PostgresStoreTests {
    let vault: SodiumVault
    let address: PostgresConnectionURL

    init() async throws {
        vault = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        address = try PostgresConnectionURL(try await TestStore.fresh()!)
    }

    func store() -> PostgresStore {
        let vault = self.vault
        return PostgresStore(address: address, auditLinker: { vault.auditLink(previous: $0, entry: $1) })
    }

    func draft(_ object: String) -> AuditDraft {
        AuditDraft(at: Date(), actor: "system", action: "case.read", object: object, requestID: "test")
    }

    @Test func serversStartingTogetherUpgradeTheSchemaOnce() async throws {
        let servers = (0..<4).map { _ in store() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { try await server.open() } }
            try await group.waitForAll()
        }
        for server in servers { #expect(try await server.agencies().isEmpty) }
    }

    @Test func aDatabaseUpgradedByANewerAmanaIsRefusedAndLeftAlone() async throws {
        try await store().open()
        #expect(try InstallDatabase.execute("INSERT INTO amana_migration (id) VALUES ('pg99-from-the-future');", on: address) == 0)
        let error = await #expect(throws: AmanaError.self) { try await store().agencies() }
        #expect(error?.code == "store-newer")
    }

    @Test func entriesAppendedFromTwoServersAtOnceFormOneChain() async throws {
        let first = store(), second = store()
        // Each append waits for the writer lock; on a loaded machine one may be told the
        // database is busy (after 10 s) and not be written. Every one written is in the chain.
        let written = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<24 {
                let server = i % 2 == 0 ? first : second
                group.addTask {
                    do {
                        try await server.appendAudit(draft("case:\(i)"))
                        return true
                    } catch let error as AmanaError where error.code == "store-busy" {
                        return false
                    }
                }
            }
            var count = 0
            for try await done in group where done { count += 1 }
            return count
        }
        #expect(written > 0)
        #expect(try await first.verifyAuditChain() == .intact(entries: Int64(written)))
        #expect(try await second.auditEntries(after: 0, limit: 100).map(\.sequence) == Array(1...Int64(written)))
    }

    @Test func aRefusedWriteInAGroupUndoesOnlyItself() async throws {
        let server = store()
        let agency = AgencyRecord(id: .random(), code: "ACME", name: "ACME", createdAt: Date())
        try await server.insertAgency(agency, audit: draft("agency"))
        let team = TeamRecord(id: .random(), agencyID: agency.id, name: "GBV team")
        try await server.insertTeam(team, audit: draft("team"))
        // Writes arriving together share a transaction; the duplicate team breaks a constraint.
        let outcomes = await withTaskGroup(of: String.self) { group in
            for i in 0..<16 {
                group.addTask {
                    do {
                        if i == 7 {
                            try await server.insertTeam(TeamRecord(id: .random(), agencyID: agency.id, name: "GBV team"), audit: draft("team-again"))
                        } else {
                            try await server.appendAudit(draft("case:\(i)"))
                        }
                        return "ok"
                    } catch let error as AmanaError {
                        return error.code
                    } catch {
                        return "other"
                    }
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 15)
        #expect(outcomes.filter { $0 == "conflict" }.count == 1)
        #expect(try await server.teams().count == 1)
        #expect(try await server.verifyAuditChain() == .intact(entries: 17))
    }

    @Test(arguments: ["actor = 'user:someone-else'", "object = 'case:999'", "at = at + 1"])
    func editingAnEntryIsFoundAtThatEntry(change: String) async throws {
        let server = store()
        for i in 1...8 { try await server.appendAudit(draft("case:\(i)")) }
        #expect(try InstallDatabase.execute("UPDATE audit_log SET \(change) WHERE seq = 5;", on: address) == 0)
        #expect(try await server.verifyAuditChain() == .broken(atSequence: 5, checked: 4))
        #expect(try InstallDatabase.execute("DELETE FROM audit_log WHERE seq = 3;", on: address) == 0)
        #expect(try await server.verifyAuditChain() == .broken(atSequence: 3, checked: 2))
        #expect(try await server.integrityProblems() == ["the audit log has 7 entries numbered up to 8"])
    }
}
