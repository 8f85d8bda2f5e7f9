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
    /// Walks the audit chain. Run from the console (`amana audit verify`) or by
    /// a user allowed to verify the audit log.
    /// Compacts the database (VACUUM, WAL emptied): what a purge does after itself,
    /// for when another process held the database then. Audited.
    public func compactStore(requestID: String) async throws(AmanaError) {
        try await run {
            try await store.compact()
            try await store.appendAudit(audit("operator", "db.vacuum", "database", requestID: requestID))
        }
    }

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
