import AmanaCore
import Testing
import Vault
@testable import VaultSodium

@Suite("Field encryption")
struct FieldEncryptionTests {
    let vault = try! SodiumVault(masterKey: GuardedBytes.random(count: 32))

    @Test func sealedFieldOpensInItsOwnCaseAndField() throws {
        let caseID = CaseID.random()
        let (_, key) = try vault.newCaseKey(for: caseID)
        let field = FieldContext(caseID: caseID, fieldID: "survivor_name")
        let sealed = try vault.seal(Array("Hana".utf8), with: key, field: field)
        #expect(!sealed.contains(subsequence: Array("Hana".utf8)))
        #expect(try vault.open(sealed, with: key, field: field) == Array("Hana".utf8))
    }

    @Test func ciphertextMovedToAnotherFieldIsRefused() throws {
        let caseID = CaseID.random()
        let (_, key) = try vault.newCaseKey(for: caseID)
        let sealed = try vault.seal(Array("0790 000 000".utf8), with: key, field: FieldContext(caseID: caseID, fieldID: "phone"))
        #expect(throws: AmanaError.self) {
            try vault.open(sealed, with: key, field: FieldContext(caseID: caseID, fieldID: "survivor_name"))
        }
    }

    @Test func ciphertextMovedToAnotherCaseIsRefusedEvenWithThatCasesKey() throws {
        let first = CaseID.random(), second = CaseID.random()
        let (_, firstKey) = try vault.newCaseKey(for: first)
        let (_, secondKey) = try vault.newCaseKey(for: second)
        let sealed = try vault.seal(Array("Hana".utf8), with: firstKey, field: FieldContext(caseID: first, fieldID: "name"))
        #expect(throws: AmanaError.self) { try vault.open(sealed, with: secondKey, field: FieldContext(caseID: second, fieldID: "name")) }
        #expect(throws: AmanaError.self) { try vault.open(sealed, with: firstKey, field: FieldContext(caseID: second, fieldID: "name")) }
    }

    @Test func everyAlteredByteIsDetected() throws {
        let caseID = CaseID.random()
        let (_, key) = try vault.newCaseKey(for: caseID)
        let field = FieldContext(caseID: caseID, fieldID: "account")
        let sealed = try vault.seal(Array("what happened".utf8), with: key, field: field)
        for index in sealed.indices {
            var altered = sealed
            altered[index] ^= 0x01
            #expect(throws: AmanaError.self) { try vault.open(altered, with: key, field: field) }
        }
        #expect(throws: AmanaError.self) { try vault.open(Array(sealed.dropLast()), with: key, field: field) }
        #expect(throws: AmanaError.self) { try vault.open([], with: key, field: field) }
    }

    @Test func wrappedKeyUnwrapsOnlyForItsCase() throws {
        let caseID = CaseID.random()
        let (wrapped, key) = try vault.newCaseKey(for: caseID)
        let field = FieldContext(caseID: caseID, fieldID: "name")
        let sealed = try vault.seal(Array("x".utf8), with: key, field: field)
        let unwrapped = try vault.unwrap(wrapped, for: caseID)
        #expect(try vault.open(sealed, with: unwrapped, field: field) == Array("x".utf8))
        #expect(throws: AmanaError.self) { try vault.unwrap(wrapped, for: CaseID.random()) }
    }

    @Test func anotherInstallsVaultCannotUnwrap() throws {
        let other = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        let caseID = CaseID.random()
        let (wrapped, _) = try vault.newCaseKey(for: caseID)
        #expect(throws: AmanaError.self) { try other.unwrap(wrapped, for: caseID) }
    }

    @Test func emptyValueRoundTrips() throws {
        let caseID = CaseID.random()
        let (_, key) = try vault.newCaseKey(for: caseID)
        let field = FieldContext(caseID: caseID, fieldID: "note")
        #expect(try vault.open(vault.seal([], with: key, field: field), with: key, field: field) == [])
    }

    @Test func auditLinksAndTokenDigestsAreKeyed() throws {
        let other = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        #expect(vault.auditLink(previous: [1], entry: [2]) == vault.auditLink(previous: [1], entry: [2]))
        #expect(vault.auditLink(previous: [1], entry: [2]) != other.auditLink(previous: [1], entry: [2]))
        #expect(vault.tokenDigest([9, 9]) != other.tokenDigest([9, 9]))
        #expect(vault.randomBytes(32) != vault.randomBytes(32))
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, count >= subsequence.count else { return false }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<$0 + subsequence.count]) == subsequence }
    }
}
