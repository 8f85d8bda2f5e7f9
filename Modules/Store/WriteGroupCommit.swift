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

    init(pool: DatabasePool) { self.pool = pool }

    /// Runs `body` in a write transaction, shared with whatever else is waiting; returns its result once committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let leads = queue.withLock { queue in
                queue.waiting.append(Waiting(body: { db in try body(db) }, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if leads { Task { await self.drain() } }
        }
        // The body made it: a `T`.
        return value as! T
    }

    /// Commits groups until no one is waiting.
    private func drain() async {
        while true {
            let group = queue.withLock { queue in
                let group = Array(queue.waiting.prefix(Self.largestGroup))
                queue.waiting.removeFirst(group.count)
                if group.isEmpty { queue.committing = false }
                return group
            }
            guard !group.isEmpty else { return }
            if group.count == 1 {
                await alone(group[0])
                continue
            }
            do {
                let outcomes = try await pool.write { db in
                    try group.map { waiting -> Result<any Sendable, any Error> in
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
                }
                for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(with: outcome) }
            } catch {
                for waiting in group { await alone(waiting) }
            }
        }
    }

    /// One write in its own transaction.
    private func alone(_ waiting: Waiting) async {
        do {
            waiting.continuation.resume(returning: try await pool.write(waiting.body))
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }
}
