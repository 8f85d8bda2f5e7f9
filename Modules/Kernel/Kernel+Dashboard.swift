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
            try await fireDueTimers(requestID: requestID)
            // Counts only, no content: every programme within the reach, need-to-know lists aside
            // (a team lead counts the GBV cases of their team without ever seeing one).
            let records = try await allCases(CaseQuery(reach: reach, caseTypes: caseTypes, limit: 1000)).filter { $0.closedAt == nil }
            let facts = try await store.caseFacts(ids: records.map(\.id), now: clock.now(), closureReviewTimer: Kernel.closureReviewTimer)
            let owners = try await usernames(records.map(\.ownerID))
            let teams = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
            func load(_ name: String, _ cases: [CaseRecord]) -> Dashboard.Load {
                let counted = cases.map { facts[$0.id] ?? CaseFacts() }
                return Dashboard.Load(
                    name: name, open: cases.count, highRisk: cases.filter { $0.riskLevel == "high" }.count, overdueTasks: counted.map(\.overdueTasks).reduce(0, +),
                    referralsWaiting: counted.map(\.referralsWaiting).reduce(0, +), dueForClosureReview: counted.filter { $0.closureReviewTasks > 0 }.count)
            }
            // The busiest first: what is late, then what is risky, then how many.
            let busiest = { (a: Dashboard.Load, b: Dashboard.Load) in (a.overdueTasks, a.highRisk, a.open, b.name) > (b.overdueTasks, b.highRisk, b.open, a.name) }
            let workers = Dictionary(grouping: records) { owners[$0.ownerID] ?? "" }.map { load($0.key, $0.value) }.sorted(by: busiest)
            let byTeam = Dictionary(grouping: records) { $0.teamID.flatMap { teams[$0] } ?? "" }.map { load($0.key, $0.value) }.sorted(by: busiest)
            let byState = Dictionary(grouping: records) { "\($0.caseType)|\($0.state)" }.map { key, cases in
                let record = cases[0]
                let label = definitions.workflow(forCaseType: record.caseType)?.state(record.state)?.label.text(actor.language) ?? record.state
                return Dashboard.StateCount(programme: record.caseType, state: record.state, label: label, count: cases.count)
            }.sorted { a, b in
                // Each programme's states in its workflow's order.
                let order = { (count: Dashboard.StateCount) in
                    self.definitions.workflow(forCaseType: count.programme)?.states.firstIndex { $0.id == count.state } ?? Int.max
                }
                return (a.programme, order(a)) < (b.programme, order(b))
            }
            let overrides = try await store.consentOverrides(since: clock.now().addingTimeInterval(-Kernel.overrideLookback))
            let inReach = Set(records.map(\.id))
            let all = load("", records)
            try await store.appendAudit(audit(actor.auditName, "dashboard.read", "case", requestID: requestID, detail: "cases=\(records.count)"))
            return Dashboard(
                openCases: records.count, workers: workers, teams: byTeam, byState: byState,
                byRisk: Dictionary(grouping: records) { $0.riskLevel ?? "not_assessed" }.mapValues(\.count),
                overdueTasks: all.overdueTasks, referralsWaiting: all.referralsWaiting, dueForClosureReview: all.dueForClosureReview,
                consentOverrides: overrides.filter { inReach.contains($0.1.id) }.count)
        }
    }
}
