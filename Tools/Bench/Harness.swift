import Foundation
import Synchronization

/// A small benchmark harness: each measurement is printed next to its baseline,
/// measured in the same run on the same machine, as a ratio.
struct Measurement {
    var name: String
    var nanosecondsPerOperation: Double
}

extension Duration {
    /// The duration in seconds, as the figures are computed.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension [Double] {
    /// The value at percentile `p` (0.99: p99) of these values, sorted already (nearest rank).
    func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return .nan }
        return self[Swift.min(count - 1, Int((Double(count) * p).rounded(.up)) - 1)]
    }
}

enum Harness {
    /// `--quick`: every count cut to a hundredth (at least one), so that the whole suite
    /// runs in seconds inside CI and never rots; its figures mean nothing.
    static let quick = CommandLine.arguments.contains("--quick")

    static func scaled(_ count: Int) -> Int { quick ? max(1, count / 100) : count }

    /// Runs `body` `iterations` times after a warm-up and returns the median of
    /// five rounds, in nanoseconds per operation.
    static func measure(_ name: String, iterations: Int, _ body: () throws -> Void) rethrows -> Measurement {
        let iterations = scaled(iterations)
        for _ in 0..<max(1, iterations / 10) { try body() }
        var rounds: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<5 {
            let elapsed = try clock.measure { for _ in 0..<iterations { try body() } }
            rounds.append(elapsed.inSeconds * 1e9)
        }
        return Measurement(name: name, nanosecondsPerOperation: rounds.sorted()[2] / Double(iterations))
    }

    static func measureAsync(_ name: String, iterations: Int, _ body: () async throws -> Void) async rethrows -> Measurement {
        let iterations = scaled(iterations)
        for _ in 0..<max(1, iterations / 10) { try await body() }
        var rounds: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<5 {
            let start = clock.now
            for _ in 0..<iterations { try await body() }
            let elapsed = clock.now - start
            rounds.append(elapsed.inSeconds * 1e9)
        }
        return Measurement(name: name, nanosecondsPerOperation: rounds.sorted()[2] / Double(iterations))
    }

    static func header() {
        print("benchmark".padding(toLength: 44, withPad: " ", startingAt: 0) + "   amana/op   baseline/op   ratio   baseline")
    }

    /// Runs `body` once, with no warm-up: for what reads or rewrites the whole install,
    /// where one run at a million cases takes long enough to be its own average.
    static func measureOnce(_ name: String, _ body: () async throws -> Void) async rethrows -> Measurement {
        let elapsed = try await ContinuousClock().measure { try await body() }
        return Measurement(name: name, nanosecondsPerOperation: elapsed.inSeconds * 1e9)
    }

    /// `AMANA_BENCH_RECORD=FILE` appends every figure to FILE as `cases<TAB>name<TAB>ns<TAB>baseline ns`:
    /// what `Tools/bench.sh` turns into the growth table.
    static let record = ProcessInfo.processInfo.environment["AMANA_BENCH_RECORD"].flatMap { FileHandle(forWritingAtPath: $0) }
    nonisolated(unsafe) static var cases = 0

    static func remember(_ name: String, _ nanoseconds: Double, _ baseline: Double) {
        guard let record else { return }
        record.seekToEndOfFile()
        record.write(Data("\(cases)\t\(name)\t\(nanoseconds)\t\(baseline)\n".utf8))
    }

    /// A target of the issue, met or not, on a line of its own.
    static func target(_ what: String, seconds: Double, under limit: Double?, per: String) {
        guard let limit else { return }
        print("  target: \(what) in \(format(seconds * 1e9)) (\(per)): \(seconds < limit ? "met" : "NOT met")")
    }

    static func target(_ what: String, ratio: Double, atLeast: Double) {
        print("  target: \(what) \(String(format: "%.0f%%", ratio * 100)) (at least \(String(format: "%.0f%%", atLeast * 100))): \(ratio >= atLeast ? "met" : "NOT met")")
    }

    static func report(_ measured: Measurement, against baseline: Measurement) {
        remember(measured.name, measured.nanosecondsPerOperation, baseline.nanosecondsPerOperation)
        let ratio = measured.nanosecondsPerOperation / baseline.nanosecondsPerOperation
        print(
            measured.name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + format(measured.nanosecondsPerOperation).leftPad(11) + format(baseline.nanosecondsPerOperation).leftPad(14)
                + String(format: "%7.2fx", ratio) + "   " + baseline.name)
    }

    static func format(_ nanoseconds: Double) -> String {
        switch nanoseconds {
        case ..<1_000: String(format: "%.0f ns", nanoseconds)
        case ..<1_000_000: String(format: "%.1f µs", nanoseconds / 1_000)
        case ..<10_000_000_000: String(format: "%.2f ms", nanoseconds / 1_000_000)
        default: String(format: "%.1f s", nanoseconds / 1_000_000_000)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let value = Mutex(0)
    /// Adds `n`; returns the new total.
    func add(_ n: Int) -> Int { value.withLock { $0 += n; return $0 } }
}
