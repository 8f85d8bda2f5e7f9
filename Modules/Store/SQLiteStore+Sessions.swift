import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertSession(_ session: SessionRecord, audit: AuditDraft) async throws {
        try await write("start the session") { db in
            try db.run(
                sql: "INSERT INTO session (token_digest, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [Data(session.tokenDigest), session.userID.rawValue, millis(session.createdAt),
                            millis(session.lastSeenAt), millis(session.expiresAt)])
            // Sessions past their absolute end can never be used again: drop them.
            try db.run(sql: "DELETE FROM session WHERE expires_at < ?", arguments: [millis(session.createdAt)])
            try self.append(audit, in: db)
        }
    }

    public func session(digest: [UInt8]) async throws -> (SessionRecord, UserRecord)? {
        try readNow("read the session") { db in
            guard let session = try db.row(sql: "SELECT * FROM session WHERE token_digest = ?", arguments: [Data(digest)], { row in
                SessionRecord(
                    tokenDigest: (row["token_digest"] as Data).bytes, userID: UserID(row["user_id"]),
                    createdAt: date(millis: row["created_at"]), lastSeenAt: date(millis: row["last_seen_at"]),
                    expiresAt: date(millis: row["expires_at"]), revokedAt: (row["revoked_at"] as Int64?).map { date(millis: $0) })
            }) else { return nil }
            return try Self.user(session.userID, in: db).map { (session, $0) }
        }
    }

    public func touchSession(digest: [UInt8], at: Date) async throws {
        try await write("refresh the session") { db in
            try db.run(
                sql: "UPDATE session SET last_seen_at = max(last_seen_at, ?) WHERE token_digest = ? AND revoked_at IS NULL",
                arguments: [millis(at), Data(digest)])
        }
    }

    public func revokeSession(digest: [UInt8], at: Date, audit: AuditDraft) async throws {
        try await write("end the session") { db in
            try db.run(
                sql: "UPDATE session SET revoked_at = ? WHERE token_digest = ? AND revoked_at IS NULL",
                arguments: [millis(at), Data(digest)])
            try self.append(audit, in: db)
        }
    }
}
