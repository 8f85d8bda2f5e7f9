import AmanaCore
import Foundation
import Kernel
import PostgresStore
import Store

/// `amana-bench stores [COUNT]`: the case endpoints over HTTP on the embedded SQLite store
/// and on PostgreSQL, side by side in one run, each install holding COUNT cases (default
/// 10,000) made the same way. The PostgreSQL server is the one `AMANA_BENCH_POSTGRES` names
/// (`Tools/postgres.sh start` prints one); each run makes a new database on it.
enum StoreComparison {
    static func run(shipped root: String, cases: Int) async throws {
        guard let server = ProcessInfo.processInfo.environment["AMANA_BENCH_POSTGRES"], !server.isEmpty else {
            print("amana-bench stores: set AMANA_BENCH_POSTGRES to a PostgreSQL server's address (bash Tools/postgres.sh start prints one).")
            exit(2)
        }
        Harness.cases = cases
        let name = "amana_bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let postgres = try await PostgresStore.createDatabase(String(name), using: try PostgresConnectionURL(server)).withPassword
        var measured: [(store: String, results: [LoadResult])] = []
        for (label, store) in [("SQLite", "sqlite"), ("PostgreSQL", postgres)] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-stores-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let layout = InstallLayout(directory: directory)
            _ = try await Kernel.initialize(layout, agencyCode: "BENCH", shippedDirectory: root, store: store)
            try CaseBenchmarks.writeConfig(layout, store: store == "sqlite" ? nil : store)
            try CaseBenchmarks.installOverlay(layout)
            let kernel = try Kernel.open(layout, shippedDirectory: root, fastPasswordHashing: true)
            print("\n\(label): importing \(cases) cases...")
            let population = try await CaseBenchmarks.populate(kernel, layout: layout, cases: cases)
            let served = try await ServedInstall.start(kernel)
            defer { served.stop() }
            let results = try await CaseBenchmarks.endpoints(served, population: population, clients: CaseBenchmarks.concurrency, versions: VersionBook())
            measured.append((label, results + [population.importing.asLoad]))
        }
        let durability = try await PostgresStore(address: try PostgresConnectionURL(postgres), auditLinker: { _, _ in [] }).durabilitySettings()
        report(measured, settings: durability.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
    }

    /// One line per endpoint: each store's p50, p99 and throughput, and PostgreSQL's throughput as a share of SQLite's.
    static func report(_ measured: [(store: String, results: [LoadResult])], settings: String) {
        guard measured.count == 2 else { return }
        let (sqlite, postgres) = (measured[0].results, measured[1].results)
        print("\nThe case endpoints on both stores, \(Harness.cases) cases, \(CaseBenchmarks.concurrency) clients (same machine, same run; SQLite at synchronous=FULL, PostgreSQL with \(settings)):")
        print("".padding(toLength: 44, withPad: " ", startingAt: 0) + "        SQLite: p50 / p99 / req/s        PostgreSQL: p50 / p99 / req/s   PostgreSQL vs SQLite")
        for (a, b) in zip(sqlite, postgres) {
            let line = a.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.2f / %8.2f ms / %7.0f   %8.2f / %8.2f ms / %7.0f   %6.2fx throughput",
                         a.percentile(0.5) * 1000, a.percentile(0.99) * 1000, a.requestsPerSecond,
                         b.percentile(0.5) * 1000, b.percentile(0.99) * 1000, b.requestsPerSecond,
                         b.requestsPerSecond / a.requestsPerSecond)
                + (a.failures + b.failures > 0 ? "   \(a.failures)/\(b.failures) FAILED" : "")
            print(line)
            Harness.remember("stores, PostgreSQL vs SQLite: " + a.name, b.percentile(0.99) * 1e9, a.percentile(0.99) * 1e9)
        }
    }
}

extension Measurement {
    /// An import's cost per case, shown in the table's shape (one "request" per case).
    var asLoad: LoadResult {
        LoadResult(name: name, latencies: [nanosecondsPerOperation / 1e9], seconds: nanosecondsPerOperation / 1e9, failures: 0, clients: 1)
    }
}
