import AmanaCore
import Foundation
import Store

/// Form versions, the service directory, supervision meetings and key rotation.
extension PostgresStore {
    public func formVersions() async throws -> [FormVersionRecord] {
        try await read("read the form versions") { t in
            try await t.rows("SELECT * FROM form_version ORDER BY form_id, version") {
                FormVersionRecord(formID: try $0.text("form_id"), version: try $0.int("version"), document: try $0.text("document"), recordedAt: try $0.date("recorded_at"))
            }
        }
    }

    public func recordFormVersions(_ records: [FormVersionRecord], audit: AuditDraft) async throws {
        try await write("record the form versions") { t in
            for r in records {
                try await t.run(
                    "INSERT INTO form_version (form_id, version, document, recorded_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [r.formID, r.version, r.document, r.recordedAt.storedMillis])
            }
            try await self.append(audit, in: t)
        }
    }

    // MARK: Service directory

    public func services() async throws -> [ServiceRecord] {
        try await read("read the service directory") { t in
            try await t.rows("SELECT * FROM service ORDER BY organisation, name, id") { c in
                ServiceRecord(
                    id: try c.text("id"), organisation: try c.text("organisation"), name: try c.text("name"), serviceType: try c.text("service_type"),
                    location: try c.text("location"), address: try c.text("address"), hours: try c.text("hours"), contact: try c.text("contact"),
                    profiles: (try? JSONDecoder().decode([String: String].self, from: Data(try c.text("profiles").utf8))) ?? [:],
                    coordinationRegistration: try c.optionalText("coordination_registration"), agencyCode: try c.optionalText("agency_code"),
                    active: try c.bool("active"), feedbackCount: try c.int("feedback_count"), feedbackTotal: try c.int("feedback_total"),
                    version: try c.int("version"), updatedAt: try c.date("updated_at"))
            }
        }
    }

    public func saveServices(_ writes: [ServiceWrite], audit: AuditDraft) async throws {
        try await write("save the service directory") { t in
            for write in writes {
                let s = write.record
                let stored = try await t.value(Int.self, "SELECT version FROM service WHERE id = ?", [s.id])
                let fields: [any PostgresArgument] = [
                    s.organisation, s.name, s.serviceType, s.location, s.address, s.hours, s.contact, write.storedProfiles, s.coordinationRegistration,
                    s.agencyCode, s.active, s.updatedAt.storedMillis, s.id,
                ]
                switch try write.decide(stored: stored) {
                case .insert:
                    try await t.run(
                        """
                        INSERT INTO service (organisation, name, service_type, location, address, hours, contact, profiles, coordination_registration,
                                             agency_code, active, updated_at, id, version, feedback_count, feedback_total)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0)
                        """, fields)
                case .update:
                    try await t.run(
                        """
                        UPDATE service SET organisation = ?, name = ?, service_type = ?, location = ?, address = ?, hours = ?, contact = ?, profiles = ?,
                                           coordination_registration = ?, agency_code = ?, active = ?, updated_at = ?, version = version + 1
                        WHERE id = ?
                        """, fields)
                }
            }
            try await self.append(audit, in: t)
        }
    }

    // MARK: Supervision

    public func insertSupervision(_ record: SupervisionRecord, audit: AuditDraft) async throws {
        try await write("record the supervision meeting") { t in
            try await t.run(
                """
                INSERT INTO supervision_session (id, agency_id, staff_id, supervisor_id, held_on, created_at, wrapped_key, key_version, notes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [record.id, record.agencyID.rawValue, record.staffID.rawValue, record.supervisorID.rawValue, record.heldOn, record.createdAt.storedMillis,
                 Data(record.wrappedKey), Int64(record.keyVersion), Data(record.sealedNotes)])
            try await self.append(audit, in: t)
        }
    }

    public func supervisions(agencyID: AgencyID) async throws -> [SupervisionRecord] {
        try await read("read supervision meetings") { t in
            try await t.rows("SELECT * FROM supervision_session WHERE agency_id = ? ORDER BY held_on DESC, created_at DESC", [agencyID.rawValue]) { c in
                SupervisionRecord(
                    id: try c.text("id"), agencyID: AgencyID(try c.text("agency_id")), staffID: UserID(try c.text("staff_id")),
                    supervisorID: UserID(try c.text("supervisor_id")), heldOn: try c.text("held_on"), createdAt: try c.date("created_at"),
                    wrappedKey: try c.bytes("wrapped_key"), keyVersion: UInt32(try c.int64("key_version")), sealedNotes: try c.bytes("notes"))
            }
        }
    }

    // MARK: Key rotation

    public func wrappedKeys(below version: UInt32, limit: Int) async throws -> [StoredWrappedKey] {
        try await read("read keys to re-wrap") { t in
            var keys: [StoredWrappedKey] = []
            for holder in [StoredWrappedKey.Holder.caseFile, .supervision] where keys.count < limit {
                keys += try await t.rows(
                    "SELECT id, wrapped_key, key_version FROM \(holder.rawValue) WHERE key_version < ? AND wrapped_key IS NOT NULL ORDER BY id LIMIT ?",
                    [Int64(version), limit - keys.count]
                ) { c in
                    StoredWrappedKey(holder: holder, id: try c.text("id"), bytes: try c.bytes("wrapped_key"), keyVersion: UInt32(try c.int64("key_version")))
                }
            }
            return keys
        }
    }

    public func replaceWrappedKeys(_ keys: [(old: StoredWrappedKey, new: StoredWrappedKey)], audit: AuditDraft) async throws -> Int {
        try await write("store re-wrapped keys") { t in
            var replaced = 0
            for (old, new) in keys {
                // Only over the key read: a case purged meanwhile keeps its NULL.
                replaced += try await t.changed(
                    "UPDATE \(old.holder.rawValue) SET wrapped_key = ?, key_version = ? WHERE id = ? AND key_version = ? AND wrapped_key IS NOT NULL RETURNING 1",
                    [Data(new.bytes), Int64(new.keyVersion), old.id, Int64(old.keyVersion)])
            }
            try await self.append(audit, in: t)
            return replaced
        }
    }
}
