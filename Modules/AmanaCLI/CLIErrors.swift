import AmanaCore
import ArgumentParser
import Foundation

/// Maps errors to a message on stderr and an exit code, once, at the CLI's edge.
enum CLIErrors {
    static func exitCode(for error: AmanaError) -> Int32 {
        switch error.kind {
        case .invalidInput, .tooLarge, .unsupportedType: 2
        case .installProblem: 3
        case .conflict, .preconditionFailed: 4
        case .unauthenticated, .forbidden, .locked, .rateLimited: 5
        case .storageUnavailable: 6
        case .notFound, .internalFailure: 1
        }
    }

    /// Runs `body`; an ``AmanaError`` becomes `amana: error: …` and its exit code.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as AmanaError {
            printError(error.message)
            // A rejected form: every problem at its field's path, as the API lists them.
            for problem in error.fieldProblems {
                FileHandle.standardError.write(Data("  \(problem.path): \(problem.message) [\(problem.code)]\n".utf8))
            }
            throw ExitCode(exitCode(for: error))
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("amana: error: \(message)\n".utf8))
    }
}

/// Reads a secret from standard input (one line), never from the command line,
/// where it would land in shell history and `ps`.
func readSecretFromStandardInput() throws(AmanaError) -> String {
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw AmanaError.invalid("password-missing", "Give the password on standard input (for example: printf '%s\\n' \"$PASSWORD\" | amana login amal).")
    }
    return line
}
