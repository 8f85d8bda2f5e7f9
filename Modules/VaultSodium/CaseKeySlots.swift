import AmanaCore
import CSodium
import Synchronization

/// Bytes that hold a key, for libsodium to read.
protocol KeyMaterial: AnyObject {
    var keyPointer: UnsafePointer<UInt8> { get }
}

extension GuardedBytes: KeyMaterial {
    var keyPointer: UnsafePointer<UInt8> { typedPointer }
}

/// Unwrapped case data keys, in slots of one guarded region.
///
/// Every `sodium_malloc` maps pages, changes their protection and locks them,
/// and `sodium_free` undoes it all; under concurrent load those calls contend
/// for the process's memory map and interrupt every core to flush its TLB.
/// Measured with `amana-bench cases`, they took over 40% of the time of "my
/// work", which opens a key for each task. One region allocated up front keeps
/// the protections that matter for every slot — locked out of swap, left out
/// of core dumps, guard pages at its ends — and a key that goes is wiped before
/// its slot is used again. What is given up is a guard page between two keys:
/// keys are only ever read, 32 bytes at a time, by libsodium. Should every slot
/// be taken, a key gets a guarded allocation of its own.
final class CaseKeySlots: Sendable {
    static let slotBytes = AEAD.keyBytes
    private let region: GuardedBytes
    private let free: Mutex<[Int]>

    init(count: Int) throws(AmanaError) {
        region = try GuardedBytes(count: count * Self.slotBytes)
        free = Mutex(Array((0..<count).reversed()))
    }

    /// A zeroed slot for one key; wiped and given back when the key goes.
    func take() throws(AmanaError) -> DataKey {
        guard let index = free.withLock({ $0.popLast() }) else {
            return DataKey(own: try GuardedBytes(count: Self.slotBytes))
        }
        return DataKey(slot: index, of: self, at: region.mutablePointer + index * Self.slotBytes)
    }

    fileprivate func giveBack(_ index: Int) {
        free.withLock { $0.append(index) }
    }

    /// Slots not in use (for tests).
    var available: Int { free.withLock { $0.count } }
}

/// One case data key in guarded memory: a slot of ``CaseKeySlots``, or an allocation of its own.
final class DataKey: KeyMaterial, @unchecked Sendable {
    // Set once at creation; the bytes are written only before the key is handed out.
    let pointer: UnsafeMutablePointer<UInt8>
    private let slot: (index: Int, slots: CaseKeySlots)?
    private let own: GuardedBytes?

    fileprivate init(slot index: Int, of slots: CaseKeySlots, at pointer: UnsafeMutablePointer<UInt8>) {
        self.pointer = pointer
        self.slot = (index, slots)
        self.own = nil
    }

    fileprivate init(own bytes: GuardedBytes) {
        self.pointer = bytes.mutablePointer
        self.slot = nil
        self.own = bytes
    }

    var keyPointer: UnsafePointer<UInt8> { UnsafePointer(pointer) }

    deinit {
        // An own allocation is wiped by sodium_free; a slot is wiped here, before anyone else gets it.
        if let slot {
            sodium_memzero(pointer, CaseKeySlots.slotBytes)
            slot.slots.giveBack(slot.index)
        }
    }
}
