import AmanaCore

/// An open task with the case it is on, as "my work" needs it: the case's
/// members come along so that access to each case is checked without another read.
public struct AssignedTask: Sendable, Equatable {
    public var task: TaskRecord
    public var caseRecord: CaseRecord
    public var caseMembers: [UserID]

    public init(task: TaskRecord, caseRecord: CaseRecord, caseMembers: [UserID]) {
        self.task = task
        self.caseRecord = caseRecord
        self.caseMembers = caseMembers
    }
}
