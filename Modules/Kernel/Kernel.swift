import AmanaCore
import FormKit
import Foundation
import Identity
import Logging
import Store
import Synchronization
import Vault
import VaultSodium

/// The application service: every use case, with authorization, auditing
/// and encryption. The API, the CLI and the TUI call only this.
///
/// One `Kernel` serves one install. Several processes may each open their
/// own `Kernel` over the same data directory at once.
public final class Kernel: Sendable {
    public let layout: InstallLayout
    public let config: InstallConfig
    public let roles: RoleCatalog
    /// The plugins, forms and lookups in force, with every problem found loading them.
    public let definitions: DefinitionCatalog
    let store: any Store
    let vault: any Vault
    let passwords: any PasswordHasher
    /// The install's time: every rule that reads the time asks it (tests hold it still).
    public let clock: any Clock
    let logger: Logger
    let dummyPasswordHash: DummyPasswordHash
    /// The install's transfer keys: packages to it are sealed to its public key; its packages and receipts are signed.
    let identity: InstallIdentity
    /// The definitions (and Amana) report digests are made under (``ReportDigest/basis(roots:)``);
    /// nil: reports keep no digests and read every case's forms.
    let reportBasis: String?
    /// Usernames already read, by account id (``usernames(_:)``).
    let knownUsernames = Mutex<[UserID: String]>([:])
    /// What report digests hold, once worked out (``reportDigests``).
    let knownDigestContents = Mutex<ReportDigestContents?>(nil)
    /// Agencies' codes already read, by agency id (``caseNumberPrefix(_:)``).
    let knownAgencyCodes = Mutex<[AgencyID: String]>([:])
    /// When the requests that show tasks last had due timers fired (``catchUpOnTimers(requestID:)``).
    let timersCaughtUp = Mutex<Date>(.distantPast)

    /// Assembles a kernel from its parts (tests use this to inject a clock).
    public init(
        layout: InstallLayout, config: InstallConfig, roles: RoleCatalog, definitions: DefinitionCatalog, store: any Store, vault: any Vault,
        passwords: any PasswordHasher, identity: InstallIdentity, clock: any Clock = SystemClock(), logger: Logger = Logger(label: "amana.kernel"),
        reportBasis: String? = nil
    ) {
        self.identity = identity
        self.reportBasis = reportBasis
        self.layout = layout
        self.config = config
        self.roles = roles
        self.definitions = definitions
        self.store = store
        self.vault = vault
        self.passwords = passwords
        self.clock = clock
        self.logger = logger
        self.dummyPasswordHash = DummyPasswordHash()
    }

    /// Opens an existing install: checks the key file's mode, reads the
    /// configuration and roles, opens the store and upgrades its schema.
    ///
    /// - Parameter fastPasswordHashing: Argon2id at its minimum cost; only for tests.
    public static func open(
        _ layout: InstallLayout, shippedDirectory: String? = nil, clock: any Clock = SystemClock(),
        fastPasswordHashing: Bool = false, logger: Logger = Logger(label: "amana.kernel")
    ) throws(AmanaError) -> Kernel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: layout.directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AmanaError.install("data-missing", "No Amana install at \(layout.directory). Create one with `amana init --data \(layout.directory)`.")
        }
        let config = FileManager.default.fileExists(atPath: layout.config) ? try InstallConfig.load(path: layout.config) : InstallConfig()
        let usesPostgres = config.store != .embedded
        guard usesPostgres || FileManager.default.fileExists(atPath: layout.database) else {
            throw AmanaError.install("data-missing", "\(layout.directory) is not an Amana install (no amana.sqlite). Create one with `amana init`.")
        }
        return try assemble(layout, config: config, shippedDirectory: shippedDirectory, clock: clock, fastPasswordHashing: fastPasswordHashing, logger: logger)
    }

    /// Builds the kernel over the install's files, creating the database if it is new.
    static func assemble(
        _ layout: InstallLayout, config: InstallConfig, shippedDirectory: String?, clock: any Clock, fastPasswordHashing: Bool, logger: Logger
    ) throws(AmanaError) -> Kernel {
        let vault = try SodiumVault(keys: layout.keysDirectory)
        let shipped: String
        if let shippedDirectory { shipped = shippedDirectory } else { shipped = try ShippedContent.locate() }
        let roots = definitionRoots(shipped: shipped, install: layout)
        let roles = try roleCatalog(shipped: shipped, roots: roots)
        let definitions = DefinitionLoader.load(roots: roots, roles: Set(roles.roleIDs))
        let link: AuditLinker = { vault.auditLink(previous: $0, entry: $1) }
        let store: any Store
        switch config.store {
        case .embedded:
            do {
                store = try SQLiteStore(path: layout.database, auditLinker: link)
            } catch {
                throw Kernel.amanaError(error)
            }
        case .postgres(let address):
            // Connects and upgrades the schema as it starts; the first use waits for that.
            store = try serverStore(at: address, auditLinker: link, logger: logger)
        }
        let hasher = ArgonPasswordHasher(maxConcurrent: config.maxConcurrentPasswordHashes, fastForTests: fastPasswordHashing)
        let identity = try InstallIdentity.loadOrCreate(at: layout.identityKey)
        return Kernel(
            layout: layout, config: config, roles: roles, definitions: definitions, store: store, vault: vault, passwords: hasher, identity: identity,
            clock: clock, logger: logger, reportBasis: ReportDigest.basis(roots: roots))
    }

    /// The PostgreSQL store at `address`, through the driver the running program registered.
    static func serverStore(at address: PostgresConnectionURL, auditLinker: @escaping AuditLinker, logger: Logger) throws(AmanaError) -> any ImportingStore {
        guard let driver = ServerStores.postgres else {
            throw AmanaError.install("store-not-built", "This program was built without the PostgreSQL store; open the install with `amana`.")
        }
        return driver.store(at: address, auditLinker: auditLinker, logger: logger)
    }

    /// Every error leaving the kernel is an ``AmanaError``; anything else is a bug,
    /// reported without detail (it could hold data).
    static func amanaError(_ error: any Error) -> AmanaError {
        if let error = error as? AmanaError { return error }
        return AmanaError(.internalFailure, code: "internal", "Something went wrong inside Amana; nothing was changed.")
    }

    /// Runs `body`, turning any error into an ``AmanaError``.
    func run<T>(_ body: () async throws -> T) async throws(AmanaError) -> T {
        do {
            return try await body()
        } catch {
            throw Kernel.amanaError(error)
        }
    }

    func audit(_ actor: String, _ action: String, _ object: String, _ outcome: AuditDraft.Outcome = .success, requestID: String, detail: String = "") -> AuditDraft {
        AuditDraft(at: clock.now(), actor: actor, action: action, object: object, outcome: outcome, requestID: requestID, detail: detail)
    }
}
