import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana export ...`: individual records out of the install, and opening such a file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export individual records (sealed with a passphrase), or open such an export.",
        subcommands: [Records.self, Open.self])

    struct Records: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract: "Export cases: the forms you may read, audited with the purpose; the passphrase is read from standard input.",
            discussion: "Give the passphrase to the recipient by another channel; they open the file with `amana export open`.")
        @OptionGroup var options: SignedInOptions
        @Argument(help: "Case numbers or ids.") var cases: [String]
        @Option(help: "legal_request, person_request or system_transfer.") var purpose: String
        @Option(help: "Only these forms (core/registration...); repeat it.") var form: [String] = []
        @Option(help: "The file to write (created, owner-only).") var output: String
        @Flag(help: "Write plain JSON, not sealed (audited as such).") var unencrypted = false

        func run() async throws {
            try await CLIErrors.run {
                guard let why = ExportPurpose(rawValue: purpose) else {
                    throw AmanaError.invalid("purpose", "Give --purpose \(ExportPurpose.allCases.map(\.rawValue).joined(separator: ", or ")).", pointer: "/purpose")
                }
                let out = try PrivateOutputFile(output)
                let (kernel, actor) = try await options.open()
                var ids: [String] = []
                for ref in cases { ids.append(try await resolveCase(ref, kernel: kernel, actor: actor)) }
                let passphrase = unencrypted ? nil : try readSecretFromStandardInput()
                let file = try await kernel.exportRecords(
                    ExportRequest(caseIDs: ids, forms: form, purpose: why, passphrase: passphrase, unencrypted: unencrypted), actor: actor, requestID: cliRequestID)
                try out.write(file.bytes)
                print("Exported \(file.cases) case(s) to \(output)\(file.encrypted ? ", sealed with the passphrase" : " (not sealed)").")
            }
        }
    }

    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a sealed export (the passphrase on standard input); no install needed.")
        @Argument(help: "The sealed file.") var file: String
        @Option(help: "Where to write the JSON (created, owner-only).") var output: String

        func run() async throws {
            try await CLIErrors.run {
                guard let sealed = FileManager.default.contents(atPath: file) else { throw AmanaError.invalid("file", "Cannot read \(file).", pointer: "/file") }
                let out = try PrivateOutputFile(output)
                try out.write(try Kernel.openSealedExport(Array(sealed), passphrase: try readSecretFromStandardInput()))
                print("Opened into \(output).")
            }
        }
    }
}
