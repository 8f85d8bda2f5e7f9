import Logging
import Synchronization

/// A store on a database server that a whole install can be moved into (`amana migrate-store`).
public protocol ImportingStore: Store {
    /// Where the store is.
    var address: PostgresConnectionURL { get }
    /// Fills the empty store with every row `produce` hands over, in one transaction.
    func importInstall(_ produce: @escaping @Sendable (_ insert: @escaping @Sendable (PortableRows) async throws -> Void) async throws -> Void) async throws
    /// The number of rows in each of `tables`.
    func rowCounts(of tables: [String]) async throws -> [String: Int]
    /// The last audit entry's sequence number and hash, if there is one.
    func lastAuditLink() async throws -> (sequence: Int64, hash: [UInt8])?
}

/// Opens the PostgreSQL store for an address.
public protocol ServerStoreDriver: Sendable {
    /// The store at `address`; it connects and upgrades its schema when first used.
    func store(at address: PostgresConnectionURL, auditLinker: @escaping AuditLinker, logger: Logger) -> any ImportingStore
}

/// The PostgreSQL store, as the programs that serve installs register it when they start.
///
/// The kernel reaches it through here rather than by linking it, so that a tool that links
/// the kernel but never meets a database server (the fuzzer, built with sanitizers) does not
/// build postgres-nio and the two copies of BoringSSL under it.
public enum ServerStores {
    private static let registered = Mutex<(any ServerStoreDriver)?>(nil)

    /// Makes `driver` the one that opens `store: postgres://...` installs.
    public static func register(_ driver: any ServerStoreDriver) {
        registered.withLock { $0 = driver }
    }

    /// The registered driver; nil in a program built without the PostgreSQL store.
    public static var postgres: (any ServerStoreDriver)? {
        registered.withLock { $0 }
    }
}
