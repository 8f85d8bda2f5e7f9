import AmanaCore
import Foundation

/// Everything a case view is built from, read in one transaction: one
/// consistent snapshot, so a view never mixes the case before and after
/// someone else's change, and one trip to the store instead of ten.
public struct CaseFile: Sendable, Equatable {
    public var record: CaseRecord
    /// People invited into the case, in the order they were added.
    public var members: [UserID]
    /// The latest version of every submission.
    public var submissions: [SubmissionRecord]
    public var approvals: [ApprovalRecord]
    public var stateChanges: [StateChangeRecord]
    /// Open tasks, soonest due first.
    public var openTasks: [TaskRecord]
    /// Attachments without their content.
    public var attachments: [AttachmentRecord]
    /// Conferences, referrals and transfers, oldest first.
    public var activities: [CaseActivityRecord]
    /// The name of the case's team, if it has one.
    public var teamName: String?
    /// Usernames of everyone the records above name (owner, members, authors, assignees, approvers).
    public var usernames: [UserID: String]

    public init(
        record: CaseRecord, members: [UserID], submissions: [SubmissionRecord], approvals: [ApprovalRecord], stateChanges: [StateChangeRecord],
        openTasks: [TaskRecord], attachments: [AttachmentRecord], activities: [CaseActivityRecord] = [], teamName: String?, usernames: [UserID: String]
    ) {
        self.record = record
        self.members = members
        self.submissions = submissions
        self.approvals = approvals
        self.stateChanges = stateChanges
        self.openTasks = openTasks
        self.attachments = attachments
        self.activities = activities
        self.teamName = teamName
        self.usernames = usernames
    }

    /// Everyone the file names, for looking up their usernames.
    public var people: Set<UserID> {
        var ids: Set<UserID> = [record.ownerID]
        ids.formUnion(members)
        ids.formUnion(submissions.map(\.actorID))
        ids.formUnion(stateChanges.map(\.actorID))
        ids.formUnion(openTasks.map(\.assigneeID))
        ids.formUnion(attachments.map(\.actorID))
        for activity in activities {
            ids.insert(activity.createdBy)
            ids.formUnion(activity.participants)
        }
        for approval in approvals {
            ids.insert(approval.requestedBy)
            if let decider = approval.decidedBy { ids.insert(decider) }
        }
        return ids
    }
}
