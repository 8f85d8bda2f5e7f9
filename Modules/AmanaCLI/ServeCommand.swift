import AmanaCore
import AmanaHTTP
import ArgumentParser
import Foundation
import Hummingbird
import Kernel
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the REST API over an install.",
        discussion: "Binds 127.0.0.1 by default: put a TLS-terminating proxy in front before exposing it on a network.")

    @OptionGroup var data: DataOption

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one and prints it).")
    var port = 8080

    func run() async throws {
        try await CLIErrors.run {
            let kernel = try Kernel.open(InstallLayout.resolve(data.data))
            try await Serving.serve(kernel, host: host, port: port, banner: nil)
        }
    }
}

enum Serving {
    /// Serves until interrupted; prints where once the socket is bound.
    static func serve(_ kernel: Kernel, host: String, port: Int, banner: (@Sendable (String) -> String)?) async throws {
        var logger = Logger(label: "amana.http")
        logger.logLevel = .notice
        // Record the form versions served from now on; report breaking changes.
        let versionProblems = try await kernel.recordFormVersions(requestID: "serve")
        let app = buildApplication(kernel: kernel, host: host, port: port, logger: logger) { bound in
            let url = "http://\(host):\(bound)"
            print("Amana is serving \(kernel.layout.directory) on \(url) (stop with Ctrl-C)")
            let definitions = kernel.definitions
            if !definitions.errors.isEmpty || !versionProblems.isEmpty {
                // Administrators must see that a plugin is missing; the rest still serves.
                let refused = definitions.refusedPlugins.isEmpty ? "" : "; not loaded: \(definitions.refusedPlugins.sorted().joined(separator: ", "))"
                print("Definitions: \(definitions.errors.count + versionProblems.count) error(s)\(refused). Run `amana forms lint --data \(kernel.layout.directory)` for details.")
            }
            if let banner { print(banner(url)) }
            fflush(nil)  // flush stdout, so a supervisor or test reading the pipe sees the line now
        }
        // Workflow timers fire even when no one opens "my work": once a minute,
        // beside the server; when the server stops (Ctrl-C, SIGTERM) so does this.
        let timerLogger = logger
        // Each task says whether its end ends the serving: the server's and the timers' do, the digests' does not.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await app.runService()
                return true
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(60))
                    do {
                        try await kernel.fireDueTimers(requestID: "timers")
                    } catch {
                        timerLogger.error("workflow timers could not fire", metadata: ["code": "\((error as? AmanaError)?.code ?? "unknown")"])
                    }
                }
                return true
            }
            // Report digests a change of definitions put out of force are made again at once, on one
            // core between requests, rather than by the first report while someone waits for it.
            group.addTask {
                do {
                    let done = try await kernel.makeReportDigests(by: "system", requestID: "serve-digests")
                    if done.made > 0 { timerLogger.notice("report digests made", metadata: ["made": "\(done.made)"]) }
                    if done.unreadable > 0 { timerLogger.error("cases whose forms could not be opened", metadata: ["count": "\(done.unreadable)"]) }
                } catch {
                    timerLogger.error("report digests could not be made", metadata: ["code": "\((error as? AmanaError)?.code ?? "unknown")"])
                }
                return false
            }
            while let ends = try await group.next(), !ends {}
            group.cancelAll()
        }
    }
}
