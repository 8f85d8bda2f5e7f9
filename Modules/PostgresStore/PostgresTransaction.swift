import AmanaCore
import Store
import Foundation
import Logging
import PostgresNIO

/// A value bound to a statement's `?`.
protocol PostgresArgument: Sendable {
    func bind(into binds: inout PostgresBindings) throws
}

extension String: PostgresArgument { func bind(into binds: inout PostgresBindings) throws { try binds.append(self) } }
extension Int: PostgresArgument { func bind(into binds: inout PostgresBindings) throws { binds.append(Int64(self)) } }
extension Int64: PostgresArgument { func bind(into binds: inout PostgresBindings) throws { try binds.append(self) } }
extension Bool: PostgresArgument { func bind(into binds: inout PostgresBindings) throws { try binds.append(self) } }
extension Data: PostgresArgument { func bind(into binds: inout PostgresBindings) throws { try binds.append(self) } }
/// A list given as one `text[]` argument (`= ANY(?)`), whatever its length.
extension Array: PostgresArgument where Element == String { func bind(into binds: inout PostgresBindings) throws { try binds.append(self) } }
extension Optional: PostgresArgument where Wrapped: PostgresArgument {
    func bind(into binds: inout PostgresBindings) throws {
        switch self {
        case .some(let value): try value.bind(into: &binds)
        case .none: binds.appendNull()
        }
    }
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

    static func query(_ sql: String, _ arguments: [any PostgresArgument]) throws -> PostgresQuery {
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
        precondition(number == arguments.count, "statement has \(number) placeholders for \(arguments.count) arguments")
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments { try argument.bind(into: &binds) }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }

    /// Runs `sql`, reading no rows.
    func run(_ sql: String, _ arguments: [any PostgresArgument] = []) async throws {
        _ = try await connection.query(try Self.query(sql, arguments), logger: logger).collect()
    }

    /// Runs `sql` (an UPDATE or DELETE ending `RETURNING 1`); how many rows it touched.
    func changed(_ sql: String, _ arguments: [any PostgresArgument] = []) async throws -> Int {
        try await connection.query(try Self.query(sql, arguments), logger: logger).collect().count
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
        for try await row in try await connection.query(try Self.query(sql, arguments), logger: logger) {
            decoded.append(try decode(row.makeRandomAccess()))
        }
        return decoded
    }
}
