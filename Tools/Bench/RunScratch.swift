import Foundation

/// Where a run's temporary installs go: a directory of the run's own
/// (`amana-bench-run-PID` in the system's temporary directory), made the run's `TMPDIR`, so that
/// every benchmark's scratch install, backup and script lands in it.
///
/// A run at 1M cases holds about 10 GB there. The directory is removed when the run ends, or is
/// interrupted (Ctrl-C, SIGTERM); a run killed outright (SIGKILL, a crash) leaves it behind,
/// and the next run removes it, its process being gone.
final class RunScratch {
    let directory: String
    private let signals: [any DispatchSourceSignal]

    init() {
        let base = FileManager.default.temporaryDirectory.path
        Self.removeLeftovers(in: base)
        let directory = base + "/\(Self.prefix)\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        setenv("TMPDIR", directory, 1)
        self.directory = directory
        signals = [SIGINT, SIGTERM].map { number in
            // Handled on a queue, not in the signal handler itself, where removing files is not safe.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                try? FileManager.default.removeItem(atPath: directory)
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Removes the directory (the run is over).
    func remove() {
        signals.forEach { $0.cancel() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static let prefix = "amana-bench-run-"

    /// The directories of runs whose process is gone.
    private static func removeLeftovers(in base: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: base + "/" + name)
        }
    }
}
