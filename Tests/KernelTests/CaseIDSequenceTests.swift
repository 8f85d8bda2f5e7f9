import AmanaCore
import Foundation
import Testing
@testable import Kernel

/// Case ids given in order (docs/decisions/0004-case-ids-in-order.md): unguessable UUIDs whose
/// first six bytes count, so that cases opened together share the store's index pages.
@Suite("Case ids")
struct CaseIDSequenceTests {
    @Test func anIdIsAVersion8UUIDWhoseFirstSixBytesCountFromTheStart() throws {
        let sequence = CaseIDSequence(start: 0x0000_0102_0304_05FE)
        let ids = (0..<3).map { _ in sequence.next().rawValue }
        for (offset, id) in ids.enumerated() {
            let uuid = try #require(UUID(uuidString: id)).uuid
            let counter = [uuid.0, uuid.1, uuid.2, uuid.3, uuid.4, uuid.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(counter == 0x0102_0304_05FE + UInt64(offset))
            #expect(uuid.6 >> 4 == 8, "version 8")
            #expect(uuid.8 >> 6 == 0b10, "RFC 9562 variant")
            #expect(id == id.lowercased() && id.count == 36)
        }
    }

    @Test func idsComeInOrderAndTheirRandomPartDiffers() {
        let sequence = CaseIDSequence(start: 41)
        let ids = (0..<5_000).map { _ in sequence.next().rawValue }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        // Two processes counting from the same start still give different ids.
        let other = CaseIDSequence(start: 41)
        let otherIDs = (0..<5_000).map { _ in other.next().rawValue }
        #expect(Set(ids).isDisjoint(with: otherIDs))
        // 74 random bits: the tails of ids given one after the other share nothing in particular.
        let tails = Set(ids.map { $0.suffix(17) })
        #expect(tails.count == ids.count)
    }

    @Test func theCounterWrapsAt48BitsRatherThanStopping() throws {
        let sequence = CaseIDSequence(start: 0xFFFF_FFFF_FFFF)
        let last = sequence.next().rawValue, first = sequence.next().rawValue
        #expect(last.hasPrefix("ffffffff-ffff-8"))
        #expect(first.hasPrefix("00000000-0000-8"))
    }

    @Test func casesOpenedOneAfterAnotherHaveIdsInTheOrderOfTheirNumbers() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        var opened: [(number: String, id: String)] = []
        for _ in 0..<5 {
            let summary = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary
            opened.append((summary.caseNumber, summary.id))
        }
        #expect(opened.map(\.number) == opened.map(\.number).sorted())
        #expect(opened.map(\.id) == opened.map(\.id).sorted())
        #expect(opened.allSatisfy { UUID(uuidString: $0.id) != nil })
    }
}
