import Testing
@testable import VaultSodium

@Suite("Argon2id passwords")
struct PasswordHashingTests {
    @Test func verifiesTheRightPasswordOnly() async throws {
        let hasher = ArgonPasswordHasher(fastForTests: true)
        let hash = try await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$"))
        #expect(await hasher.verify("correct horse battery", against: hash))
        #expect(!(await hasher.verify("correct horse batterY", against: hash)))
        #expect(!(await hasher.verify("anything", against: "not a hash")))
    }

    @Test func interactiveLimitsAreUsedByDefault() async throws {
        let hash = try await ArgonPasswordHasher().hash("a passphrase of some length")
        // libsodium encodes the memory cost: 65536 KiB = 64 MiB.
        #expect(hash.contains("m=65536"))
    }

    @Test func manyConcurrentHashesAllComplete() async throws {
        let hasher = ArgonPasswordHasher(maxConcurrent: 2, fastForTests: true)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<12 {
                group.addTask {
                    let hash = try await hasher.hash("password-\(i)")
                    return await hasher.verify("password-\(i)", against: hash)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 12 && results.allSatisfy { $0 })
    }
}
