import AmanaCore
import Foundation
import Store
import Vault
import VaultSodium

/// What `amana backup` wrote.
public struct BackupReport: Sendable {
    public var files: [String]
    public var bytes: Int
    /// Whether the archive carries the master key (sealed with a passphrase).
    public var carriesMasterKey: Bool
}

/// What `amana restore` rebuilt and checked.
public struct RestoreReport: Sendable {
    public var files: [String]
    public var cases: Int
    public var check: StoreCheck
}

extension Kernel {
    /// An encrypted backup of the whole install at `destination`, taken while it
    /// keeps serving: a consistent snapshot of the database (SQLite's online
    /// backup), `config.yaml`, the organisation's plugins and the transfer key.
    ///
    /// With a passphrase the archive also carries the master key: with the
    /// passphrase it rebuilds the install anywhere. Without, it is sealed under a
    /// key derived from the master key, and restoring needs that key file, which
    /// is kept apart from the backups (a stolen backup alone opens nothing).
    public func backup(to destination: String, passphrase: String?, requestID: String) async throws(AmanaError) -> BackupReport {
        if let passphrase, passphrase.count < 12 {
            throw .invalid("passphrase", "A backup passphrase has at least 12 characters.")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw .invalid("backup-exists", "\(destination) already exists; choose a new file for the backup.")
        }
        // The snapshot sits in the data directory (same disk, same owner-only folder) while it is sealed.
        let snapshot = layout.directory + "/.backup-\(UUID().uuidString).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: snapshot + suffix) }
        }
        return try await run {
            try await store.backup(to: snapshot)
            // The key ring's keyrings always (they are sealed); its master keys only under a passphrase.
            let ring = MasterKeyRing(directory: layout.keysDirectory)
            var files = [BackupFile(name: "amana.sqlite", source: snapshot)] + installFiles()
            for name in ring.files() where passphrase != nil || name.hasPrefix("keyring.") {
                files.append(BackupFile(name: "keys/" + name, source: layout.keysDirectory + "/" + name))
            }
            let current = ring.path(of: ring.versions().last ?? 1)
            let sealing: BackupSealing = passphrase.map { .passphrase($0) } ?? .masterKey(path: current)
            let bytes = try BackupArchive.write(files, to: destination, sealing: sealing)
            try await store.appendAudit(audit(
                "operator", "install.backup", "install", requestID: requestID, detail: passphrase == nil ? "sealed-with-master-key" : "sealed-with-passphrase"))
            return BackupReport(files: files.map(\.name), bytes: bytes, carriesMasterKey: passphrase != nil)
        }
    }

    /// The files besides the database: settings, the organisation's own plugins and
    /// overlays (its forms cannot be read without them), the transfer key seed.
    private func installFiles() -> [BackupFile] {
        var files: [BackupFile] = []
        let manager = FileManager.default
        if manager.fileExists(atPath: layout.config) { files.append(BackupFile(name: "config.yaml", source: layout.config)) }
        if manager.fileExists(atPath: layout.identityKey) { files.append(BackupFile(name: "keys/install-identity.key", source: layout.identityKey)) }
        let plugins = manager.enumerator(atPath: layout.pluginsDirectory)?.compactMap { $0 as? String } ?? []
        for relative in plugins.sorted() {
            var isDirectory: ObjCBool = false
            let path = layout.pluginsDirectory + "/" + relative
            if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(BackupFile(name: "plugins/" + relative, source: path))
            }
        }
        return files
    }

    /// Rebuilds an install from a backup into `layout`, which must not hold one,
    /// then opens it and checks it: SQLite's integrity check, the audit chain,
    /// every case readable. Anything short of that removes what was written.
    ///
    /// - Parameters:
    ///   - passphrase: for an archive sealed with a passphrase (it carries the master key).
    ///   - masterKeyFile: for an archive sealed under an install's master key: that key file, copied into the new install.
    public static func restore(
        from source: String, into layout: InstallLayout, passphrase: String?, masterKeyFile: String?, shippedDirectory: String? = nil
    ) async throws(AmanaError) -> RestoreReport {
        let manager = FileManager.default
        if let existing = layout.markers.first(where: { manager.fileExists(atPath: $0) }) {
            throw AmanaError(.conflict, code: "install-exists", "An install already exists at \(layout.directory) (found \(existing)); restore into a new directory.")
        }
        let sealing: BackupSealing
        switch (passphrase, masterKeyFile) {
        case (let passphrase?, nil): sealing = .passphrase(passphrase)
        case (nil, let key?): sealing = .masterKey(path: key)
        default: throw .invalid("backup-sealing", "Give either the backup's passphrase or the master key file it was sealed under.")
        }
        let madeDirectory = !manager.fileExists(atPath: layout.directory)
        var written: [String] = []
        do {
            try manager.createDirectory(atPath: layout.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try manager.createDirectory(atPath: layout.keysDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            written = [layout.keysDirectory]
            let files = try BackupArchive.read(source, sealing: sealing, into: layout.directory)
            written += files.map { layout.directory + "/" + $0 }
            if let masterKeyFile {
                // Under the name of the version it is: the highest the backup's key ring names.
                let target = MasterKeyRing(directory: layout.keysDirectory).path(of: MasterKeyRing.highestVersion(in: files))
                try manager.copyItem(atPath: masterKeyFile, toPath: target)
                try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
                written.append(target)
            }
            if !manager.fileExists(atPath: layout.pluginsDirectory) { try manager.createDirectory(atPath: layout.pluginsDirectory, withIntermediateDirectories: false) }
            written.append(layout.pluginsDirectory)
            let kernel = try Kernel.open(layout, shippedDirectory: shippedDirectory)
            let check = try await kernel.checkStore()
            guard check.isSound else {
                throw AmanaError(.storageUnavailable, code: "restore-unsound", "The restored database does not pass its checks (amana db check); nothing was kept.")
            }
            let cases = try await kernel.verifyEveryCaseOpens()
            return RestoreReport(files: files, cases: cases, check: check)
        } catch {
            for path in written.reversed() { try? manager.removeItem(atPath: path) }
            for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: layout.database + suffix) }
            if madeDirectory { try? manager.removeItem(atPath: layout.directory) }
            throw Kernel.amanaError(error)
        }
    }

    /// Unwraps every case's key: a restore that cannot open a case (a master key
    /// from another install) is refused now, not found out later by a caseworker.
    func verifyEveryCaseOpens() async throws(AmanaError) -> Int {
        try await run {
            let cases = try await allCases(CaseQuery(reach: .all, caseTypes: caseTypes, limit: 500))
            for record in cases {
                guard let wrapped = record.wrappedKey else { continue }  // purged
                _ = try vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
            }
            return cases.count
        }
    }
}
