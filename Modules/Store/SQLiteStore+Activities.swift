import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func activities(caseID: CaseID) async throws -> [CaseActivityRecord] {
        try readNow("read the case") { db in try Self.activities(caseID, in: db) }
    }

    static func activities(_ caseID: CaseID, in db: Database) throws -> [CaseActivityRecord] {
        try db.rows(sql: "SELECT * FROM case_activity WHERE case_id = ? ORDER BY created_at, id", arguments: [caseID.rawValue], Self.activity)
    }

    public func activities(kind: CaseActivityRecord.Kind, status: String, participant: UserID) async throws -> [(CaseActivityRecord, CaseRecord)] {
        try await read("read transfers") { db in
            // Participants are a JSON list of ids: the quoted id matches one element exactly.
            let activities = try db.rows(
                sql: "SELECT * FROM case_activity WHERE kind = ? AND status = ? AND participants LIKE ? ORDER BY created_at",
                arguments: [kind.rawValue, status, "%\"\(participant.rawValue)\"%"], Self.activity)
            return try activities.compactMap { activity in try Self.caseRecord(activity.caseID, in: db).map { (activity, $0) } }
        }
    }

    public func packageImported(id: String) async throws -> Bool {
        try await read("read transfers") { db in try db.value(Int.self, sql: "SELECT 1 FROM transfer_import WHERE package_id = ?", arguments: [id]) != nil }
    }

    static func activity(_ row: Row) -> CaseActivityRecord {
        CaseActivityRecord(
            id: row["id"], caseID: CaseID(row["case_id"]), kind: CaseActivityRecord.Kind(rawValue: row["kind"]) ?? .conference, status: row["status"],
            version: row["version"], createdAt: date(millis: row["created_at"]), createdBy: UserID(row["created_by"]),
            updatedAt: date(millis: row["updated_at"]), dueAt: (row["due_at"] as Int64?).map { date(millis: $0) }, urgent: row["urgent"],
            category: row["category"], participants: CaseActivityRecord.participants(storedAs: row["participants"]), sealedContent: (row["content"] as Data).bytes,
            sealedRestricted: (row["restricted"] as Data?)?.bytes)
    }

    /// Adds or updates one activity of `change`; a stale or duplicate write refuses the change.
    func write(_ activity: ActivityWrite, in db: Database) throws {
        let a = activity.record
        let participants = CaseActivityRecord.storedParticipants(a.participants)
        let stored = try db.value(Int.self, sql: "SELECT version FROM case_activity WHERE id = ? AND case_id = ?", arguments: [a.id, a.caseID.rawValue])
        switch try activity.decide(stored: stored) {
        case .insert:
            try db.run(
                sql: """
                    INSERT INTO case_activity (id, case_id, kind, status, version, created_at, created_by, updated_at, due_at, urgent, category,
                                               participants, content, restricted)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [a.id, a.caseID.rawValue, a.kind.rawValue, a.status, millis(a.createdAt), a.createdBy.rawValue, millis(a.updatedAt),
                            a.dueAt.map(millis), a.urgent, a.category, participants, Data(a.sealedContent), a.sealedRestricted.map { Data($0) }])
        case .update:
            try db.run(
                sql: """
                    UPDATE case_activity SET status = ?, version = version + 1, updated_at = ?, due_at = ?, urgent = ?, category = ?,
                                             participants = ?, content = ?, restricted = ?
                    WHERE id = ? AND case_id = ?
                    """,
                arguments: [a.status, millis(a.updatedAt), a.dueAt.map(millis), a.urgent, a.category, participants, Data(a.sealedContent),
                            a.sealedRestricted.map { Data($0) }, a.id, a.caseID.rawValue])
        }
    }
}
