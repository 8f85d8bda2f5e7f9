import Hummingbird
import Identity
import Logging

/// Per-request state: the request id every response and audit entry carries,
/// and the signed-in actor once the bearer token has been checked.
public struct AmanaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Random, made by the server (a client-supplied id is never trusted).
    public var requestID: String
    public var actor: Actor?
    public var token: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = RequestID.make()
    }

    /// The signed-in actor; only routes behind ``AuthenticationMiddleware`` call it.
    func requireActor() throws -> Actor {
        guard let actor else { throw AmanaErrorAlias.unauthenticated }
        return actor
    }
}

enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
