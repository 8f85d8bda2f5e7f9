import AmanaCore

/// The open cases within a dashboard's reach that share an owner, a team, a
/// programme, a workflow state and a risk level, counted in the database: a
/// dashboard over a million cases reads a few hundred of these, never the cases.
public struct CaseloadGroup: Sendable, Equatable {
    public var ownerID: UserID
    public var teamID: TeamID?
    public var caseType: String
    public var state: String
    /// nil: not assessed.
    public var riskLevel: String?
    public var open: Int
    /// Open tasks past due on these cases.
    public var overdueTasks: Int
    /// Cases with an open task made by the closure-review timer.
    public var dueForClosureReview: Int
    /// Referrals sent from these cases and not yet answered by the service.
    public var referralsWaiting: Int
    /// Consent overrides given on these cases since the dashboard's lookback.
    public var consentOverrides: Int

    public init(
        ownerID: UserID, teamID: TeamID?, caseType: String, state: String, riskLevel: String?, open: Int, overdueTasks: Int = 0, dueForClosureReview: Int = 0,
        referralsWaiting: Int = 0, consentOverrides: Int = 0
    ) {
        self.ownerID = ownerID
        self.teamID = teamID
        self.caseType = caseType
        self.state = state
        self.riskLevel = riskLevel
        self.open = open
        self.overdueTasks = overdueTasks
        self.dueForClosureReview = dueForClosureReview
        self.referralsWaiting = referralsWaiting
        self.consentOverrides = consentOverrides
    }
}
