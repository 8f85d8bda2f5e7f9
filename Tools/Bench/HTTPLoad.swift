import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Latencies of one kind of request under concurrent load, from a client in
/// this process over loopback TCP to the real server.
struct LoadResult {
    var name: String
    var latencies: [Double]  // seconds, sorted
    var seconds: Double
    var failures: Int

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return .nan }
        return latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)]
    }

    var requestsPerSecond: Double { Double(latencies.count) / seconds }
}

enum HTTPLoad {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 32
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// Runs `requests` requests from `concurrency` clients at once; each client
    /// builds its next request with `make(client, n)` and sees the answer in
    /// `check` (false counts as a failure).
    static func run(
        _ name: String, requests: Int, concurrency: Int,
        make: @escaping @Sendable (_ client: Int, _ n: Int) async -> URLRequest,
        check: @escaping @Sendable (_ client: Int, _ response: HTTPURLResponse, _ body: Data) async -> Bool = { _, response, _ in response.statusCode < 300 }
    ) async throws -> LoadResult {
        let perClient = requests / concurrency
        // A warm-up round, not counted.
        for client in 0..<concurrency {
            let (body, response) = try await session.data(for: await make(client, -1))
            _ = await check(client, response as! HTTPURLResponse, body)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let results = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for client in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0
                    latencies.reserveCapacity(perClient)
                    for n in 0..<perClient {
                        let request = await make(client, n)
                        let began = clock.now
                        let (body, response) = try await session.data(for: request)
                        let elapsed = clock.now - began
                        latencies.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                        if !(await check(client, response as! HTTPURLResponse, body)) { failures += 1 }
                    }
                    return (latencies, failures)
                }
            }
            var all: [([Double], Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        let elapsed = clock.now - start
        return LoadResult(
            name: name, latencies: results.flatMap(\.0).sorted(),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, failures: results.map(\.1).reduce(0, +))
    }

    static func header() {
        print("HTTP under load".padding(toLength: 44, withPad: " ", startingAt: 0) + "        p50        p99     req/s   p99 vs bare route   target   ")
    }

    static func report(_ result: LoadResult, bare: LoadResult, targetMilliseconds: Double?) {
        let p99 = result.percentile(0.99) * 1000
        let verdict = targetMilliseconds.map { p99 < $0 ? "< \(Int($0)) ms: met" : "< \(Int($0)) ms: NOT met" } ?? ""
        print(
            result.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.2f ms %8.2f ms %9.0f %10.1fx (%.2f ms)   %@", result.percentile(0.5) * 1000, p99, result.requestsPerSecond,
                         p99 / (bare.percentile(0.99) * 1000), bare.percentile(0.99) * 1000, verdict)
                + (result.failures > 0 ? "   \(result.failures) FAILED" : ""))
    }
}
