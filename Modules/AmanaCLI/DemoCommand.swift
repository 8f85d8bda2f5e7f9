import AmanaCore
import ArgumentParser
import Foundation
import Kernel

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a fresh demo install and serve it (the README's first command).",
        discussion: """
            Makes a new demo install in DIR (default ./amana-demo), replacing a previous demo install
            there (never a real one: only a directory this command made), prints the demo accounts
            with their passwords, and serves the API.
            """)

    @Option(help: ArgumentHelp("Where to put the demo install.", valueName: "DIR"))
    var data = "amana-demo"

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    static let marker = ".amana-demo"

    func run() async throws {
        try await CLIErrors.run {
            let layout = InstallLayout.resolve(data)
            let files = FileManager.default
            if files.fileExists(atPath: layout.directory) {
                guard files.fileExists(atPath: layout.directory + "/" + Self.marker) else {
                    throw AmanaError(.conflict, code: "demo-over-real", "\(layout.directory) exists and was not made by `amana demo`; choose another --data directory.")
                }
                try files.removeItem(atPath: layout.directory)
            }
            let report = try await Kernel.initialize(layout, agencyCode: "DEMO", agencyName: "Demo Protection Agency", demo: true)
            _ = files.createFile(atPath: layout.directory + "/" + Self.marker, contents: Data("made by amana demo\n".utf8))
            print(InstallSummary.text(report))
            let kernel = try Kernel.open(layout)
            let password = report.demoAccounts.first { $0.username == "amal" }?.password ?? "…"
            let amana = CommandLine.arguments.first ?? "amana"
            // The demo case in assessment: its next steps show what blocks them.
            let assessed = report.demoCases.first { $0.contains("assessment") }?.split(separator: " ").first.map(String.init) ?? "CASE"
            try await Serving.serve(kernel, host: host, port: port) { url in
                """

                Try it (as amal, a case worker):
                  TOKEN=$(curl -s -X POST \(url)/api/v1/sessions -H 'Content-Type: application/json' \\
                      -d '{"username":"amal","password":"\(password)"}' | sed -E 's/.*"token":"([^"]+)".*/\\1/')
                  curl -s \(url)/api/v1/me -H "Authorization: Bearer $TOKEN"
                  curl -s "\(url)/api/v1/tasks?assignee=me" -H "Authorization: Bearer $TOKEN"
                  curl -s "\(url)/api/v1/cases?state=follow_up" -H "Authorization: Bearer $TOKEN"
                  curl -s -X POST \(url)/api/v1/cases/search -H "Authorization: Bearer $TOKEN" \\
                      -H 'Content-Type: application/json' -d '{"value":"hana"}'
                  curl -s "\(url)/api/v1/forms?lang=ar" -H "Authorization: Bearer $TOKEN"
                  curl -s \(url)/api/v1/forms/gbv/incident/schema -H "Authorization: Bearer $TOKEN"
                The API is described at \(url)/api/v1/openapi.json.
                From another terminal, over the same install (casework as amal, see docs/cli.md):
                  \(amana) login amal --data \(layout.directory)
                  \(amana) task list --data \(layout.directory)
                  \(amana) case show \(assessed) --data \(layout.directory)
                  \(amana) user list --data \(layout.directory)
                  \(amana) audit verify --data \(layout.directory)
                  \(amana) forms show gbv/incident --lang ar
                The terminal UI, in another terminal of at least 80x24 (sign in as amal):
                  \(amana) tui --data \(layout.directory)
                """
            }
        }
    }
}
