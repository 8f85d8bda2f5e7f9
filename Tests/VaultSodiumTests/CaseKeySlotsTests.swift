import AmanaCore
import Testing
import Vault
@testable import VaultSodium

@Suite("Case keys in guarded slots")
struct CaseKeySlotsTests {
    @Test func aKeyThatGoesIsWipedAndItsSlotServesTheNext() throws {
        let slots = try CaseKeySlots(count: 2)
        var key: DataKey? = try slots.take()
        let pointer = key!.pointer
        for i in 0..<CaseKeySlots.slotBytes { pointer[i] = 0xA5 }
        #expect(slots.available == 1)
        key = nil
        #expect(slots.available == 2)
        // The same memory, handed out again, holds nothing of the old key.
        let again = try slots.take()
        #expect(again.pointer == pointer)
        #expect((0..<CaseKeySlots.slotBytes).allSatisfy { again.pointer[$0] == 0 })
    }

    @Test func moreKeysThanSlotsStillWorkAndEachOpensOnlyItsOwnCase() throws {
        let vault = try SodiumVault(masterKey: GuardedBytes.random(count: 32))
        // Twice the slots a vault keeps, all alive at once: the rest get allocations of their own.
        var keys: [(CaseID, WrappedCaseKey, any CaseKey)] = []
        for _ in 0..<2_048 {
            let id = CaseID.random()
            let (wrapped, key) = try vault.newCaseKey(for: id)
            keys.append((id, wrapped, key))
        }
        let sealed = try keys.map { id, _, key in try vault.seal(Array("note".utf8), with: key, field: FieldContext(caseID: id, fieldID: "f")) }
        keys = keys.map { id, wrapped, _ in (id, wrapped, try! vault.unwrap(wrapped, for: id)) }
        for (index, (id, _, key)) in keys.enumerated() {
            #expect(try vault.open(sealed[index], with: key, field: FieldContext(caseID: id, fieldID: "f")) == Array("note".utf8))
        }
        let (otherID, _, otherKey) = keys[1]
        #expect(throws: AmanaError.self) { try vault.open(sealed[0], with: otherKey, field: FieldContext(caseID: otherID, fieldID: "f")) }
    }
}
