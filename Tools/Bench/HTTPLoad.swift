import Foundation

/// Latencies of one kind of request under concurrent load, from clients in
/// this process over loopback TCP to the real server.
struct LoadResult {
    var name: String
    var latencies: [Double]  // seconds, sorted
    var seconds: Double
    var failures: Int
    var clients: Int

    func percentile(_ p: Double) -> Double { latencies.percentile(p) }

    var requestsPerSecond: Double { Double(latencies.count) / seconds }
}

enum HTTPLoad {
    /// What a request must answer to count as done: a success.
    @Sendable static func succeeded(_ client: Int, _ response: LoadResponse) -> Bool { response.status < 300 }

    /// Runs `requests` requests from `concurrency` clients at once, each on its
    /// own thread and keep-alive connection; a client builds its next request
    /// with `make(client, n)` and sees the answer in `check` (false counts as a failure).
    static func run(
        _ name: String, port: Int, requests: Int, concurrency: Int,
        make: @escaping @Sendable (_ client: Int, _ n: Int) -> LoadRequest,
        check: @escaping @Sendable (_ client: Int, _ response: LoadResponse) -> Bool = HTTPLoad.succeeded
    ) async throws -> LoadResult {
        let perClient = max(1, requests / concurrency)
        let clock = ContinuousClock()
        let outcomes = Outcomes(count: concurrency)
        let start = clock.now
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for client in 0..<concurrency {
                group.enter()
                let thread = Thread {
                    defer { group.leave() }
                    do {
                        let connection = try LoopbackConnection(port: port)
                        // A warm-up request, not counted.
                        _ = check(client, try connection.send(make(client, -1)))
                        var latencies: [Double] = []
                        var failures = 0
                        latencies.reserveCapacity(perClient)
                        for n in 0..<perClient {
                            let request = make(client, n)
                            let began = clock.now
                            let response = try connection.send(request)
                            let elapsed = clock.now - began
                            latencies.append(elapsed.inSeconds)
                            if !check(client, response) { failures += 1 }
                        }
                        outcomes.set(client, .success((latencies, failures)))
                    } catch {
                        outcomes.set(client, .failure(error))
                    }
                }
                thread.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        let elapsed = clock.now - start
        var latencies: [Double] = []
        var failures = 0
        for outcome in outcomes.all {
            let (clientLatencies, clientFailures) = try outcome.get()
            latencies += clientLatencies
            failures += clientFailures
        }
        return LoadResult(
            name: name, latencies: latencies.sorted(), seconds: elapsed.inSeconds,
            failures: failures, clients: concurrency)
    }

    /// Each client thread's outcome, written once by that thread.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var outcomes: [Result<([Double], Int), any Error>]

        init(count: Int) { outcomes = Array(repeating: .success(([], 0)), count: count) }

        func set(_ client: Int, _ outcome: Result<([Double], Int), any Error>) { lock.withLock { outcomes[client] = outcome } }

        var all: [Result<([Double], Int), any Error>] { lock.withLock { outcomes } }
    }

    static func header() {
        print("HTTP under load".padding(toLength: 44, withPad: " ", startingAt: 0) + "        p50        p99     req/s   p99 vs bare route   target   ")
    }

    static func report(_ result: LoadResult, bare: LoadResult, targetMilliseconds: Double?) {
        let p99 = result.percentile(0.99) * 1000
        Harness.remember("HTTP p99, \(result.clients) clients: " + result.name, p99 * 1e6, bare.percentile(0.99) * 1e9)
        let verdict = targetMilliseconds.map { p99 < $0 ? "< \(Int($0)) ms: met" : "< \(Int($0)) ms: NOT met" } ?? ""
        print(
            result.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.2f ms %8.2f ms %9.0f %10.1fx (%.2f ms)   %@", result.percentile(0.5) * 1000, p99, result.requestsPerSecond,
                         p99 / (bare.percentile(0.99) * 1000), bare.percentile(0.99) * 1000, verdict)
                + (result.failures > 0 ? "   \(result.failures) FAILED" : ""))
    }
}
