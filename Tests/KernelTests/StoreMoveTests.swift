import AmanaCore
import AmanaTestSupport
import Foundation
import Testing
@testable import Kernel

/// `amana migrate-store`: a SQLite install moved whole into PostgreSQL.
@Suite("Moving an install to PostgreSQL", .enabled(if: TestStore.onPostgres, "needs the PostgreSQL server of Tools/test.sh's second run"))
struct StoreMoveTests {
    /// A demo install on SQLite, whatever run the suites are in.
    func sqliteDemo() async throws -> (InstallLayout, [String: String]) {
        let layout = InstallLayout(directory: FileManager.default.temporaryDirectory.appendingPathComponent("amana-move-\(UUID().uuidString)").path)
        let report = try await Kernel.initialize(
            layout, agencyCode: "DEMO", demo: true, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true, store: "sqlite")
        return (layout, Dictionary(uniqueKeysWithValues: report.demoAccounts.map { ($0.username, $0.password) }))
    }

    @Test func aWholeInstallMovesAndWorksThereAsItDid() async throws {
        let (layout, passwords) = try await sqliteDemo()
        let before = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        let amal = try await before.signIn(username: "amal", password: passwords["amal"]!, requestID: "t").actor
        let casesBefore = try await before.listCases(CaseFilter(), actor: amal, requestID: "t").cases
        // A report first, so that every case has its report digest to move.
        let karim = try await before.signIn(username: "karim", password: passwords["karim"]!, requestID: "t").actor
        let bySex = StatisticsRequest(form: "core/registration", rows: "sex")
        let tableBefore = try await before.statistics(bySex, actor: karim, requestID: "t")
        let target = try #require(try await TestStore.fresh())

        let report = try await before.moveStore(to: target, requestID: "t")
        #expect(report.auditEntries > 0)
        #expect(report.rows.first { $0.table == "case_file" }?.count ?? 0 >= casesBefore.count)
        // Every row of every table arrived (the move compares the counts, digests included).
        #expect(report.rows.first { $0.table == "case_report_digest" }?.count ?? 0 > 0)
        #expect(!report.target.contains("amana-test"), "the address is shown without its password")

        // Opened again, the install is on PostgreSQL, with everything it had.
        let after = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        guard case .postgres = after.config.store else {
            Issue.record("config.yaml does not point to PostgreSQL")
            return
        }
        #expect(try await after.verifyEveryCaseOpens() == report.rows.first { $0.table == "case_file" }?.count)
        let signedIn = try await after.signIn(username: "amal", password: passwords["amal"]!, requestID: "t").actor
        let casesAfter = try await after.listCases(CaseFilter(), actor: signedIn, requestID: "t").cases
        #expect(casesAfter.map(\.id) == casesBefore.map(\.id), "the same cases, in the same order")
        let detail = try await after.caseDetail(id: casesAfter[0].id, actor: signedIn, requestID: "t")
        #expect(!detail.forms.isEmpty)
        let karimAfter = try await after.signIn(username: "karim", password: passwords["karim"]!, requestID: "t").actor
        #expect(try await after.statistics(bySex, actor: karimAfter, requestID: "t") == tableBefore)
        // The chain goes on from where it was: the move itself is its next entry.
        guard case .intact(let entries) = try await after.verifyAudit() else {
            Issue.record("the audit chain does not verify after the move")
            return
        }
        #expect(entries > report.auditEntries)
        // New cases are numbered after the moved ones.
        let opened = try await after.openCase(type: "gbv", actor: signedIn, requestID: "t")
        #expect(opened.summary.caseNumber > casesBefore.map(\.caseNumber).max()!)
    }

    @Test func aDatabaseThatHoldsAnInstallIsRefusedAndNothingIsSwitched() async throws {
        let (layout, _) = try await sqliteDemo()
        let kernel = try Kernel.open(layout, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        let target = try #require(try await TestStore.fresh())
        _ = try await kernel.moveStore(to: target, requestID: "t")
        let (other, _) = try await sqliteDemo()
        let config = try String(contentsOfFile: other.config, encoding: .utf8)
        let again = try Kernel.open(other, shippedDirectory: KernelFixture.repositoryRoot, fastPasswordHashing: true)
        let error = await #expect(throws: AmanaError.self) { try await again.moveStore(to: target, requestID: "t") }
        #expect(error?.code == "install-exists")
        #expect(try String(contentsOfFile: other.config, encoding: .utf8) == config)
    }
}
