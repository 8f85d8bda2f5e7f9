import AmanaCore
import Foundation
import Store
import VaultSodium

/// A real SQLite store in a fresh temporary directory, chained with a real vault key.
struct StoreFixture {
    let directory: String
    let path: String
    let vault: SodiumVault
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/amana.sqlite"
        let vault = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        self.vault = vault
        store = try SQLiteStore(path: path, auditLinker: { vault.auditLink(previous: $0, entry: $1) })
    }

    func reopen() throws -> SQLiteStore {
        let vault = self.vault
        return try SQLiteStore(path: path, auditLinker: { vault.auditLink(previous: $0, entry: $1) })
    }

    func draft(_ action: String, _ object: String = "install") -> AuditDraft {
        AuditDraft(at: Date(), actor: "system", action: action, object: object, requestID: "test")
    }

    /// An agency, a team and a user to hang other records on.
    func seed() async throws -> (AgencyRecord, UserRecord) {
        let agency = AgencyRecord(id: .random(), code: "ACME", name: "ACME", createdAt: Date())
        try await store.insertAgency(agency, audit: draft("agency.create"))
        let user = UserRecord(
            id: .random(), username: "amal", displayName: "Amal", role: "case_worker", agencyID: agency.id, teamID: nil,
            passwordHash: "$argon2id$x", createdAt: Date())
        try await store.insertUser(user, audit: draft("user.create"))
        return (agency, user)
    }
}
