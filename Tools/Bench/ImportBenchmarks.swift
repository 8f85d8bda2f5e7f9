import Foundation
import GRDB
import Identity
import Kernel

/// Importing cases: a bulk import as `amana case import` makes it, and the raw SQLite commits
/// an imported case is set against.
extension CaseBenchmarks {
    /// A bulk import as `amana case import` makes it, into a fresh install: one call, every case held
    /// by the one importing, 64 at once (`Kernel.importLanes`). The caseload above is imported in
    /// calls of 10 cases by a thousand caseworkers, so that each one's cases are spread over the
    /// file as after years of work; that is a thousand small imports, not the bulk import the
    /// target is about.
    static func bulkImport(shipped root: String, cases: Int) async throws -> Measurement {
        let install = try await BenchmarkInstall("bulk", shipped: root)
        defer { install.remove() }
        let kernel = install.kernel
        _ = try await kernel.addUser(NewUser(username: "importer", role: "case_worker", password: password), by: .installOperator, requestID: "bench")
        let importer = try await kernel.signIn(username: "importer", password: password, requestID: "bench").actor
        let synthetic = SyntheticCaseload(seed: seed, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        let people = (0..<cases).map(synthetic.person)
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await kernel.importCases(people, actor: importer, requestID: "bench")
        let elapsed = clock.now - start
        precondition(report.unfinished.isEmpty && report.caseNumbers.count == cases, "every generated case imports: \(report.unfinished)")
        let seconds = elapsed.inSeconds
        print("Imported \(cases) cases in one call, as amana case import does, in \(String(format: "%.1f", seconds)) s (\(Int(Double(cases) / seconds)) a second).")
        return Measurement(name: "bulk import, one call (amana case import)", nanosecondsPerOperation: seconds * 1e9 / Double(cases))
    }

    /// Raw SQLite: `commits` transactions of a 4 KiB row each, at `synchronous=FULL` (a case's import commits once).
    static func rawCommits(_ layout: InstallLayout, commits: Int) async throws -> Measurement {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let raw = try DatabaseQueue(path: layout.database, configuration: configuration)
        defer { try? raw.close() }
        try await raw.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS bench_blob (id INTEGER PRIMARY KEY, body BLOB)") }
        let body = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0) })
        return try await Harness.measureAsync("raw SQLite: \(commits == 1 ? "a commit" : "\(commits) commits") of a 4 KiB row", iterations: 300) {
            for _ in 0..<commits {
                try await raw.write { db in try db.execute(sql: "INSERT INTO bench_blob (body) VALUES (?)", arguments: [body]) }
            }
        }
    }
}
