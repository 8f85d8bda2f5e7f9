import AmanaCore
import Foundation
import GRDB
import Testing
@testable import Store

@Suite("Audit chain")
struct AuditChainTests {
    func fixtureWithEntries(_ count: Int) async throws -> StoreFixture {
        let fixture = try StoreFixture()
        for i in 1...count {
            try await fixture.store.appendAudit(fixture.draft("case.read", "case:\(i)"))
        }
        return fixture
    }

    @Test func anUntouchedChainVerifies() async throws {
        let fixture = try await fixtureWithEntries(10)
        #expect(try await fixture.store.verifyAuditChain() == .intact(entries: 10))
        let entries = try await fixture.store.auditEntries(after: 0, limit: 100)
        #expect(entries.map(\.sequence) == Array(1...10))
        #expect(zip(entries.dropFirst(), entries).allSatisfy { $0.previousHash == $1.hash })
    }

    @Test(arguments: ["actor = 'user:someone-else'", "action = 'case.update'", "object = 'case:999'", "outcome = 'denied'", "detail = 'x'", "at = at + 1"])
    func editingAnyColumnOfAnEntryIsFoundAtThatEntry(change: String) async throws {
        let fixture = try await fixtureWithEntries(8)
        try await fixture.store.pool.write { db in try db.execute(sql: "UPDATE audit_log SET \(change) WHERE seq = 5") }
        #expect(try await fixture.store.verifyAuditChain() == .broken(atSequence: 5, checked: 4))
    }

    @Test func deletingAnEntryIsFound() async throws {
        let fixture = try await fixtureWithEntries(8)
        try await fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 3") }
        #expect(try await fixture.store.verifyAuditChain() == .broken(atSequence: 3, checked: 2))
    }

    @Test func truncatingTheTailIsNotABreakButTheCountShowsIt() async throws {
        // A chain cut at its end still links; the count (and external copies of the
        // last hash) are what reveal it. Documented in docs/security-model.md.
        let fixture = try await fixtureWithEntries(8)
        try await fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq > 6") }
        #expect(try await fixture.store.verifyAuditChain() == .intact(entries: 6))
    }

    @Test func recomputingAnEntryWithoutTheKeyDoesNotHelp() async throws {
        let fixture = try await fixtureWithEntries(4)
        // An attacker rewrites entry 2 and recomputes its hash with another key.
        let forger = try StoreFixture()
        try await fixture.store.pool.write { db in
            let previous = try Data.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE seq = 1")!
            var draft = AuditDraft(at: Date(), actor: "user:forger", action: "case.read", object: "case:2", requestID: "x")
            draft.at = Date()
            let forged = forger.vault.auditLink(previous: [UInt8](previous), entry: AuditEncoding.bytes(sequence: 2, draft))
            try db.execute(sql: "UPDATE audit_log SET actor = 'user:forger', hash = ? WHERE seq = 2", arguments: [Data(forged)])
        }
        #expect(try await fixture.store.verifyAuditChain() == .broken(atSequence: 2, checked: 1))
    }

    @Test func aWriteAndItsEntryAreOneTransaction() async throws {
        let fixture = try StoreFixture()
        let (agency, _) = try await fixture.seed()
        // The username is taken: the insert fails, and no audit entry is left behind.
        let twin = UserRecord(id: .random(), username: "amal", displayName: "Twin", role: "case_worker", agencyID: agency.id, teamID: nil, passwordHash: "x", createdAt: Date())
        await #expect(throws: AmanaError.self) { try await fixture.store.insertUser(twin, audit: fixture.draft("user.create")) }
        #expect(try await fixture.store.verifyAuditChain() == .intact(entries: 2))
    }

    @Test func concurrentAppendsFromTwoConnectionsStayLinear() async throws {
        let fixture = try StoreFixture()
        let second = try fixture.reopen()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                let store = i.isMultiple(of: 2) ? fixture.store : second
                group.addTask { try await store.appendAudit(fixture.draft("case.read", "case:\(i)")) }
            }
            try await group.waitForAll()
        }
        #expect(try await fixture.store.verifyAuditChain() == .intact(entries: 40))
    }
}
