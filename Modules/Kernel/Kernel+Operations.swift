import AmanaCore
import Foundation
import Store

/// What `amana db check` found.
public struct StoreCheck: Sendable, Equatable {
    public var integrityProblems: [String]
    public var audit: AuditVerification

    public var isSound: Bool {
        guard integrityProblems.isEmpty, case .intact = audit else { return false }
        return true
    }
}

extension Kernel {
    /// Compacts the database (VACUUM, WAL emptied): the space purges freed given back, on
    /// the operator's schedule (it holds the writer while it runs), and the WAL emptied after a
    /// purge that another process kept from doing so. Audited.
    public func compactStore(requestID: String) async throws(AmanaError) {
        try await run {
            try await store.compact()
            try await store.appendAudit(audit("operator", "db.vacuum", "database", requestID: requestID))
        }
    }

    /// Walks the audit chain. Run from the console (`amana audit verify`) or by
    /// a user allowed to verify the audit log.
    public func verifyAudit() async throws(AmanaError) -> AuditVerification {
        try await run { try await store.verifyAuditChain() }
    }

    /// SQLite's integrity check plus the audit chain.
    public func checkStore() async throws(AmanaError) -> StoreCheck {
        try await run {
            StoreCheck(integrityProblems: try await store.integrityProblems(), audit: try await store.verifyAuditChain())
        }
    }
}
