import AmanaCore
import Foundation
import PostgresStore
import Store

/// Which store the suites run on. `Tools/test.sh` runs them once on the embedded SQLite
/// store, then again with `AMANA_TEST_POSTGRES` set to a scratch PostgreSQL server's
/// address (`Tools/postgres.sh start`), where each install gets a new database of its own.
public enum TestStore {
    /// The scratch server's address, when the suites run on PostgreSQL (where the tests'
    /// kernels then open their stores through the driver `amana` registers too).
    public static let postgresServer: String? = {
        guard let server = ProcessInfo.processInfo.environment["AMANA_TEST_POSTGRES"], !server.isEmpty else { return nil }
        ServerStores.register(PostgresStoreDriver())
        return server
    }()

    /// Whether installs made by the tests keep their records in PostgreSQL.
    public static var onPostgres: Bool { postgresServer != nil }

    /// A database name of its own for one install (`Tools/postgres.sh reset` drops them by their prefix).
    static func newDatabaseName() -> String {
        "amana_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The `store:` for a new install: a new, empty database on PostgreSQL; nil on SQLite.
    public static func fresh() async throws -> String? {
        guard let server = postgresServer else { return nil }
        let created = try await PostgresStore.createDatabase(newDatabaseName(), using: try PostgresConnectionURL(server))
        return created.withPassword
    }
}

extension TestStore {
    /// Writes `text` as the install's `config.yaml`, keeping the `store:` line the install was made with
    /// (after `text`, so that the lines a test expects in an error keep their numbers).
    public static func writeConfig(_ text: String, to path: String) throws {
        let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let store = existing.split(separator: "\n").first { $0.hasPrefix("store:") }.map { String($0) + "\n" } ?? ""
        try (text + (text.hasSuffix("\n") || text.isEmpty ? "" : "\n") + store).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

extension TestStore {
    /// ``fresh()`` for synchronous code (the end-to-end tests' `amana init`): the database is
    /// made with PostgreSQL's `createdb`, which comes with the server's package.
    public static func freshForCommandLine() throws -> String? {
        guard let server = postgresServer else { return nil }
        let address = try PostgresConnectionURL(server)
        let name = newDatabaseName()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["createdb", "-h", address.host, "-p", String(address.port), "-U", address.username, name]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = address.password
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw AmanaError.install("createdb", "createdb \(name) failed (exit \(process.terminationStatus)).") }
        var created = address
        created.database = name
        return created.withPassword
    }
}

/// `psql` on an install's PostgreSQL database, for what the end-to-end tests do behind Amana's back.
public enum InstallDatabase {
    /// The `store:` address in the install's `config.yaml`.
    public static func address(ofInstall data: String) throws -> PostgresConnectionURL {
        let config = try String(contentsOfFile: data + "/config.yaml", encoding: .utf8)
        guard let line = config.split(separator: "\n").first(where: { $0.hasPrefix("store:") }) else {
            throw AmanaError.install("no-store", "\(data) keeps its records in amana.sqlite.")
        }
        return try PostgresConnectionURL(line.dropFirst("store:".count).trimmingCharacters(in: .whitespaces))
    }

    /// Runs `psql` on the install's database with `input` on its standard input; the process, still running.
    public static func psql(ofInstall data: String, input: String, keepOpen: Bool = false) throws -> (Process, Pipe, Pipe) {
        try psql(try address(ofInstall: data), input: input, keepOpen: keepOpen)
    }

    /// Runs `psql` on the database at `address` with `input` on its standard input; the process, still running.
    public static func psql(_ address: PostgresConnectionURL, input: String, keepOpen: Bool = false) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", address.host, "-p", String(address.port), "-U", address.username, address.database]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = address.password
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        if !keepOpen { try stdin.fileHandleForWriting.close() }
        return (process, stdin, stdout)
    }

    /// `sql` with each `?` (in turn) or `?N` replaced by its argument as a quoted literal, for psql.
    public static func inlining(_ arguments: [String], in sql: String) -> String {
        var result = "", next = 0, rest = Substring(sql)
        while let mark = rest.firstIndex(of: "?") {
            result += rest[..<mark]
            rest = rest[rest.index(after: mark)...]
            let digits = rest.prefix(while: \.isNumber)
            rest = rest.dropFirst(digits.count)
            let index: Int
            if let number = Int(digits) { index = number - 1 } else { index = next; next += 1 }
            result += "'" + arguments[index].replacingOccurrences(of: "'", with: "''") + "'"
        }
        return result + rest
    }

    /// Runs `sql` on the install's database; its exit status.
    @discardableResult
    public static func execute(_ sql: String, ofInstall data: String) throws -> Int32 {
        try execute(sql, on: try address(ofInstall: data))
    }

    /// Runs `sql` on the database at `address`; its exit status.
    @discardableResult
    public static func execute(_ sql: String, on address: PostgresConnectionURL) throws -> Int32 {
        let (process, _, stdout) = try psql(address, input: sql + "\n")
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// What `sql` prints (unaligned, tuples only), run on the database at `address`.
    public static func query(_ sql: String, on address: PostgresConnectionURL) throws -> String {
        let (process, _, stdout) = try psql(address, input: "\\pset format unaligned\n\\pset tuples_only on\n" + sql + "\n")
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Takes the writer lock every server waits for, as a stuck writer would, until ``WriterHold/release()``.
    public static func holdWriter(ofInstall data: String) throws -> WriterHold {
        let (process, stdin, stdout) = try psql(ofInstall: data, input: "BEGIN;\nSELECT pg_advisory_xact_lock(\(PostgresStore.writerLock));\n\\echo held\n", keepOpen: true)
        // Returns once psql says it holds the lock.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("held") {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        return WriterHold(process: process, stdin: stdin)
    }

    public struct WriterHold: @unchecked Sendable {  // released once, by the test that took it
        let process: Process
        let stdin: Pipe

        public func release() throws {
            stdin.fileHandleForWriting.write(Data("COMMIT;\n".utf8))
            try stdin.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
