import GRDB
import Synchronization

/// Read-only connections of the store's own, for the short reads every request makes
/// (``SQLiteStore/readNow(_:_:)``: a session, a case, a page of cases).
///
/// A read through GRDB's pool checks that it is not nested by going over every reader under
/// the pool's lock, takes a reader from the pool, and prepares `BEGIN` and `COMMIT` anew each
/// time: under load that was a third of every short read, about a tenth of both cores
/// (`perf record --call-graph dwarf` on `amana-bench profile http`). Here a free connection is
/// taken from a list behind one lock, and the transaction's statements are prepared once.
/// When every connection is in use (more threads reading at once than were foreseen) the read
/// goes to GRDB's pool as before.
final class CallingThreadReaders: Sendable {
    private let free: Mutex<[DatabaseQueue]>

    /// - Parameters:
    ///   - path: the store's file, in WAL mode (a migration after opening is fine: SQLite prepares a
    ///     statement again when the schema has changed).
    ///   - count: how many connections; one for each thread that may read at once.
    ///   - configuration: the store's own (busy timeout, label), opened read-only.
    init(path: String, count: Int, configuration: Configuration) throws {
        var readOnly = configuration
        readOnly.readonly = true
        // The transaction is begun and ended here, by statements prepared once.
        readOnly.allowsUnsafeTransactions = true
        readOnly.label = (configuration.label ?? "amana") + ".reader"
        free = Mutex(try (0..<count).map { _ in try DatabaseQueue(path: path, configuration: readOnly) })
    }

    /// Runs `body` in one read transaction (one snapshot) on a free connection; nil, without
    /// running it, when none is free.
    func read<T>(_ body: (Database) throws -> T) throws -> T? {
        guard let connection = free.withLock({ $0.popLast() }) else { return nil }
        var reusable = true
        defer { if reusable { free.withLock { $0.append(connection) } } }
        return try connection.inDatabase { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED").execute()
            do {
                let value = try body(db)
                try db.cachedStatement(sql: "COMMIT").execute()
                return value
            } catch {
                // Never keep a snapshot open: it would hold the WAL from starting over. A connection
                // that cannot leave its transaction is dropped (GRDB's pool then takes its reads).
                try? db.cachedStatement(sql: "ROLLBACK").execute()
                reusable = !db.isInsideTransaction
                throw error
            }
        }
    }
}
