import AmanaCore
import AmanaTestSupport
import Foundation
import Identity
import Testing
import Store
import Vault
import VaultSodium
@testable import Kernel

@Suite("Key rotation")
struct KeyRotationTests {
    /// What a person would notice if a rotation broke something: every case each case
    /// manager can open, and every answer in it.
    static func snapshot(_ kernel: Kernel, _ demo: DemoInstallFixture) async throws -> [String: [String: JSONValue]] {
        var seen: [String: [String: JSONValue]] = [:]
        for username in ["layla", "huda"] {
            let actor = try await kernel.signIn(username: username, password: demo.passwords[username] ?? "", requestID: "t").actor
            for summary in try await kernel.listCases(CaseFilter(limit: 200), actor: actor, requestID: "t").cases {
                let detail = try await kernel.caseDetail(id: summary.id, actor: actor, requestID: "t")
                for form in detail.forms where form.readable {
                    let answers = try await kernel.readSubmission(caseID: summary.id, formID: form.formId, entry: form.entry, actor: actor, requestID: "t")
                    seen["\(summary.caseNumber) \(form.formId)#\(form.entry)"] = answers.values
                }
            }
        }
        return seen
    }

    @Test func aRotationRewrapsEveryKeyAndSearchSessionsAndTheAuditChainCarryOn() async throws {
        let demo = try await DemoInstallFixture()
        let ring = MasterKeyRing(directory: demo.layout.keysDirectory)
        let before = try await Self.snapshot(demo.kernel, demo)
        #expect(before.count > 20)
        let amal = try await demo.kernel.signIn(username: "amal", password: demo.passwords["amal"] ?? "", requestID: "t")
        let found = try await demo.kernel.searchCases(value: "Hana", field: "given_name", actor: amal.actor, requestID: "t").map(\.id)
        #expect(!found.isEmpty)
        let oldKey = try Data(contentsOf: URL(fileURLWithPath: ring.path(of: 1)))

        let report = try await demo.kernel.rotateKeys(batch: 7, settle: .milliseconds(10), requestID: "t")
        #expect(report == KeyRotationReport(version: 2, resumed: false, rewrapped: report.rewrapped, retired: [1]))
        #expect(report.rewrapped > 10)
        #expect(ring.versions() == [2])
        #expect(!FileManager.default.fileExists(atPath: ring.path(of: 1)))
        #expect(try FileManager.default.attributesOfItem(atPath: ring.path(of: 2))[.posixPermissions] as? Int == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: ring.path(of: 2))) != oldKey)

        // A process opening the install afresh holds only version 2: everything reads as before.
        let reopened = try Kernel.open(demo.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        let after = try await Self.snapshot(reopened, demo)
        #expect(after == before)
        #expect(try await reopened.searchCases(value: "Hana", field: "given_name", actor: amal.actor, requestID: "t").map(\.id) == found)
        #expect(try await reopened.authenticate(token: amal.token).username == "amal")
        #expect(try await reopened.verifyEveryCaseOpens() > 10)
        guard case .intact = try await reopened.verifyAudit() else { Issue.record("the audit chain no longer verifies"); return }

        // And again: version 3, version 2 destroyed.
        let again = try await reopened.rotateKeys(settle: .milliseconds(10), requestID: "t")
        #expect(again.version == 3 && again.retired == [2] && ring.versions() == [3])
        #expect(try await Self.snapshot(reopened, demo) == before)
    }

    @Test func anotherProcessKeepsWorkingThroughoutAndItsNewCasesEndUnderTheNewKey() async throws {
        let demo = try await DemoInstallFixture()
        // The API server, opened before the rotation, holding version 1 only.
        let server = try Kernel.open(demo.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        let amal = try await server.signIn(username: "amal", password: demo.passwords["amal"] ?? "", requestID: "t").actor
        let opening = Task {
            var opened: [String] = []
            for _ in 0..<15 { opened.append(try await server.openCase(type: "gbv", actor: amal, requestID: "t").summary.id) }
            return opened
        }
        let report = try await demo.kernel.rotateKeys(batch: 3, settle: .milliseconds(200), requestID: "t")
        let opened = try await opening.value
        #expect(report.retired == [1])
        // Every case, old or opened during the rotation, opens in the server and in a fresh process.
        #expect(try await server.verifyEveryCaseOpens() == (try await demo.kernel.verifyEveryCaseOpens()))
        for id in opened { #expect(try await server.caseDetail(id: id, actor: amal, requestID: "t").summary.id == id) }
        let fresh = try Kernel.open(demo.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        for id in opened { #expect(try await fresh.caseDetail(id: id, actor: amal, requestID: "t").summary.id == id) }
        #expect(try await fresh.store.wrappedKeys(below: 2, limit: 10).isEmpty)
    }

    @Test func anInterruptedRotationResumesWhereItStopped() async throws {
        let demo = try await DemoInstallFixture()
        let ring = MasterKeyRing(directory: demo.layout.keysDirectory)
        let before = try await Self.snapshot(demo.kernel, demo)
        // Stopped right after the new version was made and a few keys re-wrapped.
        #expect(try demo.kernel.vault.beginKeyRotation() == 2)
        let some = try await demo.kernel.store.wrappedKeys(below: 2, limit: 4)
        _ = try await demo.kernel.store.replaceWrappedKeys(
            try some.map { key in
                let new = try demo.kernel.vault.rewrap(WrappedCaseKey(bytes: key.bytes, keyVersion: key.keyVersion), for: CaseID(key.id))
                return (key, StoredWrappedKey(holder: key.holder, id: key.id, bytes: new.bytes, keyVersion: new.keyVersion))
            }, audit: demo.kernel.audit("operator", "keys.rewrap", "install", requestID: "t"))
        #expect(ring.versions() == [1, 2])

        // Meanwhile both versions unwrap: a fresh process reads every case.
        let meanwhile = try Kernel.open(demo.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: demo.clock, fastPasswordHashing: true)
        #expect(try await Self.snapshot(meanwhile, demo) == before)
        let report = try await meanwhile.rotateKeys(settle: .milliseconds(10), requestID: "t")
        #expect(report.resumed && report.version == 2 && report.retired == [1])
        #expect(ring.versions() == [2])
        #expect(try await Self.snapshot(meanwhile, demo) == before)
    }

    @Test(.enabled(if: !TestStore.onPostgres, "amana backup archives the SQLite file")) func aBackupMadeAfterARotationRestoresWithTheNewKey() async throws {
        let demo = try await DemoInstallFixture()
        _ = try await demo.kernel.rotateKeys(settle: .milliseconds(10), requestID: "t")
        let ring = MasterKeyRing(directory: demo.layout.keysDirectory)
        let backup = BackupRestoreTests.scratch("backup")
        let report = try await demo.kernel.backup(to: backup, passphrase: nil, requestID: "t")
        #expect(report.files.contains("keys/keyring.v2") && !report.files.contains("keys/master.v2.key"))
        let target = InstallLayout(directory: BackupRestoreTests.scratch("restored"))
        let restored = try await Kernel.restore(from: backup, into: target, passphrase: nil, masterKeyFile: ring.path(of: 2), shippedDirectory: KernelFixture.repositoryRoot)
        #expect(restored.check.isSound && restored.cases > 10)
        #expect(MasterKeyRing(directory: target.keysDirectory).versions() == [2])
    }
}
