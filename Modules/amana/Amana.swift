import AmanaCLI
import ArgumentParser
import PostgresStore
import Store

/// The executable's entry point: everything else lives in AmanaCLI.
///
/// Parses and runs the command itself, because top-level code picks
/// ArgumentParser's synchronous `main()`, which refuses async subcommands.
@main
enum Amana {
    static func main() async {
        ServerStores.register(PostgresStoreDriver())
        do {
            var command = try AmanaCommand.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            AmanaCommand.exit(withError: error)
        }
    }
}
