import AmanaCore
import Store
import Foundation
import Logging
import PostgresNIO

/// A value bound to a statement's `?`.
protocol PostgresArgument: Sendable {
    func bind(into binds: inout PostgresBindings) throws
    /// Its type in PostgreSQL, as a prepared statement declares its parameters (a NULL has its
    /// wrapped type's, so that a statement is prepared once whichever of its arguments are NULL).
    static var postgresType: PostgresDataType { get }
}

extension String: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws { binds.append(self) }
    static var postgresType: PostgresDataType { .text }
}
extension Int: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws { binds.append(Int64(self)) }
    static var postgresType: PostgresDataType { .int8 }
}
extension Int64: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws { binds.append(self) }
    static var postgresType: PostgresDataType { .int8 }
}
extension Bool: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws { binds.append(self) }
    static var postgresType: PostgresDataType { .bool }
}
extension Data: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws { try binds.append(self) }
    static var postgresType: PostgresDataType { .bytea }
}
/// A list given as one `text[]` argument (`= ANY(?)`), whatever its length.
extension Array: PostgresArgument where Element == String {
    func bind(into binds: inout PostgresBindings) throws { binds.append(self) }
    static var postgresType: PostgresDataType { .textArray }
}
extension Optional: PostgresArgument where Wrapped: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws {
        switch self {
        case .some(let value): try value.bind(into: &binds)
        case .none: binds.appendNull()
        }
    }
    static var postgresType: PostgresDataType { Wrapped.postgresType }
}

/// One connection in a transaction (or, for a single read, outside one).
///
/// Statements are written as for SQLite, with `?` for each argument; they are
/// numbered `$1, $2, ...` here, so that both stores read alike. No statement
/// text holds a literal `?`.
struct PostgresTransaction: @unchecked Sendable {
    // Used only inside the closure that leased it (postgres-nio's rule); never kept.
    let connection: PostgresConnection
    let logger: Logger
    /// The store's prepared statements; nil: every statement is sent as text (migrations,
    /// whose changes to tables would leave a statement prepared before them stale).
    let prepared: PostgresPreparedStatements?

    /// `sql` with its `?` numbered `$1, $2, ...`.
    static func numbered(_ sql: String, _ count: Int) -> String {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        for character in sql {
            if character == "?" {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        precondition(number == count, "statement has \(number) placeholders for \(count) arguments")
        return text
    }

    static func bindings(_ arguments: [any PostgresArgument]) throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments { try argument.bind(into: &binds) }
        return binds
    }

    /// Runs `sql`, giving each row to `body` as it comes: by the name it is prepared under where it
    /// can be (``PostgresPreparedStatements``), else as text.
    private func forEachRow(_ sql: String, _ arguments: [any PostgresArgument], _ body: (PostgresRow) throws -> Void) async throws {
        let text = Self.numbered(sql, arguments.count)
        let bindings = try Self.bindings(arguments)
        let types = arguments.map { type(of: $0).postgresType }
        if let prepared, let name = prepared.name(for: text, types: types) {
            try await prepared.run(name, text: text, types: types, bindings: bindings, on: connection, logger: logger, body)
            return
        }
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger) { try body(row) }
    }

    /// Runs `sql`, reading no rows.
    func run(_ sql: String, _ arguments: [any PostgresArgument] = []) async throws {
        try await forEachRow(sql, arguments) { _ in }
    }

    /// Runs `sql` (an UPDATE or DELETE ending `RETURNING 1`); how many rows it touched.
    func changed(_ sql: String, _ arguments: [any PostgresArgument] = []) async throws -> Int {
        var count = 0
        try await forEachRow(sql, arguments) { _ in count += 1 }
        return count
    }

    /// Every row of `sql`, decoded.
    func rows<T>(_ sql: String, _ arguments: [any PostgresArgument] = [], _ decode: (PostgresCells) throws -> T) async throws -> [T] {
        try await decodedRows(sql, arguments) { try decode(PostgresCells($0)) }
    }

    /// The first row of `sql`, decoded; nil when there is none.
    func row<T>(_ sql: String, _ arguments: [any PostgresArgument] = [], _ decode: (PostgresCells) throws -> T) async throws -> T? {
        try await rows(sql, arguments, decode).first
    }

    /// The first column of the first row; nil when there is no row or it is NULL.
    func value<V: PostgresDecodable>(_: V.Type, _ sql: String, _ arguments: [any PostgresArgument] = []) async throws -> V? where V._DecodableType == V {
        try await decodedRows(sql, arguments) { try $0[0].decode(V?.self) }.first ?? nil
    }

    /// The first column of every row.
    func values<V: PostgresDecodable>(_: V.Type, _ sql: String, _ arguments: [any PostgresArgument] = []) async throws -> [V] {
        try await decodedRows(sql, arguments) { try $0[0].decode(V.self) }
    }

    private func decodedRows<T>(_ sql: String, _ arguments: [any PostgresArgument], _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var decoded: [T] = []
        try await forEachRow(sql, arguments) { decoded.append(try decode($0.makeRandomAccess())) }
        return decoded
    }
}
