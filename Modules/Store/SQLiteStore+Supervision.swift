import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertSupervision(_ record: SupervisionRecord, audit: AuditDraft) async throws {
        try await write("record the supervision meeting") { db in
            try db.run(
                sql: """
                    INSERT INTO supervision_session (id, agency_id, staff_id, supervisor_id, held_on, created_at, wrapped_key, key_version, notes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.id, record.agencyID.rawValue, record.staffID.rawValue, record.supervisorID.rawValue, record.heldOn, millis(record.createdAt),
                    Data(record.wrappedKey), Int64(record.keyVersion), Data(record.sealedNotes),
                ])
            try self.append(audit, in: db)
        }
    }

    public func supervisions(agencyID: AgencyID) async throws -> [SupervisionRecord] {
        try await read("read supervision meetings") { db in
            try db.rows(sql: "SELECT * FROM supervision_session WHERE agency_id = ? ORDER BY held_on DESC, created_at DESC", arguments: [agencyID.rawValue]) { row in
                SupervisionRecord(
                    id: row["id"], agencyID: AgencyID(row["agency_id"] as String), staffID: UserID(row["staff_id"] as String),
                    supervisorID: UserID(row["supervisor_id"] as String), heldOn: row["held_on"], createdAt: date(millis: row["created_at"]),
                    wrappedKey: (row["wrapped_key"] as Data).bytes, keyVersion: UInt32(row["key_version"] as Int64), sealedNotes: (row["notes"] as Data).bytes)
            }
        }
    }
}
