import Foundation
import Synchronization

/// A token bucket per key (a user, an address): `perMinute` requests a minute on
/// average, up to `burst` at once. What is over gets the seconds until the next
/// request would be let through, for a 429's `Retry-After`.
///
/// Buckets are kept in memory only, per process: several servers behind a load
/// balancer each count on their own. Full buckets are forgotten when the table
/// grows past `maxKeys`, so a flood of new addresses cannot grow it without end.
public final class RequestRateLimiter: Sendable {
    public let perMinute: Int
    public let burst: Int
    private let maxKeys: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    public init(perMinute: Int, burst: Int? = nil, maxKeys: Int = 100_000) {
        precondition(perMinute > 0)
        self.perMinute = perMinute
        self.burst = max(1, burst ?? perMinute / 2)
        self.maxKeys = maxKeys
    }

    private var refillPerSecond: Double { Double(perMinute) / 60 }

    /// Takes one request from `key`'s bucket: nil if it may go ahead, else the
    /// whole seconds (at least 1) to wait.
    public func admit(_ key: String, now: Date = Date()) -> Int? {
        buckets.withLock { table -> Int? in
            var bucket = table[key].map { refilled($0, now: now) } ?? Bucket(tokens: Double(burst), updated: now)
            defer {
                if table[key] == nil, table.count >= maxKeys { forgetFull(&table, now: now) }
                table[key] = bucket
            }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private func refilled(_ bucket: Bucket, now: Date) -> Bucket {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return Bucket(tokens: min(Double(burst), bucket.tokens + elapsed * refillPerSecond), updated: now)
    }

    /// Drops every bucket that has refilled completely: forgetting it changes nothing.
    private func forgetFull(_ table: inout [String: Bucket], now: Date) {
        table = table.filter { refilled($0.value, now: now).tokens < Double(burst) }
    }

    /// How many keys are tracked (for tests and diagnostics).
    public var trackedKeys: Int { buckets.withLock { $0.count } }
}
