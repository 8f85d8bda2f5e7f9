import AmanaCore
import Foundation
import GRDB

/// A value of a row as every store can take it (what `amana migrate-store` carries).
public enum PortableValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])
}

/// A page of one table's rows, columns named.
public struct PortableRows: Sendable {
    public var table: String
    public var columns: [String]
    public var rows: [[PortableValue]]
}

extension SQLiteStore {
    /// Every table an install keeps, parents before children (the order rows can be inserted in).
    ///
    /// Report digests come last: writing a case's entries forgets its digest (a trigger on both
    /// stores), so they are moved once every entry is in. Moved, the first report on the new
    /// store reads them instead of unsealing and checking every case's forms again (at a
    /// million cases, 152 s against 29 s on SQLite).
    public static let tablesInOrder = [
        "agency", "team", "user", "session", "login_throttle", "case_number_sequence", "case_file", "form_version", "audit_log",
        "case_member", "case_submission", "case_submission_history", "case_search", "case_state_change", "case_timer", "case_task",
        "case_approval", "idempotency", "case_attachment", "case_activity", "service", "transfer_import", "supervision_session",
        "case_report_digest",
    ]

    /// How many rows each table holds, read in one snapshot.
    public func rowCounts() async throws -> [String: Int] {
        try await read("count the rows") { db in
            var counts: [String: Int] = [:]
            for table in Self.tablesInOrder { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0 }
            return counts
        }
    }

    /// Reads every row of every table, `pageSize` rows at a time in rowid order, and hands each
    /// page to `deliver`; `case_file`'s rowid comes as the column `seq` (the order of case lists).
    /// Run under ``holdingWrites(_:)`` so that the pages add up to one state of the install.
    public func exportRows(pageSize: Int = 500, _ deliver: @Sendable (PortableRows) async throws -> Void) async throws {
        for table in Self.tablesInOrder {
            var after: Int64 = Int64.min
            while true {
                let from = after
                let (page, last) = try await read("read the install") { db -> (PortableRows, Int64?) in
                    let rowid = table == "case_file" ? "rowid AS seq, " : ""
                    let statement = try db.makeStatement(sql: "SELECT rowid AS amana_rowid, \(rowid)* FROM \"\(table)\" WHERE rowid > ? ORDER BY rowid LIMIT ?")
                    let columns = Array(statement.columnNames.dropFirst())
                    var rows: [[PortableValue]] = []
                    var last: Int64?
                    let cursor = try Row.fetchCursor(statement, arguments: [from, pageSize])
                    while let row = try cursor.next() {
                        let values = Array(row.databaseValues)
                        last = row[0]
                        rows.append(values.dropFirst().map(Self.portable))
                    }
                    return (PortableRows(table: table, columns: columns, rows: rows), last)
                }
                guard let last else { break }
                try await deliver(page)
                after = last
            }
        }
    }

    static func portable(_ value: DatabaseValue) -> PortableValue {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let real): return .real(real)
        case .string(let text): return .text(text)
        case .blob(let data): return .bytes([UInt8](data))
        }
    }

    /// Runs `body` while this file takes no other writer: every other process's write waits
    /// (and after the busy timeout is told the database is busy). Reads go on.
    public func holdingWrites<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(10)
        let holder: DatabaseQueue
        do {
            holder = try DatabaseQueue(path: path, configuration: configuration)
            try await holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        } catch {
            throw SQLiteStore.map(error, doing: "hold the database for the move")
        }
        do {
            let value = try await body()
            try? await holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            try? holder.close()
            return value
        } catch {
            try? await holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }
            try? holder.close()
            throw error
        }
    }

    /// The last entry of the audit chain (its sequence and hash); nil when empty.
    public func lastAuditLink() async throws -> (sequence: Int64, hash: [UInt8])? {
        try await read("read the audit log") { db in
            try db.row(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { ($0["seq"] as Int64, ($0["hash"] as Data).bytes) }
        }
    }
}
