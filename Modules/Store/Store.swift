import AmanaCore
import Foundation

/// Everything the kernel keeps, behind one protocol so the embedded SQLite
/// store and a PostgreSQL store are interchangeable.
///
/// Every write takes the ``AuditDraft`` that records it and appends that entry
/// to the hash chain in the same transaction: a change is never stored without
/// its audit entry, nor an entry without its change. Methods throw
/// ``AmanaError`` only.
public protocol Store: Sendable {
    // MARK: Organisation
    func insertAgency(_ agency: AgencyRecord, audit: AuditDraft) async throws
    func agencies() async throws -> [AgencyRecord]
    func insertTeam(_ team: TeamRecord, audit: AuditDraft) async throws
    func teams() async throws -> [TeamRecord]

    // MARK: Users
    func insertUser(_ user: UserRecord, audit: AuditDraft) async throws
    func user(id: UserID) async throws -> UserRecord?
    func user(username: String) async throws -> UserRecord?
    func users() async throws -> [UserRecord]
    /// Stores `user` if the stored version is still `user.version`; returns it
    /// with the next version. With `revokingSessions`, all the user's sessions
    /// end in the same transaction.
    func updateUser(_ user: UserRecord, revokingSessions: Bool, at: Date, audit: AuditDraft) async throws -> UserRecord

    // MARK: Sign-in throttling
    func loginThrottle(key: String) async throws -> LoginThrottle?
    /// Counts one failure; at `maxFailures` the key is locked until `at + lockFor`.
    func recordLoginFailure(key: String, at: Date, maxFailures: Int, lockFor: TimeInterval, audit: AuditDraft) async throws -> LoginThrottle
    func clearLoginFailures(key: String) async throws

    // MARK: Sessions
    func insertSession(_ session: SessionRecord, audit: AuditDraft) async throws
    func session(digest: [UInt8]) async throws -> SessionRecord?
    func touchSession(digest: [UInt8], at: Date) async throws
    func revokeSession(digest: [UInt8], at: Date, audit: AuditDraft) async throws

    // MARK: Cases
    /// Inserts a case and its fields; numbers it `<prefix>-<year>-<sequence>`
    /// inside the same transaction, and returns it numbered.
    func insertCase(_ record: CaseRecord, fields: [CaseFieldRecord], numberPrefix: String, year: Int, audit: AuditDraft) async throws -> CaseRecord
    func caseRecord(id: CaseID) async throws -> CaseRecord?
    func caseFields(caseID: CaseID) async throws -> [CaseFieldRecord]
    /// Cases whose `fieldID` has exactly this blind index.
    func caseIDs(fieldID: String, blindIndex: [UInt8]) async throws -> [CaseID]
    /// Destroys the case's data key: its fields can never be decrypted again.
    func shredCaseKey(id: CaseID, audit: AuditDraft) async throws

    // MARK: Audit
    /// Appends an entry that records no write (a read, a refusal, a failure).
    /// The form versions this install has served (the latest of each form last).
    func formVersions() async throws -> [FormVersionRecord]
    /// Records a form version the first time it is served; an existing one is kept as it was.
    func recordFormVersions(_ records: [FormVersionRecord], audit: AuditDraft) async throws

    func appendAudit(_ draft: AuditDraft) async throws
    func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry]
    func verifyAuditChain() async throws -> AuditVerification

    // MARK: Operations
    /// SQLite's `integrity_check` (or the store's equivalent): empty when sound.
    func integrityProblems() async throws -> [String]
    /// A consistent copy of the whole store at `path`, taken while it serves.
    func backup(to path: String) async throws
}
