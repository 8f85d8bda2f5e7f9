import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana referral ...`: referrals from a case to a service of the directory.
struct ReferralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Referrals: see what would be sent, send, list, record the answer and the follow-up.",
        subcommands: [Send.self, List.self, Status.self, FollowUp.self])

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show exactly what a referral would send and what consent says; with --yes, send it.",
            discussion: "Without --yes nothing is sent (exit 1): read what would be shared first. --reason - reads the reason from standard input.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "The service id (amana service list).") var service: String
        @Option(name: .customLong("share"), help: "An answer to share, <form>/<field> (repeat for more).") var fields: [String] = []
        @Option(help: "What the person needs from the service; '-' reads it from standard input.") var reason: String?
        @Flag(help: "Urgent: followed up after one day instead of three.") var urgent = false
        @Flag(help: "Refer even though the service does not list the person's profile.") var confirmProfile = false
        @Flag(help: "Send it.") var yes = false

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let draft = ReferralDraft(
                    service: service, fields: fields, reason: try optionalText(reason, what: "Reason"), urgent: urgent,
                    confirmProfile: confirmProfile)
                if yes {
                    let sent = try await kernel.sendReferral(caseID: id, draft: draft, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(sent) }
                    print("Sent referral \(sent.id) to \(sent.serviceName) (\(sent.organisation))\(sent.urgent ? ", urgent" : ""), sharing \(sent.shared.count) answer(s).")
                    return
                }
                let preview = try await kernel.previewReferral(caseID: id, draft: draft, actor: actor, requestID: cliRequestID)
                if options.json {
                    try CLIOutput.json(preview)
                } else {
                    print("To: \(preview.service.name) — \(preview.service.organisation) (\(preview.service.serviceTypeLabel), \(preview.service.locationLabel))")
                    print(preview.shared.isEmpty ? "Shares: nothing about the person." : "Shares:")
                    for field in preview.shared { print("  \(field.formTitle) / \(field.label): \(field.text)") }
                    for check in [preview.consent] + (preview.sharingConsent.map { [$0] } ?? []) {
                        print("Consent for \(check.act): \(check.allowed ? "given (\(check.agreedBy.joined(separator: ", ")))" : "missing")")
                        for missing in check.missing { print("  - \(missing.message)") }
                    }
                    if let warning = preview.profileWarning { print("Warning: \(warning)") }
                    print(preview.sendable ? "Nothing was sent. Add --yes to send it." : "Nothing was sent: it cannot go as it is.")
                }
                throw ExitCode(1)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The case's referrals: what was shared, with whom, and what happened.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let referrals = try await kernel.referrals(caseID: id, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(referrals) }
                if referrals.isEmpty { print("No referrals.") }
                for r in referrals {
                    print("\(r.id)  \(r.status)\(r.urgent ? " URGENT" : "")  \(CLIOutput.time(r.sentAt))  \(r.serviceName) — \(r.organisation)  version \(r.version)")
                    if !r.shared.isEmpty { print("  Shared: " + r.shared.map { "\($0.label): \($0.text)" }.joined(separator: "; ")) }
                    for event in r.history.dropFirst() { print("  \(CLIOutput.time(event.at)) \(event.status)\(event.reason.map { ": \($0)" } ?? "") (\(event.by))") }
                    for f in r.followUps { print("  Follow-up \(CLIOutput.time(f.at)): \(f.outcome)\(f.satisfaction.map { " [\($0)]" } ?? "")") }
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the service's answer: accepted, declined (with --reason), completed, or no_answer.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The referral id.") var referral: String
        @Argument(help: "accepted, declined, completed or no_answer.") var status: String
        @Option(help: "The referral's version you read.") var expectVersion: Int?
        @Option(help: "Why (needed when declined); '-' reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let change = ReferralStatusChange(status: status, reason: try optionalText(reason, what: "Reason"))
                let view = try await kernel.changeReferralStatus(caseID: id, referralID: referral, change: change, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Referral \(view.id) is now \(view.status) (version \(view.version)).")
            }
        }
    }

    struct FollowUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "follow-up", abstract: "Record a follow-up: the outcome (standard input) and the person's satisfaction with the service.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The referral id.") var referral: String
        @Option(help: "The referral's version you read.") var expectVersion: Int?
        @Option(help: "The outcome; '-' or nothing reads it from standard input.") var outcome: String?
        @Option(help: "very_satisfied, satisfied, neutral, dissatisfied, very_dissatisfied or no_answer.") var satisfaction: String?
        @Option(help: "Whether the person received the service (yes or no).") var received: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let followUp = ReferralFollowUp(
                    outcome: try textArgument(outcome, what: "Outcome"), serviceReceived: received.map { ["yes", "true"].contains($0.lowercased()) }, satisfaction: satisfaction)
                let view = try await kernel.recordReferralFollowUp(
                    caseID: id, referralID: referral, followUp: followUp, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Follow-up recorded on referral \(view.id) (version \(view.version)).")
            }
        }
    }
}
