import AmanaCore
import Foundation
import Logging
import Store
import VaultSodium

/// What `amana init` made, for printing.
public struct InstallReport: Sendable {
    public var directory: String
    public var agencyCode: String
    /// Demo accounts and their one-time passwords (empty without `--demo`).
    public var demoAccounts: [(username: String, role: String, password: String)]
    public var demoCases: [String]
}

extension Kernel {
    /// Creates a new install in `layout.directory`: the database, a random master
    /// key (mode 0600), `plugins/`, `config.yaml`, and the first agency.
    ///
    /// Refuses, changing nothing, if an install is already there. If anything
    /// fails part-way, what this call created is removed again.
    ///
    /// - Parameter store: `postgres://...` to keep the records in that (empty) PostgreSQL
    ///   database, written as `store:` in `config.yaml`; nil for the embedded SQLite file.
    public static func initialize(
        _ layout: InstallLayout, agencyCode: String = "AMN", agencyName: String = "My organisation", demo: Bool = false,
        shippedDirectory: String? = nil, fastPasswordHashing: Bool = false, store: String? = nil
    ) async throws(AmanaError) -> InstallReport {
        let files = FileManager.default
        if let existing = layout.markers.first(where: { files.fileExists(atPath: $0) }) {
            throw AmanaError(.conflict, code: "install-exists", "An install already exists at \(layout.directory) (found \(existing)); nothing was changed.")
        }
        guard agencyCode.range(of: "^[A-Z][A-Z0-9]{1,9}$", options: .regularExpression) != nil else {
            throw .invalid("agency-code", "An agency code has 2 to 10 capital letters or digits, starting with a letter (it prefixes case numbers).")
        }
        // Checked before anything is written; the password, if the address holds one, is never printed.
        let postgres = try store.flatMap { text throws(AmanaError) in text == "sqlite" ? nil : try PostgresConnectionURL(text) }
        let shipped: String
        if let shippedDirectory { shipped = shippedDirectory } else { shipped = try ShippedContent.locate() }
        var created: [String] = []
        do {
            if !files.fileExists(atPath: layout.directory) {
                try files.createDirectory(atPath: layout.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                created.append(layout.directory)
            }
            try files.createDirectory(atPath: layout.keysDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            created.append(layout.keysDirectory)
            try MasterKeyFile.create(at: layout.masterKey)
            if !files.fileExists(atPath: layout.pluginsDirectory) {
                try files.createDirectory(atPath: layout.pluginsDirectory, withIntermediateDirectories: false)
                created.append(layout.pluginsDirectory)
            }
            let settings = if let store, postgres != nil { InstallConfig.settingStore(store, in: InstallConfig.template) } else { InstallConfig.template }
            guard files.createFile(atPath: layout.config, contents: Data(settings.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw AmanaError.install("config-write", "Cannot write \(layout.config).")
            }
            created.append(layout.config)
            if postgres == nil {
                created.append(contentsOf: [layout.database, layout.database + "-wal", layout.database + "-shm"])
                // SQLite gives the -wal and -shm files the database file's mode: make it owner-only first.
                guard files.createFile(atPath: layout.database, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw AmanaError.install("database-create", "Cannot create \(layout.database).")
                }
            }
            let kernel = try Kernel.assemble(
                layout, config: try InstallConfig.load(path: layout.config), shippedDirectory: shipped, clock: SystemClock(), fastPasswordHashing: fastPasswordHashing, logger: Logger(label: "amana.kernel"))
            if let postgres, !(try await kernel.store.agencies()).isEmpty {
                // Another install's records: this one would share them without its keys.
                throw AmanaError(.conflict, code: "install-exists", "The database \(postgres.redacted) already holds an Amana install; give an empty database. Nothing was changed in it.")
            }
            let now = kernel.clock.now()
            let agency = AgencyRecord(id: .random(), code: agencyCode, name: agencyName, createdAt: now)
            try await kernel.store.insertAgency(agency, audit: kernel.audit("operator", "install.init", "agency:\(agency.id.rawValue)", requestID: "init"))
            var report = InstallReport(directory: layout.directory, agencyCode: agencyCode, demoAccounts: [], demoCases: [])
            if demo { try await DemoInstall.populate(kernel, agency: agency, report: &report) }
            return report
        } catch {
            // Undo in reverse order; only what this call made.
            for path in created.reversed() { try? files.removeItem(atPath: path) }
            if let error = error as? AmanaError { throw error }
            throw AmanaError.install("init-failed", "Could not create the install at \(layout.directory): \(error.localizedDescription). Nothing was left behind.")
        }
    }
}
