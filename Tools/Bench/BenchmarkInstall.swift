import Foundation
import Kernel

/// A fresh install for one benchmark, in a temporary directory of its own: the benchmark's
/// config and the organisation's overlay (``CaseBenchmarks/writeConfig(_:store:)``,
/// ``CaseBenchmarks/installOverlay(_:)``), opened with Argon2id at its minimum cost for the
/// benchmark accounts (signing in is not what is measured).
struct BenchmarkInstall {
    let layout: InstallLayout
    let kernel: Kernel

    /// `name` tells the temporary directories of concurrent runs apart (`amana-bench-<name>-<uuid>`).
    init(_ name: String, shipped root: String) async throws {
        layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-\(name)-\(UUID().uuidString)").path)
        _ = try await Kernel.initialize(layout, agencyCode: "BENCH", shippedDirectory: root)
        try CaseBenchmarks.writeConfig(layout)
        try CaseBenchmarks.installOverlay(layout)
        kernel = try Kernel.open(layout, shippedDirectory: root, fastPasswordHashing: true)
    }

    /// Deletes the install's directory.
    func remove() { try? FileManager.default.removeItem(atPath: layout.directory) }
}
