import AmanaCore
import Foundation
import Synchronization
import Testing
@testable import Store

@Suite("Audit group commit")
struct AuditGroupCommitTests {
    /// What a write closure saw: the groups it was given, in order.
    final class Disk: Sendable {
        let groups = Mutex<[[String]]>([])
        let failFirst: Bool
        init(failFirst: Bool = false) { self.failFirst = failFirst }

        func write(_ drafts: [AuditDraft]) async throws {
            // A commit that takes as long as a slow disk's sync, so that others arrive meanwhile.
            try await Task.sleep(for: .milliseconds(5))
            let first = groups.withLock { groups in
                groups.append(drafts.map(\.object))
                return groups.count == 1
            }
            if failFirst && first { throw AmanaError(.storageUnavailable, code: "store-full", "Could not record an audit entry: the disk is full.") }
        }

        var committed: [String] { groups.withLock { $0.flatMap { $0 } } }
    }

    func draft(_ n: Int) -> AuditDraft { AuditDraft(at: Date(), actor: "system", action: "case.read", object: "case:\(n)", requestID: "t") }

    @Test func entriesArrivingDuringACommitGoInTogetherAndEachCallerWaitsForItsOwn() async throws {
        let batcher = AuditGroupCommit()
        let disk = Disk()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<100 {
                group.addTask {
                    try await batcher.commit(draft(n)) { try await disk.write($0) }
                    // Returned: the entry is already on disk.
                    #expect(disk.committed.contains("case:\(n)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(disk.committed.sorted() == (0..<100).map { "case:\($0)" }.sorted())
        let groups = disk.groups.withLock { $0 }
        #expect(groups.count < 100, "100 entries arriving together should share commits, not take one each")
        #expect(groups.allSatisfy { $0.count <= AuditGroupCommit.largestGroup })
    }

    @Test func aFailedCommitFailsEveryCallerInItsGroupAndTheNextGroupStillCommits() async throws {
        let batcher = AuditGroupCommit()
        let disk = Disk(failFirst: true)
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for n in 0..<20 {
                group.addTask {
                    do {
                        try await batcher.commit(draft(n)) { try await disk.write($0) }
                        return ("case:\(n)", true)
                    } catch {
                        return ("case:\(n)", false)
                    }
                }
            }
            return try await group.reduce(into: [String: Bool]()) { $0[$1.0] = $1.1 }
        }
        let groups = disk.groups.withLock { $0 }
        #expect(Set(groups[0]) == Set(outcomes.filter { !$0.value }.keys), "exactly the first group's callers are told it failed")
        #expect(Set(groups.dropFirst().flatMap { $0 }) == Set(outcomes.filter(\.value).keys))
        // After a failure the batcher is not stuck: a later entry commits on its own.
        try await batcher.commit(draft(99)) { try await disk.write($0) }
        #expect(disk.committed.last == "case:99")
    }

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
