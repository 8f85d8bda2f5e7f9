import AmanaCore
import ArgumentParser
import Foundation
import Identity
import Kernel

#if canImport(Glibc)
import Glibc
#endif

/// Where the CLI keeps a signed-in session: a file only its owner can read,
/// in the person's own state directory (never in the install's directory,
/// which other operators share), one per install.
///
/// The session is an ordinary API session: it ends on sign-out, when the
/// account is disabled, after the idle limit or at its absolute end, exactly
/// as it would for the API or the TUI.
struct CLISession {
    let path: String

    init(install: InstallLayout, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["AMANA_SESSION_FILE"], !explicit.isEmpty {
            path = explicit
            return
        }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        // One file per install: the directory's absolute path, made into a file name.
        let absolute = URL(fileURLWithPath: install.directory).standardizedFileURL.path
        let name = String(absolute.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        path = "\(state)/amana/session\(name)"
    }

    /// The token: `AMANA_TOKEN` (a token from the API's sign-in works too), else the file.
    func token(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AmanaError) -> String {
        if let token = environment["AMANA_TOKEN"], !token.isEmpty { return token }
        var status = stat()
        guard stat(path, &status) == 0 else { throw Self.signInFirst }
        // Like ssh with a private key: a token others can read is not used.
        guard status.st_mode & 0o077 == 0 else {
            throw AmanaError(.installProblem, code: "session-file-mode", "\(path) can be read by others; delete it and sign in again.")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw Self.signInFirst }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func save(_ token: String) throws(AmanaError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw AmanaError(.installProblem, code: "session-file", "Cannot create \(directory) for the session file.")
        }
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw AmanaError(.installProblem, code: "session-file", "Cannot write the session file \(path).") }
        defer { close(descriptor) }
        let bytes = Array((token + "\n").utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else {
            throw AmanaError(.installProblem, code: "session-file", "Cannot write the session file \(path).")
        }
    }

    func remove() { unlink(path) }

    static let signInFirst = AmanaError(.unauthenticated, code: "unauthenticated", "Sign in first: amana login USERNAME (with the same --data).")
}

/// The options every command that acts as a signed-in person shares.
struct SignedInOptions: ParsableArguments {
    @OptionGroup var install: DataOption
    @Flag(help: "Print JSON (the API's documents) instead of text, for scripts.") var json = false

    /// The install and the person acting, from their session.
    func open() async throws(AmanaError) -> (Kernel, Actor) {
        let layout = InstallLayout.resolve(install.data)
        let kernel = try Kernel.open(layout)
        let token = try CLISession(install: layout).token()
        do {
            return (kernel, try await kernel.authenticate(token: token))
        } catch where error.kind == .unauthenticated {
            throw AmanaError(.unauthenticated, code: "session-ended", "Your session has ended (signed out, idle too long or expired): amana login USERNAME.")
        }
    }

    /// ``open()``, and the id of the case `reference` names (a case number or an id).
    func open(case reference: String) async throws(AmanaError) -> (Kernel, Actor, String) {
        let (kernel, actor) = try await open()
        return (kernel, actor, try await resolveCase(reference, kernel: kernel, actor: actor))
    }
}

/// One id per CLI run, so that its audit entries can be found together.
let cliRequestID = "cli-" + String(UInt64.random(in: 1...UInt64.max), radix: 16)

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in, for the case, task and approval commands.",
        discussion: """
            The password is asked for without echo on a terminal, or read from standard input (one
            line), never taken from the command line. The session is kept in a file only you can
            read ($XDG_STATE_HOME/amana, or AMANA_SESSION_FILE) and obeys the same limits as an
            API session. AMANA_TOKEN may carry a token instead (for example one from the API).
            """)

    @OptionGroup var install: DataOption
    @Argument(help: "Your username.") var username: String

    func run() async throws {
        try await CLIErrors.run {
            let layout = InstallLayout.resolve(install.data)
            let kernel = try Kernel.open(layout)
            let password = try readSecret(prompt: "Password for \(username): ")
            let signIn = try await kernel.signIn(username: username, password: password, requestID: cliRequestID)
            try CLISession(install: layout).save(signIn.token)
            print("Signed in as \(signIn.actor.username) (\(signIn.actor.role.id)); the session ends after \(kernel.config.sessionIdle.wholeMinutes) idle minutes. Sign out with: amana logout")
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End your CLI session on this install.")
    @OptionGroup var install: DataOption

    func run() async throws {
        try await CLIErrors.run {
            let layout = InstallLayout.resolve(install.data)
            let session = CLISession(install: layout)
            defer { session.remove() }
            if let token = try? session.token(environment: [:]) {
                try? await Kernel.open(layout).signOut(token: token, requestID: cliRequestID)
            }
            print("Signed out.")
        }
    }
}

extension TimeInterval {
    var wholeMinutes: Int { Int((self / 60).rounded()) }
}

/// Reads a secret: without echo from a terminal, else one line of standard input.
func readSecret(prompt: String) throws(AmanaError) -> String {
    guard isatty(STDIN_FILENO) == 1 else { return try readSecretFromStandardInput() }
    FileHandle.standardError.write(Data(prompt.utf8))
    var saved = termios()
    tcgetattr(STDIN_FILENO, &saved)
    var silent = saved
    silent.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
    defer {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        FileHandle.standardError.write(Data("\n".utf8))
    }
    return try readSecretFromStandardInput()
}
