import AmanaCore
import ArgumentParser
import Foundation
import Identity
import Kernel

/// `amana case ...`: the case file from the console, through the same Kernel
/// calls as the API, as the person signed in with `amana login`.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Work on cases: list, search, open, show, update, submit forms, take workflow steps, add notes and attachments.",
        discussion: """
            A case is named by its case number (DEMO-2026-000001) or its id. Every write to a case or
            a form it already holds names the version you read (--expect-version, shown by `case show`):
            if someone changed it meanwhile (in the API, the TUI or another console) the write is
            refused with exit code 4 and nothing is lost; read it again and redo your change.
            """,
        subcommands: [
            List.self, Search.self, Open.self, Show.self, Update.self, Submit.self, TransitionCommand.self, Note.self,
            Attach.self, Attachment.self, Import.self,
        ])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cases you may see, newest first, a page at a time.")
        @OptionGroup var options: SignedInOptions
        @Option(help: "Only cases of these programmes (gbv, child-protection, general-protection; comma-separated).") var type: String?
        @Option(help: "Only cases in these states (comma-separated).") var state: String?
        @Option(help: "Only cases at these risk levels (comma-separated).") var risk: String?
        @Option(help: "Only cases held by this username.") var owner: String?
        @Flag(help: "Only cases with an overdue task.") var overdue = false
        @Option(help: "How many cases (1-200).") var limit = 50
        @Option(help: "The cursor printed after the previous page.") var cursor: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let filter = CaseFilter(
                    caseTypes: type.commaSeparated, states: state.commaSeparated, riskLevels: risk.commaSeparated, owner: owner, overdue: overdue, cursor: cursor, limit: limit)
                let page = try await kernel.listCases(filter, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(page) }
                CaseLines.print(page.cases)
                if let next = page.nextCursor { print("More: amana case list --cursor \(next)") }
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find cases by an identifying answer (a name, a phone number), exactly, after normalisation.",
            discussion: "Give the value on standard input (or as '-'), not on the command line, where it would stay in shell history.")
        @OptionGroup var options: SignedInOptions
        @Option(help: "Search only this identifying field (for example full_name).") var field: String?
        @Argument(help: "The value; '-' or nothing reads it from standard input.") var value: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let hits = try await kernel.searchCases(value: try textArgument(value, what: "Value to search for"), field: field, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["cases": hits]) }
                CaseLines.print(hits)
            }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a new case that you hold, in its workflow's first state.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The programme: gbv, child-protection or general-protection.") var type: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let detail = try await kernel.openCase(type: type, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(detail) }
                print("Opened \(detail.summary.caseNumber) (\(detail.summary.caseType)), in \(detail.stateLabel), version \(detail.summary.version).")
                CaseLines.printSteps(detail.transitions)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a case: where it is, its forms, next steps and why they are blocked, tasks, approvals, history; or one form's answers.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "Show this form's answers instead (for example gbv/incident).") var form: String?
        @Option(help: "Which entry of a form the case holds several times.") var entry = 1
        @Flag(help: "With --form: every version, who saved it and which fields changed.") var history = false

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                if let form, history {
                    let versions = try await kernel.submissionHistory(caseID: id, formID: form, entry: entry, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(["versions": versions]) }
                    CLIOutput.table(["VERSION", "SAVED", "BY", "CHANGED"], versions.map {
                        ["\($0.version)", CLIOutput.time($0.at), $0.by, $0.changed.joined(separator: ", ")]
                    })
                } else if let form {
                    let view = try await kernel.readSubmission(caseID: id, formID: form, entry: entry, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(view) }
                    print("\(view.formId) #\(view.entry), version \(view.version) (form version \(view.formVersion)), saved \(CLIOutput.time(view.at)) by \(view.by)")
                    for (field, value) in view.values.sorted(by: { $0.key < $1.key }) {
                        print("  \(field): \(String(decoding: value.encoded(), as: UTF8.self))")
                    }
                } else {
                    let detail = try await kernel.caseDetail(id: id, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(detail) }
                    CaseLines.print(detail)
                }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand a case to another caseworker, or set its risk level.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "The username who will hold the case.") var owner: String?
        @Option(help: "The risk level (for example high).") var risk: String?
        @Option(help: "The case version you read (case show prints it).") var expectVersion: Int?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let detail = try await kernel.updateCase(id: id, owner: owner, riskLevel: risk, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(detail) }
                print("Updated \(detail.summary.caseNumber): held by \(detail.summary.owner), risk \(detail.summary.riskLevel ?? "not set"); now version \(detail.summary.version).")
            }
        }
    }
}

extension Optional where Wrapped == String {
    /// `a,b` as ["a", "b"]; nothing as [].
    var commaSeparated: [String] {
        (self ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A case named on the command line: its case number or its id. A number
/// is looked up among the cases the person may see, so a case out of reach
/// is "not found" either way.
func resolveCase(_ reference: String, kernel: Kernel, actor: Actor) async throws(AmanaError) -> String {
    // Ids are 32 hex digits; case numbers carry the agency prefix and dashes.
    guard reference.contains("-") else { return reference }
    let page = try await kernel.listCases(CaseFilter(caseNumber: reference.uppercased(), limit: 1), actor: actor, requestID: cliRequestID)
    guard let found = page.cases.first else {
        throw AmanaError(.notFound, code: "not-found", "No case \(reference) among the cases you may open.")
    }
    return found.id
}
