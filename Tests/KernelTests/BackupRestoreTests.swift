import AmanaCore
import AmanaTestSupport
import Foundation
import GRDB
import Identity
@testable import Kernel

import Testing

@Suite("Backup and restore", .enabled(if: !TestStore.onPostgres, "amana backup archives the SQLite file; PostgreSQL is backed up by its own tools"))
struct BackupRestoreTests {
    static func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("amana-\(name)-\(UUID().uuidString)").path
    }

    /// An organisation's own file under plugins/ (an overlay would be one), to see it come back.
    static let pluginFile = "plugins/acme-notes/README.txt"

    @Test func aBackupUnderTheMasterKeyRestoresEveryCaseAsItWas() async throws {
        let demo = try await DemoInstallFixture()
        try FileManager.default.createDirectory(atPath: demo.layout.directory + "/plugins/acme-notes", withIntermediateDirectories: true)
        try "Our own notes.".write(toFile: demo.layout.directory + "/" + Self.pluginFile, atomically: true, encoding: .utf8)
        let backup = Self.scratch("backup")
        let report = try await demo.kernel.backup(to: backup, passphrase: nil, requestID: "t")
        #expect(!report.carriesMasterKey)
        #expect(Set(report.files).isSuperset(of: ["amana.sqlite", "config.yaml", Self.pluginFile]))
        #expect(!report.files.contains("keys/master.key"))
        #expect(try FileManager.default.attributesOfItem(atPath: backup)[.posixPermissions] as? Int == 0o600)

        // Nothing of the database shows in the file: not its header, not a case number.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        #expect(bytes.range(of: Data("SQLite format 3".utf8)) == nil)
        #expect(bytes.range(of: Data("DEMO-".utf8)) == nil)

        let restored = InstallLayout(directory: Self.scratch("restored"))
        let result = try await Kernel.restore(
            from: backup, into: restored, passphrase: nil, masterKeyFile: demo.layout.masterKey, shippedDirectory: KernelFixture.repositoryRoot)
        #expect(result.check.isSound)
        #expect(result.cases > 10)
        #expect(try String(contentsOfFile: restored.directory + "/" + Self.pluginFile, encoding: .utf8) == "Our own notes.")
        try Self.expectSameRows(demo.layout.database, restored.database)
        let copy = try Kernel.open(restored, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        try await Self.expectSameCases(demo, copy, readers: ["layla", "huda"])
    }

    @Test func aBackupWithAPassphraseCarriesTheMasterKeyAndOpensWithNothingElse() async throws {
        let demo = try await DemoInstallFixture()
        let backup = Self.scratch("backup")
        let report = try await demo.kernel.backup(to: backup, passphrase: "correct horse battery staple", requestID: "t")
        #expect(report.carriesMasterKey)

        // The wrong passphrase, or the master key asked for instead: refused, nothing left behind.
        let target = InstallLayout(directory: Self.scratch("restored"))
        for (passphrase, key) in [("not the passphrase at all", nil), (nil, demo.layout.masterKey)] as [(String?, String?)] {
            await #expect(throws: AmanaError.self) {
                _ = try await Kernel.restore(from: backup, into: target, passphrase: passphrase, masterKeyFile: key, shippedDirectory: KernelFixture.repositoryRoot)
            }
            #expect(!FileManager.default.fileExists(atPath: target.directory))
        }
        let result = try await Kernel.restore(
            from: backup, into: target, passphrase: "correct horse battery staple", masterKeyFile: nil, shippedDirectory: KernelFixture.repositoryRoot)
        #expect(result.check.isSound)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target.masterKey)) == Data(contentsOf: URL(fileURLWithPath: demo.layout.masterKey)))
        #expect(try FileManager.default.attributesOfItem(atPath: target.masterKey)[.posixPermissions] as? Int == 0o600)
        let copy = try Kernel.open(target, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        try await Self.expectSameCases(demo, copy, readers: ["layla"])
    }

    @Test func aChangedOrCutShortBackupIsRefusedAndLeavesNothing() async throws {
        let demo = try await DemoInstallFixture()
        // 3 MiB more, so that the archive has several chunks.
        try FileManager.default.createDirectory(atPath: demo.layout.directory + "/plugins/acme", withIntermediateDirectories: true)
        try Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(to: URL(fileURLWithPath: demo.layout.directory + "/plugins/acme/big.bin"))
        let backup = Self.scratch("backup")
        _ = try await demo.kernel.backup(to: backup, passphrase: nil, requestID: "t")
        let whole = try Data(contentsOf: URL(fileURLWithPath: backup))
        var flipped = whole
        flipped[whole.count / 2] ^= 0x01
        // Cut right after the first chunk: all that is left authentic, but the final chunk is missing.
        let preamble = 15 + 1 + 16 + 24
        let firstChunk = whole[preamble..<(preamble + 4)].reduce(0) { $0 << 8 | Int($1) }
        #expect(preamble + 4 + firstChunk < whole.count - 1000)
        let damaged = [flipped, whole.prefix(preamble + 4 + firstChunk), whole.prefix(whole.count / 2), whole.prefix(whole.count - 40), whole + Data([0])]
        for (index, bytes) in damaged.enumerated() {
            let path = Self.scratch("damaged-\(index)")
            try bytes.write(to: URL(fileURLWithPath: path))
            let target = InstallLayout(directory: Self.scratch("restored"))
            await #expect(throws: AmanaError.self, "damage \(index)") {
                _ = try await Kernel.restore(from: path, into: target, passphrase: nil, masterKeyFile: demo.layout.masterKey, shippedDirectory: KernelFixture.repositoryRoot)
            }
            #expect(!FileManager.default.fileExists(atPath: target.directory))
        }
        // Another install's master key opens nothing.
        let other = InstallLayout(directory: Self.scratch("other"))
        _ = try await Kernel.initialize(other, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: try await TestStore.fresh())
        await #expect(throws: AmanaError.self) {
            _ = try await Kernel.restore(
                from: backup, into: InstallLayout(directory: Self.scratch("restored")), passphrase: nil, masterKeyFile: other.masterKey,
                shippedDirectory: KernelFixture.repositoryRoot)
        }
        // Restoring over an install, or over an existing backup file, is refused.
        await #expect(throws: AmanaError.self) {
            _ = try await Kernel.restore(from: backup, into: demo.layout, passphrase: nil, masterKeyFile: demo.layout.masterKey, shippedDirectory: KernelFixture.repositoryRoot)
        }
        await #expect(throws: AmanaError.self) { _ = try await demo.kernel.backup(to: backup, passphrase: nil, requestID: "t") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)) == whole)
    }

    /// Every row of every table the same, byte for byte (the audit log: the original
    /// has the backup's own entry on top).
    static func expectSameRows(_ original: String, _ restored: String) throws {
        let a = try DatabaseQueue(path: original)
        let b = try DatabaseQueue(path: restored)
        let tables = try a.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(try b.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") } == tables)
        #expect(tables.contains("case_file"))
        for table in tables {
            let query = "SELECT * FROM \"\(table)\" ORDER BY rowid"
            let left = try a.read { try Row.fetchAll($0, sql: query) }
            let right = try b.read { try Row.fetchAll($0, sql: query) }
            if table == "audit_log" {
                #expect(Array(left.prefix(right.count)) == right && left.count == right.count + 1, "audit_log")
            } else {
                #expect(left == right, "\(table): \(left.count) rows, restored \(right.count)")
            }
        }
    }

    /// Every case each reader may open, and every form in it they may read, the same in both installs.
    static func expectSameCases(_ demo: DemoInstallFixture, _ copy: Kernel, readers: [String]) async throws {
        var compared = 0
        for username in readers {
            let actor = try await demo.actor(username)
            let copyActor = try await copy.signIn(username: username, password: demo.passwords[username] ?? "", requestID: "t").actor
            let cases = try await demo.kernel.listCases(CaseFilter(limit: 200), actor: actor, requestID: "t").cases
            #expect(try await copy.listCases(CaseFilter(limit: 200), actor: copyActor, requestID: "t").cases == cases)
            for summary in cases {
                let detail = try await demo.kernel.caseDetail(id: summary.id, actor: actor, requestID: "t")
                #expect(try await copy.caseDetail(id: summary.id, actor: copyActor, requestID: "t") == detail)
                for form in detail.forms where form.readable {
                    let answers = try await demo.kernel.readSubmission(caseID: summary.id, formID: form.formId, entry: form.entry, actor: actor, requestID: "t")
                    #expect(try await copy.readSubmission(caseID: summary.id, formID: form.formId, entry: form.entry, actor: copyActor, requestID: "t") == answers)
                    compared += 1
                }
            }
        }
        #expect(compared > 10)
    }
}
