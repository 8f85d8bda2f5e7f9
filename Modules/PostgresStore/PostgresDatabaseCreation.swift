import AmanaCore
import Foundation
import Logging
import PostgresNIO
import Store

extension PostgresStore {
    /// Creates the empty database `name` on the server `admin` points at (its user needs CREATEDB),
    /// and returns the address of the new database, with the same user and password.
    /// For a new install's database and for the test suite's fresh databases.
    public static func createDatabase(_ name: String, using admin: PostgresConnectionURL) async throws(AmanaError) -> PostgresConnectionURL {
        guard name.range(of: "^[a-z][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw AmanaError.invalid("database-name", "A database name has 1 to 63 lower-case letters, digits or _, starting with a letter.")
        }
        let logger = Logger(label: "amana.store")
        do {
            let connection = try await PostgresConnection.connect(configuration: try admin.connectionConfiguration(), id: 1, logger: logger)
            do {
                // A name cannot be a bound argument; it was checked above.
                _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger).collect()
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw map(error, doing: "create the database \(name)")
        }
        var created = admin
        created.database = name
        return created
    }
}
