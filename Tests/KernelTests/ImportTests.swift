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
