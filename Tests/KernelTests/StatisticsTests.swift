import AmanaCore
import FormKit
import Foundation
import Identity
import Testing
@testable import Kernel

/// Small counts never show, and cannot be worked out from the totals.
@Suite("Cell suppression")
struct CellSuppressionTests {
    /// Every line (a row or a column with its total, the totals with the grand total) has no withheld number or at least two.
    func safe(_ counts: [[Int]], _ s: CellSuppression, minimum: Int = 5) -> Bool {
        let rows = counts.count, columns = counts[0].count
        var lines: [[CellSuppression.Mark]] = (0..<rows).map { r in s.cells[r] + [s.rowTotals[r]] }
        lines += (0..<columns).map { c in (0..<rows).map { s.cells[$0][c] } + [s.columnTotals[c]] }
        lines += [s.columnTotals, s.rowTotals]
        let smallShown = (0..<rows).contains { r in (0..<columns).contains { c in (1..<minimum).contains(counts[r][c]) && s.cells[r][c] == .shown } }
        return !smallShown && lines.allSatisfy { $0.filter { $0 != .shown }.count != 1 }
    }

    @Test func aSingleSmallCellTakesOthersWithItSoThatTotalsDoNotGiveItAway() {
        let counts = [[12, 1], [7, 9]]
        let s = CellSuppression.apply(counts)
        #expect(s.cells[0][1] == .small)
        // Without more, 13 - 12 = 1: the row's other cell goes, then the column's, then the last.
        #expect(s.cells == [[.complementary, .small], [.complementary, .complementary]])
        #expect(s.rowTotals == [.shown, .shown] && s.columnTotals == [.shown, .shown])
        #expect(safe(counts, s))
    }

    @Test func aSmallTotalIsWithheldWithItsCellsAndAnotherTotal() {
        let counts = [[20, 0], [15, 3]]
        let s = CellSuppression.apply(counts)
        #expect(s.cells[1][1] == .small && s.columnTotals[1] == .small)
        #expect(safe(counts, s))
    }

    @Test func randomTablesAreAlwaysSafe() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let rows = Int.random(in: 1...6, using: &generator), columns = Int.random(in: 1...6, using: &generator)
            let counts = (0..<rows).map { _ in (0..<columns).map { _ in [0, 1, 2, 3, 4, 5, 7, 12, 30].randomElement(using: &generator)! } }
            // A table of fewer than 5 in all is not published at all (the Kernel refuses it).
            if counts.joined().reduce(0, +) < 5 { continue }
            #expect(safe(counts, CellSuppression.apply(counts)), "\(counts)")
        }
    }
}

/// Anonymous statistics from real cases: aggregate answers only, consent to reporting only.
@Suite("Anonymous statistics")
struct StatisticsTests {
    /// Thirteen GBV incidents that agree to reporting, one that does not. Twelve survivors
    /// are adults; one is the only adolescent, and the only one sexually assaulted: a
    /// naive table (type by age band) would point at her.
    func dataset(_ f: KernelFixture) async throws {
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let incidents: [(String, String, Bool)] =
            Array(repeating: ("physical_assault", "age_26_40", true), count: 7) + Array(repeating: ("rape", "age_18_25", true), count: 5)
            + [("sexual_assault", "age_12_17", true), ("rape", "age_26_40", false)]
        for (index, (violence, band, reporting)) in incidents.enumerated() {
            let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
            let scopes = ["services", "referral", "information_sharing"] + (reporting ? ["reporting"] : [])
            var incident = DemoAnswers.incident(day: f.day)
            incident["violence_type"] = .string(violence)
            incident["survivor_age_band"] = .string(band)
            for (form, values) in [
                ("core/registration", DemoAnswers.registration(day: f.day, givenName: "Person\(index)", familyName: "Example")),
                ("core/consent", DemoAnswers.consent(day: f.day, scopes: scopes)), ("gbv/incident", incident),
            ] {
                _ = try await f.kernel.submitForm(caseID: id, formID: form, values: values, expectVersion: nil, actor: amal, requestID: "t")
            }
        }
    }

    @Test func theOnlyAdolescentCannotBeFoundInTheTable() async throws {
        let f = try await KernelFixture()
        try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let karim = try await f.signIn("karim").actor
        let table = try await f.kernel.statistics(
            StatisticsRequest(form: "gbv/incident", rows: "violence_type", columns: "survivor_age_band"), actor: karim, requestID: "t")
        func cell(_ row: String, _ column: String) -> String {
            table.cells[table.rows.firstIndex { $0.code == row }!][table.columns.firstIndex { $0.code == column }!]
        }
        #expect(table.total == "13", "the incident without consent to reporting is left out")
        #expect(table.leftOut == "<5")
        #expect(cell("physical_assault", "age_26_40") == "7")
        #expect(cell("sexual_assault", "age_12_17") == "<5")
        // Nothing gives her away: her row's and column's totals are withheld, and so are
        // others (the rapes of 18-25 year olds) so that 13 minus the rest is not her.
        let row = table.rows.firstIndex { $0.code == "sexual_assault" }!, column = table.columns.firstIndex { $0.code == "age_12_17" }!
        #expect(table.rowTotals[row] == "<5" && table.columnTotals[column] == "<5")
        #expect(cell("rape", "age_18_25") == "x")
        let rows = table.cells.indices.map { table.cells[$0] + [table.rowTotals[$0]] }
        let columns = table.columns.indices.map { c in table.cells.map { $0[c] } + [table.columnTotals[c]] }
        for line in rows + columns + [table.rowTotals, table.columnTotals] {
            #expect(line.filter { Int($0) == nil }.count != 1, "\(line)")
        }
        #expect(table.csv.hasPrefix("Type of violence,"))
        #expect(table.csv.contains("Sexual assault,0,<5,"))
        let audit = try await f.auditEntries("statistics.read").last
        #expect(audit?.draft.detail == "form=gbv/incident rows=violence_type columns=survivor_age_band")
    }

    @Test func tablesAreRefusedToWhoeverMayNotReportOnWhatIsNotAggregateAndWhenTooNarrow() async throws {
        let f = try await KernelFixture()
        try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let karim = try await f.signIn("karim").actor
        let amal = try await f.signIn("amal").actor
        let forbidden = await #expect(throws: AmanaError.self) {
            try await f.kernel.statistics(StatisticsRequest(form: "gbv/incident", rows: "violence_type"), actor: amal, requestID: "t")
        }
        #expect(forbidden?.kind == .forbidden)
        let sensitive = await #expect(throws: AmanaError.self) {
            try await f.kernel.statistics(StatisticsRequest(form: "gbv/incident", rows: "incident_date"), actor: karim, requestID: "t")
        }
        #expect(sensitive?.code == "field-not-aggregate" && sensitive?.pointer == "/rows")
        let narrow = await #expect(throws: AmanaError.self) {
            try await f.kernel.statistics(StatisticsRequest(form: "gbv/incident", rows: "violence_type", from: "2099-01"), actor: karim, requestID: "t")
        }
        #expect(narrow?.code == "too-narrow")
        #expect(try await f.auditEntries("statistics.read").last?.draft.outcome == .denied)
        // By age band and sex: the sex is the registration's, another form of the same case.
        let bySex = try await f.kernel.statistics(
            StatisticsRequest(form: "gbv/incident", rows: "survivor_age_band", columns: "core/registration/sex"), actor: karim, requestID: "t")
        #expect(bySex.columnsLabel == "Sex" && bySex.total == "13")
        let adults = try #require(bySex.rows.firstIndex { $0.code == "age_26_40" }), female = try #require(bySex.columns.firstIndex { $0.code == "female" })
        #expect(bySex.cells[adults][female] == "7")
        let notAggregate = await #expect(throws: AmanaError.self) {
            try await f.kernel.statistics(StatisticsRequest(form: "gbv/incident", rows: "violence_type", columns: "core/registration/given_name"), actor: karim, requestID: "t")
        }
        #expect(notAggregate?.code == "field-not-aggregate" && notAggregate?.pointer == "/columns")
        let byMonth = try await f.kernel.statistics(StatisticsRequest(form: "gbv/incident", rows: "violence_type", columns: "month"), actor: karim, requestID: "t")
        #expect(byMonth.columns.map(\.code) == [String(f.day.prefix(7))] && byMonth.total == "13")
    }

    @Test func theMonthlyReportIsAPrintablePageOfSuppressedTablesWithCharts() async throws {
        let f = try await KernelFixture()
        try await dataset(f)
        try await f.addUser("karim", "programme_manager", team: nil)
        let karim = try await f.signIn("karim").actor
        let report = try await f.kernel.monthlyReport(month: String(f.day.prefix(7)), actor: karim, requestID: "t")
        #expect(report.parts.map(\.title).first == "GBV incident: Type of violence by Survivor's age at the time of the incident")
        // No closures nor feedback in the dataset: those tables are named, not shown.
        #expect(report.parts.filter { $0.table == nil }.allSatisfy { $0.withheld == "Not shown: fewer than 5 entries this month." })
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && html.contains("<td>&lt;5</td>"))
        #expect(!html.contains("Person"), "no one's name")
        let empty = try await f.kernel.monthlyReport(month: "2099-01", actor: karim, requestID: "t")
        #expect(empty.parts.allSatisfy { $0.table == nil })
        await #expect(throws: AmanaError.self) { try await f.kernel.monthlyReport(month: "November", actor: karim, requestID: "t") }
    }

    @Test func referralsAreCountedByTheHelpSoughtAndWhereTheyStand() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("admin", "administrator", team: nil)
        try await f.addUser("karim", "programme_manager", team: nil)
        _ = try await f.kernel.importServices(csv: DemoServices.csv(agencyCode: "ACME"), actor: try await f.signIn("admin").actor, requestID: "t")
        let amal = try await f.signIn("amal").actor, karim = try await f.signIn("karim").actor
        for index in 0..<6 {
            let id = try await f.caseWithRegistration(owner: "amal", givenName: "Person\(index)", familyName: "Example")
            _ = try await f.kernel.sendReferral(caseID: id, draft: ReferralDraft(service: "cedar-clinic-health"), actor: amal, requestID: "t")
        }
        let table = try await f.kernel.statistics(StatisticsRequest(form: "referrals", rows: "service_type", columns: "status"), actor: karim, requestID: "t")
        #expect(table.formTitle == "Referrals" && table.total == "6")
        let health = try #require(table.rows.firstIndex { $0.code == "health" }), sent = try #require(table.columns.firstIndex { $0.code == "sent" })
        #expect(table.cells[health][sent] == "6")
        let unknown = await #expect(throws: AmanaError.self) {
            try await f.kernel.statistics(StatisticsRequest(form: "referrals", rows: "organisation"), actor: karim, requestID: "t")
        }
        #expect(unknown?.pointer == "/rows")
    }
}
