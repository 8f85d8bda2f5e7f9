import Logging
import PostgresNIO
import Synchronization

/// The store's statements, each prepared once on each connection and then run by name:
/// PostgreSQL parses and plans a statement sent as text at every call, and under the
/// benchmark's load (`pg_stat_statements` with `track_planning`) planning took more of the
/// server's time than running did: 0.36 ms against 0.11 ms for a case file, 0.08 against
/// 0.02 ms for the session behind a token. A prepared statement is planned for its first
/// five runs, then by one generic plan where that plan is as good.
///
/// postgres-nio prepares a statement on a connection the first time it runs there
/// (``PostgresPreparedStatement``). Two of its ways are met here:
/// - Its statements are types, each with a fixed text; the store's texts are strings, some
///   built from parts. ``Statement`` is one type whose name and text are read from a task-local
///   value, set around each call (postgres-nio reads them in the calling task).
/// - A statement whose preparation failed (in a transaction already aborted, or held up by a
///   lock timeout) stays failed on that connection for good. So a statement that fails on a
///   connection where it has not yet run well has that connection closed when its lease ends
///   (unless what failed can only be found by running it): the pool opens a new one.
///   A prepared statement whose result changed under it (a newer Amana's migration while this
///   one runs: SQLSTATE 0A000) closes it too.
///
/// Only statements that read or change rows are prepared (not `BEGIN`, `SET`, DDL), each under
/// a number of its own (never a hash that two texts could share). The store's texts are fixed
/// or built from a few fixed parts, some hundreds at most; past ``limit`` a new text runs
/// unprepared, so that no pattern of calls grows a connection's statements without end.
final class PostgresPreparedStatements: Sendable {
    /// Distinct statements prepared at most; past it, a new one runs as text.
    static let limit = 1_000
    /// Connections whose statements known to run well are remembered; one forgotten (the pool
    /// replaces idle connections with new ones) only costs a needless close after an error.
    static let connections = 64

    private struct Known {
        /// The name of each statement text, with its parameters' types.
        var names: [String: String] = [:]
        /// On each connection remembered, the statements that have run well there (so were
        /// prepared), and those connections, oldest first.
        var ranWell: [PostgresConnection.ID: Set<String>] = [:]
        var order: [PostgresConnection.ID] = []
        /// Connections to close once their lease ends (``closeIfSpoiled(_:)``).
        var spoiled: Set<PostgresConnection.ID> = []
    }

    private let known = Mutex(Known())

    /// The name `text` (numbered `$1, $2...`, its parameters of `types`) is prepared under; nil
    /// when it is to be sent as text.
    func name(for text: String, types: [PostgresDataType]) -> String? {
        guard Self.changesOrReadsRows(text) else { return nil }
        let key = types.map { "\($0.rawValue)" }.joined(separator: ",") + "|" + text
        return known.withLock { known in
            if let name = known.names[key] { return name }
            guard known.names.count < Self.limit else { return nil }
            let name = "amana_\(known.names.count + 1)"
            known.names[key] = name
            return name
        }
    }

    /// Runs the statement prepared as `name` on `connection`, giving each row to `body`.
    func run(
        _ name: String, text: String, types: [PostgresDataType], bindings: PostgresBindings, on connection: PostgresConnection, logger: Logger,
        _ body: (PostgresRow) throws -> Void
    ) async throws {
        do {
            try await Statement.$text.withValue(Statement.Text(name: name, sql: text, types: types)) {
                for try await row in try await connection.execute(Statement(bindings: bindings), logger: logger) { try body(row) }
            }
        } catch let error as PSQLError {
            let ranWell = known.withLock { $0.ranWell[connection.id]?.contains(name) == true }
            let state = error.serverInfo?[.sqlState] ?? ""
            // A broken rule of the data (class 23: a duplicate, a missing reference) is found by
            // running, never by preparing: such a statement was prepared, and the connection (in a
            // group commit, shared by other writers) stays.
            if (!ranWell && !state.hasPrefix("23")) || state == "0A000" {
                _ = known.withLock { $0.spoiled.insert(connection.id) }
            }
            throw error
        }
        known.withLock { known in
            if known.ranWell[connection.id]?.insert(name) == nil {
                known.ranWell[connection.id] = [name]
                known.order.append(connection.id)
                if known.order.count > Self.connections { known.ranWell.removeValue(forKey: known.order.removeFirst()) }
            }
        }
    }

    /// Closes `connection` if a statement may have been left failed on it, once the work that
    /// leased it is over: not at the failure, since that work still rolls back on it (a
    /// statement sent on a closed connection would wait for its answer for ever). The pool
    /// opens a new connection in its place.
    func closeIfSpoiled(_ connection: PostgresConnection) async {
        guard known.withLock({ $0.spoiled.remove(connection.id) != nil }) else { return }
        try? await connection.close()
    }

    /// Whether a statement reads or changes rows (it starts with SELECT, INSERT, UPDATE, DELETE or WITH).
    static func changesOrReadsRows(_ text: String) -> Bool {
        let word = text.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(word)
    }

    /// Any statement, to postgres-nio: its name, text and parameters' types are those of the
    /// call in progress (``text``).
    struct Statement: PostgresPreparedStatement {
        struct Text: Sendable {
            var name: String
            var sql: String
            var types: [PostgresDataType]
        }
        @TaskLocal static var text = Text(name: "", sql: "", types: [])
        static var name: String { text.name }
        static var sql: String { text.sql }
        static var bindingDataTypes: [PostgresDataType] { text.types }
        typealias Row = PostgresRow
        let bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
