import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func wrappedKeys(below version: UInt32, limit: Int) async throws -> [StoredWrappedKey] {
        try await read("read keys to re-wrap") { db in
            var keys: [StoredWrappedKey] = []
            for holder in [StoredWrappedKey.Holder.caseFile, .supervision] where keys.count < limit {
                keys += try db.rows(
                    sql: "SELECT id, wrapped_key, key_version FROM \(holder.rawValue) WHERE key_version < ? AND wrapped_key IS NOT NULL LIMIT ?",
                    arguments: [Int64(version), limit - keys.count], cached: false
                ) { row in
                    StoredWrappedKey(holder: holder, id: row["id"], bytes: (row["wrapped_key"] as Data).bytes, keyVersion: UInt32(row["key_version"] as Int64))
                }
            }
            return keys
        }
    }

    public func replaceWrappedKeys(_ keys: [(old: StoredWrappedKey, new: StoredWrappedKey)], audit: AuditDraft) async throws -> Int {
        try await write("store re-wrapped keys") { db in
            var replaced = 0
            for (old, new) in keys {
                // Only over the key read: a case purged meanwhile keeps its NULL.
                try db.execute(
                    sql: "UPDATE \(old.holder.rawValue) SET wrapped_key = ?, key_version = ? WHERE id = ? AND key_version = ? AND wrapped_key IS NOT NULL",
                    arguments: [Data(new.bytes), Int64(new.keyVersion), old.id, Int64(old.keyVersion)])
                replaced += db.changesCount
            }
            try self.append(audit, in: db)
            return replaced
        }
    }
}
