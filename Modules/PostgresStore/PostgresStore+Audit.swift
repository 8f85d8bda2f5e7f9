import AmanaCore
import Foundation
import Store

extension PostgresStore {
    /// Appends `draft` to the chain inside the caller's write transaction. The writer lock
    /// the transaction holds makes the last entry read here the last one committed.
    func append(_ draft: AuditDraft, in t: PostgresTransaction) async throws {
        let last = try await t.row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { (try $0.int64("seq"), try $0.bytes("hash")) }
        let sequence = (last?.0 ?? 0) + 1
        let previous = last?.1 ?? AuditEncoding.genesis
        let hash = link(previous, AuditEncoding.bytes(sequence: sequence, draft))
        try await t.run(
            """
            INSERT INTO audit_log (seq, at, actor, action, object, outcome, request_id, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [sequence, draft.at.storedMillis, draft.actor, draft.action, draft.object, draft.outcome.rawValue, draft.requestID, draft.detail,
             Data(previous), Data(hash)])
    }

    public func appendAudit(_ draft: AuditDraft) async throws {
        try await write("record an audit entry") { t in try await self.append(draft, in: t) }
    }

    public func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry] {
        try await read("read the audit log") { t in
            try await t.rows("SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", [sequence, limit], Self.auditEntry)
        }
    }

    /// Walks the whole chain in one snapshot, a page at a time, recomputing every link.
    public func verifyAuditChain() async throws -> AuditVerification {
        try await read("verify the audit log") { t in
            var previous = AuditEncoding.genesis
            var expectedSequence: Int64 = 1
            while true {
                let page = try await t.rows("SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 10000", [expectedSequence], Self.auditEntry)
                for entry in page {
                    let recomputed = self.link(previous, AuditEncoding.bytes(sequence: entry.sequence, entry.draft))
                    guard entry.sequence == expectedSequence, entry.previousHash == previous, entry.hash == recomputed else {
                        return .broken(atSequence: expectedSequence, checked: expectedSequence - 1)
                    }
                    previous = entry.hash
                    expectedSequence += 1
                }
                if page.count < 10000 { return .intact(entries: expectedSequence - 1) }
            }
        }
    }

    static func auditEntry(_ c: PostgresCells) throws -> AuditEntry {
        let draft = AuditDraft(
            at: try c.date("at"), actor: try c.text("actor"), action: try c.text("action"), object: try c.text("object"),
            outcome: AuditDraft.Outcome(rawValue: try c.text("outcome")) ?? .failed, requestID: try c.text("request_id"), detail: try c.text("detail"))
        return AuditEntry(sequence: try c.int64("seq"), draft: draft, previousHash: try c.bytes("prev_hash"), hash: try c.bytes("hash"))
    }
}
