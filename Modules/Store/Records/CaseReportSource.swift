import AmanaCore

/// What anonymous statistics read of one case: its record, the entries of the
/// forms asked for (still sealed under the case key), its approvals and the
/// activities of the kinds asked for. Read for a page of cases at once, so that
/// a report over a million cases makes a few thousand queries, not millions.
public struct CaseReportSource: Sendable {
    public var record: CaseRecord
    public var submissions: [SubmissionRecord]
    public var approvals: [ApprovalRecord]
    public var activities: [CaseActivityRecord]

    public init(record: CaseRecord, submissions: [SubmissionRecord] = [], approvals: [ApprovalRecord] = [], activities: [CaseActivityRecord] = []) {
        self.record = record
        self.submissions = submissions
        self.approvals = approvals
        self.activities = activities
    }
}
