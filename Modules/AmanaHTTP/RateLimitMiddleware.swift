import AmanaCore
import Hummingbird

/// Refuses a request with 429 and `Retry-After` when its key (the peer address,
/// or the signed-in user) has used up its share: a script guessing case ids or
/// hammering the server is slowed down before it reaches the Kernel.
///
/// Sign-in has its own, stricter rule per username (the lockout in the Kernel);
/// this one counts every request.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AmanaRequestContext

    enum Key {
        /// The connection's peer address; before authentication, so it covers sign-in too.
        case address
        /// The signed-in user; after ``AuthenticationMiddleware``.
        case user
    }

    let limiter: RequestRateLimiter
    let key: Key
    /// The kernel's clock: buckets refill by the install's time, which tests hold still.
    let clock: any Clock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let bucket: String
        switch key {
        case .address: bucket = context.remoteAddress?.ipAddress ?? "unknown"
        case .user: bucket = context.actor.map { "user:\($0.userID.rawValue)" } ?? "anonymous"
        }
        if let wait = limiter.admit(bucket, now: clock.now()) {
            throw AmanaError(
                .rateLimited, code: "rate-limited",
                "Too many requests \(key == .user ? "from this account" : "from this address"): try again in \(wait) second\(wait == 1 ? "" : "s").",
                retryAfterSeconds: wait)
        }
        return try await next(request, context)
    }
}
