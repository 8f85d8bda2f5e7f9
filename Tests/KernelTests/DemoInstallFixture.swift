import AmanaCore
import AmanaTestSupport
import Foundation
import Identity
@testable import Kernel

/// The demo install (its accounts and its cases in every state), opened with a clock the
/// test moves, for behaviour that needs a whole caseload or time to pass.
struct DemoInstallFixture {
    let layout: InstallLayout
    let kernel: Kernel
    let clock: ManualClock
    let passwords: [String: String]

    /// `config` is written to config.yaml before the install is opened.
    init(config: String? = nil) async throws {
        layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-demo-\(UUID().uuidString)").path)
        let report = try await Kernel.initialize(layout, agencyCode: "DEMO", demo: true, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        if let config { try TestStore.writeConfig(config, to: layout.config) }
        clock = ManualClock(Date())
        kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, clock: clock, fastPasswordHashing: true)
        passwords = Dictionary(uniqueKeysWithValues: report.demoAccounts.map { ($0.username, $0.password) })
    }

    /// A demo account, signed in now (after the clock moved, sign in again).
    func actor(_ username: String) async throws -> Identity.Actor {
        try await kernel.signIn(username: username, password: passwords[username] ?? "", requestID: "t").actor
    }
}
