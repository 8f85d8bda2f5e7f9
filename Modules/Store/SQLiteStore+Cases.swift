import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertCase(_ record: CaseRecord, fields: [CaseFieldRecord], numberPrefix: String, year: Int, audit: AuditDraft) async throws -> CaseRecord {
        try await write("save the case") { db in
            try db.execute(
                sql: """
                    INSERT INTO case_number_sequence (prefix, year, last) VALUES (?, ?, 1)
                    ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1
                    """,
                arguments: [numberPrefix, year])
            let sequence = try Int.fetchOne(
                db, sql: "SELECT last FROM case_number_sequence WHERE prefix = ? AND year = ?", arguments: [numberPrefix, year]) ?? 1
            var numbered = record
            numbered.caseNumber = String(format: "%@-%04d-%06d", numberPrefix, year, sequence)
            try db.execute(
                sql: """
                    INSERT INTO case_file (id, case_number, case_type, owner_id, team_id, agency_id, wrapped_key, key_version,
                                           created_at, updated_at, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [numbered.id.rawValue, numbered.caseNumber, numbered.caseType, numbered.ownerID.rawValue,
                            numbered.teamID?.rawValue, numbered.agencyID.rawValue, numbered.wrappedKey.map { Data($0) },
                            Int64(numbered.keyVersion), millis(numbered.createdAt), millis(numbered.updatedAt), numbered.version])
            for field in fields {
                try db.execute(
                    sql: "INSERT INTO case_field (case_id, field_id, ciphertext, blind_index) VALUES (?, ?, ?, ?)",
                    arguments: [field.caseID.rawValue, field.fieldID, Data(field.ciphertext), field.blindIndex.map { Data($0) }])
            }
            var entry = audit
            entry.object = "case:\(numbered.id.rawValue)"
            try self.append(entry, in: db)
            return numbered
        }
    }

    public func caseRecord(id: CaseID) async throws -> CaseRecord? {
        try await read("read the case") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE id = ?", arguments: [id.rawValue]).map {
                CaseRecord(
                    id: CaseID($0["id"]), caseNumber: $0["case_number"], caseType: $0["case_type"],
                    ownerID: UserID($0["owner_id"]), teamID: ($0["team_id"] as String?).map(TeamID.init),
                    agencyID: AgencyID($0["agency_id"]), wrappedKey: ($0["wrapped_key"] as Data?)?.bytes,
                    keyVersion: UInt32($0["key_version"] as Int64), createdAt: date(millis: $0["created_at"]),
                    updatedAt: date(millis: $0["updated_at"]), version: $0["version"])
            }
        }
    }

    public func caseFields(caseID: CaseID) async throws -> [CaseFieldRecord] {
        try await read("read the case") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM case_field WHERE case_id = ? ORDER BY field_id", arguments: [caseID.rawValue]).map {
                CaseFieldRecord(
                    caseID: CaseID($0["case_id"]), fieldID: $0["field_id"], ciphertext: ($0["ciphertext"] as Data).bytes,
                    blindIndex: ($0["blind_index"] as Data?)?.bytes)
            }
        }
    }

    public func caseIDs(fieldID: String, blindIndex: [UInt8]) async throws -> [CaseID] {
        try await read("search cases") { db in
            try String.fetchAll(
                db, sql: "SELECT case_id FROM case_field WHERE field_id = ? AND blind_index = ? ORDER BY case_id",
                arguments: [fieldID, Data(blindIndex)]
            ).map(CaseID.init)
        }
    }

    public func shredCaseKey(id: CaseID, audit: AuditDraft) async throws {
        try await write("destroy the case key") { db in
            try db.execute(
                sql: "UPDATE case_file SET wrapped_key = NULL, version = version + 1 WHERE id = ?", arguments: [id.rawValue])
            // The blind indexes would still let a key holder confirm a guessed name: remove them too.
            try db.execute(sql: "UPDATE case_field SET blind_index = NULL WHERE case_id = ?", arguments: [id.rawValue])
            try self.append(audit, in: db)
        }
    }
}
