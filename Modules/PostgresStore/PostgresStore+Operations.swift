import AmanaCore
import Foundation
import Store

/// Purging, compaction, checks and backups: what an operator runs.
extension PostgresStore {
    /// The tables a case's content lives in, emptied of it by a purge.
    static let caseTables = [
        "case_search", "idempotency", "case_submission", "case_submission_history", "case_attachment", "case_activity",
        "case_timer", "case_task", "case_approval", "case_state_change", "case_member", "case_report_digest",
    ]

    /// Destroys the case's wrapped key and deletes all it held but the bare `case_file` row,
    /// audited, then VACUUMs the case tables so that the dead row versions are gone from
    /// the live tables. PostgreSQL does not overwrite freed space, its WAL or its replicas:
    /// what stays there is sealed under a key that no longer exists in any table (see
    /// docs/deployment-postgres.md). False when the VACUUM could not run.
    @discardableResult
    public func purgeCase(id: CaseID, audit: AuditDraft) async throws -> Bool {
        try await write("purge the case") { t in
            try await t.run("UPDATE case_file SET wrapped_key = NULL, version = version + 1 WHERE id = ?", [id.rawValue])
            for table in Self.caseTables { try await t.run("DELETE FROM \(table) WHERE case_id = ?", [id.rawValue]) }
            // Forget who sent the case (where the person came from); the package id stays, refused as a replay.
            try await t.run("UPDATE transfer_import SET sender = '', imported_at = 0 WHERE case_id = ?", [id.rawValue])
            try await self.append(audit, in: t)
        }
        do {
            try await unlocked("clean up after the purge") { t in
                for table in ["case_file"] + Self.caseTables { try await t.run("VACUUM \(table)") }
            }
            return true
        } catch {
            return false
        }
    }

    /// Rewrites every table without its dead row versions (VACUUM FULL). Each table is
    /// locked while it is rewritten: run it in a quiet hour.
    public func compact() async throws {
        try await unlocked("compact the database") { t in try await t.run("VACUUM (FULL, ANALYZE)") }
    }

    /// What PostgreSQL's own checks do not cover: its pages are checksummed by the server and
    /// its foreign keys always enforced, so what is left to check is the audit log's shape
    /// (no entry missing from the sequence; `verifyAuditChain` checks every link).
    public func integrityProblems() async throws -> [String] {
        try await read("check the database") { t in
            var problems: [String] = []
            if let (count, highest) = try await t.row("SELECT COUNT(*) AS n, COALESCE(MAX(seq), 0) AS top FROM audit_log", [], { (try $0.int64("n"), try $0.int64("top")) }),
               count != highest {
                problems.append("the audit log has \(count) entries numbered up to \(highest)")
            }
            return problems
        }
    }

    /// The server's settings that decide whether a committed change survives a power cut
    /// (`fsync`, `synchronous_commit`, `full_page_writes`), as it reports them.
    public func durabilitySettings() async throws -> [(name: String, value: String)] {
        try await read("read the server's settings") { t in
            try await t.rows(
                "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes') ORDER BY name"
            ) { (try $0.text("name"), try $0.text("setting")) }
        }
    }

    /// A PostgreSQL install is backed up by the database's own tools, not by Amana.
    public func backup(to path: String) async throws {
        throw AmanaError.invalid(
            "backup-postgres",
            "This install keeps its cases in PostgreSQL (\(address.redacted)): back the database up with pg_basebackup and WAL archiving, or your provider's managed backups, and keep the install's keys/ folder apart (docs/deployment-postgres.md).")
    }
}
