import Foundation

/// The same reads driven by wrk (Debian's `wrk`), a load generator in its own
/// process written in C: the bare route's throughput measured by a client that
/// costs little, against an authenticated case read. Skipped, with a line
/// saying so, where wrk is not installed (`apt-get install wrk`) and in quick mode.
enum WrkLoad {
    struct Result {
        var requestsPerSecond: Double
        var p50: String
        var p99: String
        var errors: String?
    }

    static func run(port: Int, token: String, caseIDs: [String]) throws {
        guard !Harness.quick else { return }
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            print("\nwrk is not installed (apt-get install wrk): the wrk figures are left out.")
            return
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-\(UUID().uuidString).lua").path
        defer { try? FileManager.default.removeItem(atPath: script) }
        // Each wrk thread walks the case ids from its own starting point.
        let ids = caseIDs.prefix(1_000).map { "\"\($0)\"" }.joined(separator: ",")
        try """
            local ids = {\(ids)}
            local n = math.random(#ids)
            request = function()
              n = n % #ids + 1
              return wrk.format("GET", "/api/v1/cases/" .. ids[n], {["Authorization"] = "Bearer \(token)"})
            end
            """.write(toFile: script, atomically: true, encoding: .utf8)
        print("\nThrough the HTTP server, driven by wrk (2 threads, 32 connections, 10 s each; wrk and the server share this machine's cores):")
        print("wrk".padding(toLength: 44, withPad: " ", startingAt: 0) + "        p50        p99     req/s   throughput vs bare route")
        let bare = try measure(wrk, ["-t2", "-c32", "-d10s", "--latency", "http://127.0.0.1:\(port)/bare"])
        line("bare route (GET /bare)", bare, bare)
        let read = try measure(wrk, ["-t2", "-c32", "-d10s", "--latency", "-s", script, "http://127.0.0.1:\(port)/"])
        line("open a case (GET /cases/{id})", read, bare)
        Harness.remember("wrk req/s: bare route", 1e9 / bare.requestsPerSecond, 1e9 / bare.requestsPerSecond)
        Harness.remember("wrk req/s: open a case", 1e9 / read.requestsPerSecond, 1e9 / bare.requestsPerSecond)
        Harness.target("authenticated case read under wrk, throughput vs the bare route", ratio: read.requestsPerSecond / bare.requestsPerSecond, atLeast: 0.6)
    }

    static func line(_ name: String, _ result: Result, _ bare: Result) {
        print(
            name.padding(toLength: 44, withPad: " ", startingAt: 0) + result.p50.leftPad(11) + result.p99.leftPad(11)
                + String(format: "%10.0f %12.1f%%", result.requestsPerSecond, 100 * result.requestsPerSecond / bare.requestsPerSecond)
                + (result.errors.map { "   \($0)" } ?? ""))
    }

    /// Runs wrk and reads its summary: requests a second, the 50th and 99th percentiles, non-2xx answers.
    static func measure(_ wrk: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        func value(after label: String) -> String? {
            text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }
                .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(label.count).trimmingCharacters(in: .whitespaces) }
        }
        guard let rate = value(after: "Requests/sec:").flatMap(Double.init), let p50 = value(after: "50%"), let p99 = value(after: "99%") else {
            throw BenchFailure("wrk printed no summary:\n\(text)")
        }
        return Result(requestsPerSecond: rate, p50: p50, p99: p99, errors: value(after: "Non-2xx or 3xx responses:").map { "\($0) answers not 2xx" })
    }
}

/// A benchmark that could not run as it should.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
