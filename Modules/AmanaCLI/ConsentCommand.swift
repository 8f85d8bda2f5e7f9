import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana consent ...`: what the programme's consent policy asks before an act.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent", abstract: "Consent and assent on a case: check what an act needs; withdraw an agreement.",
        subcommands: [Check.self, Withdraw.self, RequestApproval.self, Override.self, Overrides.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Whether an act is allowed now, and everything still missing (exit 0: allowed; 1: not yet).",
            discussion: "ACT is one of services, referral, information_sharing, contact_after_closure, reporting.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "The act to check.") var act: String
        @Option(help: "For a referral or sharing: the service or organisation it goes to.") var recipient: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let check = try await kernel.consentRequirements(caseID: id, act: act, recipient: recipient, actor: actor, requestID: cliRequestID)
                if options.json {
                    try CLIOutput.json(check)
                } else {
                    let what = check.act + (check.recipient.map { " to \($0)" } ?? "")
                    print(check.allowed ? "Allowed: \(what)." : "Not yet: \(what).")
                    if let override = check.overriddenBy { print("Only by a supervisor's override: \(override) (\(check.overrideApproval ?? "")); the act uses it up.") }
                    if let band = check.ageBand { print("Age band: \(band)") }
                    if let exception = check.exception { print("Because: \(exception)") }
                    if !check.agreedBy.isEmpty { print("Agreed in: \(check.agreedBy.joined(separator: ", "))") }
                    if !check.missing.isEmpty { print("Still missing:") }
                    for missing in check.missing { print("  - \(missing.message)") }
                }
                // Like `db check`: a script can tell "not yet" from "allowed" by the exit code alone.
                if !check.allowed { throw ExitCode(1) }
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw scopes of one agreement: they stop counting at once.",
            discussion: "ENTRY is the consent entry (case show lists core/consent entries). No reason is needed; --note - reads what the person said from standard input.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The consent entry.") var entry: Int
        @Option(name: .customLong("scope"), help: "A scope to withdraw (repeat for more).") var scopes: [String] = []
        @Option(help: "What the person said; '-' reads it from standard input.") var note: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let said = try optionalText(note, what: "Note")
                let saved = try await kernel.withdrawConsent(caseID: id, entry: entry, scopes: scopes, note: said, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(saved) }
                print("Withdrawn: \(scopes.joined(separator: ", ")) (consent entry \(saved.entry), now version \(saved.version)).")
            }
        }
    }

    struct RequestApproval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request-approval",
            abstract: "Ask the supervisor to approve serving the child under the policy's exception (a caregiver who cannot be involved).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let approval = try await kernel.requestConsentApproval(caseID: id, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(approval) }
                print("Asked for approval (\(approval.id)) of '\(approval.transitionLabel)' from a \(approval.approverRole).")
            }
        }
    }

    struct Override: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "As the supervisor the policy names, let one act go ahead without the agreements it needs (only where the policy allows an override).",
            discussion: "The reason is required and kept with the override; it is flagged in the audit log and on the case, and the next such act uses it up.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "The policy's override (life_threatening).") var override: String
        @Option(help: "The act it lets through (referral, information_sharing).") var act: String
        @Option(help: "Why it cannot wait; '-' or nothing reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let approval = try await kernel.overrideConsent(
                    caseID: id, override: override, act: act, reason: try textArgument(reason, what: "Reason"), actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(approval) }
                print("Override recorded (\(approval.id)): the next \(act) on this case may go ahead.")
            }
        }
    }

    struct Overrides: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The consent overrides given in the last 90 days on the cases you supervise: who decided, why, whether used.")
        @OptionGroup var options: SignedInOptions

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let overrides = try await kernel.consentOverrides(actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["approvals": overrides]) }
                guard !overrides.isEmpty else { return print("No consent override in the last 90 days.") }
                CLIOutput.table(["CASE", "OVERRIDE", "BY", "ON", "STATUS", "REASON"], overrides.map {
                    [$0.caseNumber, $0.transitionLabel, $0.decidedBy ?? "", CLIOutput.time($0.decidedAt ?? $0.requestedAt), $0.status, $0.comment ?? ""]
                })
            }
        }
    }
}
