import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana purge ...`: retention and erasure. A purge is asked for here and
/// happens when a supervisor approves it (`amana approval approve`).
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge", abstract: "Retention and erasure: closed cases due for purging; ask for a case to be purged (a supervisor's approval purges it).",
        subcommands: [Due.self, Request.self])

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Closed cases whose programme's retention period (config.yaml) is over.")
        @OptionGroup var options: SignedInOptions

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let due = try await kernel.purgesDue(actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["due": due]) }
                guard !due.isEmpty else { return print("No case is due for purging.") }
                CLIOutput.table(["CASE", "PROGRAMME", "CLOSED", "DUE SINCE"], due.map { [$0.caseNumber, $0.programme, CLIOutput.time($0.closedAt), CLIOutput.time($0.dueSince)] })
            }
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask for a case to be purged: its key destroyed, its content deleted, for good.",
            discussion: "A supervisor who may purge approves it with `amana approval approve CASE ID`; the approval purges the case at once. Nothing can bring it back.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "retention (its retention period is over) or erasure_request (the person asked for their data to be erased).") var reason: String

        func run() async throws {
            try await CLIErrors.run {
                guard let why = PurgeReason(rawValue: reason) else {
                    throw AmanaError.invalid("reason", "Give --reason retention or --reason erasure_request.", pointer: "/reason")
                }
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let approval = try await kernel.requestPurge(caseID: id, reason: why, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(approval) }
                print("Asked (\(approval.id)): '\(approval.transitionLabel)' waits for a \(approval.approverRole)'s approval; approving it purges the case.")
            }
        }
    }
}
