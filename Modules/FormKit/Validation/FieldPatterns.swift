import Synchronization

/// The `pattern:` rules of loaded forms, each compiled once: compiling a
/// regular expression cost more than the rest of a field's checks, on every
/// validation of every read.
enum FieldPatterns {
    /// Regex is not Sendable; each compiled pattern is only read after it is stored.
    private nonisolated(unsafe) static var cache: [String: Regex<AnyRegexOutput>] = [:]
    private static let lock = Mutex(())

    /// The compiled pattern; nil when it does not compile (the loader refuses such a form).
    static func compiled(_ pattern: String) -> Regex<AnyRegexOutput>? {
        if let known = lock.withLock({ _ in cache[pattern] }) { return known }
        guard let regex = try? Regex(pattern) else { return nil }
        lock.withLock { _ in cache[pattern] = regex }
        return regex
    }
}
