import NIOSSL
import PostgresNIO
import Store

/// How postgres-nio is given an address: the pool's settings and TLS.
extension PostgresConnectionURL {
    var clientConfiguration: PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS
        switch tls {
        case .require: tlsSetting = .require(.makeClientConfiguration())
        case .prefer: tlsSetting = .prefer(.makeClientConfiguration())
        case .disable: tlsSetting = .disable
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
        configuration.options.maximumConnections = poolSize
        configuration.options.connectTimeout = .seconds(connectTimeout)
        return configuration
    }

    /// For a single connection (creating a database, moving an install).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsSetting: PostgresConnection.Configuration.TLS
        switch tls {
        case .require: tlsSetting = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .prefer: tlsSetting = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .disable: tlsSetting = .disable
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tlsSetting)
    }

    /// How long an operation waits for a pooled connection: the time to connect, and a little more.
    var leaseDeadline: Duration { .seconds(connectTimeout + 2) }
}
