import AmanaCore
import Foundation
import Store

extension PostgresStore {
    public func activities(caseID: CaseID) async throws -> [CaseActivityRecord] {
        try await unlocked("read the case") { t in
            try await t.rows("SELECT * FROM case_activity WHERE case_id = ? ORDER BY created_at, id", [caseID.rawValue], Self.activity)
        }
    }

    public func activities(kind: CaseActivityRecord.Kind, status: String, participant: UserID) async throws -> [(CaseActivityRecord, CaseRecord)] {
        try await read("read transfers") { t in
            // Participants are a JSON list of ids: the quoted id matches one element exactly.
            let activities = try await t.rows(
                "SELECT * FROM case_activity WHERE kind = ? AND status = ? AND participants LIKE ? ORDER BY created_at, id",
                [kind.rawValue, status, "%\"\(participant.rawValue)\"%"], Self.activity)
            return try await Self.withCases(activities, caseID: \.caseID, in: t)
        }
    }

    public func packageImported(id: String) async throws -> Bool {
        try await read("read transfers") { t in try await t.value(Int64.self, "SELECT 1::bigint FROM transfer_import WHERE package_id = ?", [id]) != nil }
    }

    static func activity(_ c: PostgresCells) throws -> CaseActivityRecord {
        CaseActivityRecord(
            id: try c.text("id"), caseID: CaseID(try c.text("case_id")), kind: CaseActivityRecord.Kind(rawValue: try c.text("kind")) ?? .conference,
            status: try c.text("status"), version: try c.int("version"), createdAt: try c.date("created_at"), createdBy: UserID(try c.text("created_by")),
            updatedAt: try c.date("updated_at"), dueAt: try c.optionalDate("due_at"), urgent: try c.bool("urgent"), category: try c.optionalText("category"),
            participants: CaseActivityRecord.participants(storedAs: try c.text("participants")), sealedContent: try c.bytes("content"),
            sealedRestricted: try c.optionalBytes("restricted"))
    }

    /// Adds or updates one activity of a change; a stale or duplicate write refuses the change.
    func write(_ activity: ActivityWrite, in t: PostgresTransaction) async throws {
        let a = activity.record
        let participants = CaseActivityRecord.storedParticipants(a.participants)
        let stored = try await t.value(Int.self, "SELECT version FROM case_activity WHERE id = ? AND case_id = ?", [a.id, a.caseID.rawValue])
        switch try activity.decide(stored: stored) {
        case .insert:
            try await t.run(
                """
                INSERT INTO case_activity (id, case_id, kind, status, version, created_at, created_by, updated_at, due_at, urgent, category,
                                           participants, content, restricted)
                VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [a.id, a.caseID.rawValue, a.kind.rawValue, a.status, a.createdAt.storedMillis, a.createdBy.rawValue, a.updatedAt.storedMillis,
                 a.dueAt?.storedMillis, a.urgent, a.category, participants, Data(a.sealedContent), a.sealedRestricted.map { Data($0) }])
        case .update:
            try await t.run(
                """
                UPDATE case_activity SET status = ?, version = version + 1, updated_at = ?, due_at = ?, urgent = ?, category = ?,
                                         participants = ?, content = ?, restricted = ?
                WHERE id = ? AND case_id = ?
                """,
                [a.status, a.updatedAt.storedMillis, a.dueAt?.storedMillis, a.urgent, a.category, participants, Data(a.sealedContent),
                 a.sealedRestricted.map { Data($0) }, a.id, a.caseID.rawValue])
        }
    }
}
