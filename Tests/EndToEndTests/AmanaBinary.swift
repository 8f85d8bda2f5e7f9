import AmanaTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs the real `amana` executable built next to this test bundle.
struct AmanaBinary {
    static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["AMANA_BIN"] { return explicit }
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("amana").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return "amana-binary-not-found (build it with swift build --build-tests)"
    }()

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `amana args...` to completion, with `input` on standard input;
    /// `sessions` is where `amana login` keeps the session (one per test).
    static func run(_ arguments: [String], input: String? = nil, sessions: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        // The suites' second run (Tools/test.sh): every install made here keeps its records in a new PostgreSQL database.
        if arguments.first == "init", !arguments.contains("--store"), let store = try TestStore.freshForCommandLine() {
            process.arguments = arguments + ["--store", store]
        } else {
            process.arguments = arguments
        }
        process.environment = environment
        if let sessions { process.environment?["XDG_STATE_HOME"] = sessions }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["AMANA_SHIPPED_DIR"] = repositoryRoot
        env.removeValue(forKey: "AMANA_DATA")
        env.removeValue(forKey: "AMANA_TOKEN")
        env.removeValue(forKey: "AMANA_SESSION_FILE")
        // Never a developer's own CLI session.
        env["XDG_STATE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("amana-e2e-sessions").path
        return env
    }
}

/// An `amana serve` process on a free loopback port, stopped when the test ends.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    let baseURL: URL
    private let output = Pipe()

    /// `errorLog`: a file to write the server's log (its standard error) to, for a test to read.
    init(data: String, errorLog: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: AmanaBinary.path)
        process.arguments = ["serve", "--data", data, "--host", "127.0.0.1", "--port", "0"]
        process.environment = AmanaBinary.environment
        process.standardOutput = output
        if let errorLog {
            _ = FileManager.default.createFile(atPath: errorLog, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: errorLog) ?? FileHandle.nullDevice
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        // The server prints its address once the socket is bound.
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !seen.contains("\n") || seen.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = seen.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression), let url = URL(string: String(seen[range])) else {
            process.terminate()
            throw ServerError.didNotStart(seen)
        }
        baseURL = url
    }

    enum ServerError: Error { case didNotStart(String) }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// SIGKILL: no shutdown, no flush; what a power cut or the OOM killer does.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    struct Reply {
        var status: Int
        var headers: [String: String]
        var json: [String: Any]
    }

    func request(_ method: String, _ path: String, token: String? = nil, body: String? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: baseURL.absoluteString + path)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Reply(status: http.statusCode, headers: headers, json: json)
    }

    func signIn(_ username: String, _ password: String) async throws -> Reply {
        try await request("POST", "/api/v1/sessions", body: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }
}

func temporaryDataDirectory() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("amana-e2e-\(UUID().uuidString)/data").path
}

/// The demo accounts `amana init --demo` printed: username -> password.
func demoPasswords(_ output: String) -> [String: String] {
    var out: [String: String] = [:]
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count >= 3, line.hasPrefix("  "), parts[1].split(separator: "-").count == 4 {
            out[String(parts[0])] = String(parts[1])
        }
    }
    return out
}
