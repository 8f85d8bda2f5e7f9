import AmanaCore
import Foundation
import GRDB

/// The embedded default store: one SQLite file in WAL mode through GRDB.
///
/// Several processes (`amana serve`, `amana tui`, `amana case ...`) may open
/// the same file at once: SQLite serialises their writes, and every write
/// transaction is IMMEDIATE, so the audit chain stays linear.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    let link: AuditLinker
    /// Every write transaction goes through it: concurrent writers share a commit.
    let groupCommit: WriteGroupCommit
    /// Keeps reads run the usual way to ``longReaders`` at once (see ``readNow(_:_:)``).
    let longReads = AsyncLimiter(limit: SQLiteStore.longReaders)
    /// The connections of ``readNow(_:_:)``.
    let callingThreadReaders: CallingThreadReaders
    public let path: String

    /// How many reads may go through GRDB's reader queues at once: reports, exports, the audit log's check.
    static let longReaders = 5
    /// Connections kept for ``readNow(_:_:)`` (``CallingThreadReaders``), and as many readers more in
    /// GRDB's pool for a short read that finds them all in use: one for each of Swift's threads (one per
    /// core) and the main thread, so a short read on the calling thread never waits for a reader a long read holds.
    static let readersOnCallingThreads = ProcessInfo.processInfo.activeProcessorCount + 1

    /// Opens (or creates) the store at `path`, applies pending migrations, and
    /// checks that durability settings are really in force.
    ///
    /// - Parameters:
    ///   - walRestartSize: past this many bytes the WAL is started over (``WALBound``);
    ///     smaller only in tests.
    /// - Throws: `installProblem` when the file was written by a newer Amana,
    ///   `storageUnavailable` when it cannot be opened.
    public init(path: String, auditLinker: @escaping AuditLinker, walRestartSize: Int64 = 64 << 20) throws {
        let walBound = WALBound(databasePath: path, restartSize: walRestartSize)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "amana"
        configuration.maximumReaderCount = Self.longReaders + Self.readersOnCallingThreads
        configuration.prepareDatabase { db in
            // Deleted content is overwritten, not left in free pages: crypto-shredding
            // and purges must not leave ciphertext or index bytes behind.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA journal_size_limit = \(walBound.keptSize)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteStore.map(error, doing: "open the database")
        }
        self.path = path
        self.link = auditLinker
        groupCommit = WriteGroupCommit(pool: pool, walBound: walBound)
        do {
            callingThreadReaders = try CallingThreadReaders(path: path, count: Self.readersOnCallingThreads, configuration: configuration)
        } catch {
            throw SQLiteStore.map(error, doing: "open the database")
        }
        try enforceDurability()
        try migrate()
    }

    /// GRDB sets the writer to `synchronous = NORMAL` when it enables WAL; a case
    /// file must survive power loss, so set FULL and read it back.
    private func enforceDurability() throws {
        do {
            let (journal, synchronous, foreignKeys, secureDelete) = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                return (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                    try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1,
                    try Int.fetchOne(db, sql: "PRAGMA foreign_keys") ?? -1,
                    try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? -1)
            }
            guard journal.lowercased() == "wal", synchronous == 2, foreignKeys == 1, secureDelete == 1 else {
                throw AmanaError(
                    .storageUnavailable, code: "store-pragmas",
                    "The database did not accept its safety settings (journal_mode=\(journal), synchronous=\(synchronous), foreign_keys=\(foreignKeys), secure_delete=\(secureDelete)).")
            }
        } catch {
            throw SQLiteStore.map(error, doing: "configure the database")
        }
    }

    private func migrate() throws {
        let migrator = StoreMigrations.migrator
        do {
            let newer = try pool.read { try migrator.hasBeenSuperseded($0) }
            if newer {
                throw AmanaError.install(
                    "store-newer", "This database was written by a newer version of Amana; upgrade Amana before opening it. Nothing was changed.")
            }
            try migrator.migrate(pool)
        } catch {
            throw SQLiteStore.map(error, doing: "upgrade the database schema")
        }
    }

    /// Runs a write transaction, mapping storage errors once.
    func write<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await groupCommit.write(body)
        } catch {
            throw SQLiteStore.map(error, doing: doing)
        }
    }

    /// Runs a read transaction on one of GRDB's reader queues, at most ``longReaders`` at once:
    /// for reads that may take long (over every case, the whole audit log).
    func read<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await longReads.run { try await self.pool.read(body) }
        } catch {
            throw SQLiteStore.map(error, doing: doing)
        }
    }

    /// Runs a read transaction bounded by one case, one person or one page on the calling thread.
    ///
    /// GRDB's asynchronous read hands its work to a queue that waits for a free reader, then to
    /// that reader's queue, and its answer back to Swift's threads: three thread switches around a
    /// read of a fraction of a millisecond, on two cores every request shares. Here the calling
    /// thread reads (in one snapshot, as ever), from a reader kept for it (``CallingThreadReaders``,
    /// or GRDB's pool should every one of those be in use). Only a bounded read may:
    /// a long one would hold one of the few threads that serve every request.
    func readNow<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            if let value = try callingThreadReaders.read(body) { return value }
            return try pool.read(body)
        } catch {
            throw SQLiteStore.map(error, doing: doing)
        }
    }

    /// Turns an SQLite error into one a person can act on, without echoing SQL
    /// or values (which could hold survivor data).
    static func map(_ error: Error, doing: String) -> AmanaError {
        if let error = error as? AmanaError { return error }  // already one a person can act on
        guard let error = error as? DatabaseError else {
            return AmanaError(.storageUnavailable, code: "store-failure", "Could not \(doing).")
        }
        switch error.resultCode {
        case .SQLITE_FULL:
            return AmanaError(.storageUnavailable, code: "store-full", "Could not \(doing): the disk is full. Nothing was saved.")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return AmanaError(.storageUnavailable, code: "store-busy", "Could not \(doing): the database is busy; try again.")
        case .SQLITE_CONSTRAINT:
            return AmanaError(.conflict, code: "conflict", "Could not \(doing): it conflicts with a record that already exists.")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return AmanaError(.storageUnavailable, code: "store-unwritable", "Could not \(doing): the database file cannot be opened for writing.")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return AmanaError(.storageUnavailable, code: "store-corrupt", "Could not \(doing): the database file is damaged or is not an Amana database. Restore from a backup.")
        default:
            return AmanaError(.storageUnavailable, code: "store-failure", "Could not \(doing) (SQLite code \(error.resultCode.rawValue)).")
        }
    }

    // MARK: Operations

    public func integrityProblems() async throws -> [String] {
        try await read("check the database") { db in
            let rows = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let fk = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            let problems = rows == ["ok"] ? [] : rows
            return problems + fk.map { "foreign key violation in \($0[0] as String? ?? "?")" }
        }
    }

    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AmanaError.invalid("backup-exists", "\(path) already exists; choose a new file for the backup.")
        }
        do {
            // Owner-only like the database itself, before SQLite writes a byte to it.
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw AmanaError.invalid("backup-unwritable", "Cannot create \(path).")
            }
            // SQLite's online backup API: a consistent snapshot while others keep writing.
            let destination = try DatabaseQueue(path: path)
            try pool.backup(to: destination)
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw SQLiteStore.map(error, doing: "write the backup")
        }
    }
}

extension Data {
    var bytes: [UInt8] { [UInt8](self) }
}
