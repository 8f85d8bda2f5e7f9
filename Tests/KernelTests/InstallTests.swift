import AmanaCore
import AmanaTestSupport
import Foundation
import Testing
@testable import Kernel

@Suite("The install")
struct InstallTests {
    func freshLayout() -> InstallLayout {
        InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-install-\(UUID().uuidString)").path)
    }

    func snapshot(_ directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in FileManager.default.subpaths(atPath: directory) ?? [] {
            var isDirectory: ObjCBool = false
            let full = directory + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = FileManager.default.contents(atPath: full)
            }
        }
        return out
    }

    @Test(.enabled(if: !TestStore.onPostgres, "reads or changes the SQLite file itself")) func initCreatesEverythingWithTightModes() async throws {
        let layout = freshLayout()
        let report = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        #expect(report.demoAccounts.isEmpty)
        let files = FileManager.default
        for path in [layout.database, layout.masterKey, layout.config] { #expect(files.fileExists(atPath: path)) }
        #expect(try files.attributesOfItem(atPath: layout.masterKey)[.posixPermissions] as? Int == 0o600)
        #expect(try files.attributesOfItem(atPath: layout.keysDirectory)[.posixPermissions] as? Int == 0o700)
        #expect(try files.attributesOfItem(atPath: layout.database)[.posixPermissions] as? Int == 0o600)
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot)
        #expect(try await kernel.checkStore().isSound)
    }

    @Test func initOnAnExistingInstallRefusesAndChangesNothing() async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        let before = try snapshot(layout.directory)
        let error = await #expect(throws: AmanaError.self) {
            try await Kernel.initialize(layout, demo: true, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        }
        #expect(error?.code == "install-exists")
        #expect(try snapshot(layout.directory) == before)
    }

    @Test func theDemoHasOneAccountPerRoleAndSyntheticCases() async throws {
        let layout = freshLayout()
        let report = try await Kernel.initialize(layout, agencyCode: "DEMO", demo: true, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        let roles = Set(try await kernel.listUsers(by: .installOperator, requestID: "t").map(\.role))
        #expect(roles == Set(kernel.roles.roleIDs))
        // One case in every workflow state, for each programme, moved there through its workflow.
        #expect(report.demoCases.count == 21)
        for type in ["gbv", "child-protection", "general-protection"] {
            for state in ["identified", "registered", "assessment", "case_planning", "implementation", "follow_up", "closed"] {
                #expect(report.demoCases.contains { $0.contains("(\(type), \(state),") }, "\(type) \(state)")
            }
        }
        let amal = report.demoAccounts.first { $0.username == "amal" }!
        let signIn = try await kernel.signIn(username: "amal", password: amal.password, requestID: "t")
        #expect(try await kernel.searchCases(value: "hana", field: "given_name", actor: signIn.actor, requestID: "t").count == 1)
    }

    @Test func aMissingDataDirectoryIsAClearError() {
        let error = #expect(throws: AmanaError.self) { try Kernel.open(freshLayout(), shippedDirectory: KernelFixture.repositoryRoot) }
        #expect(error?.code == "data-missing")
        #expect(error?.message.contains("amana init") == true)
    }

    /// The suites' first run links the PostgreSQL store but does not register it, as a tool
    /// built without it (the fuzzer) would be: an install on PostgreSQL is then a clear error.
    @Test(.enabled(if: !TestStore.onPostgres, "the second run registers the PostgreSQL store"))
    func aProgramWithoutThePostgresStoreSaysSoAndChangesNothing() async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        let config = try String(contentsOfFile: layout.config, encoding: .utf8)
        try (config + "store: postgres://amana@127.0.0.1:5432/cases\n").write(toFile: layout.config, atomically: true, encoding: .utf8)
        let error = #expect(throws: AmanaError.self) { try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot) }
        #expect(error?.code == "store-not-built")
        try config.write(toFile: layout.config, atomically: true, encoding: .utf8)
        #expect(try await Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot).store.agencies().count == 1)
    }

    @Test func aLooseKeyFileModeStopsTheInstallFromOpening() async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: layout.masterKey)
        let error = #expect(throws: AmanaError.self) { try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot) }
        #expect(error?.code == "key-file-mode")
    }

    @Test func aBadConfigFileNamesTheLineAndWhatWasExpected() async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        try TestStore.writeConfig("sessions:\n  idle_minuets: 10\nlockout:\n  max_failures: lots\n", to: layout.config)
        let error = #expect(throws: AmanaError.self) { try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot) }
        #expect(error?.message.contains("config.yaml:2:3: error[YAML012]: unknown key 'idle_minuets' in sessions; did you mean 'idle_minutes'?") == true)
        #expect(error?.message.contains("config.yaml:4:17: error[YAML017]: expected a whole number for max_failures") == true)
    }

    @Test func configValuesAreApplied() async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        try TestStore.writeConfig("sessions: {idle_minutes: 5}\nlockout: {max_failures: 3, lock_minutes: 1}\n", to: layout.config)
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot)
        #expect(kernel.config.sessionIdle == 300)
        #expect(kernel.config.lockoutFailures == 3)
        #expect(kernel.config.lockoutDuration == 60)
        #expect(kernel.config.sessionAbsolute == 12 * 3600)
    }

    @Test(arguments: ["# all commented out\n# sessions:\n", "", "sessions:\nlockout: ~\n"])
    func aConfigWithNothingSetKeepsTheDefaults(text: String) async throws {
        let layout = freshLayout()
        _ = try await Kernel.initialize(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        try TestStore.writeConfig(text, to: layout.config)
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot)
        var defaults = InstallConfig()
        defaults.store = kernel.config.store  // the suites' second run keeps its PostgreSQL line
        #expect(kernel.config == defaults)
    }
}
