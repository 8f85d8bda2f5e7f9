import GRDB
import Synchronization

/// Group commit for every write transaction.
///
/// At `synchronous=FULL` each commit waits for the disk, and SQLite has one
/// writer: writers that arrive while a commit is in flight would each wait
/// for their own disk wait in turn. Here they wait together and go in, in
/// arrival order, as one transaction with a savepoint each: one disk wait for
/// the group. Each writer still gets its own answer — a body that throws
/// (a stale version, a refused change) rolls back its own savepoint only —
/// and returns only once its work is committed.
///
/// Should the database itself fail inside a group (a full disk, a broken
/// file), the group is rolled back and each body runs again alone, so that
/// every writer gets the answer its own transaction would have had. Bodies
/// touch only the database, so running one again after a rollback is safe.
final class WriteGroupCommit: Sendable {
    /// At most this many writes per transaction, so that no commit grows without bound.
    static let largestGroup = 64

    private struct Waiting: Sendable {
        var body: @Sendable (Database) throws -> any Sendable
        var continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var committing = false
    }

    private let queue = Mutex(Queue())
    private let pool: DatabasePool
    let walBound: WALBound

    init(pool: DatabasePool, walBound: WALBound) {
        self.pool = pool
        self.walBound = walBound
    }

    /// Runs `body` in a write transaction, shared with whatever else is waiting; returns its result once committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let leads = queue.withLock { queue in
                queue.waiting.append(Waiting(body: { db in try body(db) }, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if leads { commitNextGroup() }
        }
        // The body made it: a `T`.
        return value as! T
    }

    /// Commits the next group on the writer's own queue, then schedules the one after, until no
    /// one is waiting. Each group is a block of its own on that queue, so that other writes
    /// (a migration, a backup) still get their turn between groups. Nothing here waits for Swift's
    /// cooperative threads: a drain run as a task waited behind the writers' own work for a
    /// thread after each commit, and the writer stood idle meanwhile.
    private func commitNextGroup() {
        let group = queue.withLock { queue in
            let group = Array(queue.waiting.prefix(Self.largestGroup))
            queue.waiting.removeFirst(group.count)
            if group.isEmpty { queue.committing = false }
            return group
        }
        guard !group.isEmpty else { return }
        pool.asyncWriteWithoutTransaction { db in
            self.commit(group, in: db)
            self.walBound.afterCommit(db)
            self.commitNextGroup()
        }
    }

    /// One group in one transaction, a savepoint each; each writer is answered once it is committed.
    private func commit(_ group: [Waiting], in db: Database) {
        guard group.count > 1 else { return alone(group[0], in: db) }
        do {
            var outcomes: [Result<any Sendable, any Error>] = []
            try db.inTransaction {
                outcomes = try group.map { waiting -> Result<any Sendable, any Error> in
                    var value: (any Sendable)?
                    do {
                        try db.inSavepoint {
                            value = try waiting.body(db)
                            return .commit
                        }
                    } catch let failure as DatabaseError {
                        // The database failed, not the writer's request: the transaction may be unusable.
                        throw failure
                    } catch {
                        return .failure(error)
                    }
                    return .success(value!)
                }
                return .commit
            }
            for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(with: outcome) }
        } catch {
            for waiting in group { alone(waiting, in: db) }
        }
    }

    /// One write in its own transaction.
    private func alone(_ waiting: Waiting, in db: Database) {
        do {
            var value: (any Sendable)?
            try db.inTransaction {
                value = try waiting.body(db)
                return .commit
            }
            waiting.continuation.resume(returning: value!)
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }
}
