import AmanaCore
import Foundation

/// Everything one use case changes on one case, written in one transaction
/// together with its audit entry: the case's version goes up by one, or
/// nothing is written at all.
public struct CaseChange: Sendable {
    public var caseID: CaseID
    /// The case version the change was made from; a different stored version
    /// refuses the whole change (`preconditionFailed`). Nil for the system's own
    /// writes (a timer firing), which never overwrite a person's change.
    public var expectedVersion: Int?
    public var at: Date
    public var state: String?
    public var riskLevel: String?
    /// A new owner (and team); the previous owner's open tasks on the case go to them.
    public var owner: (UserID, TeamID?)?
    /// The agency that holds the case now (a transfer to another agency on this install).
    public var agencyID: AgencyID?
    /// `.some(date)` closes the case, `.some(nil)` reopens it.
    public var closedAt: Date??
    public var submission: SubmissionWrite?
    public var stateChange: StateChangeRecord?
    public var timersStarted: [TimerRecord] = []
    /// Pending timers (by row id) that fire at a new time: the case's risk level changed.
    public var timersRetimed: [String: Date] = [:]
    /// Pending timers on the case that stop.
    public var timersCancelled: [TimerStop] = []
    public var tasksAdded: [TaskRecord] = []
    /// Task id -> completion; the task must be open.
    public var tasksCompleted: [String: (at: Date, by: UserID)] = [:]
    /// Open tasks to cancel (a case that closes stops its reminders).
    public var tasksCancelled: [String] = []
    /// Approvals inserted or replaced (by id).
    public var approvals: [ApprovalRecord] = []
    public var membersAdded: [UserID] = []
    public var attachmentsAdded: [AttachmentRecord] = []
    /// Conferences, referrals, transfers added or updated, each checked against the version read.
    public var activities: [ActivityWrite] = []
    /// Survivors' ratings of services (service id -> 1 to 5), counted in the directory's score.
    public var serviceRatings: [String: Int] = [:]
    /// More submissions written with this change (the forms of a transfer package, each a new entry).
    public var importedSubmissions: [SubmissionWrite] = []
    /// The transfer package this change imports: a package is imported once (a replay is refused).
    public var packageImport: PackageImportRecord?

    public init(caseID: CaseID, expectedVersion: Int?, at: Date) {
        self.caseID = caseID
        self.expectedVersion = expectedVersion
        self.at = at
    }
}

/// Which pending timers stop: a workflow timer's, all of them or only those about one subject.
public struct TimerStop: Sendable, Equatable {
    public var timerID: String
    /// Nil: every pending timer of `timerID` on the case.
    public var subject: String?

    public init(timerID: String, subject: String? = nil) {
        self.timerID = timerID
        self.subject = subject
    }
}

/// A transfer package imported into this install, remembered so that it is imported only once.
public struct PackageImportRecord: Sendable, Equatable {
    /// The sender's fingerprint and the package id (`<fingerprint>|<id>`): ids are the sender's to give.
    public var packageID: String
    /// The sending install's key fingerprint.
    public var sender: String
    public var at: Date

    public init(packageID: String, sender: String, at: Date) {
        self.packageID = packageID
        self.sender = sender
        self.at = at
    }
}

/// A case activity written with a ``CaseChange``.
public struct ActivityWrite: Sendable {
    public var record: CaseActivityRecord
    /// The version read; nil adds the activity (which must not exist yet). A
    /// different stored version refuses the whole change (`preconditionFailed`).
    public var expectedVersion: Int?

    public init(record: CaseActivityRecord, expectedVersion: Int?) {
        self.record = record
        self.expectedVersion = expectedVersion
    }

    /// Whether a store adds or updates the activity, given the version it holds (nil: none);
    /// every store refuses a stale or duplicate write the same way.
    public func decide(stored: Int?) throws -> VersionedWrite {
        switch (stored, expectedVersion) {
        case (nil, nil):
            return .insert
        case (let current?, let expected?) where current == expected:
            return .update
        case (_?, nil):
            throw AmanaError(.conflict, code: "activity-exists", "This was already recorded.")
        case (nil, _?):
            throw AmanaError.notFound
        case (let current?, let expected?):
            throw AmanaError(
                .preconditionFailed, code: "activity-changed",
                "Someone changed this \(record.kind.rawValue) since you read it (you read version \(expected); it is now version \(current)). Reload it and apply your change again.")
        }
    }
}

/// What a versioned write does once its version is checked.
public enum VersionedWrite: Sendable {
    case insert
    case update
}

/// A form submission written with a ``CaseChange``.
public struct SubmissionWrite: Sendable {
    /// The kernel numbers a new entry (its answers are sealed bound to it); a
    /// second writer racing for the same entry is refused, never merged.
    public var record: SubmissionRecord
    /// The submission version the client read; nil when it adds a submission
    /// (which must not exist yet).
    public var expectedVersion: Int?
    /// The identifying answers' blind indexes; replace the entry's previous ones.
    public var searchKeys: [SearchKeyRecord]
    /// Remembered so a retry returns this submission.
    public var idempotency: IdempotencyRecord?

    public init(record: SubmissionRecord, expectedVersion: Int?, searchKeys: [SearchKeyRecord], idempotency: IdempotencyRecord? = nil) {
        self.record = record
        self.expectedVersion = expectedVersion
        self.searchKeys = searchKeys
        self.idempotency = idempotency
    }

    /// Whether a submission may be written as `version` over the one stored (nil: none yet),
    /// when the writer read `expected`; every store refuses the same way.
    public static func check(stored: Int?, expected: Int?, writing version: Int) throws {
        switch (stored, expected) {
        case (nil, nil):
            guard version == 1 else { throw AmanaError.notFound }
        case (let current?, let expected?) where current == expected:
            guard version == current + 1 else { throw AmanaError(.internalFailure, code: "internal", "Something went wrong inside Amana; nothing was changed.") }
        case (let current?, nil):
            throw AmanaError(
                .preconditionFailed, code: "submission-exists",
                "This form is already filled in on the case (version \(current)). Read it, then send your change with the version you read.")
        case (nil, _?):
            throw AmanaError.notFound
        case (let current?, let expected?):
            throw AmanaError(
                .preconditionFailed, code: "submission-changed",
                "Someone changed this form since you read it (you read version \(expected); it is now version \(current)). Reload it and apply your change again.")
        }
    }
}

/// What a caller may see of the case list: the need-to-know filter, applied in
/// the query so that a page never holds a case the caller may not open.
public struct CaseQuery: Sendable {
    public enum Reach: Sendable {
        case all
        case agency(AgencyID)
        /// The team's cases, and the user's own and assigned ones.
        case team(AgencyID, TeamID?, UserID)
        /// Cases the user owns or is a member of.
        case own(AgencyID, UserID)
        /// Cases the user is a member of.
        case assigned(AgencyID, UserID)
    }
    public var reach: Reach
    /// Case types the caller's role may see (the plugins' `need_to_know`).
    public var caseTypes: [String]
    public var ids: [CaseID]?
    public var caseNumber: String?
    public var states: [String] = []
    public var riskLevels: [String] = []
    public var ownerID: UserID?
    /// Only cases with an open task due before this instant.
    public var overdueAt: Date?
    /// Only cases after this store sequence (newest first, so: older than).
    public var before: Int64?
    public var limit: Int

    public init(reach: Reach, caseTypes: [String], limit: Int) {
        self.reach = reach
        self.caseTypes = caseTypes
        self.limit = limit
    }
}
