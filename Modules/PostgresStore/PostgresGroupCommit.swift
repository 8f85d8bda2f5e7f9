import AmanaCore
import Synchronization

/// Group commit for one server's write transactions, as ``WriteGroupCommit`` is for SQLite.
///
/// Every write transaction holds the writer lock through its commit, and a commit waits for
/// the disk: one server's concurrent writers (every request is audited, reads included)
/// would each wait for the lock and a disk wait in turn. Here the writers waiting together
/// go in as one transaction, each in its own savepoint: one lock, one disk wait. Each still
/// gets its own answer — a body that throws (a stale version, a refused change, a constraint)
/// is rolled back to its savepoint only — and is answered once the group is committed. If the
/// group itself fails (its commit, or the connection), each body runs again alone, so every
/// writer gets the answer its own transaction would have had; bodies touch only the database.
final class PostgresGroupCommit: Sendable {
    /// At most this many writes per transaction.
    static let largestGroup = 64

    typealias Body = @Sendable (PostgresTransaction) async throws -> any Sendable

    private struct Waiting: Sendable {
        var body: Body
        var continuation: CheckedContinuation<any Sendable, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var committing = false
    }

    /// Runs a body in a write transaction of its own (begin, writer lock, commit).
    typealias Transact = @Sendable (_ body: @escaping Body) async throws -> any Sendable

    private let queue = Mutex(Queue())

    /// Runs `body` in a write transaction made by `transact`, shared with whatever else is
    /// waiting; returns its result once committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T, transact: @escaping Transact) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let leads = queue.withLock { queue in
                queue.waiting.append(Waiting(body: { t in try await body(t) }, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if leads { Task { await self.drain(transact) } }
        }
        // The body made it: a `T`.
        return value as! T
    }

    /// Commits groups until no one is waiting.
    private func drain(_ transact: Transact) async {
        while true {
            let group = queue.withLock { queue in
                let group = Array(queue.waiting.prefix(Self.largestGroup))
                queue.waiting.removeFirst(group.count)
                if group.isEmpty { queue.committing = false }
                return group
            }
            guard !group.isEmpty else { return }
            if group.count == 1 {
                await alone(group[0], transact)
                continue
            }
            do {
                let outcomes = try await transact { t in
                    var outcomes: [Result<any Sendable, any Error>] = []
                    for (index, waiting) in group.enumerated() {
                        try await t.run("SAVEPOINT w\(index)")
                        do {
                            outcomes.append(.success(try await waiting.body(t)))
                            try await t.run("RELEASE SAVEPOINT w\(index)")
                        } catch {
                            // Its own work is undone; the others' stays. (If this fails too, the group fails.)
                            try await t.run("ROLLBACK TO SAVEPOINT w\(index)")
                            outcomes.append(.failure(error))
                        }
                    }
                    return Outcomes(results: outcomes)
                } as! Outcomes
                for (waiting, outcome) in zip(group, outcomes.results) { waiting.continuation.resume(with: outcome) }
            } catch {
                for waiting in group { await alone(waiting, transact) }
            }
        }
    }

    /// One write in its own transaction.
    private func alone(_ waiting: Waiting, _ transact: Transact) async {
        do {
            waiting.continuation.resume(returning: try await transact(waiting.body))
        } catch {
            waiting.continuation.resume(throwing: error)
        }
    }

    /// The answers of one group, in order.
    private struct Outcomes: @unchecked Sendable {  // each answer goes to its own writer only
        var results: [Result<any Sendable, any Error>]
    }
}
