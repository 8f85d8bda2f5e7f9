import AmanaCore
import Foundation
import Synchronization
import Testing
@testable import Store

/// Reads audited at the same moment share commits (``WriteGroupCommit``) and still chain one by one.
@Suite("Audit entries committed together")
struct AuditTogetherTests {
    func draft(_ n: Int) -> AuditDraft { AuditDraft(at: Date(), actor: "system", action: "case.read", object: "case:\(n)", requestID: "t") }

    @Test func manyReadersAtOnceLeaveOneIntactChainWithEveryEntry() async throws {
        let fixture = try StoreFixture()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<300 {
                group.addTask { try await fixture.store.appendAudit(draft(n)) }
            }
            try await group.waitForAll()
        }
        #expect(try await fixture.store.verifyAuditChain() == .intact(entries: 300))
        let objects = try await fixture.store.auditEntries(after: 0, limit: 1000).map(\.draft.object)
        #expect(objects.sorted() == (0..<300).map { "case:\($0)" }.sorted())
    }
}
