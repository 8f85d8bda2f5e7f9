import AmanaCore
import Foundation
import Store

/// What `amana migrate-store` moved and checked.
public struct StoreMoveReport: Sendable {
    /// Rows per table, the same in both stores.
    public var rows: [(table: String, count: Int)]
    /// Audit entries moved; the chain verified whole in the new store, ending in the same hash.
    public var auditEntries: Int64
    /// The new store's address, without its password.
    public var target: String
}

extension Kernel {
    /// Moves this install's records from its SQLite file into the empty PostgreSQL database at
    /// `address`, then points `config.yaml` at it.
    ///
    /// Other processes' writes wait while the move runs (the file is held), so the copy is
    /// one state of the install. It is checked before anything is switched: every table's
    /// row count, and the audit chain verified link by link in the new store with the
    /// install's key, ending in the same entry and hash. On any failure the new database
    /// is left empty (one transaction) and `config.yaml` unchanged. `amana.sqlite` is left
    /// as it was: remove it once the install runs well on PostgreSQL.
    public func moveStore(to address: String, requestID: String) async throws(AmanaError) -> StoreMoveReport {
        guard let source = store as? SQLiteStore else {
            throw .invalid("store-not-sqlite", "This install already keeps its records in PostgreSQL; nothing to move.")
        }
        let target = try Kernel.serverStore(at: try PostgresConnectionURL(address), auditLinker: { [vault] in vault.auditLink(previous: $0, entry: $1) }, logger: logger)
        let report = try await run {
            try await source.holdingWrites {
                guard case .intact(let entries) = try await source.verifyAuditChain() else {
                    throw AmanaError(.storageUnavailable, code: "move-audit-broken", "This install's audit chain does not verify (amana audit verify); nothing was moved.")
                }
                let counts = try await source.rowCounts()
                try await target.importInstall { insert in try await source.exportRows(insert) }
                let moved = try await target.rowCounts(of: SQLiteStore.tablesInOrder)
                let differing = SQLiteStore.tablesInOrder.filter { counts[$0] != moved[$0] }
                guard differing.isEmpty else {
                    throw AmanaError(.storageUnavailable, code: "move-counts", "The new store's row counts differ in \(differing.joined(separator: ", ")); the install stays on SQLite.")
                }
                let sourceEnd = try await source.lastAuditLink(), targetEnd = try await target.lastAuditLink()
                guard try await target.verifyAuditChain() == .intact(entries: entries), sourceEnd?.sequence == targetEnd?.sequence,
                      sourceEnd?.hash == targetEnd?.hash else {
                    throw AmanaError(.storageUnavailable, code: "move-audit", "The audit chain does not verify in the new store; the install stays on SQLite.")
                }
                return StoreMoveReport(rows: SQLiteStore.tablesInOrder.map { ($0, counts[$0] ?? 0) }, auditEntries: entries, target: target.address.redacted)
            }
        }
        try InstallConfig.setStore(address, in: layout.config)
        try await run {
            try await target.appendAudit(audit("operator", "install.move-store", "install", requestID: requestID, detail: "from=sqlite entries=\(report.auditEntries)"))
        }
        return report
    }
}
