import AmanaCore
import ArgumentParser
import Foundation
import Kernel

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Check or compact the database, or make report digests.", subcommands: [Check.self, Vacuum.self, Digests.self])

    struct Digests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the report digest of every case that has none in force, so that the next report need not read every case's forms.",
            discussion: "A change of definitions puts every digest out of force. `amana serve` makes them when it starts; run this after changing definitions on an install that is not being served, or before a large report.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let done = try await Kernel.open(InstallLayout.resolve(data.data)).makeReportDigests(by: "operator", requestID: cliRequestID)
                print("Report digests made: \(done.made).")
                if done.unreadable > 0 {
                    print("\(done.unreadable) case(s) could not be opened (a ciphertext refused); run `amana db check` and see the audit log.")
                    throw ExitCode(1)
                }
            }
        }
    }

    struct Vacuum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compact the database (VACUUM) and empty its WAL: the space purges freed given back. Run it off hours: saves wait meanwhile.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                try await Kernel.open(InstallLayout.resolve(data.data)).compactStore(requestID: cliRequestID)
                print("Compacted.")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run SQLite's integrity_check and verify the audit chain.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let check = try await Kernel.open(InstallLayout.resolve(data.data)).checkStore()
                print(check.integrityProblems.isEmpty ? "integrity: OK" : "integrity: FAILED\n  " + check.integrityProblems.joined(separator: "\n  "))
                print(AuditReport.line(check.audit))
                if !check.isSound { throw ExitCode(1) }
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit chain: OK with the count, or the first broken entry.")
        @OptionGroup var data: DataOption

        func run() async throws {
            try await CLIErrors.run {
                let result = try await Kernel.open(InstallLayout.resolve(data.data)).verifyAudit()
                print(AuditReport.line(result))
                if case .broken = result { throw ExitCode(1) }
            }
        }
    }
}

enum AuditReport {
    static func line(_ result: AuditVerification) -> String {
        switch result {
        case .intact(let entries):
            "audit chain: OK (\(entries) entries)"
        case .broken(let sequence, let checked):
            "audit chain: BROKEN at entry \(sequence) (entries 1-\(checked) verify; entry \(sequence) was altered, removed or inserted)"
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write an encrypted backup of the install to DEST while it keeps running.",
        discussion: """
            The backup holds a consistent snapshot of the database, config.yaml, the install's plugins and its transfer key, \
            streamed through XChaCha20-Poly1305. By default it is sealed under a key derived from the master key: restoring \
            needs keys/master.key, which you keep apart from the backups. With --passphrase-stdin it is sealed with a \
            passphrase (Argon2id) and carries the master key too: the passphrase alone restores it on a new machine.
            """)

    @OptionGroup var data: DataOption
    @Flag(help: "Seal with a passphrase read from standard input (at least 12 characters); the backup then carries the master key.")
    var passphraseStdin = false
    @Argument(help: "A new file to write.") var destination: String

    func run() async throws {
        try await CLIErrors.run {
            let passphrase = passphraseStdin ? try readSecretFromStandardInput() : nil
            let kernel = try Kernel.open(InstallLayout.resolve(data.data))
            let report = try await kernel.backup(to: destination, passphrase: passphrase, requestID: "cli")
            print("Backed up \(report.files.count) file(s), \(report.bytes) bytes, to \(destination).")
            print(report.carriesMasterKey
                ? "Sealed with the passphrase; it carries the master key. Keep the passphrase apart from the file."
                : "Sealed under this install's master key: restoring needs keys/master.key, kept apart from the backups.")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Rebuild an install from a backup into a new data directory, and check it.",
        discussion: """
            --data names the new directory (it must not hold an install). The restored install is opened and checked: \
            the database's integrity, the audit chain, and every case's key. If anything fails, nothing is kept.
            """)

    @OptionGroup var data: DataOption
    @Flag(help: "The backup is sealed with a passphrase, read from standard input.") var passphraseStdin = false
    @Option(help: ArgumentHelp("The master key file the backup was sealed under (copied into the new install).", valueName: "FILE"))
    var key: String?
    @Argument(help: "The backup file.") var source: String

    func run() async throws {
        try await CLIErrors.run {
            let passphrase = passphraseStdin ? try readSecretFromStandardInput() : nil
            let layout = InstallLayout.resolve(data.data)
            let report = try await Kernel.restore(from: source, into: layout, passphrase: passphrase, masterKeyFile: key)
            print("Restored \(report.files.count) file(s) into \(layout.directory): \(report.cases) case(s), every key opens.")
            print("integrity: OK")
            print(AuditReport.line(report.check.audit))
        }
    }
}
