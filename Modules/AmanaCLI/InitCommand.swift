import AmanaCore
import ArgumentParser
import Kernel

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new install (database, master key, plugins/, config.yaml).",
        discussion: "Refuses, changing nothing, when an install already exists in the directory.")

    @OptionGroup var data: DataOption

    @Flag(help: "Add a demo organisation: agencies, teams, one account per role (passwords printed once) and synthetic cases.")
    var demo = false

    @Option(help: "The first agency's code; it prefixes case numbers (default AMN, or DEMO with --demo).")
    var agencyCode: String?

    @Option(help: "The first agency's name.")
    var agencyName: String?

    @Option(help: "Keep the records in this empty PostgreSQL database (postgres://USER@HOST:5432/DATABASE) instead of amana.sqlite; the password may come from AMANA_POSTGRES_PASSWORD.")
    var store: String?

    func run() async throws {
        try await CLIErrors.run {
            let layout = InstallLayout.resolve(data.data)
            let report = try await Kernel.initialize(
                layout, agencyCode: agencyCode ?? (demo ? "DEMO" : "AMN"),
                agencyName: agencyName ?? (demo ? "Demo Protection Agency" : "My organisation"), demo: demo, store: store)
            print(InstallSummary.text(report))
        }
    }
}

/// What to print after an install is made.
enum InstallSummary {
    static func text(_ report: InstallReport) -> String {
        var lines = ["Created an Amana install in \(report.directory) (agency \(report.agencyCode))."]
        lines.append("Back up \(report.directory)/keys/master.key somewhere safe and separate: without it nothing can be decrypted.")
        if report.demoAccounts.isEmpty {
            lines.append("")
            lines.append("Next: add the first administrator:")
            lines.append("  printf '%s' \"$PASSWORD\" | amana user add --data \(report.directory) --username admin --role administrator --password-stdin")
        } else {
            lines.append("")
            lines.append("Demo accounts (shown only now):")
            for account in report.demoAccounts {
                lines.append("  \(account.username.padding(toLength: 8, withPad: " ", startingAt: 0)) \(account.password)   \(account.role)")
            }
            lines.append("")
            lines.append("Demo cases: " + report.demoCases.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}
