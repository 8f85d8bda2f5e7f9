import AmanaCore
import ArgumentParser
import Foundation
import Kernel

/// `amana stats`: anonymous statistics (programme managers, team leads).
struct StatisticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Anonymous counts of a form's entries by one or two aggregate answers (or by month), of cases whose consent allows reporting; small counts withheld.")

    @OptionGroup var options: SignedInOptions
    @Option(help: "The form to count (gbv/incident, core/closure...).") var form: String
    @Option(help: "The aggregate answer for the rows (violence_type...).") var rows: String
    @Option(help: "The aggregate answer for the columns, or 'month' (the month the case was opened).") var columns: String?
    @Option(help: "The first month counted, YYYY-MM.") var from: String?
    @Option(help: "The last month counted, YYYY-MM.") var to: String?
    @Flag(help: "Print CSV (to save or open in a spreadsheet).") var csv = false

    func run() async throws {
        try await CLIErrors.run {
            let (kernel, actor) = try await options.open()
            let table = try await kernel.statistics(
                StatisticsRequest(form: form, rows: rows, columns: columns, from: from, to: to), actor: actor, requestID: cliRequestID)
            if options.json { return try CLIOutput.json(table) }
            if csv { return print(table.csv, terminator: "") }
            print("\(table.formTitle): \(table.rowsLabel)\(table.columnsLabel.map { " by \($0)" } ?? "")")
            CLIOutput.table(
                [table.rowsLabel] + table.columns.map(\.label) + ["TOTAL"],
                table.rows.indices.map { [table.rows[$0].label] + table.cells[$0] + [table.rowTotals[$0]] } + [["Total"] + table.columnTotals + [table.total]])
            print("<\(table.minimumCell): fewer than \(table.minimumCell); x: withheld so that those cannot be worked out. Not counted (no consent to reporting): \(table.leftOut).")
        }
    }
}

/// `amana report monthly`: the month's printable report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Printable anonymous reports.", subcommands: [Monthly.self])

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The month's report as an HTML page (open it in a browser; print it to PDF).")
        @OptionGroup var options: SignedInOptions
        @Option(help: "The month, YYYY-MM.") var month: String
        @Option(help: "The file to write (created).") var output: String

        func run() async throws {
            try await CLIErrors.run {
                let out = try PrivateOutputFile(output)
                let (kernel, actor) = try await options.open()
                let report = try await kernel.monthlyReport(month: month, actor: actor, requestID: cliRequestID)
                try out.write(Array(report.html.utf8))
                print("Wrote the report for \(report.month) to \(output): \(report.parts.count) table(s).")
            }
        }
    }
}
