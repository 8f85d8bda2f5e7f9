import AmanaCore
import Foundation
import Store

/// Filling an empty database with an install moved from SQLite (`amana migrate-store`).
extension PostgresStore {
    /// Inserts every page `produce` hands over, all in one write transaction: either the whole
    /// install is here, or nothing is. Refuses a database that already holds an install.
    public func importInstall(_ produce: @escaping @Sendable (_ insert: @escaping @Sendable (PortableRows) async throws -> Void) async throws -> Void) async throws {
        try await write("move the install into PostgreSQL") { t in
            guard try await t.value(Int64.self, "SELECT COUNT(*) FROM agency") == 0,
                  try await t.value(Int64.self, "SELECT COUNT(*) FROM audit_log") == 0 else {
                throw AmanaError(.conflict, code: "install-exists", "The database \(self.address.redacted) already holds an Amana install; give an empty database. Nothing was changed in it.")
            }
            let types = Dictionary(
                try await t.rows(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema()"
                ) { ("\(try $0.text("table_name")).\(try $0.text("column_name"))", try $0.text("data_type")) },
                uniquingKeysWith: { first, _ in first })
            try await produce { page in try await Self.insert(page, types: types, in: t) }
            // New cases are numbered after the moved ones.
            try await t.run("SELECT setval(pg_get_serial_sequence('case_file', 'seq'), GREATEST(COALESCE(MAX(seq), 0), 1)) FROM case_file")
        }
    }

    static func insert(_ page: PortableRows, types: [String: String], in t: PostgresTransaction) async throws {
        guard !page.rows.isEmpty else { return }
        let columnTypes = try page.columns.map { column in
            guard let type = types["\(page.table).\(column)"] else {
                throw AmanaError.install("move-schema", "The table \(page.table) has a column \(column) that the PostgreSQL schema does not; upgrade Amana.")
            }
            return type
        }
        let names = page.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: page.columns.count).joined(separator: ", ") + ")"
        // Rows in batches well under PostgreSQL's 65,535 arguments a statement.
        let batch = max(1, 20_000 / page.columns.count)
        for start in stride(from: 0, to: page.rows.count, by: batch) {
            let rows = page.rows[start..<min(start + batch, page.rows.count)]
            var arguments: [any PostgresArgument] = []
            arguments.reserveCapacity(rows.count * page.columns.count)
            for values in rows {
                for (value, type) in zip(values, columnTypes) { arguments.append(try argument(value, as: type, table: page.table)) }
            }
            try await t.run(
                "INSERT INTO \"\(page.table)\" (\(names)) VALUES \(Array(repeating: row, count: rows.count).joined(separator: ", "))", arguments)
        }
    }

    /// A SQLite value as the PostgreSQL column takes it (SQLite keeps flags as 0 and 1).
    static func argument(_ value: PortableValue, as type: String, table: String) throws -> any PostgresArgument {
        switch (value, type) {
        case (.null, "boolean"): return Bool?.none
        case (.null, "bytea"): return Data?.none
        case (.null, "bigint"): return Int64?.none
        case (.null, _): return String?.none
        case (.integer(let n), "boolean"): return n != 0
        case (.integer(let n), "bigint"): return n
        case (.text(let s), "text"): return s
        case (.bytes(let b), "bytea"): return Data(b)
        default:
            throw AmanaError.install("move-value", "A value in the table \(table) does not fit its PostgreSQL column (\(type)); nothing was moved.")
        }
    }

    /// How many rows each table holds.
    public func rowCounts(of tables: [String]) async throws -> [String: Int] {
        try await read("count the rows") { t in
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = Int(try await t.value(Int64.self, "SELECT COUNT(*) FROM \"\(table)\"") ?? 0) }
            return counts
        }
    }

    /// The last entry of the audit chain (its sequence and hash); nil when empty.
    public func lastAuditLink() async throws -> (sequence: Int64, hash: [UInt8])? {
        try await read("read the audit log") { t in
            try await t.row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { (try $0.int64("seq"), try $0.bytes("hash")) }
        }
    }
}
