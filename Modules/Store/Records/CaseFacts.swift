/// What a caseload dashboard counts of one case, read for many cases at once.
public struct CaseFacts: Sendable, Equatable {
    public var openTasks = 0
    /// Open tasks whose due time has passed.
    public var overdueTasks = 0
    /// Open tasks made by the closure-review timer: the case is due for closure review.
    public var closureReviewTasks = 0
    /// Referrals sent and not yet answered by the service.
    public var referralsWaiting = 0

    public init() {}
}
