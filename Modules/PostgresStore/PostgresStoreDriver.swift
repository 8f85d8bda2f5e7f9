import Logging
import Store

extension PostgresStore: ImportingStore {}

/// Opens ``PostgresStore``; a program that serves installs registers it as it starts
/// (`ServerStores.register(PostgresStoreDriver())`).
public struct PostgresStoreDriver: ServerStoreDriver {
    public init() {}

    public func store(at address: PostgresConnectionURL, auditLinker: @escaping AuditLinker, logger: Logger) -> any ImportingStore {
        PostgresStore(address: address, auditLinker: auditLinker, logger: logger)
    }
}
