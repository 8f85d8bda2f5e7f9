import AmanaCore
import GRDB

/// Statements prepared once per connection and decoded as they are stepped.
///
/// Measured under load (docs/operations.md, Benchmarks): preparing a statement
/// for every query had GRDB's authorizer work out the tables each one touches,
/// and rows copied out of `fetchAll` looked every column up by lowercasing all
/// the column names; together they cost more than SQLite itself. A cached
/// statement is prepared once; a cursor's row finds its columns in the
/// statement's own index. Only SQL whose text is fixed goes through the cache
/// (an `IN (?, ?, ...)` list of varying length would fill it with variants); a
/// list read on every request is passed as one JSON array instead (``jsonList(_:)``).
extension Database {
    /// `values` as one argument for `IN (SELECT value FROM json_each(?))`: the statement's text
    /// stays the same whatever the list's length, so it is prepared once and cached.
    static func jsonList(_ values: [String]) -> String {
        String(decoding: JSONValue.array(values.map(JSONValue.string)).encoded(), as: UTF8.self)
    }

    /// Every row of `sql`, decoded by `decode` while the statement steps (do not keep the row).
    func rows<T>(sql: String, arguments: StatementArguments = StatementArguments(), cached: Bool = true, _ decode: (Row) throws -> T) throws -> [T] {
        let statement = cached ? try cachedStatement(sql: sql) : try makeStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        var decoded: [T] = []
        while let row = try cursor.next() { decoded.append(try decode(row)) }
        return decoded
    }

    /// The first row of `sql`, decoded; nil when there is none.
    func row<T>(sql: String, arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T) throws -> T? {
        let cursor = try Row.fetchCursor(try cachedStatement(sql: sql), arguments: arguments)
        return try cursor.next().map(decode)
    }

    /// The first column of every row of `sql`.
    func values<V: DatabaseValueConvertible & StatementColumnConvertible>(_: V.Type, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [V] {
        try V.fetchAll(try cachedStatement(sql: sql), arguments: arguments)
    }

    /// The first column of the first row of `sql`; nil when there is no row or it is NULL.
    func value<V: DatabaseValueConvertible & StatementColumnConvertible>(_: V.Type, sql: String, arguments: StatementArguments = StatementArguments()) throws -> V? {
        try V.fetchOne(try cachedStatement(sql: sql), arguments: arguments)
    }

    /// Executes `sql` from a statement prepared once per connection.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
