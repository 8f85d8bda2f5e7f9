import AmanaCore
import Foundation
import Logging
import PostgresNIO
import Store
import Synchronization

/// The scale-out store: the same ``Store`` over one PostgreSQL database, for several
/// `amana serve` processes (on one machine or many) at once.
///
/// Every write transaction first takes one transaction-scoped advisory lock, so that
/// writes from every server go in one at a time, as SQLite's single writer has them:
/// the audit chain stays linear, and each version check (case, submission, activity,
/// service, user) is made against what is committed, so no server overwrites another's
/// change — the second gets 412. Reads take no lock and run on every server at once;
/// a read of several statements is one REPEATABLE READ snapshot.
///
/// Keys are never stored here: only wrapped data keys and ciphertext, as in SQLite.
public final class PostgresStore: Store {
    let client: PostgresClient
    let link: AuditLinker
    let logger: Logger
    public let address: PostgresConnectionURL
    private let running: Task<Void, Never>
    /// Every write transaction goes through it: one server's concurrent writers share a commit.
    private let groupCommit = PostgresGroupCommit()
    /// The statements prepared on the pool's connections (``PostgresPreparedStatements``).
    private let prepared = PostgresPreparedStatements()
    /// Connecting and migrating: every operation waits for it (the kernel opens stores
    /// synchronously). A failed attempt is forgotten, so that the next operation tries again:
    /// a server started while the database was away works once it is back.
    private let readiness = Mutex<Task<Void, any Error>?>(nil)

    /// Every write transaction takes this lock first (see the type's documentation).
    public static let writerLock: Int64 = 0x616D_616E_6101
    /// Migrations take this one, so two servers starting at once upgrade the schema once.
    static let migrationLock: Int64 = 0x616D_616E_6102

    /// A store over the database at `address`. Nothing is sent yet: the first operation connects
    /// and upgrades the schema, and reports a database it cannot reach or one written by a newer
    /// Amana (the next operation tries again).
    public init(address: PostgresConnectionURL, auditLinker: @escaping AuditLinker, logger: Logger = Logger(label: "amana.store")) {
        self.address = address
        self.link = auditLinker
        self.logger = logger
        // The pool's own messages (a connection opened, one given up when the store closes) are
        // not an operator's concern unless something is wrong.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        let client = PostgresClient(configuration: address.clientConfiguration, backgroundLogger: background)
        self.client = client
        running = Task { await client.run() }
    }

    deinit {
        running.cancel()
    }

    /// Waits until the store is connected and migrated; throws what stopped it.
    public func open() async throws {
        let attempt = readiness.withLock { current in
            if let current { return current }
            let (client, logger, redacted, deadline) = (self.client, self.logger, address.redacted, address.leaseDeadline)
            let started = Task {
                do {
                    try await PostgresMigrations.migrate(client, within: deadline, logger: logger)
                } catch let error as AmanaError {
                    throw error
                } catch {
                    // The address names a user and a host: it goes to the operator's log, not to
                    // whoever's request found the database away.
                    let mapped = PostgresStore.map(error, doing: "open the database")
                    logger.warning("The PostgreSQL store could not be opened", metadata: ["store": "\(redacted)", "code": "\(mapped.code)"])
                    throw mapped
                }
            }
            current = started
            return started
        }
        do {
            try await attempt.value
        } catch {
            readiness.withLock { if $0 == attempt { $0 = nil } }
            throw error
        }
    }

    /// Runs a write transaction, after every other server's (see the type's documentation),
    /// grouped with this server's other writers waiting at the same moment (``PostgresGroupCommit``).
    func write<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        do {
            return try await groupCommit.write(body) { [self] body in try await writeTransaction(body) }
        } catch {
            throw Self.map(error, doing: doing)
        }
    }

    /// One write transaction: the writer lock first, then `body`.
    private func writeTransaction(_ body: @escaping PostgresGroupCommit.Body) async throws -> any Sendable {
        try await transaction(begin: "BEGIN") { transaction -> any Sendable in
            // As SQLite's busy timeout: a writer held up this long is told to try again, not left
            // waiting. One statement (one round trip): the CTE sets the timeout for this
            // transaction (SET LOCAL) before the lock is waited for.
            try await transaction.run(
                """
                WITH limited AS MATERIALIZED (SELECT set_config('lock_timeout', '10s', true))
                SELECT pg_advisory_xact_lock(?) FROM limited
                """, [Self.writerLock])
            return try await body(transaction)
        }
    }

    /// Runs a read of one or several statements in one snapshot.
    func read<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        do {
            return try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        } catch {
            throw Self.map(error, doing: doing)
        }
    }

    /// Runs statements that need neither the writer lock nor a snapshot (each commits alone): among
    /// them every read of one statement, which reads one snapshot of its own. A transaction around
    /// it would add BEGIN and COMMIT, two round trips to the server of three.
    func unlocked<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await open()
        do {
            return try await Self.leased(client, within: address.leaseDeadline, logger: logger, prepared: prepared, body)
        } catch {
            throw Self.map(error, doing: doing)
        }
    }

    private func transaction<T: Sendable>(begin: String, _ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        try await open()
        return try await Self.leased(client, within: address.leaseDeadline, logger: logger, prepared: prepared) { transaction in
            try await transaction.run(begin)
            do {
                let value = try await body(transaction)
                try await transaction.run("COMMIT")
                return value
            } catch {
                try? await transaction.run("ROLLBACK")
                throw error
            }
        }
    }


    /// Runs `body` on a connection from the pool. The pool itself waits for a connection without
    /// end (it retries a server that is down); here the wait is bounded, so that a request is
    /// answered 503 while the database is away instead of hanging. Only the wait is bounded:
    /// once leased, the work runs to its end. `prepared`: the statements prepared on the pool's
    /// connections (nil: every statement sent as text).
    static func leased<T: Sendable>(
        _ client: PostgresClient, within deadline: Duration, logger: Logger, prepared: PostgresPreparedStatements? = nil,
        _ body: @escaping @Sendable (PostgresTransaction) async throws -> T
    ) async throws -> T {
        let leased = LeaseFlag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await client.withConnection { connection in
                    leased.done.withLock { $0 = true }
                    do {
                        let value = try await body(PostgresTransaction(connection: connection, logger: logger, prepared: prepared))
                        await prepared?.closeIfSpoiled(connection)
                        return value
                    } catch {
                        await prepared?.closeIfSpoiled(connection)
                        throw error
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                if !leased.done.withLock({ $0 }) { throw LeaseTimedOut() }
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let value = outcome { return value }
            }
            throw LeaseTimedOut()
        }
    }

    /// Turns a PostgreSQL error into one a person can act on, without echoing SQL or
    /// values (which could hold survivor data). The SQLSTATE class says what happened.
    static func map(_ error: any Error, doing: String) -> AmanaError {
        if let error = error as? AmanaError { return error }
        if error is LeaseTimedOut {
            return AmanaError(.storageUnavailable, code: "store-unreachable", "Could not \(doing): the database server cannot be reached; try again.")
        }
        guard let error = error as? PSQLError else {
            return AmanaError(.storageUnavailable, code: "store-failure", "Could not \(doing).")
        }
        guard let state = error.serverInfo?[.sqlState] else {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return AmanaError(.storageUnavailable, code: "store-unreachable", "Could not \(doing): the database server cannot be reached; try again.")
            case .authMechanismRequiresPassword, .unsupportedAuthMechanism, .saslError:
                return AmanaError(.storageUnavailable, code: "store-refused", "Could not \(doing): the database refused the user or password in the store address.")
            case .sslUnsupported:
                return AmanaError(.storageUnavailable, code: "store-tls", "Could not \(doing): the database server does not offer TLS (sslmode=require).")
            default:
                return AmanaError(.storageUnavailable, code: "store-failure", "Could not \(doing).")
            }
        }
        switch state {
        case "23505", "23503", "23514":
            return AmanaError(.conflict, code: "conflict", "Could not \(doing): it conflicts with a record that already exists.")
        case "40001", "40P01", "55P03", "57014":
            return AmanaError(.storageUnavailable, code: "store-busy", "Could not \(doing): the database is busy; try again.")
        case "53100":
            return AmanaError(.storageUnavailable, code: "store-full", "Could not \(doing): the database's disk is full. Nothing was saved.")
        case "28000", "28P01":
            return AmanaError(.storageUnavailable, code: "store-refused", "Could not \(doing): the database refused the user or password in the store address.")
        case "3D000":
            return AmanaError(.storageUnavailable, code: "store-missing", "Could not \(doing): the database named in the store address does not exist.")
        case "25006", "42501":
            return AmanaError(.storageUnavailable, code: "store-unwritable", "Could not \(doing): the database cannot be written (a read replica, or the user lacks rights).")
        default:
            return AmanaError(.storageUnavailable, code: "store-failure", "Could not \(doing) (PostgreSQL SQLSTATE \(state)).")
        }
    }
}

/// No connection could be had from the pool in time (``PostgresConnectionURL/leaseDeadline``).
struct LeaseTimedOut: Error {}

/// Whether a connection was leased (shared by the two racing tasks of ``PostgresStore/leased(_:within:logger:_:)``).
final class LeaseFlag: Sendable {
    let done = Mutex(false)
}
