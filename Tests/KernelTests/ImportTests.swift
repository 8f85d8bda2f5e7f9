import AmanaCore
import Foundation
import Identity
import Store
import Testing
@testable import Kernel

/// Bringing many cases in at once (`amana case import`): every check casework has,
/// all lines checked before anything is written, every case audited.
@Suite("Importing cases")
struct ImportTests {
    func people(_ f: KernelFixture, _ count: Int) -> [ImportedCase] {
        (0..<count).map { n in
            ImportedCase(caseType: "gbv", entries: [
                .init(formID: "core/registration", values: DemoAnswers.registration(day: f.day, givenName: "نور", familyName: "Family\(n)", phone: String(format: "0770 %07d", n))),
                .init(formID: "core/consent", values: DemoAnswers.consent(day: f.day)),
            ])
        }
    }

    @Test func importsEveryCaseAsTheImporterHoldsItAndSearchFindsThem() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let report = try await f.kernel.importCases(people(f, 12), actor: amal, lanes: 4, requestID: "t")
        #expect(report.caseNumbers.count == 12 && Set(report.caseNumbers).count == 12 && report.unfinished.isEmpty)
        let page = try await f.kernel.listCases(CaseFilter(limit: 50), actor: amal, requestID: "t")
        #expect(page.cases.count == 12 && page.cases.allSatisfy { $0.owner == "amal" })
        // In the order given: the report's numbers match the people.
        let found = try await f.kernel.searchCases(value: "0770 0000007", field: "phone", actor: amal, requestID: "t")
        #expect(found.map(\.caseNumber) == [report.caseNumbers[7]])
        let detail = try await f.kernel.caseDetail(id: found[0].id, actor: amal, requestID: "t")
        #expect(Set(detail.forms.map(\.formId)) == ["core/registration", "core/consent"])
        // Audited as casework: an opening and two forms per case.
        #expect(try await f.auditEntries("case.create").count == 12)
        #expect(try await f.auditEntries("form.submit").filter { $0.draft.detail.hasSuffix("import") }.count == 24)
    }

    /// An imported case is written in one transaction, but as casework writes the same steps one by
    /// one: the same audit entries in the same order, the same version, state, forms and timers.
    @Test func anImportedCaseIsWrittenAsCaseworkWritesTheSameSteps() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let person = people(f, 1)[0]
        let imported = try await f.kernel.importCases([person], actor: amal, requestID: "t")
        let byHand = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        for entry in person.entries {
            _ = try await f.kernel.submitForm(caseID: byHand, formID: entry.formID, values: entry.values, expectVersion: nil, actor: amal, requestID: "t")
        }
        let importedID = try await f.kernel.listCases(CaseFilter(limit: 5), actor: amal, requestID: "t").cases.first { $0.caseNumber == imported.caseNumbers[0] }!.id
        func written(_ id: String) async throws -> (actions: [String], version: Int, state: String, forms: [String], timers: [String]) {
            let entries = try await f.kernel.store.auditEntries(after: 0, limit: 1_000).filter { $0.draft.object == "case:\(id)" }
            let file = try #require(try await f.kernel.store.caseFile(id: CaseID(id)))
            return (
                entries.map { $0.draft.action + " " + ($0.draft.detail.split(separator: " ").first.map(String.init) ?? "") }, file.record.version, file.record.state,
                file.submissions.map { "\($0.formID)#\($0.entry) v\($0.version)" }.sorted(),
                try await f.kernel.store.pendingTimers(caseID: CaseID(id)).map(\.timerID))
        }
        let (one, other) = (try await written(importedID), try await written(byHand))
        #expect(one.actions == ["case.create type=gbv", "form.submit form=core/registration", "form.submit form=core/consent"])
        #expect(one.actions == other.actions)
        #expect((one.version, one.state, one.forms, one.timers) == (other.version, other.state, other.forms, other.timers))
    }

    /// A rule that needs the case (who may agree for this person) refuses a form only once the case
    /// is being opened: the case is opened with the forms before it, and the refusal reported.
    @Test func aFormRefusedByTheCasesOwnRulesLeavesTheCaseOpenWithWhatCameBefore() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        var cases = people(f, 3)
        // A 29-year-old's agreement recorded as a child's assent.
        cases[1].entries[1].values = DemoAnswers.childAgreement(day: f.day)
        let report = try await f.kernel.importCases(cases, actor: amal, requestID: "t")
        #expect(report.caseNumbers.count == 3 && Set(report.unfinished.keys) == [1])
        #expect(report.unfinished[1]?.fieldProblems.map(\.code).contains("consent.adult-as-child") == true)
        let listed = try await f.kernel.listCases(CaseFilter(limit: 5), actor: amal, requestID: "t").cases
        let unfinished = try #require(listed.first { $0.caseNumber == report.caseNumbers[1] })
        let detail = try await f.kernel.caseDetail(id: unfinished.id, actor: amal, requestID: "t")
        #expect(detail.forms.map(\.formId) == ["core/registration"])
        #expect(try await f.auditEntries("form.submit").filter { $0.draft.object == "case:\(unfinished.id)" }.count == 1)
    }

    /// The timers an imported case's steps leave running, worked out before anything is written,
    /// are those the store would hold: a stop ends the pending timers it names, starts add, new times move.
    @Test func aNewCasesTimersAreFollowedAsTheStoreWritesThem() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let caseID = CaseID("c1")
        let started = [
            TimerRecord(id: "t1", caseID: caseID, timerID: "assessment_due", firesAt: now + 86_400 * 3, startedAt: now),
            TimerRecord(id: "t2", caseID: caseID, timerID: "referral_follow_up", firesAt: now + 86_400, startedAt: now, subject: "r1"),
            TimerRecord(id: "t3", caseID: caseID, timerID: "referral_follow_up", firesAt: now + 86_400, startedAt: now, subject: "r2"),
        ]
        var change = CaseChange(caseID: caseID, expectedVersion: nil, at: now)
        change.timersCancelled = [TimerStop(timerID: "referral_follow_up", subject: "r1")]
        change.timersStarted = [TimerRecord(id: "t4", caseID: caseID, timerID: "consent_renewal", firesAt: now + 86_400 * 365, startedAt: now)]
        change.timersRetimed = ["t1": now + 86_400]
        let after = change.pendingTimers(after: started)
        #expect(after.map(\.id) == ["t1", "t3", "t4"])
        #expect(after[0].firesAt == now + 86_400)
        change.timersCancelled = [TimerStop(timerID: "referral_follow_up")]
        #expect(change.pendingTimers(after: started).map(\.id) == ["t1", "t4"])
    }

    @Test func aProblemOnAnyLineImportsNothingAndSaysWhere() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        var cases = people(f, 5)
        cases[3].entries[0].values["sex"] = "unknown-sex"
        cases[4].caseType = "no-such-programme"
        do {
            _ = try await f.kernel.importCases(cases, actor: amal, requestID: "t")
            Issue.record("an import with problems went ahead")
        } catch {
            #expect(error.code == "import-invalid")
            #expect(error.fieldProblems.map(\.path) == ["/3/forms/0/answers/sex", "/4/case_type"])
        }
        #expect(try await f.kernel.listCases(CaseFilter(limit: 50), actor: amal, requestID: "t").cases.isEmpty)
    }

    @Test func aRoleThatMayNotOpenCasesImportsNothing() async throws {
        let f = try await KernelFixture()
        try await f.addUser("huda", "team_lead")
        let huda = try await f.signIn("huda").actor
        await #expect(throws: AmanaError.self) { _ = try await f.kernel.importCases(people(f, 1), actor: huda, requestID: "t") }
        #expect(try await f.auditEntries("case.import").first?.draft.outcome == .denied)
    }
}
