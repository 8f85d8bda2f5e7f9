import AmanaCore
import ArgumentParser
import Foundation
import Kernel

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Check or compact the database.", subcommands: [Check.self, Vacuum.self])

    struct Vacuum: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compact the database (VACUUM) and empty its WAL: what a purge does after itself, if another process held the database then.")
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
        abstract: "Write a consistent copy of the database to DEST while the install keeps running.",
        discussion: "The copy is encrypted the same way as the install. The master key is NOT in it: back up keys/master.key separately and keep the two apart.")

    @OptionGroup var data: DataOption
    @Argument(help: "A new file to write.") var destination: String

    func run() async throws {
        try await CLIErrors.run {
            let kernel = try Kernel.open(InstallLayout.resolve(data.data))
            try await kernel.backup(to: destination, requestID: "cli")
            print("Backed up to \(destination).")
        }
    }
}
