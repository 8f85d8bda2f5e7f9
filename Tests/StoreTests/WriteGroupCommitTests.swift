import AmanaCore
import Foundation
import GRDB
import Synchronization
import Testing
@testable import Store

@Suite("Write group commit")
struct WriteGroupCommitTests {
    /// The transactions writers ran in, told apart by when each began.
    final class Transactions: Sendable {
        private let began = Mutex<Set<Date>>([])
        func saw(_ date: Date) { began.withLock { _ = $0.insert(date) } }
        var count: Int { began.withLock { $0.count } }
    }

    func pool() throws -> (DatabasePool, WriteGroupCommit) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("amana-group-\(UUID().uuidString).sqlite").path
        let pool = try DatabasePool(path: path)
        try pool.write { db in try db.execute(sql: "CREATE TABLE note (n INTEGER PRIMARY KEY)") }
        return (pool, WriteGroupCommit(pool: pool, walBound: WALBound(databasePath: path, restartSize: 64 << 20)))
    }

    @Test func writersShareCommitsAndARefusedWriteRollsBackOnlyItsOwn() async throws {
        let (pool, commits) = try pool()
        let transactions = Transactions()
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    do {
                        let written = try await commits.write { db -> Int in
                            try db.execute(sql: "INSERT INTO note (n) VALUES (?)", arguments: [n])
                            let began = try db.transactionDate
                            transactions.saw(began)
                            // Every seventh is refused after writing, as a stale version would be.
                            if n % 7 == 0 { throw AmanaError(.preconditionFailed, code: "version-stale", "stale") }
                            return n
                        }
                        #expect(written == n)
                        // Returned: committed, and visible to a reader.
                        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT n FROM note WHERE n = ?", arguments: [n]) } == n)
                        return (n, true)
                    } catch let error as AmanaError {
                        #expect(error.code == "version-stale")
                        return (n, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == stride(from: 0, to: 200, by: 7).map { $0 })
        let stored = try await pool.read { db in try Int.fetchAll(db, sql: "SELECT n FROM note ORDER BY n") }
        #expect(stored == (0..<200).filter { $0 % 7 != 0 })
        #expect(transactions.count < 200, "200 writers arriving together should share commits")
    }

    @Test func aDatabaseFailureInAGroupGivesEachWriterItsOwnAnswer() async throws {
        let (pool, commits) = try pool()
        try await pool.write { db in try db.execute(sql: "INSERT INTO note (n) VALUES (1000)") }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<50 {
                group.addTask {
                    do {
                        // Writer 25 breaks a constraint: a database error, not a refusal.
                        _ = try await commits.write { db in try db.execute(sql: "INSERT INTO note (n) VALUES (?)", arguments: [n == 25 ? 1000 : n]) }
                        return (n, true)
                    } catch let error as DatabaseError {
                        #expect(error.resultCode == .SQLITE_CONSTRAINT)
                        return (n, false)
                    }
                }
            }
            return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.filter { !$0.value }.keys.sorted() == [25])
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM note") } == 50)
    }
}
