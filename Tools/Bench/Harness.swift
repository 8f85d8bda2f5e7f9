import Foundation

/// A small benchmark harness: each measurement is printed next to its baseline,
/// measured in the same run on the same machine, as a ratio.
struct Measurement {
    var name: String
    var nanosecondsPerOperation: Double
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
            rounds.append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
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
            rounds.append(Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
        }
        return Measurement(name: name, nanosecondsPerOperation: rounds.sorted()[2] / Double(iterations))
    }

    static func header() {
        print("benchmark".padding(toLength: 44, withPad: " ", startingAt: 0) + "   amana/op   baseline/op   ratio   baseline")
    }

    static func report(_ measured: Measurement, against baseline: Measurement) {
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
        default: String(format: "%.2f ms", nanoseconds / 1_000_000)
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
