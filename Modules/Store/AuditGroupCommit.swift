import AmanaCore
import Synchronization

/// Group commit for audit entries that stand alone — a read, a listing, a
/// refusal — where nothing else is written with them.
///
/// Every such entry must be on disk before its caller goes on (a read is not
/// answered until it is audited), and at `synchronous=FULL` each commit waits
/// for the disk. Entries that arrive while a commit is in flight wait for the
/// next one and go in together, in arrival order, in one transaction: under
/// load, one disk wait serves many readers instead of each waiting in line.
/// A caller still returns only once its own entry is committed.
final class AuditGroupCommit: Sendable {
    /// At most this many entries per transaction, so no commit grows without bound.
    static let largestGroup = 256

    private struct Waiting {
        var draft: AuditDraft
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        var committing = false
    }

    private let queue = Mutex(Queue())

    /// Commits `draft` with whatever else is waiting, through `write` (one
    /// transaction for a group). Returns once the entry is committed; throws
    /// what `write` threw for its group.
    func commit(_ draft: AuditDraft, through write: @escaping @Sendable ([AuditDraft]) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let leads = queue.withLock { queue in
                queue.waiting.append(Waiting(draft: draft, continuation: continuation))
                guard !queue.committing else { return false }
                queue.committing = true
                return true
            }
            if leads { Task { await self.drain(through: write) } }
        }
    }

    /// Commits groups until no one is waiting.
    private func drain(through write: @Sendable ([AuditDraft]) async throws -> Void) async {
        while true {
            let group = queue.withLock { queue in
                let group = Array(queue.waiting.prefix(Self.largestGroup))
                queue.waiting.removeFirst(group.count)
                if group.isEmpty { queue.committing = false }
                return group
            }
            guard !group.isEmpty else { return }
            do {
                try await write(group.map(\.draft))
                for waiting in group { waiting.continuation.resume() }
            } catch {
                for waiting in group { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
