import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana dashboard`: the open cases within a supervisor's or team lead's reach.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The open cases you supervise: per worker and team, by state and risk, overdue tasks, referrals without an answer, due for closure review, consent overrides.")

    @OptionGroup var options: SignedInOptions

    func run() async throws {
        try await CLIErrors.run {
            let (kernel, actor) = try await options.open()
            let d = try await kernel.dashboard(actor: actor, requestID: cliRequestID)
            if options.json { return try CLIOutput.json(d) }
            print("\(d.openCases) open case(s); \(d.overdueTasks) overdue task(s); \(d.referralsWaiting) referral(s) without an answer; \(d.dueForClosureReview) due for closure review; \(d.consentOverrides) consent override(s) in 90 days.")
            let header = ["", "OPEN", "HIGH RISK", "OVERDUE", "REFERRALS WAITING", "CLOSURE REVIEW"]
            let row = { (l: Dashboard.Load) in [l.name.isEmpty ? "-" : l.name, "\(l.open)", "\(l.highRisk)", "\(l.overdueTasks)", "\(l.referralsWaiting)", "\(l.dueForClosureReview)"] }
            print("")
            CLIOutput.table(["WORKER"] + header.dropFirst(), d.workers.map(row))
            print("")
            CLIOutput.table(["TEAM"] + header.dropFirst(), d.teams.map(row))
            print("")
            CLIOutput.table(["PROGRAMME", "STATE", "OPEN"], d.byState.map { [$0.programme, $0.label, "\($0.count)"] })
            print("")
            print("By risk: " + ["high", "medium", "low", "not_assessed"].map { "\($0.replacingOccurrences(of: "_", with: " ")) \(d.byRisk[$0] ?? 0)" }.joined(separator: ", "))
        }
    }
}
