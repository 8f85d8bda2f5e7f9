import AmanaCore
import ArgumentParser
import Foundation
import Identity
import Kernel

/// `amana keys show-public`: the install's public key, for installs that will send it packages.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "The install's keys: its public transfer key, and rotating its master key.", subcommands: [ShowPublic.self, Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the master key: a new one is made current and every case key is re-wrapped under it while the install keeps serving; the old one is then destroyed.",
            discussion: """
                Run it on the server, as the install's owner. Interrupted, run it again: it goes on where it stopped. \
                Backups sealed under the old master key need the old key file to be restored: keep a copy of keys/master*.key \
                with them first if you need those backups (not if the old key leaked).
                """)
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let kernel = try Kernel.open(InstallLayout.resolve(data.data))
                let report = try await kernel.rotateKeys(requestID: "cli") { done in
                    FileHandle.standardError.write(Data("re-wrapped \(done) key(s)\n".utf8))
                }
                print("\(report.resumed ? "Resumed and finished" : "Finished") the rotation to master key version \(report.version): \(report.rewrapped) key(s) re-wrapped, version(s) \(report.retired.map(String.init).joined(separator: ", ")) destroyed.")
            }
        }
    }

    struct ShowPublic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show-public",
            abstract: "Print this install's public key (give it to an install that will send you cases) and its fingerprint (read it to them to check).")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let key = try Kernel.open(InstallLayout.resolve(data.data)).installPublicKey
                print(key.text)
                print("Fingerprint: \(key.fingerprint)")
            }
        }
    }
}

/// `amana transfer ...`: transfers to a colleague, or to another install by package.
struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transfer", abstract: "Transfers: to a colleague on this install, or to another install as an encrypted, signed package.",
        subcommands: [Export.self, Import.self, Receipt.self, List.self, Propose.self, Incoming.self, Accept.self, Decline.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a package of the case for another install (needs the person's consent to share with it).",
            discussion: "--to is the receiving install's public key (amana keys show-public there), or @FILE holding it. The package is written to a new file only you can read.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Option(help: "The receiving install's public key, or @FILE.") var to: String
        @Option(help: "The receiving organisation's name.") var toName: String
        @Option(name: .customLong("form"), help: "Send only these forms (repeat; default: every form you may read).") var forms: [String] = []
        @Option(help: "Why, for the receiver; '-' reads it from standard input.") var reason: String?
        @Option(help: "The new package file.") var output: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let key = to.hasPrefix("@") ? String(decoding: try readInput(String(to.dropFirst())), as: UTF8.self) : to
                let file = try PrivateOutputFile(output)
                let made = try await kernel.exportTransferPackage(
                    caseID: id, recipientKey: key, recipientName: toName, forms: forms.isEmpty ? nil : forms,
                    reason: try optionalText(reason, what: "Reason"), actor: actor, requestID: cliRequestID)
                try file.write(made.package)
                if options.json { return try CLIOutput.json(made.transfer) }
                print("Wrote \(output): package \(made.transfer.packageId ?? "") for \(toName) (install \(made.transfer.recipientFingerprint ?? "")), \(made.transfer.forms.count) form(s).")
                print("Send it by a safe channel; record the receipt they send back with: amana transfer receipt \(caseRef) RECEIPT-FILE")
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a package sent to this install: verified, opened, a new case held by you; writes the signed receipt to send back.",
            discussion: "--from is the sending install's fingerprint (or key), checked with them by another channel. A package that was changed, is for another install, comes from another sender, or was imported before is refused and nothing is imported.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The package file.") var file: String
        @Option(help: "The sending install's fingerprint or public key.") var from: String
        @Option(help: "The new receipt file.") var receipt: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let package = Array(try readInput(file))
                let receiptFile = try PrivateOutputFile(receipt)
                let imported = try await kernel.importTransferPackage(package, expectedSender: from, actor: actor, requestID: cliRequestID)
                try receiptFile.write(Array(imported.receipt.utf8))
                if options.json { return try CLIOutput.json(imported) }
                print("Imported as \(imported.caseNumber): \(imported.forms.joined(separator: ", ")).")
                if !imported.skipped.isEmpty { print("Not imported (this install has no such form, or files): \(imported.skipped.joined(separator: ", "))") }
                if !imported.incomplete.isEmpty { print("Imported as sent, to complete here: \(imported.incomplete.joined(separator: ", "))") }
                print("Send the receipt \(receipt) back to the sender.")
            }
        }
    }

    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the receiving install's signed receipt for a package sent from the case.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The receipt file.") var file: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let view = try await kernel.recordTransferReceipt(caseID: id, receipt: Array(try readInput(file)), actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Received by \(view.recipientName ?? "the receiver"). A task asks you to close the case as transferred.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The case's transfers.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let views = try await kernel.transfers(caseID: id, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(views) }
                if views.isEmpty { print("No transfers.") }
                for t in views {
                    let whom = t.to ?? t.recipientName ?? t.senderOrganisation ?? ""
                    print("\(t.id)  \(t.mode)  \(t.status)  \(whom)  \(CLIOutput.time(t.createdAt))  \(t.forms.joined(separator: ", "))")
                }
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hand the case to a colleague (or a team) on this install, when they accept.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The colleague's username (or use --team).") var username: String?
        @Option(help: "A team's name: any of its case workers may accept.") var team: String?
        @Option(help: "The team's agency code, when another agency's.") var agency: String?
        @Option(help: "Why; '-' reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor, id) = try await options.open(case: caseRef)
                let view = try await kernel.proposeTransfer(
                    caseID: id, to: username, team: team, agencyCode: agency, reason: try optionalText(reason, what: "Reason"),
                    actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Proposed to \(view.to ?? view.toTeam ?? "") (transfer \(view.id)); the case stays yours until it is accepted.")
            }
        }
    }

    struct Incoming: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases colleagues propose to hand to you.")
        @OptionGroup var options: SignedInOptions

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let views = try await kernel.incomingTransfers(actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(views) }
                if views.isEmpty { print("No transfers waiting for you.") }
                for t in views { print("\(t.caseNumber)  transfer \(t.id)  from \(t.createdBy)  \(t.reason ?? "")") }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a case proposed to you: it becomes yours.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The transfer id.") var transfer: String

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                // The case is not theirs yet: a case number cannot be resolved through their reach.
                let view = try await kernel.answerTransfer(caseID: try await incomingCaseID(caseRef, transfer, kernel, actor), transferID: transfer, accept: true, reason: nil, actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("\(view.caseNumber) is yours now.")
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decline a case proposed to you (saying why), or withdraw your own proposal.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "The case number or id.") var caseRef: String
        @Argument(help: "The transfer id.") var transfer: String
        @Option(help: "Why; '-' reads it from standard input.") var reason: String?

        func run() async throws {
            try await CLIErrors.run {
                let (kernel, actor) = try await options.open()
                let view = try await kernel.answerTransfer(
                    caseID: try await incomingCaseID(caseRef, transfer, kernel, actor), transferID: transfer, accept: false,
                    reason: try optionalText(reason, what: "Reason"), actor: actor, requestID: cliRequestID)
                if options.json { return try CLIOutput.json(view) }
                print("Transfer \(view.id) is \(view.status).")
            }
        }
    }
}

/// The case id of a transfer proposed to (or by) the actor: by the number shown in `transfer incoming`, or an id.
func incomingCaseID(_ reference: String, _ transfer: String, _ kernel: Kernel, _ actor: Actor) async throws(AmanaError) -> String {
    if let match = try await kernel.incomingTransfers(actor: actor, requestID: cliRequestID).first(where: { $0.id == transfer && ($0.caseNumber == reference || $0.caseId == reference) }) {
        return match.caseId
    }
    return try await resolveCase(reference, kernel: kernel, actor: actor)
}
