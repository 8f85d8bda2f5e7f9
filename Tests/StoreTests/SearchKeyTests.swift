import AmanaCore
import Foundation
import Store
import Testing

/// A form's blind indexes are written several rows a statement: every one of them must
/// be found, however many a form has.
@Suite("Search keys")
struct SearchKeyTests {
    @Test func everyKeyOfAFormIsFoundHoweverManyItHas() async throws {
        let fixture = try StoreFixture()
        let (agency, user) = try await fixture.seed()
        let now = Date()
        let record = CaseRecord(
            id: .random(), caseType: "gbv", ownerID: user.id, teamID: nil, agencyID: agency.id, wrappedKey: [1], keyVersion: 1, createdAt: now, updatedAt: now,
            state: "identified")
        // 19 keys: two full statements of eight and one of three.
        let keys = (0..<19).map { SearchKeyRecord(fieldID: "field\($0 % 4)", blindIndex: Array(repeating: UInt8($0), count: 32)) }
        var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
        change.submission = SubmissionWrite(
            record: SubmissionRecord(
                caseID: record.id, formID: "core/registration", entry: 1, version: 1, formVersion: 1, overlays: [:], ciphertext: [0], at: now, actorID: user.id,
                changed: []),
            expectedVersion: nil, searchKeys: keys, idempotency: nil)
        _ = try await fixture.store.insertCase(
            record, opening: CaseChange(caseID: record.id, expectedVersion: nil, at: now), numberPrefix: "ACME", year: 2026, audit: fixture.draft("case.create"),
            then: [(change, fixture.draft("form.submit"))], keeping: nil)
        for key in keys {
            #expect(try await fixture.store.caseIDs(matching: [key]) == [record.id])
        }
        #expect(try await fixture.store.caseIDs(matching: [SearchKeyRecord(fieldID: "field0", blindIndex: Array(repeating: 99, count: 32))]).isEmpty)
    }
}
