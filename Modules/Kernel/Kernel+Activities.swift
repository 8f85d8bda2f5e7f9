import AmanaCore
import Foundation
import Store
import Vault

/// What conferences, referrals and transfers share: a row whose content is one
/// JSON document sealed under the case key, bound to the activity, written with
/// its audit entry and checked against the version read.
extension Kernel {
    /// An activity's content, opened with the case key.
    func content<T: Decodable>(_ type: T.Type, of activity: CaseActivityRecord, key: any CaseKey) throws -> T {
        try unsealDocument(type, activity.sealedContent, key: key, caseID: activity.caseID, as: Kernel.activityPurpose(activity.id))
    }

    /// Writes a new activity with `content` sealed, in one change with what `more` adds and its audit entry.
    func addActivity(
        _ activity: CaseActivityRecord, content: some Encodable, key: any CaseKey, audit: AuditDraft, more: (inout CaseChange) throws -> Void = { _ in }
    ) async throws -> CaseActivityRecord {
        var record = activity
        record.sealedContent = try sealDocument(content, key: key, caseID: record.caseID, as: Kernel.activityPurpose(record.id))
        var change = CaseChange(caseID: record.caseID, expectedVersion: nil, at: record.updatedAt)
        change.activities = [ActivityWrite(record: record, expectedVersion: nil)]
        try more(&change)
        _ = try await applyCaseChange(change, audit: audit)
        return record
    }

    /// Writes `activity` again (its status and restricted part as given) with `content`
    /// sealed anew; refused (412) if it changed since version `expectVersion` (default:
    /// the version it was read at). Returns it at its new version.
    func updateActivity(
        _ activity: CaseActivityRecord, content: some Encodable, key: any CaseKey, expectVersion: Int? = nil, audit: AuditDraft,
        more: (inout CaseChange) throws -> Void = { _ in }
    ) async throws -> CaseActivityRecord {
        var record = activity
        record.updatedAt = clock.now()
        record.sealedContent = try sealDocument(content, key: key, caseID: record.caseID, as: Kernel.activityPurpose(record.id))
        let read = expectVersion ?? activity.version
        var change = CaseChange(caseID: record.caseID, expectedVersion: nil, at: record.updatedAt)
        change.activities = [ActivityWrite(record: record, expectedVersion: read)]
        try more(&change)
        _ = try await applyCaseChange(change, audit: audit)
        record.version = read + 1
        return record
    }

    /// What an activity's content is bound to (besides its case).
    static func activityPurpose(_ id: String) -> String { "activity:\(id)" }
    /// What an activity's restricted part is bound to.
    static func restrictedPurpose(_ id: String) -> String { "activity:\(id)/restricted" }
}
