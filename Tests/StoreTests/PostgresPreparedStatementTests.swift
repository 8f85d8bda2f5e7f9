import AmanaCore
import AmanaTestSupport
import Foundation
import PostgresStore
import Store
import Testing

/// The store prepares each statement on a connection at its first run there. A statement
/// whose preparation failed must not stay failed on that connection (postgres-nio keeps
/// such a statement failed for the connection's life): the next call works once the cause is gone.
extension PostgresStoreTests {
    @Test func aStatementThatFailedToPrepareWorksOnceItsCauseIsGone() async throws {
        // One connection: had the failed one been kept, the next call would meet it again.
        var single = address
        single.poolSize = 1
        let vault = self.vault
        let store = PostgresStore(address: single, auditLinker: { vault.auditLink(previous: $0, entry: $1) })
        try await store.open()
        // The agencies' table is away when the statement that reads them is prepared, at its first run.
        #expect(try InstallDatabase.execute("ALTER TABLE agency RENAME TO agency_away;", on: address) == 0)
        await #expect(throws: AmanaError.self) { try await store.agencies() }
        #expect(try InstallDatabase.execute("ALTER TABLE agency_away RENAME TO agency;", on: address) == 0)
        #expect(try await store.agencies().isEmpty)
        // The same in a write: the failed statement's transaction still rolls back on its connection before that one is let go.
        #expect(try InstallDatabase.execute("ALTER TABLE agency RENAME TO agency_away;", on: address) == 0)
        let agency = AgencyRecord(id: .random(), code: "ACME", name: "ACME", createdAt: Date())
        await #expect(throws: AmanaError.self) { try await store.insertAgency(agency, audit: draft("agency")) }
        #expect(try InstallDatabase.execute("ALTER TABLE agency_away RENAME TO agency;", on: address) == 0)
        try await store.insertAgency(agency, audit: draft("agency"))
        #expect(try await store.agencies().map(\.code) == ["ACME"])
    }
}
