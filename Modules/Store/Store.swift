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
    /// The usernames of these accounts (ids with no account are left out).
    func usernames(ids: Set<UserID>) async throws -> [UserID: String]
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
    /// The session with this token digest and the account it belongs to.
    func session(digest: [UInt8]) async throws -> (SessionRecord, UserRecord)?
    func touchSession(digest: [UInt8], at: Date) async throws
    func revokeSession(digest: [UInt8], at: Date, audit: AuditDraft) async throws

    // MARK: Cases
    /// Inserts a case with what its opening writes (its first state, its timers);
    /// numbers it `<prefix>-<year>-<sequence>` in the same transaction and returns it numbered.
    /// `then`: changes made to the new case at once (an import's forms), applied in order, each
    /// with its audit entry, as ``applyCaseChange(_:audit:)`` would, in the same transaction;
    /// `keeping`: the case's report digest made from them, kept as ``saveReportDigests(_:)`` would.
    func insertCase(
        _ record: CaseRecord, opening: CaseChange, numberPrefix: String, year: Int, audit: AuditDraft, then changes: [(change: CaseChange, audit: AuditDraft)],
        keeping digest: ReportDigestWrite?
    ) async throws -> CaseRecord
    /// Applies one use case's change to a case, all or nothing. Refuses a stale
    /// `expectedVersion` (case or submission) with `preconditionFailed`.
    func applyCaseChange(_ change: CaseChange, audit: AuditDraft) async throws -> (CaseRecord, SubmissionRecord?)
    func caseRecord(id: CaseID) async throws -> CaseRecord?
    /// The case and its members in one read: what deciding who may open it needs (one trip to the store, not two).
    func caseRecordWithMembers(id: CaseID) async throws -> (record: CaseRecord, members: [UserID])?
    /// The case with all it holds, as one consistent snapshot; nil if there is no such case.
    func caseFile(id: CaseID) async throws -> CaseFile?
    /// The members of several cases in one read (listings check each case's holding).
    func caseMembers(caseIDs: [CaseID]) async throws -> [CaseID: [UserID]]
    /// A page of cases, newest first, within the query's reach.
    func cases(_ query: CaseQuery) async throws -> [CaseRecord]
    /// Cases with an answer whose blind index is one of `keys`.
    func caseIDs(matching keys: [SearchKeyRecord]) async throws -> [CaseID]
    /// The latest version of every submission on the case.
    func submissions(caseID: CaseID) async throws -> [SubmissionRecord]
    /// Every version of one submission, oldest first.
    func submissionHistory(caseID: CaseID, formID: String, entry: Int) async throws -> [SubmissionRecord]
    func pendingTimers(caseID: CaseID) async throws -> [TimerRecord]
    /// Pending timers whose time has come, oldest first.
    func dueTimers(at now: Date, limit: Int) async throws -> [TimerRecord]
    /// Marks a timer fired and adds its task; false when another process fired it first.
    func fireTimer(_ timer: TimerRecord, task: TaskRecord?, audit: AuditDraft) async throws -> Bool
    func tasks(caseID: CaseID) async throws -> [TaskRecord]
    /// A person's open tasks on cases not purged, soonest due first, each with its case and the case's members.
    func openTasks(assigneeID: UserID) async throws -> [AssignedTask]
    /// A case's attachments without their content, oldest first.
    func attachments(caseID: CaseID) async throws -> [AttachmentRecord]
    /// One attachment with its sealed content.
    func attachment(caseID: CaseID, id: String) async throws -> AttachmentRecord?
    func approvals(caseID: CaseID) async throws -> [ApprovalRecord]
    /// The case's conferences, referrals and transfers, oldest first.
    func activities(caseID: CaseID) async throws -> [CaseActivityRecord]
    /// Activities of `kind` in `status` that name `participant` (transfers proposed to them), each with its case.
    func activities(kind: CaseActivityRecord.Kind, status: String, participant: UserID) async throws -> [(CaseActivityRecord, CaseRecord)]
    /// Whether a transfer package was already imported.
    func packageImported(id: String) async throws -> Bool
    /// Approvals waiting for `approverRole`: of a step, on cases still in the state it was asked in;
    /// of a consent exception (`consent:<exception>`), whatever the state.
    func pendingApprovals(approverRole: String) async throws -> [(ApprovalRecord, CaseRecord)]
    /// One page of the cases `query` reaches (newest first; `limit` and `before` as for ``cases(_:)``),
    /// each with its entries of `forms` (or, when `digests` are wanted and the case has one in force,
    /// its report digest instead), its approvals and its activities of `activityKinds`, read in one snapshot.
    func reportSources(
        _ query: CaseQuery, forms: Set<String>, activityKinds: Set<CaseActivityRecord.Kind>, digests: ReportDigestsWanted?
    ) async throws -> [CaseReportSource]
    /// Keeps report digests, each only if its case's entries are still as they were read.
    func saveReportDigests(_ digests: [ReportDigestWrite]) async throws
    /// The open cases `query` reaches (its `reach` and `caseTypes`; no page), counted by owner, team,
    /// programme, state and risk level, with their overdue tasks (due before `now`), cases with an open
    /// task of the timer `closureReviewTimer`, referrals waiting for an answer and consent overrides
    /// given since `overridesSince`. Counted by the database: no case is read out.
    func caseload(_ query: CaseQuery, now: Date, closureReviewTimer: String, overridesSince: Date) async throws -> [CaseloadGroup]
    /// Consent overrides (`override:<id>:<act>`) given since `since`, newest first, on cases not purged.
    func consentOverrides(since: Date) async throws -> [(ApprovalRecord, CaseRecord)]
    func idempotency(actorID: UserID, key: String) async throws -> IdempotencyRecord?
    /// Purges a case: destroys its data key (its content can never be decrypted again),
    /// deletes everything it held but the bare `case_file` row (number, type, dates: what
    /// the audit log refers to), audits it, then makes sure no old copy of its pages is left
    /// readable (SQLite: the deleted cells and freed pages are zeroed, and the WAL emptied;
    /// PostgreSQL: the case tables vacuumed). The freed space is given back by ``compact()``,
    /// on the operator's schedule. False when that last step could not run (another process
    /// held the database): the purge itself is done, its cells zeroed.
    @discardableResult
    func purgeCase(id: CaseID, audit: AuditDraft) async throws -> Bool
    /// Rewrites the file without its freed pages (VACUUM) and empties the WAL.
    func compact() async throws

    // MARK: Key rotation

    /// Data keys (of cases, of supervision meetings) still wrapped under a master key older than `version`.
    func wrappedKeys(below version: UInt32, limit: Int) async throws -> [StoredWrappedKey]
    /// Writes re-wrapped keys over those read (each only if unchanged since), with the audit entry; how many were replaced.
    func replaceWrappedKeys(_ keys: [(old: StoredWrappedKey, new: StoredWrappedKey)], audit: AuditDraft) async throws -> Int

    // MARK: Supervision
    func insertSupervision(_ record: SupervisionRecord, audit: AuditDraft) async throws
    /// The agency's supervision meetings, latest first.
    func supervisions(agencyID: AgencyID) async throws -> [SupervisionRecord]

    // MARK: Service directory
    /// Every service, by organisation and name.
    func services() async throws -> [ServiceRecord]
    /// Adds or changes services, all or nothing; a stale version refuses them all.
    func saveServices(_ writes: [ServiceWrite], audit: AuditDraft) async throws

    // MARK: Forms
    /// The form versions this install has served (the latest of each form last).
    func formVersions() async throws -> [FormVersionRecord]
    /// Records a form version the first time it is served; an existing one is kept as it was.
    func recordFormVersions(_ records: [FormVersionRecord], audit: AuditDraft) async throws

    // MARK: Audit
    /// Appends an entry that records no write (a read, a refusal, a failure).
    func appendAudit(_ draft: AuditDraft) async throws
    func auditEntries(after sequence: Int64, limit: Int) async throws -> [AuditEntry]
    func verifyAuditChain() async throws -> AuditVerification

    // MARK: Operations
    /// SQLite's `integrity_check` (or the store's equivalent): empty when sound.
    func integrityProblems() async throws -> [String]
    /// A consistent copy of the whole store at `path`, taken while it serves.
    func backup(to path: String) async throws
}
