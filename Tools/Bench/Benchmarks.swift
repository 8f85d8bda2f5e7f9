import AmanaCore
import CSodium
import Foundation
import GRDB
import Kernel
import PostgresStore
import Store
import Vault
import VaultSodium

/// `swift run -c release amana-bench`: the foundation's per-request costs, each
/// against the raw libsodium or raw SQLite work of the same shape.
/// `swift run -c release amana-bench cases [COUNT]`: the case file with COUNT
/// cases (default 100,000), in process and through the HTTP server.
/// `swift run -c release amana-bench stores [COUNT]`: the case endpoints on SQLite and on
/// PostgreSQL (`AMANA_BENCH_POSTGRES`), side by side, COUNT cases each (default 10,000).
@main
enum Benchmarks {
    static func main() async throws {
        guard sodium_init() >= 0 else { fatalError("libsodium did not initialise") }
        let scratch = RunScratch()
        defer { scratch.remove() }
        ServerStores.register(PostgresStoreDriver())
        let root = try ShippedContent.locate()
        let arguments = CommandLine.arguments.dropFirst().filter { $0 != "--quick" }
        if arguments.first == "profile" {
            // `amana-bench profile read|list|search|mywork|submit|import|statistics|validate|http [COUNT]`: one operation in a loop, for perf.
            let rest = arguments.dropFirst()
            return try await ProfileLoop.run(shipped: root, what: rest.first ?? "read", count: rest.dropFirst().first.flatMap { Int($0) })
        }
        if arguments.first == "stores" {
            return try await StoreComparison.run(shipped: root, cases: arguments.dropFirst().first.flatMap { Int($0) } ?? 10_000)
        }
        if arguments.first == "cases" {
            return try await CaseBenchmarks.run(shipped: root, cases: arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let layout = InstallLayout(directory: directory)
        _ = try await Kernel.initialize(layout, agencyCode: "BENCH", shippedDirectory: root)
        let kernel = try Kernel.open(layout, shippedDirectory: root)

        Harness.header()
        try fieldEncryption()
        try blindIndex()
        try await tokenValidation(kernel, layout: layout)
        try DefinitionBenchmarks.run(shipped: root)
        try EncodingBenchmarks.run()
    }

    /// Sealing and opening a 64-byte field (a name, a phone number, a short answer).
    static func fieldEncryption() throws {
        let vault = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        let caseID = CaseID.random()
        let (_, key) = try vault.newCaseKey(for: caseID)
        let field = FieldContext(caseID: caseID, fieldID: "survivor_name")
        let plaintext = [UInt8](repeating: 0x61, count: 64)
        let sealed = try vault.seal(plaintext, with: key, field: field)

        var rawKey = [UInt8](repeating: 0, count: 32)
        crypto_aead_xchacha20poly1305_ietf_keygen(&rawKey)
        var nonce = [UInt8](repeating: 0, count: 24)
        var out = [UInt8](repeating: 0, count: 64 + 16)
        var outLength: UInt64 = 0
        let ad = [UInt8](repeating: 1, count: 64)
        let rawSeal = Harness.measure("raw libsodium xchacha20poly1305 seal 64 B", iterations: 100_000) {
            randombytes_buf(&nonce, 24)
            _ = crypto_aead_xchacha20poly1305_ietf_encrypt(&out, &outLength, plaintext, 64, ad, 64, nil, nonce, rawKey)
        }
        let rawCipher = out
        var opened = [UInt8](repeating: 0, count: 64)
        let rawOpen = Harness.measure("raw libsodium xchacha20poly1305 open 64 B", iterations: 100_000) {
            _ = crypto_aead_xchacha20poly1305_ietf_decrypt(&opened, &outLength, nil, rawCipher, 80, ad, 64, nonce, rawKey)
        }
        Harness.report(try Harness.measure("field seal 64 B (Vault)", iterations: 100_000) { _ = try vault.seal(plaintext, with: key, field: field) }, against: rawSeal)
        Harness.report(try Harness.measure("field open 64 B (Vault)", iterations: 100_000) { _ = try vault.open(sealed, with: key, field: field) }, against: rawOpen)
    }

    /// The blind index of a name: normalisation plus keyed BLAKE2b.
    static func blindIndex() throws {
        let vault = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        let name = "Hana Demo-Example"
        let arabic = "مُحَمَّد أَحْمَد"
        var key = [UInt8](repeating: 7, count: 32)
        var out = [UInt8](repeating: 0, count: 32)
        let bytes = Array(("survivor_name\u{0}" + name).utf8)
        let raw = Harness.measure("raw libsodium keyed BLAKE2b-256", iterations: 200_000) {
            _ = crypto_generichash(&out, 32, bytes, UInt64(bytes.count), &key, 32)
        }
        Harness.report(Harness.measure("blind index, Latin name", iterations: 200_000) { _ = vault.blindIndex(name, field: "survivor_name") }, against: raw)
        Harness.report(Harness.measure("blind index, Arabic name with harakat", iterations: 200_000) { _ = vault.blindIndex(arabic, field: "survivor_name") }, against: raw)
    }

    /// What every authenticated request pays: decode the token, digest it, look
    /// up the session and the user. Baseline: the same two indexed SELECTs in raw SQLite.
    static func tokenValidation(_ kernel: Kernel, layout: InstallLayout) async throws {
        let password = "benchmark password"
        _ = try await kernel.addUser(NewUser(username: "bench", role: "case_worker", password: password), by: .installOperator, requestID: "bench")
        let signIn = try await kernel.signIn(username: "bench", password: password, requestID: "bench")
        let token = signIn.token

        let queue = try DatabaseQueue(path: layout.database)
        let digest = try await queue.read { db in try Data.fetchOne(db, sql: "SELECT token_digest FROM session LIMIT 1")! }
        let userID = signIn.actor.userID.rawValue
        let raw = try await Harness.measureAsync("raw SQLite: session + user SELECT", iterations: 20_000) {
            try await queue.read { db in
                _ = try Row.fetchOne(db, sql: "SELECT * FROM session WHERE token_digest = ?", arguments: [digest])
                _ = try Row.fetchOne(db, sql: "SELECT * FROM user WHERE id = ?", arguments: [userID])
            }
        }
        let measured = try await Harness.measureAsync("token validation (Kernel.authenticate)", iterations: 20_000) {
            _ = try await kernel.authenticate(token: token)
        }
        Harness.report(measured, against: raw)
        try queue.close()
    }
}
