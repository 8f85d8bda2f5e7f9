import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana task ...`: my work.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Your work: open tasks across your cases.", subcommands: [List.self, Done.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Your open tasks: overdue first, then by risk level and due date.")
        @OptionGroup var options: SignedInOptions

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let tasks = try await kernel.myWork(actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["tasks": tasks]) }
                guard !tasks.isEmpty else { return print("No open tasks.") }
                CLIOutput.table(["TASK", "CASE", "RISK", "DUE", "", "WHAT"], tasks.map {
                    [$0.id, $0.caseNumber, $0.riskLevel ?? "-", CLIOutput.time($0.dueAt), $0.overdue ? "OVERDUE" : "", $0.title]
                })
            }
        }
    }

    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a task done.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The task's id (task list prints it).") var task: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                try await kernel.completeTask(caseID: id, taskID: task, actor: actor, requestID: cliRequestID)
                print("Done.")
            }
        }
    }
}

/// `amana approval ...`: asking a supervisor, and deciding as one.
struct ApprovalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approval", abstract: "Approvals of workflow steps (case plan, closure): ask, list, approve, reject.",
        subcommands: [List.self, Request.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approvals waiting for you.")
        @OptionGroup var options: SignedInOptions

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let approvals = try await kernel.pendingApprovals(actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(["approvals": approvals]) }
                guard !approvals.isEmpty else { return print("Nothing waiting for your approval.") }
                CLIOutput.table(["APPROVAL", "CASE", "STEP", "ASKED BY", "ASKED"], approvals.map {
                    [$0.id, $0.caseNumber, $0.transitionLabel, $0.requestedBy, CLIOutput.time($0.requestedAt)]
                })
            }
        }
    }

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ask for approval of a step that needs it.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The step (case transition lists it).") var step: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let approval = try await kernel.requestApproval(caseID: id, transition: step, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(approval) }
                print("Asked for approval (\(approval.id)) of '\(approval.transitionLabel)' from a \(approval.approverRole).")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve.")
        @OptionGroup var decision: Decision

        func run() async throws { try await decision.decide(approve: true) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject, saying why (the comment is required).")
        @OptionGroup var decision: Decision

        func run() async throws { try await decision.decide(approve: false) }
    }

    struct Decision: ParsableArguments {
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The approval's id (approval list prints it).") var approval: String
        @Option(help: "A comment for the caseworker; '-' reads it from standard input.") var comment: String?

        func decide(approve: Bool) async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let text = try optionalText(comment, what: "Comment")
                let decided = try await kernel.decideApproval(
                    caseID: id, approvalID: approval, approve: approve, comment: text, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(decided) }
                print("\(decided.status.capitalized): '\(decided.transitionLabel)' on \(decided.caseNumber).")
            }
        }
    }
}
