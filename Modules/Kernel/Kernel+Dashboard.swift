import AmanaCore
import Foundation
import Identity
import Store

/// Dashboards for supervisors and team leads, over the open cases within their reach.
extension Kernel {
    /// The id of the workflow timer whose task says a case is due for closure
    /// review (three months of follow-up, in the shipped workflows).
    public static let closureReviewTimer = "closure_review"

    /// Caseload per worker and per team, cases by state and risk, overdue tasks,
    /// referrals without an answer, cases due for closure review, consent overrides:
    /// for a role that reads at least its team's cases (a case worker has "my work").
    public func dashboard(actor: Actor, requestID: String) async throws(AmanaError) -> Dashboard {
        guard let scope = actor.role.scope(for: "case", "read"), scope >= .team, let reach = reach(of: actor) else {
            throw await refuse(.user(actor), "dashboard.read", "case", requestID: requestID)
        }
        return try await run {
            try await catchUpOnTimers(requestID: requestID)
            // Counts only, no content, counted by the database: every programme within the reach,
            // need-to-know lists aside (a team lead counts the GBV cases of their team without ever seeing one).
            let now = clock.now()
            let groups = try await store.caseload(
                CaseQuery(reach: reach, caseTypes: caseTypes, limit: 0), now: now, closureReviewTimer: Kernel.closureReviewTimer,
                overridesSince: now.addingTimeInterval(-Kernel.overrideLookback))
            let owners = try await usernames(groups.map(\.ownerID))
            let teams = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
            func load(_ name: String, _ groups: [CaseloadGroup]) -> Dashboard.Load {
                Dashboard.Load(
                    name: name, open: groups.map(\.open).reduce(0, +), highRisk: groups.filter { $0.riskLevel == "high" }.map(\.open).reduce(0, +),
                    overdueTasks: groups.map(\.overdueTasks).reduce(0, +), referralsWaiting: groups.map(\.referralsWaiting).reduce(0, +),
                    dueForClosureReview: groups.map(\.dueForClosureReview).reduce(0, +))
            }
            // The busiest first: what is late, then what is risky, then how many.
            let busiest = { (a: Dashboard.Load, b: Dashboard.Load) in (a.overdueTasks, a.highRisk, a.open, b.name) > (b.overdueTasks, b.highRisk, b.open, a.name) }
            let workers = Dictionary(grouping: groups) { owners[$0.ownerID] ?? "" }.map { load($0.key, $0.value) }.sorted(by: busiest)
            let byTeam = Dictionary(grouping: groups) { $0.teamID.flatMap { teams[$0] } ?? "" }.map { load($0.key, $0.value) }.sorted(by: busiest)
            let byState = Dictionary(grouping: groups) { "\($0.caseType)|\($0.state)" }.map { _, counted in
                let group = counted[0]
                let label = definitions.workflow(forCaseType: group.caseType)?.state(group.state)?.label.text(actor.language) ?? group.state
                return Dashboard.StateCount(programme: group.caseType, state: group.state, label: label, count: counted.map(\.open).reduce(0, +))
            }.sorted { a, b in
                // Each programme's states in its workflow's order.
                let order = { (count: Dashboard.StateCount) in
                    self.definitions.workflow(forCaseType: count.programme)?.states.firstIndex { $0.id == count.state } ?? Int.max
                }
                return (a.programme, order(a)) < (b.programme, order(b))
            }
            let all = load("", groups)
            try await store.appendAudit(audit(actor.auditName, "dashboard.read", "case", requestID: requestID, detail: "cases=\(all.open)"))
            return Dashboard(
                openCases: all.open, workers: workers, teams: byTeam, byState: byState,
                byRisk: Dictionary(grouping: groups) { $0.riskLevel ?? "not_assessed" }.mapValues { $0.map(\.open).reduce(0, +) },
                overdueTasks: all.overdueTasks, referralsWaiting: all.referralsWaiting, dueForClosureReview: all.dueForClosureReview,
                consentOverrides: groups.map(\.consentOverrides).reduce(0, +))
        }
    }
}
