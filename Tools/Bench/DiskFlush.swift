import Foundation
import GRDB

/// How long this disk takes to make a commit durable, measured in the same run as the HTTP
/// load: one raw SQLite commit after another (WAL, `synchronous=FULL`, a row the size of an
/// audit entry), in the install's own directory, so on the same file system.
///
/// Every authenticated read commits its audit entry before it answers, and every write its
/// change: under load each request waits for at least one such flush, usually for the one in
/// progress and then its own. A p99 target well under twice this disk's p99 flush cannot be
/// met on it, however little the server itself does.
enum DiskFlush {
    /// The p50 and p99 of `commits` sequential commits, in seconds.
    static func measure(in directory: String, commits: Int) throws -> (p50: Double, p99: Double) {
        let path = directory + "/disk-flush-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let raw = try DatabasePool(path: path)
        defer { try? raw.close() }
        // As the store does: GRDB sets NORMAL when it turns WAL on, so FULL is set afterwards and read back.
        let synchronous = try raw.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL; CREATE TABLE entry (id INTEGER PRIMARY KEY, body BLOB)")
            return try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        precondition(synchronous == 2, "the flush is measured at synchronous=FULL")
        let body = Data(repeating: 0x61, count: 300)
        let clock = ContinuousClock()
        var latencies: [Double] = []
        for _ in 0..<max(commits, 2) {
            let elapsed = try clock.measure {
                try raw.write { db in try db.execute(sql: "INSERT INTO entry (body) VALUES (?)", arguments: [body]) }
            }
            latencies.append(elapsed.inSeconds)
        }
        latencies.sort()
        return (latencies.percentile(0.5), latencies.percentile(0.99))
    }

    /// Measures and prints the flush beside the HTTP figures.
    static func report(in directory: String) throws {
        let flush = try measure(in: directory, commits: Harness.scaled(2_000))
        print(String(
            format: "This disk's flush (a raw SQLite commit at synchronous=FULL, one after another, on the install's file system): p50 %.2f ms, p99 %.2f ms. Each request below but the bare route waits for at least one.",
            flush.p50 * 1000, flush.p99 * 1000))
    }
}
