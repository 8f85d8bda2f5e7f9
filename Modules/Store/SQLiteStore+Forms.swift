import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func formVersions() async throws -> [FormVersionRecord] {
        try await read("read the form versions") { db in
            try db.rows(sql: "SELECT * FROM form_version ORDER BY form_id, version") {
                FormVersionRecord(formID: $0["form_id"], version: $0["version"], document: $0["document"], recordedAt: date(millis: $0["recorded_at"]))
            }
        }
    }

    public func recordFormVersions(_ records: [FormVersionRecord], audit: AuditDraft) async throws {
        try await write("record the form versions") { db in
            for r in records {
                try db.run(
                    sql: "INSERT OR IGNORE INTO form_version (form_id, version, document, recorded_at) VALUES (?, ?, ?, ?)",
                    arguments: [r.formID, r.version, r.document, millis(r.recordedAt)])
            }
            try self.append(audit, in: db)
        }
    }
}
