import AmanaTUI
import ArgumentParser
import Kernel

/// `amana tui`: casework in the terminal, on the same install as the API and the console.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui", abstract: "The terminal UI: sign in, my work, cases (keyboard only; needs a terminal of at least 80x24).")
    @OptionGroup var data: DataOption

    func run() async throws {
        try await CLIErrors.run {
            let kernel = try Kernel.open(InstallLayout.resolve(data.data))
            await TUIApp(kernel: kernel).run()
        }
    }
}
