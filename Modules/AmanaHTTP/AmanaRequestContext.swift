import AmanaCore
import Hummingbird
import Identity
import Logging
import NIOCore

/// Per-request state: the request id every response and audit entry carries,
/// and the signed-in actor once the bearer token has been checked.
public struct AmanaRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Random, made by the server (a client-supplied id is never trusted).
    public var requestID: String
    public var actor: Actor?
    public var token: String?
    /// The peer of the connection: the client, or the reverse proxy in front (rate limits per address).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = RequestID.make()
        remoteAddress = source.channel.remoteAddress
    }

    /// The signed-in actor; only routes behind ``AuthenticationMiddleware`` call it.
    func requireActor() throws -> Actor {
        guard let actor else { throw AmanaErrorAlias.unauthenticated }
        return actor
    }
}

enum RequestID {
    /// 128 random bits as hex, drawn as two words (a byte at a time was sixteen system calls).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return [generator.next(), generator.next()].withUnsafeBytes { Array($0) }.hex
    }
}
