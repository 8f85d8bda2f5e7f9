import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func services() async throws -> [ServiceRecord] {
        try await read("read the service directory") { db in
            try db.rows(sql: "SELECT * FROM service ORDER BY organisation, name, id", arguments: [], Self.service)
        }
    }

    static func service(_ row: Row) -> ServiceRecord {
        ServiceRecord(
            id: row["id"], organisation: row["organisation"], name: row["name"], serviceType: row["service_type"], location: row["location"],
            address: row["address"], hours: row["hours"], contact: row["contact"],
            profiles: (try? JSONDecoder().decode([String: String].self, from: Data((row["profiles"] as String).utf8))) ?? [:],
            coordinationRegistration: row["coordination_registration"], agencyCode: row["agency_code"], active: row["active"],
            feedbackCount: row["feedback_count"], feedbackTotal: row["feedback_total"], version: row["version"], updatedAt: date(millis: row["updated_at"]))
    }

    public func saveServices(_ writes: [ServiceWrite], audit: AuditDraft) async throws {
        try await write("save the service directory") { db in
            for write in writes { try Self.save(write, in: db) }
            try self.append(audit, in: db)
        }
    }

    static func save(_ write: ServiceWrite, in db: Database) throws {
        let s = write.record
        let profiles = write.storedProfiles
        let stored = try db.value(Int.self, sql: "SELECT version FROM service WHERE id = ?", arguments: [s.id])
        let fields: [any DatabaseValueConvertible] = [
            s.organisation, s.name, s.serviceType, s.location, s.address, s.hours, s.contact, profiles, s.coordinationRegistration, s.agencyCode, s.active,
            millis(s.updatedAt),
        ]
        switch try write.decide(stored: stored) {
        case .insert:
            try db.run(
                sql: """
                    INSERT INTO service (organisation, name, service_type, location, address, hours, contact, profiles, coordination_registration,
                                         agency_code, active, updated_at, id, version, feedback_count, feedback_total)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0)
                    """,
                arguments: StatementArguments(fields + [s.id]))
        case .update:
            try db.run(
                sql: """
                    UPDATE service SET organisation = ?, name = ?, service_type = ?, location = ?, address = ?, hours = ?, contact = ?, profiles = ?,
                                       coordination_registration = ?, agency_code = ?, active = ?, updated_at = ?, version = version + 1
                    WHERE id = ?
                    """,
                arguments: StatementArguments(fields + [s.id]))
        }
    }

    /// A survivor's rating of a service, counted with the case change that records it.
    static func rate(_ serviceID: String, score: Int, in db: Database) throws {
        try db.run(
            sql: "UPDATE service SET feedback_count = feedback_count + 1, feedback_total = feedback_total + ? WHERE id = ?", arguments: [score, serviceID])
    }
}
