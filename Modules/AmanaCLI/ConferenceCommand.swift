import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana conference ...`: case conferences on a case.
struct ConferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conference", abstract: "Case conferences: schedule, list, record the decisions, add confidential notes, cancel.",
        subcommands: [Schedule.self, List.self, Record.self, Note.self, Cancel.self])

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule a case conference; you take part, with the colleagues you name.",
            discussion: "The agenda is read from standard input (or --agenda -). A colleague who cannot see the case is invited into it, if you may invite.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "When (2026-12-03T10:00:00Z or 2026-12-03).") var at: String
        @Option(name: .customLong("participant"), help: "A colleague's username (repeat for more).") var participants: [String] = []
        @Option(name: .customLong("external"), help: "Someone without an account: name and organisation (repeat for more).") var external: [String] = []
        @Flag(help: "The person is invited, as they wished.") var survivorInvited = false
        @Option(help: "The agenda; '-' or nothing reads it from standard input.") var agenda: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let plan = ConferencePlan(
                    scheduledFor: try instantArgument(at, what: "date"), agenda: try textArgument(agenda, what: "Agenda"), participants: participants,
                    externalParticipants: external, survivorInvited: survivorInvited)
                let view = try await kernel.scheduleConference(caseID: id, plan: plan, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Scheduled conference \(view.id) for \(CLIOutput.time(view.scheduledFor)) with \(view.participants.joined(separator: ", ")) (version \(view.version)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The case's conferences, with decisions (and notes, if you took part).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let views = try await kernel.conferences(caseID: id, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(views) }
                if views.isEmpty { print("No case conferences.") }
                for view in views {
                    print("\(view.id)  \(view.status)  \(CLIOutput.time(view.scheduledFor))  version \(view.version)")
                    print("  Participants: \((view.participants + view.externalParticipants).joined(separator: ", "))\(view.survivorInvited ? "; the person is invited" : "")")
                    print("  Agenda: \(view.agenda)")
                    if let outcome = view.outcome {
                        print("  Held on \(outcome.heldOn): \(outcome.decisions)")
                        if let changes = outcome.planChanges { print("  Plan changes: \(changes)") }
                        if let exception = outcome.consentExceptionLabel { print("  Decided how to proceed because: \(exception)") }
                    }
                    if let reason = view.cancelReason { print("  Cancelled: \(reason)") }
                    for note in view.notes ?? [] { print("  Note (\(note.by), \(CLIOutput.time(note.at))): \(note.text)") }
                }
            }
        }
    }

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record what a held conference decided (a participant only).",
            discussion: "The decisions are read from standard input (or --decisions -).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The conference id.") var conference: String
        @Option(help: "The conference's version you read.") var expectVersion: Int?
        @Option(help: "The day it was held (default today).") var heldOn: String?
        @Option(help: "The decisions; '-' or nothing reads them from standard input.") var decisions: String?
        @Option(help: "What changes in the case plan.") var planChanges: String?
        @Flag(help: "The person took part.") var survivorAttended = false
        @Option(help: "The consent policy's exception the conference decided on (caregiver_is_perpetrator...).") var consentException: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let outcome = ConferenceRecordedOutcome(
                    heldOn: heldOn, decisions: try textArgument(decisions, what: "Decisions"), planChanges: planChanges, survivorAttended: survivorAttended,
                    consentException: consentException)
                let view = try await kernel.recordConferenceOutcome(
                    caseID: id, conferenceID: conference, outcome: outcome, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Recorded: conference \(view.id) held on \(view.outcome?.heldOn ?? "") (version \(view.version)).")
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a confidential note that only the participants read (text from standard input).")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The conference id.") var conference: String
        @Option(help: "The note; '-' or nothing reads it from standard input.") var text: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let view = try await kernel.addConferenceNote(caseID: id, conferenceID: conference, text: try textArgument(text, what: "Note"), actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Note added to conference \(view.id) (\(view.notes?.count ?? 0) notes).")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a conference not yet held, saying why.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The conference id.") var conference: String
        @Option(help: "The conference's version you read.") var expectVersion: Int?
        @Option(help: "Why; '-' or nothing reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let view = try await kernel.cancelConference(
                    caseID: id, conferenceID: conference, reason: try textArgument(reason, what: "Reason"), expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Cancelled conference \(view.id).")
            }
        }
    }
}
