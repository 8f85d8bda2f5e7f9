import AmanaCore
import Foundation
import Store
import Testing

/// A form's blind indexes are written several rows a statement: every one of them must
/// be found, however many a form has; an entry saved again is found by its new answers only.
@Suite("Search keys")
struct SearchKeyTests {
    let fixture: StoreFixture
    let record: CaseRecord
    let now = Date()

    init() async throws {
        fixture = try StoreFixture()
        let (agency, user) = try await fixture.seed()
        record = CaseRecord(
            id: .random(), caseType: "gbv", ownerID: user.id, teamID: nil, agencyID: agency.id, wrappedKey: [1], keyVersion: 1, createdAt: now, updatedAt: now,
            state: "identified")
    }

    /// A save of the case's registration (entry 1) at `version`, with `keys`.
    func save(version: Int, expecting: Int?, keys: [SearchKeyRecord]) -> CaseChange {
        var change = CaseChange(caseID: record.id, expectedVersion: nil, at: now)
        change.submission = SubmissionWrite(
            record: SubmissionRecord(
                caseID: record.id, formID: "core/registration", entry: 1, version: version, formVersion: 1, overlays: [:], ciphertext: [0], at: now,
                actorID: record.ownerID, changed: []),
            expectedVersion: expecting, searchKeys: keys, idempotency: nil)
        return change
    }

    /// Opens the case with its registration holding `keys`.
    func open(keys: [SearchKeyRecord]) async throws {
        _ = try await fixture.store.insertCase(
            record, opening: CaseChange(caseID: record.id, expectedVersion: nil, at: now), numberPrefix: "ACME", year: 2026, audit: fixture.draft("case.create"),
            then: [(save(version: 1, expecting: nil, keys: keys), fixture.draft("form.submit"))], keeping: nil)
    }

    @Test func everyKeyOfAFormIsFoundHoweverManyItHas() async throws {
        // 19 keys: two full statements of eight and one of three.
        let keys = (0..<19).map { SearchKeyRecord(fieldID: "field\($0 % 4)", blindIndex: Array(repeating: UInt8($0), count: 32)) }
        try await open(keys: keys)
        for key in keys {
            #expect(try await fixture.store.caseIDs(matching: [key]) == [record.id])
        }
        #expect(try await fixture.store.caseIDs(matching: [SearchKeyRecord(fieldID: "field0", blindIndex: Array(repeating: 99, count: 32))]).isEmpty)
    }

    @Test func anEntrySavedAgainIsFoundByItsNewAnswersOnly() async throws {
        let before = SearchKeyRecord(fieldID: "given_name", blindIndex: Array(repeating: 1, count: 32))
        let after = SearchKeyRecord(fieldID: "given_name", blindIndex: Array(repeating: 2, count: 32))
        let kept = SearchKeyRecord(fieldID: "phone", blindIndex: Array(repeating: 3, count: 32))
        try await open(keys: [before, kept])
        #expect(try await fixture.store.caseIDs(matching: [before]) == [record.id])
        _ = try await fixture.store.applyCaseChange(save(version: 2, expecting: 1, keys: [after, kept]), audit: fixture.draft("form.submit"))
        #expect(try await fixture.store.caseIDs(matching: [before]).isEmpty, "the answer changed: its old key is gone")
        #expect(try await fixture.store.caseIDs(matching: [after]) == [record.id])
        #expect(try await fixture.store.caseIDs(matching: [kept]) == [record.id])
    }
}
