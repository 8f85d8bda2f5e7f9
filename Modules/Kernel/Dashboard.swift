import Foundation

/// A supervisor's view of the open cases within their reach: who holds how
/// many, how risky, what is late, what waits. Counts only; names are the staff's.
public struct Dashboard: Sendable, Equatable, Codable {
    /// One worker's (or one team's) open cases.
    public struct Load: Sendable, Equatable, Codable {
        /// The worker's username, or the team's name ("" for cases of no team).
        public var name: String
        public var open: Int
        public var highRisk: Int
        /// Open tasks past due on these cases.
        public var overdueTasks: Int
        /// Referrals sent from these cases that the service has not answered.
        public var referralsWaiting: Int
        public var dueForClosureReview: Int
    }

    /// How many open cases are in one state of one programme's workflow.
    public struct StateCount: Sendable, Equatable, Codable {
        public var programme: String
        public var state: String
        public var label: String
        public var count: Int
    }

    public var openCases: Int
    public var workers: [Load]
    public var teams: [Load]
    public var byState: [StateCount]
    /// Risk level (`high`, `medium`, `low`, `not_assessed`) -> open cases.
    public var byRisk: [String: Int]
    public var overdueTasks: Int
    public var referralsWaiting: Int
    /// Open cases with a closure-review task open (the workflow's `closure_review` timer fired).
    public var dueForClosureReview: Int
    /// Consent overrides given in the last 90 days on these cases.
    public var consentOverrides: Int
}
