import Foundation
import Kernel

/// The server's resident memory with the whole caseload in its store: `amana serve`
/// (the release binary next to this one) is started on the benchmark's install,
/// given every kind of work — reads of cases all over the file, searches, the
/// dashboards, statistics over every case — and its peak resident set (VmHWM) is read
/// from /proc. Skipped, with a line saying so, where the binary has not been built.
enum ServerMemory {
    static func measure(layout: InstallLayout, population: CaseBenchmarks.Population) async throws {
        let amana = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("amana").path
        guard FileManager.default.isExecutableFile(atPath: amana) else {
            print("\nThe server's memory is not measured: build `amana` next to `amana-bench` (swift build -c release --product amana).")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: amana)
        process.arguments = ["serve", "--data", layout.directory, "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        // The server prints the port it picked.
        var port = 0
        var seen = ""
        while port == 0 {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchFailure("amana serve ended before it listened: \(seen)") }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(seen[range].split(separator: ":").last ?? "") ?? 0
            }
        }
        let idle = status(process.processIdentifier)["VmRSS"] ?? 0
        @Sendable func request(_ path: String, method: String = "GET", token: String? = nil, body: String = "") -> LoadRequest {
            var headers: [(String, String)] = []
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
            return LoadRequest(method: method, path: path, headers: headers, body: Array(body.utf8))
        }
        func token(_ username: String) throws -> String {
            let answer = try LoopbackConnection(port: port).send(
                request("/api/v1/sessions", method: "POST", body: #"{"username":"\#(username)","password":"\#(CaseBenchmarks.password)"}"#))
            guard let token = (try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["token"] as? String else {
                throw BenchFailure("\(username) could not sign in to amana serve: \(answer.status)")
            }
            return token
        }
        let worker = try token("worker0"), lead = try token("lead0"), manager = try token("programme")
        let ids = population.mine
        let workers = population.workers.count
        _ = try await HTTPLoad.run("memory: mixed work", port: port, requests: Harness.scaled(4_000), concurrency: 8) { client, n in
            switch n % 4 {
            case 0: request("/api/v1/cases/\(ids[abs(client * 31 + n) % ids.count])", token: worker)
            case 1: request("/api/v1/cases/search", method: "POST", token: worker, body: #"{"value":"\#(SyntheticCaseload.phone(workers * (n % max(1, ids.count))))","field":"phone"}"#)
            case 2: request("/api/v1/tasks?assignee=me", token: worker)
            default: request("/api/v1/dashboard", token: lead)
            }
        }
        let connection = try LoopbackConnection(port: port)
        _ = try connection.send(request("/api/v1/statistics?form=core/registration&rows=sex&columns=governorate", token: manager))
        let after = status(process.processIdentifier)
        let peak = after["VmHWM"] ?? 0
        print(
            "\nThe server (amana serve, its own process) with \(population.cases) cases: \(idle / 1024) MB resident when started, "
                + "\(peak / 1024) MB at its peak after reads, searches, my work, dashboards and statistics over every case (target < 200 MB at 1M: \(peak < 200 * 1024 ? "met" : "NOT met")).")
        Harness.remember("server peak resident memory (KiB as ns)", Double(peak), Double(idle))
    }

    /// The kB figures of /proc/PID/status (VmRSS, VmHWM...).
    static func status(_ pid: Int32) -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [:] }
        var figures: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let kilobytes = Int(parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else { continue }
            figures[String(parts[0])] = kilobytes
        }
        return figures
    }
}
