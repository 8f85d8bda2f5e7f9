import AmanaCore
import Foundation

/// Where the PostgreSQL store is: `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE`,
/// as `store:` in `config.yaml` gives it (or `postgres://...` with the password from
/// `AMANA_POSTGRES_PASSWORD`, so that it need not be written in the file).
///
/// `sslmode` is `require` (TLS, the certificate verified against the system's roots),
/// `prefer` (TLS when the server offers it) or `disable`; without it, `require` unless the
/// host is loopback, where `disable` is the default. `pool_size` (default 16) is the most
/// connections one server keeps open; `connect_timeout` (seconds, default 10) how long a
/// request waits for a connection before it is answered that the database cannot be reached.
public struct PostgresConnectionURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case require, prefer, disable }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// The most connections one server keeps open (`pool_size`, default 16).
    public var poolSize: Int
    /// Seconds to wait for a connection before saying the database cannot be reached (`connect_timeout`, default 10).
    public var connectTimeout: Int

    /// Parses `text`; a problem names the part that is wrong and never echoes the password.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(AmanaError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw AmanaError.invalid("store-url", "The store address must look like postgres://USER:PASSWORD@HOST:5432/DATABASE.")
        }
        guard let host = components.host, !host.isEmpty else {
            throw AmanaError.invalid("store-url", "The store address names no host (postgres://USER@HOST:5432/DATABASE).")
        }
        guard let user = components.user, !user.isEmpty else {
            throw AmanaError.invalid("store-url", "The store address names no user (postgres://USER@HOST:5432/DATABASE).")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw AmanaError.invalid("store-url", "The store address names no database (postgres://USER@HOST:5432/DATABASE).")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 } ?? environment["AMANA_POSTGRES_PASSWORD"]
        self.database = database
        let pool = components.queryItems?.first(where: { $0.name == "pool_size" })?.value
        guard let size = pool.map({ Int($0) }) ?? 16, (1...500).contains(size) else {
            throw AmanaError.invalid("store-url", "pool_size must be a whole number from 1 to 500 (found '\(pool ?? "")').")
        }
        poolSize = size
        let timeout = components.queryItems?.first(where: { $0.name == "connect_timeout" })?.value
        guard let seconds = timeout.map({ Int($0) }) ?? 10, (1...600).contains(seconds) else {
            throw AmanaError.invalid("store-url", "connect_timeout must be a whole number of seconds from 1 to 600 (found '\(timeout ?? "")').")
        }
        connectTimeout = seconds
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value
        switch mode {
        case nil: tls = loopback ? .disable : .require
        case let value?:
            guard let parsed = TLSMode(rawValue: value) else {
                throw AmanaError.invalid("store-url", "sslmode must be require, prefer or disable (found '\(value)').")
            }
            tls = parsed
        }
    }

    /// The address without its password, for messages and logs.
    public var redacted: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// The whole address, password included, as `config.yaml` takes it.
    public var withPassword: String {
        let allowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/?#"))
        let user = username.addingPercentEncoding(withAllowedCharacters: allowed) ?? username
        let secret = password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0) } ?? ""
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)" + (poolSize == 16 ? "" : "&pool_size=\(poolSize)")
            + (connectTimeout == 10 ? "" : "&connect_timeout=\(connectTimeout)")
    }
}
