import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana supervision ...`: individual supervision meetings with staff, apart from cases.
struct SupervisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supervision", abstract: "Individual supervision meetings with staff: record one (supervisors), list those you may read.",
        subcommands: [Record.self, List.self])

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a meeting with someone you supervise.",
            discussion: """
                The notes are JSON on standard input (never on the command line, where shell history and `ps` would keep them):
                {"discussed": "...", "wellbeing": "...", "support": "...", "next_meeting": "..."}; only "discussed" is required.
                """)
        @OptionGroup var options: SignedInOptions
        @Option(help: "The staff member's username.") var staff: String
        @Option(help: "The day it was held, YYYY-MM-DD.") var heldOn: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let text = try textArgument(nil, what: "The notes as JSON")
                guard let notes = try? WireJSON.decoder().decode(SupervisionNotes.self, from: Data(text.utf8)) else {
                    throw AmanaError.invalid("notes", "Give the notes as JSON: {\"discussed\": \"...\"} (wellbeing, support and next_meeting are optional).", pointer: "/notes")
                }
                let session = try await kernel.recordSupervision(staff: staff, heldOn: heldOn, notes: notes, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(session) }
                print("Recorded the meeting with \(session.staff) on \(session.heldOn) (\(session.id)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The meetings you held, those of the people you supervise, and your own.")
        @OptionGroup var options: SignedInOptions
        @Option(help: "Only this staff member's.") var staff: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let sessions = try await kernel.supervisionSessions(staff: staff, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["sessions": sessions]) }
                guard !sessions.isEmpty else { return print("No supervision meeting recorded.") }
                for s in sessions {
                    print("\(s.heldOn)  \(s.staff) with \(s.supervisor)")
                    print("  Discussed: \(s.notes.discussed)")
                    if let w = s.notes.wellbeing { print("  Wellbeing: \(w)") }
                    if let support = s.notes.support { print("  Support: \(support)") }
                    if let next = s.notes.nextMeeting { print("  Next meeting: \(next)") }
                }
            }
        }
    }
}
