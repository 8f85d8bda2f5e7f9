import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana migrate-store`: an install's records from its SQLite file into PostgreSQL.
struct MigrateStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Move the install's records from amana.sqlite into an empty PostgreSQL database.",
        discussion: """
            Other processes' writes wait while the move runs. The move is checked (every table's row count, and the \
            audit chain verified in the new store with the install's key) before config.yaml is switched to the new \
            store; on any failure nothing is switched and the new database is left empty. amana.sqlite is left as it \
            was. See docs/deployment-postgres.md.
            """)

    @OptionGroup var data: DataOption

    @Option(help: "Where the records are now: sqlite (the only store an install moves from).")
    var from: String = "sqlite"

    @Option(help: "The empty PostgreSQL database: postgres://USER@HOST:5432/DATABASE (the password may come from AMANA_POSTGRES_PASSWORD).")
    var to: String

    func validate() throws {
        guard from == "sqlite" else { throw ValidationError("--from takes sqlite: an install moves from its SQLite file to PostgreSQL.") }
    }

    func run() async throws {
        try await CLIErrors.run {
            let kernel = try Kernel.open(InstallLayout.resolve(data.data))
            let report = try await kernel.moveStore(to: to, requestID: cliRequestID)
            print("Moved the install to \(report.target):")
            for (table, count) in report.rows where count > 0 { print("  \(table.padding(toLength: 24, withPad: " ", startingAt: 0)) \(count) rows") }
            print("audit chain: OK (\(report.auditEntries) entries moved, the same last hash)")
            print("config.yaml now says where the records are. amana.sqlite is unchanged: remove it once the install runs well on PostgreSQL.")
        }
    }
}
