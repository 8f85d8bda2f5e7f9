import AmanaCore
import ArgumentParser
import Foundation
import Kernel

extension CaseCommand {
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a form's answers on a case (a JSON object, as the form's schema describes it).",
            discussion: """
                The answers come from --file or standard input, never the command line. Every problem is
                listed with its field path, and nothing is saved until all are fixed. Changing a form
                the case already holds needs --expect-version: the form's version you read.
                """)
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The form (for example core/registration).") var form: String
        @Option(help: "A JSON file with the answers ('-' or nothing: standard input).") var file: String?
        @Option(help: "Change this entry of a form the case holds several times (default: add a new one).") var entry: Int?
        @Option(help: "The form's version you read, when changing answers already saved.") var expectVersion: Int?
        @Option(help: "Retrying with the same key saves once (as the API's Idempotency-Key).") var idempotencyKey: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let view = try await kernel.submitForm(
                    caseID: id, formID: form, entry: entry, values: try readAnswers(file), expectVersion: expectVersion,
                    idempotencyKey: idempotencyKey, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Saved \(view.formId) #\(view.entry), version \(view.version); the case is now at version \(view.caseVersion).")
            }
        }
    }

    struct TransitionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transition",
            abstract: "Take a workflow step (assess, plan, close, reopen...), or list the steps and what blocks them.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The step; leave it out to list the steps.") var step: String?
        @Option(help: "The case version you read.") var expectVersion: Int?
        @Option(help: "Why (needed to reopen a closed case); '-' reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                guard let step else {
                    let steps = try await kernel.transitions(caseID: id, actor: actor, requestID: cliRequestID)
                    if options.json { return try CLIOutput.json(["transitions": steps]) }
                    return CaseLines.printSteps(steps)
                }
                let why = try optionalText(reason, what: "Reason")
                let detail = try await kernel.performTransition(
                    caseID: id, transition: step, reason: why, expectVersion: expectVersion, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(detail) }
                print("\(detail.summary.caseNumber) is now in \(detail.stateLabel); version \(detail.summary.version).")
                for task in detail.tasks where task.status == "open" { print("  task: \(task.title), due \(CLIOutput.time(task.dueAt)) (\(task.assignee))") }
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a case note (one contact or action); the note's text comes from standard input.",
            discussion: "For every answer of the case-note form, use `amana case submit CASE core/case-note --file note.json`.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "Type of contact: in_person_centre, home_visit, community, phone, accompaniment, service_provider, case_conference, supervision.")
        var mode: String
        @Flag(inversion: .prefixedNo, help: "Whether the person was present.") var personPresent: Bool
        @Flag(help: "A new safety concern came up (review the risk level and the safety plan).") var newSafetyConcern = false
        @Option(help: "When the contact happened (ISO 8601, default now).") var at: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let text = try textArgument(nil, what: "Note")
                let values: [String: JSONValue] = [
                    "contact_time": .string(at ?? ISO8601DateFormatter().string(from: Date())), "contact_mode": .string(mode),
                    "with_person": .bool(personPresent), "new_safety_concern": .bool(newSafetyConcern), "note": .string(text),
                ]
                let view = try await kernel.submitForm(
                    caseID: id, formID: "core/case-note", values: values, expectVersion: nil, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Added note #\(view.entry) to the case.")
            }
        }
    }
}

/// The bytes of a file, or of standard input for `-` or nothing.
func readInput(_ file: String?) throws(AmanaError) -> Data {
    guard let file, file != "-" else { return FileHandle.standardInput.readDataToEndOfFile() }
    guard let read = FileManager.default.contents(atPath: file) else {
        throw AmanaError.invalid("file-unreadable", "Cannot read \(file).")
    }
    return read
}

/// A form's answers: one JSON object, from a file or standard input.
func readAnswers(_ file: String?) throws(AmanaError) -> [String: JSONValue] {
    let data = try readInput(file)
    guard case .object(let values)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
        throw AmanaError.invalid("answers-not-an-object", "The answers are one JSON object: {\"field_id\": value, ...}.")
    }
    return values
}
