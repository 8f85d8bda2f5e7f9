import Foundation
import GRDB
import Synchronization

/// Keeps the write-ahead log from growing without end while readers never stop.
///
/// SQLite's own checkpoints (PASSIVE, after each 1,000 pages) copy the WAL into the
/// database file, but the WAL starts over from its beginning only when a writer finds it
/// fully copied and no reader inside it. Under steady reads — a served install with many
/// caseworkers, an import checking cases while it saves others — some reader always is, and
/// the WAL only grows: it reached 11 GB, the size of the database itself, during the
/// benchmark's full run at a million cases. So, once the WAL file passes ``restartSize``, the
/// writer checkpoints with RESTART: it copies what is left, waits briefly for the readers of
/// the moment to finish (new readers then read the database file only), and the next commit
/// starts the WAL over; `journal_size_limit` then cuts the file back to ``keptSize``.
///
/// A reader that holds the WAL for long (a report over every case, a backup) outlasts the
/// brief wait; the writer gives up and tries again only when the WAL has grown by
/// another ``restartSize``, so writes are held up by at most ``readerWait`` now and then.
final class WALBound: Sendable {
    /// Past this size the writer restarts the WAL.
    let restartSize: Int64
    /// What the WAL file is cut back to once it has started over (`journal_size_limit`).
    var keptSize: Int64 { restartSize / 4 }
    /// How long the writer waits for the readers of the moment, in milliseconds.
    static let readerWait = 100

    private let walPath: String
    /// The size at which the next restart is tried: ``restartSize``, or more after one failed.
    private let nextTry: Mutex<Int64>
    /// Restarts tried so far, for tests to see that a long reader does not make every commit wait.
    let tries = Atomic<Int>(0)

    /// - Parameters:
    ///   - databasePath: the store's file; its WAL is that path with `-wal`.
    ///   - restartSize: past this many bytes the writer restarts the WAL.
    init(databasePath: String, restartSize: Int64) {
        walPath = databasePath + "-wal"
        self.restartSize = restartSize
        nextTry = Mutex(restartSize)
    }

    /// After a commit, on the writer's connection outside any transaction: restarts the WAL
    /// if it has grown past its bound. Never throws: a failed restart is tried again later.
    func afterCommit(_ db: Database) {
        var info = stat()
        guard stat(walPath, &info) == 0 else { return }
        let size = Int64(info.st_size)
        guard size >= nextTry.withLock({ $0 }) else { return }
        tries.add(1, ordering: .relaxed)
        let restarted = restart(db)
        nextTry.withLock { $0 = restarted ? restartSize : size + restartSize }
    }

    /// RESTART with a short busy timeout, the connection's own put back afterwards.
    private func restart(_ db: Database) -> Bool {
        do {
            let usual = try Int.fetchOne(db, sql: "PRAGMA busy_timeout") ?? 10_000
            try db.execute(sql: "PRAGMA busy_timeout = \(Self.readerWait)")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(usual)") }
            // The first column is 1 when a reader kept the checkpoint from finishing.
            return try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(RESTART)") == 0
        } catch {
            return false
        }
    }
}
