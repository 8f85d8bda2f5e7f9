import Foundation
import Synchronization

extension Identifier where Tag == CaseTag {
    /// The id of a case being opened now: unguessable, and after the ids this process gave before.
    ///
    /// A case's id leads the key of most of the store's indexes (its forms, their history, its
    /// search keys, state changes, members, timers, report digest). Random ids put each new case
    /// on pages of its own in every one of them; ids given in order put the cases opened together
    /// on the same last pages, which is what makes a bulk import fit the writer
    /// (docs/decisions/0004-case-ids-in-order.md).
    public static func next() -> CaseID { CaseIDSequence.process.next() }
}

/// Case ids in the form of an RFC 9562 version-8 UUID: 48 bits of a counter, then 74 random bits.
///
/// The counter starts at a random value when the process starts, so an id says nothing of when a
/// case was opened or how many cases an install holds; two ids given by one process say which
/// came first, as their case numbers already do. 74 random bits keep ids unguessable (need-to-know
/// answers a stranger's id as not found anyway) and make two processes over one install, each
/// counting from its own start, give different ids.
public final class CaseIDSequence: Sendable {
    /// The sequence this process's Kernel opens cases with.
    public static let process = CaseIDSequence(start: UInt64.random(in: 0..<(1 << 47)))

    private let counter: Mutex<UInt64>

    /// - Parameter start: the counter's first value. Drawn below 2^47 so that it does not wrap
    ///   around 2^48 in the life of a process (wrapping would cost locality, not uniqueness).
    public init(start: UInt64) {
        counter = Mutex(start & 0xFFFF_FFFF_FFFF)
    }

    /// The next id: the counter's value big-endian in the first six bytes, the version and variant
    /// bits of a version-8 UUID, random bits in the rest.
    public func next() -> CaseID {
        let count = counter.withLock { value in
            defer { value = (value + 1) & 0xFFFF_FFFF_FFFF }
            return value
        }
        let high = UInt64.random(in: .min ... .max), low = UInt64.random(in: .min ... .max)
        let bytes: uuid_t = (
            UInt8(truncatingIfNeeded: count >> 40), UInt8(truncatingIfNeeded: count >> 32),
            UInt8(truncatingIfNeeded: count >> 24), UInt8(truncatingIfNeeded: count >> 16),
            UInt8(truncatingIfNeeded: count >> 8), UInt8(truncatingIfNeeded: count),
            0x80 | UInt8(truncatingIfNeeded: high >> 8) & 0x0F, UInt8(truncatingIfNeeded: high),
            0x80 | UInt8(truncatingIfNeeded: low >> 56) & 0x3F, UInt8(truncatingIfNeeded: low >> 48),
            UInt8(truncatingIfNeeded: low >> 40), UInt8(truncatingIfNeeded: low >> 32),
            UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16),
            UInt8(truncatingIfNeeded: low >> 8), UInt8(truncatingIfNeeded: low))
        return CaseID(UUID(uuid: bytes).uuidString.lowercased())
    }
}
