import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Appends `draft` to the chain inside the caller's write transaction.
    func append(_ draft: AuditDraft, in db: Database) throws {
        let last = try db.row(sql: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { ($0["seq"] as Int64, ($0["hash"] as Data).bytes) }
        let sequence = (last?.0 ?? 0) + 1
        let previous = last?.1 ?? AuditEncoding.genesis
        let hash = link(previous, AuditEncoding.bytes(sequence: sequence, draft))
        try db.run(
            sql: """
                INSERT INTO audit_log (seq, at, actor, action, object, outcome, request_id, detail, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [sequence, millis(draft.at), draft.actor, draft.action, draft.object, draft.outcome.rawValue,
                        draft.requestID, draft.detail, Data(previous), Data(hash)])
    }

    /// Appends an entry that stands alone (a read, a listing, a refusal), committed with
    /// whatever else is written at the same moment (see ``WriteGroupCommit``).
    public func appendAudit(_ draft: AuditDraft) async throws {
        try await write("record an audit entry") { db in try self.append(draft, in: db) }
    }

    public func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await read("read the audit log") { db in
            try db.rows(sql: "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [sequence, limit], Self.auditEntry)
        }
    }

    /// Walks the whole chain in one read transaction (a consistent snapshot,
    /// while writers go on), recomputing every link.
    public func verifyAuditChain() async throws -> AuditVerification {
        try await read("verify the audit log") { db in
            var previous = AuditEncoding.genesis
            var expectedSequence: Int64 = 1
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
            while let row = try cursor.next() {
                let entry = Self.auditEntry(row)
                let recomputed = self.link(previous, AuditEncoding.bytes(sequence: entry.sequence, entry.draft))
                guard entry.sequence == expectedSequence, entry.previousHash == previous, entry.hash == recomputed else {
                    return .broken(atSequence: entry.sequence == expectedSequence ? entry.sequence : expectedSequence, checked: expectedSequence - 1)
                }
                previous = entry.hash
                expectedSequence += 1
            }
            return .intact(entries: expectedSequence - 1)
        }
    }

    static func auditEntry(_ row: Row) -> AuditEntry {
        let draft = AuditDraft(
            at: date(millis: row["at"]), actor: row["actor"], action: row["action"], object: row["object"],
            outcome: AuditDraft.Outcome(rawValue: row["outcome"]) ?? .failed, requestID: row["request_id"], detail: row["detail"])
        return AuditEntry(
            sequence: row["seq"], draft: draft,
            previousHash: (row["prev_hash"] as Data).bytes, hash: (row["hash"] as Data).bytes)
    }
}
