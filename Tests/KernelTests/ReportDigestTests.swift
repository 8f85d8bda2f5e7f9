import AmanaCore
import AmanaTestSupport
import FormKit
import Foundation
import Store
import Testing
import Vault
@testable import Kernel

/// A report keeps what it found in each case's forms (a sealed report digest) and
/// the next report reads that instead, but only while it still holds: a saved form,
/// a birthday or a change of definitions sends the report back to the forms.
@Suite("Report digests")
struct ReportDigestTests {
    /// Eleven GBV cases that agree to reporting: six women and five men, each with an
    /// estimated age but the last man, whose date of birth is given, his birthday ten days
    /// from now. Returns their ids, the women's first, his last.
    func dataset(_ f: KernelFixture) async throws -> [String] {
        try await f.addUser("amal", "case_worker")
        var ids: [String] = []
        for index in 0..<6 { ids.append(try await f.caseWithRegistration(owner: "amal", givenName: "Person\(index)", familyName: "Example")) }
        let amal = try await f.signIn("amal").actor
        let soon = Day(number: Day(f.clock.now()).number + 10).components
        for index in 0..<5 {
            let man = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
            var registration = DemoAnswers.registration(day: f.day, givenName: "Man\(index)", familyName: "Example", sex: "male")
            if index == 4 { registration["date_of_birth"] = .string(Day(year: soon.year - 30, month: soon.month, day: soon.day)!.description) }
            for (form, values) in [("core/consent", DemoAnswers.consent(day: f.day)), ("core/registration", registration)] {
                _ = try await f.kernel.submitForm(caseID: man, formID: form, values: values, expectVersion: nil, actor: amal, requestID: "t")
            }
            ids.append(man)
        }
        return ids
    }

    /// The count of each sex, as a programme manager's table shows it.
    func bySex(_ kernel: Kernel, _ f: KernelFixture) async throws -> [String: String] {
        let karim = try await f.signIn("karim").actor
        let table = try await kernel.statistics(StatisticsRequest(form: "core/registration", rows: "sex"), actor: karim, requestID: "t")
        return Dictionary(uniqueKeysWithValues: zip(table.rows.map(\.code), table.rowTotals))
    }

    /// What an attacker with the database could do, and what proves a report read no form:
    /// the triggers that forget digests are dropped, then `id`'s registration is replaced by
    /// another case's, which cannot be opened under `id`'s key.
    func breakRegistration(of id: String, with other: String, _ f: KernelFixture) async throws {
        if TestStore.onPostgres {
            try await f.tamper("DROP TRIGGER case_report_digest_forget ON case_submission", [])
        } else {
            for change in ["insert", "update", "delete"] { try await f.tamper("DROP TRIGGER case_report_digest_after_\(change)", []) }
        }
        try await f.tamper(
            """
            UPDATE case_submission SET ciphertext = (SELECT ciphertext FROM case_submission WHERE case_id = ?2 AND form_id = 'core/registration')
            WHERE case_id = ?1 AND form_id = 'core/registration'
            """, [id, other])
    }

    @Test func theNextReportReadsTheDigestsAndCountsTheSame() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let first = try await bySex(f.kernel, f)
        #expect(first["female"] == "6" && first["male"] == "5")
        try await breakRegistration(of: ids[0], with: ids[1], f)
        #expect(try await bySex(f.kernel, f) == first, "read from the digests: the broken form is not opened")
    }

    @Test func aFormSavedAfterAReportIsCountedAsSaved() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        _ = try await bySex(f.kernel, f)
        let amal = try await f.signIn("amal").actor
        let registration = DemoAnswers.registration(day: f.day, givenName: "Person0", familyName: "Example", sex: "male")
        _ = try await f.kernel.submitForm(caseID: ids[0], formID: "core/registration", values: registration, expectVersion: 1, actor: amal, requestID: "t")
        let after = try await bySex(f.kernel, f)
        #expect(after["female"] == "5" && after["male"] == "6", "the saved form, not the digest made before it")
    }

    @Test func aDigestHoldsUntilAnAgeInItGoesUp() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let first = try await bySex(f.kernel, f)
        try await breakRegistration(of: ids[10], with: ids[0], f)
        f.clock.advance(by: 9 * 86_400)
        #expect(try await bySex(f.kernel, f) == first, "his age is the same until his birthday: his digest holds")
        f.clock.advance(by: 86_400)
        // On his birthday his registration is checked again: the broken form is opened, and refused.
        await #expect(throws: AmanaError.self) { try await bySex(f.kernel, f) }
    }

    @Test func otherDefinitionsSendTheReportBackToTheForms() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let first = try await bySex(f.kernel, f)
        try await breakRegistration(of: ids[0], with: ids[1], f)
        // Any change under the definition folders (here a file added to the install's plugins) is other definitions.
        try "An organisation's notes.\n".write(toFile: f.layout.pluginsDirectory + "/NOTES.txt", atomically: true, encoding: .utf8)
        let reopened = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        await #expect(throws: AmanaError.self) { try await bySex(reopened, f) }
        #expect(try await bySex(f.kernel, f) == first, "the install opened before the change still reads its digests")
    }

    /// After a change of definitions the install makes every case's digest again ahead of a
    /// report (`amana serve` when it starts, `amana db digests`): the first report reads them.
    @Test func digestsMadeAfterAChangeOfDefinitionsServeTheFirstReport() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let first = try await bySex(f.kernel, f)
        try "An organisation's notes.\n".write(toFile: f.layout.pluginsDirectory + "/NOTES.txt", atomically: true, encoding: .utf8)
        let reopened = try Kernel.open(f.layout, shippedDirectory: KernelFixture.repositoryRoot, clock: f.clock, fastPasswordHashing: true)
        let done = try await reopened.makeReportDigests(by: "operator", requestID: "t")
        #expect(done == ReportDigestsMade(made: 11, unreadable: 0, stopped: false))
        try await breakRegistration(of: ids[0], with: ids[1], f)
        #expect(try await bySex(reopened, f) == first, "read from the digests made ahead: the broken form is not opened")
        #expect(try await reopened.makeReportDigests(by: "operator", requestID: "t").made == 0, "every case has one in force")
        let audited = try await f.auditEntries("report-digests.make")
        #expect(audited.map(\.draft.detail) == ["made=11 unreadable=0", "made=0 unreadable=0"])
        #expect(audited.allSatisfy { $0.draft.actor == "operator" && $0.draft.outcome == .success })
    }

    /// A case whose form cannot be opened is left for a report to find, and the rest are made.
    @Test func aCaseThatCannotBeOpenedIsCountedAndTheRestAreMade() async throws {
        let f = try await KernelFixture()
        let ids = try await dataset(f)
        try await breakRegistration(of: ids[0], with: ids[1], f)
        let done = try await f.kernel.makeReportDigests(by: "system", requestID: "t")
        #expect(done == ReportDigestsMade(made: 10, unreadable: 1, stopped: false))
        let audited = try await f.auditEntries("report-digests.make")
        #expect(audited.map(\.draft.outcome) == [.failed] && audited.first?.draft.detail == "made=10 unreadable=1")
    }

    /// An import checks every form it saves: it keeps each case's digest from those checks, and the
    /// first report after it reads the digests, which are what a report would have made from the forms.
    @Test func anImportKeepsEachCasesDigestAsAReportWouldMakeIt() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("karim", "programme_manager", team: nil)
        let amal = try await f.signIn("amal").actor
        let soon = Day(number: Day(f.clock.now()).number + 10).components
        let people = (0..<11).map { n in
            var registration = DemoAnswers.registration(day: f.day, givenName: "Person\(n)", familyName: "Example", sex: n < 6 ? "female" : "male")
            // One date of birth, his birthday ten days away: his digest holds until then.
            if n == 10 { registration["date_of_birth"] = .string(Day(year: soon.year - 30, month: soon.month, day: soon.day)!.description) }
            return ImportedCase(caseType: "gbv", entries: [
                .init(formID: "core/registration", values: registration), .init(formID: "core/consent", values: DemoAnswers.consent(day: f.day)),
            ])
        }
        #expect(try await f.kernel.importCases(people, actor: amal, lanes: 3, requestID: "t").unfinished.isEmpty)
        let kernel = f.kernel
        let contents = kernel.reportDigestContents(basis: try #require(kernel.reportBasis))
        let query = CaseQuery(reach: .all, caseTypes: ["gbv"], limit: 100)
        let today = Day(f.clock.now())
        let kept = try await kernel.store.reportSources(
            query, forms: contents.forms, activityKinds: [], digests: ReportDigestsWanted(basis: contents.basis, today: today.number))
        let read = try await kernel.store.reportSources(query, forms: contents.forms, activityKinds: [], digests: nil)
        #expect(kept.count == 11 && kept.allSatisfy { $0.digest != nil }, "every imported case has its digest")
        for (source, fromForms) in zip(kept, read) {
            let record = source.record
            let wrapped = try #require(record.wrappedKey), sealed = try #require(source.digest), keeping = try #require(contents.kept["gbv"])
            let key = try kernel.vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
            let imported = try #require(ReportDigest(json: try kernel.unseal(sealed, key: key, caseID: record.id, as: ReportDigest.purpose)))
            let made = ReportDigest(checked: try kernel.checkedSubmissions(fromForms.submissions, key: key, today: today, steadiness: true), keeping: keeping)
            #expect(imported.json == made.json, "\(record.caseNumber): the same answers as a report would keep")
        }
        // His digest holds until his birthday (the other cases give an estimated age, which does not go up).
        let onHisBirthday = try await kernel.store.reportSources(
            query, forms: contents.forms, activityKinds: [], digests: ReportDigestsWanted(basis: contents.basis, today: today.number + 10))
        #expect(onHisBirthday.filter { $0.digest == nil }.count == 1)
        // What making digests ahead reads: only the cases with none in force, his.
        let missing = try await kernel.store.reportSources(
            query, forms: contents.forms, activityKinds: [], digests: ReportDigestsWanted(basis: contents.basis, today: today.number + 10, missingOnly: true))
        #expect(missing.map(\.record.id) == onHisBirthday.filter { $0.digest == nil }.map(\.record.id) && missing.first?.submissions.isEmpty == false)
        try await breakRegistration(of: kept[0].record.id.rawValue, with: kept[1].record.id.rawValue, f)
        let first = try await bySex(kernel, f)
        #expect(first["female"] == "6" && first["male"] == "5", "the first report reads the import's digests: the broken form is not opened")
    }

    /// A digest keeps only the answers reports read. Every demo case (adults, children with
    /// assent and a caregiver's consent, an exception decided in a case conference, withdrawals)
    /// is decided the same from its digest as from its forms, today and as the years pass.
    @Test func aDigestDecidesConsentAsTheFormsDoForEveryDemoCase() async throws {
        let demo = try await DemoInstallFixture()
        let kernel = demo.kernel
        let contents = kernel.reportDigestContents(basis: "test")
        let sources = try await kernel.store.reportSources(
            CaseQuery(reach: .all, caseTypes: Array(contents.kept.keys), limit: 1_000), forms: contents.forms, activityKinds: [.conference], digests: nil)
        #expect(sources.count == 21)
        var decided: Set<ConsentScope> = []
        for source in sources {
            let record = source.record
            guard let wrapped = record.wrappedKey else { continue }
            let key = try kernel.vault.unwrap(WrappedCaseKey(bytes: wrapped, keyVersion: record.keyVersion), for: record.id)
            let today = Day(demo.clock.now())
            let forms = try kernel.checkedSubmissions(source.submissions, key: key, today: today, steadiness: true)
            let digest = ReportDigest(checked: forms, keeping: try #require(contents.kept[record.caseType]))
            let sealed = try kernel.seal(digest.json, key: key, caseID: record.id, as: ReportDigest.purpose)
            let opened = try #require(ReportDigest(json: try kernel.unseal(sealed, key: key, caseID: record.id, as: ReportDigest.purpose)))
            let exceptions = kernel.conferenceDecisions(source.activities, key: key).consentExceptions
            for years in [0, 1, 5, 20] {
                let day = Day(number: today.number + years * 365)
                func agreed(_ checked: [(SubmissionRecord, ValidationResult)]) -> Set<ConsentScope> {
                    kernel.consentScopesAgreed(caseType: record.caseType, checked: checked, approvals: source.approvals, conferenceDecided: exceptions, today: day)
                }
                let fromForms = agreed(forms), fromDigest = agreed(opened.checked(caseID: record.id))
                #expect(fromForms == fromDigest, "\(record.caseNumber) in \(years) years")
                decided.formUnion(fromForms)
            }
        }
        #expect(decided.contains(.reporting), "some demo cases agree to reports")
    }
}
