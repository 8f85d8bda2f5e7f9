import AmanaCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

@Suite("SQLite store: short reads on the calling thread, long reads bounded")
struct ReadsOnCallingThreadTests {
    /// Long reads parked inside their transactions until released (or, should the test fail, by a
    /// watchdog, so that a short read blocked behind them fails the test instead of hanging it).
    final class ParkedReads: Sendable {
        let gate = DispatchSemaphore(value: 0)
        let inside = Atomic<Int>(0)
        let released = Atomic<Bool>(false)

        func park() {
            inside.add(1, ordering: .sequentiallyConsistent)
            gate.wait()
        }

        var count: Int { inside.load(ordering: .sequentiallyConsistent) }
        var isReleased: Bool { released.load(ordering: .sequentiallyConsistent) }

        func release(_ count: Int) {
            guard !released.exchange(true, ordering: .sequentiallyConsistent) else { return }
            for _ in 0..<count { gate.signal() }
        }
    }

    @Test func aCaseReadDoesNotWaitBehindLongReadsHoldingEveryQueuedReader() async throws {
        let fixture = try StoreFixture()
        let (_, user) = try await fixture.seed()
        let store = fixture.store
        let parked = ParkedReads()
        let long = SQLiteStore.longReaders + 1  // one more than may run: it waits its turn
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<long {
                group.addTask {
                    try await store.read("a report") { db in
                        _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM user")
                        parked.park()
                    }
                }
            }
            // Other suites may keep Swift's threads busy for long: wait as long as it takes, not a set time.
            let waiting = ContinuousClock.now
            while parked.count < SQLiteStore.longReaders {
                guard ContinuousClock.now - waiting < .seconds(600) else {
                    Issue.record("the long reads never began")
                    parked.release(long)
                    break
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            // Armed only now: from here to the short reads' answers nothing waits but for a reader.
            DispatchQueue.global().asyncAfter(deadline: .now() + 60) { parked.release(long) }
            // Every reader long reads may use is held: a session's user and a case file still read.
            #expect(try await store.user(username: "amal")?.id == user.id)
            #expect(try await store.caseFile(id: CaseID("no-such-case")) == nil)
            #expect(!parked.isReleased, "the short reads waited for the long ones")
            try await Task.sleep(for: .milliseconds(50))
            #expect(parked.count == SQLiteStore.longReaders, "long reads are bounded")
            parked.release(long)
            try await group.waitForAll()
        }
        #expect(parked.count == long)
    }

    @Test func aShortReadSeesOneSnapshot() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        // A write committed between two statements of a short read is not seen by its second.
        let (before, after) = try store.readNow("two counts") { db -> (Int, Int) in
            let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM agency") ?? -1
            try fixture.reopen().pool.writeWithoutTransaction { other in
                try other.execute(sql: "INSERT INTO agency (id, code, name, created_at) VALUES ('a1', 'X', 'X', 0)")
            }
            return (before, try Int.fetchOne(db, sql: "SELECT count(*) FROM agency") ?? -1)
        }
        #expect(before == after)
        #expect(try store.readNow("count") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM agency") } == before + 1)
    }

    @Test func moreShortReadsAtOnceThanKeptReadersAllRunTogether() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        // Each read waits inside its transaction until all are inside: the ones beyond the kept
        // readers go to GRDB's pool instead of waiting for a kept one (which would never come free).
        let count = SQLiteStore.readersOnCallingThreads + 2
        let inside = Atomic<Int>(0)
        let together = Atomic<Int>(0)
        let done = DispatchGroup()
        for _ in 0..<count {
            done.enter()
            // Threads of their own: Dispatch's concurrent loop runs only as many at once as there are cores.
            Thread {
                defer { done.leave() }
                let met = try? store.readNow("wait for the others") { db -> Bool in
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM agency")
                    inside.add(1, ordering: .sequentiallyConsistent)
                    let waiting = ContinuousClock.now
                    while inside.load(ordering: .sequentiallyConsistent) < count {
                        guard ContinuousClock.now - waiting < .seconds(60) else { return false }
                        Thread.sleep(forTimeInterval: 0.001)
                    }
                    return true
                }
                if met == true { together.add(1, ordering: .sequentiallyConsistent) }
            }.start()
        }
        done.wait()
        #expect(together.load(ordering: .sequentiallyConsistent) == count)
    }

    @Test func aShortReadThatFailsLeavesNoSnapshotHoldingTheLog() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        struct Refused: Error {}
        for n in 0..<3 {
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO agency (id, code, name, created_at) VALUES (?, ?, 'X', 0)", arguments: ["a\(n)", "X\(n)"])
            }
            #expect(throws: AmanaError.self) {
                try store.readNow("a read that fails") { db -> Int in
                    _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM agency")
                    throw Refused()
                }
            }
        }
        // The log can start over only when no reader is inside it: a snapshot left open by the
        // failed reads would keep this checkpoint from completing.
        let busy = try await store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 100")
            return try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        #expect(busy == 0)
        #expect(try store.readNow("count") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM agency") } == 3)
    }
}
