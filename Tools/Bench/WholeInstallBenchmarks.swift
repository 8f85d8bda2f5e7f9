import Foundation
import GRDB
import Kernel

/// What reads or counts much of the install: a team lead's dashboard (counted by
/// the database), anonymous statistics (every case in the agency unsealed),
/// a purge, the compaction `amana db vacuum` does (VACUUM), and a backup. Each against the
/// raw SQLite work of the same shape on the same file.
enum WholeInstallBenchmarks {
    static func run(_ kernel: Kernel, layout: InstallLayout, population: CaseBenchmarks.Population) async throws {
        let raw = try DatabaseQueue(path: layout.database)
        defer { try? raw.close() }
        // At 100,000 cases and more, one run of each is long enough to stand on its own.
        let large = population.cases >= 100_000
        func measure(_ name: String, iterations: Int, _ body: () async throws -> Void) async throws -> Measurement {
            large ? try await Harness.measureOnce(name, body) : try await Harness.measureAsync(name, iterations: iterations, body)
        }

        _ = try await kernel.addUser(NewUser(username: "programme", role: "programme_manager", password: CaseBenchmarks.password), by: .installOperator, requestID: "bench")
        let manager = try await kernel.signIn(username: "programme", password: CaseBenchmarks.password, requestID: "bench").actor
        let lead = population.leads[0]

        // Dashboards: the open cases in reach, counted by owner, team, state and risk.
        let rawTeam = try await Harness.measureAsync("raw SQLite: a team's open cases by owner, state", iterations: 20) {
            try await raw.read { db in
                _ = try Row.fetchAll(
                    db, sql: "SELECT owner_id, state, risk_level, COUNT(*) FROM case_file WHERE team_id = ? AND closed_at IS NULL GROUP BY 1, 2, 3",
                    arguments: [lead.teamID?.rawValue])
            }
        }
        var teamCases = 0
        let teamDashboard = try await Harness.measureAsync("dashboard, a team lead (\(population.cases / max(1, population.leads.count)) cases)", iterations: 20) {
            teamCases = try await kernel.dashboard(actor: lead, requestID: "bench").openCases
        }
        Harness.report(teamDashboard, against: rawTeam)
        precondition(teamCases > 0, "the team lead's dashboard counts their team's cases")
        Harness.target("a team lead's dashboard", seconds: teamDashboard.nanosecondsPerOperation / 1e9, under: population.cases >= 1_000_000 ? 1 : nil, per: "1 s at 1M cases")

        // Statistics: every case's registration and consent (or its report digest) unsealed, checked and counted.
        let rawRead = try await measure("raw SQLite: every registration's ciphertext", iterations: 3) {
            try await raw.read { db in
                let cursor = try Row.fetchCursor(db, sql: "SELECT s.case_id, s.ciphertext FROM case_submission s JOIN case_file c ON c.id = s.case_id WHERE s.form_id = 'core/registration'")
                while try cursor.next() != nil {}
            }
        }
        var counted = ""
        let table = StatisticsRequest(form: "core/registration", rows: "sex", columns: "governorate")
        // The import kept a report digest of each case: the first report reads them (the cases
        // whose forms the benchmarks above changed are read from their forms).
        Harness.report(try await Harness.measureOnce("statistics, first after the import") {
            counted = try await kernel.statistics(table, actor: manager, requestID: "bench").total
        }, against: rawRead)
        // As after a change of definitions: no digest holds, every case's forms are read and digests kept again.
        try await raw.write { db in try db.execute(sql: "DELETE FROM case_report_digest") }
        Harness.report(try await Harness.measureOnce("statistics without digests: forms read, digests kept") {
            counted = try await kernel.statistics(table, actor: manager, requestID: "bench").total
        }, against: rawRead)
        // What `amana serve` does when it starts after a change of definitions: the digests made
        // ahead of any report, one core, a hundred cases at a time.
        try await raw.write { db in try db.execute(sql: "DELETE FROM case_report_digest") }
        Harness.report(try await Harness.measureOnce("report digests made ahead (as serve does)") {
            let made = try await kernel.makeReportDigests(by: "system", requestID: "bench").made
            precondition(made > 0, "digests are made for the cases")
        }, against: rawRead)
        Harness.report(try await measure("statistics: sex by governorate, every case", iterations: 3) {
            counted = try await kernel.statistics(table, actor: manager, requestID: "bench").total
        }, against: rawRead)
        print("  (\(counted) of \(population.cases) registrations counted: the others' consent does not cover anonymous reports)")

        // A purge: worker 1's oldest case, asked for by its caseworker, approved by a case manager
        // (the approval is the purge: key destroyed, content deleted and zeroed, the WAL emptied).
        let asker = population.workers[min(1, population.workers.count - 1)]
        _ = try await kernel.addUser(
            NewUser(username: "supervisor", role: "case_manager", teamName: "Team \(min(1, population.workers.count - 1) % max(1, population.leads.count))",
                    password: CaseBenchmarks.password), by: .installOperator, requestID: "bench")
        let supervisor = try await kernel.signIn(username: "supervisor", password: CaseBenchmarks.password, requestID: "bench").actor
        var purged: [String] = []
        var cursor: String?
        repeat {
            let page = try await kernel.listCases(CaseFilter(cursor: cursor, limit: 200), actor: asker, requestID: "bench")
            purged += page.cases.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        let (victim, rawVictim) = (purged[purged.count - 1], purged[purged.count - 2])
        let rawPurge = try await Harness.measureOnce("raw SQLite: delete a case's rows, empty the WAL") {
            try await raw.write { db in
                for table in ["case_search", "case_submission", "case_submission_history", "case_state_change", "case_timer", "case_task", "case_member"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE case_id = ?", arguments: [rawVictim])
                }
            }
            try await raw.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let request = try await kernel.requestPurge(caseID: victim, reason: .erasureRequest, actor: asker, requestID: "bench")
        Harness.report(try await Harness.measureOnce("purge a case (key, content, WAL)") {
            _ = try await kernel.decideApproval(caseID: victim, approvalID: request.id, approve: true, comment: nil, actor: supervisor, requestID: "bench")
        }, against: rawPurge)

        // Giving the freed pages back (`amana db vacuum`, on the operator's schedule): the whole file rewritten.
        let rawVacuum = try await measure("raw SQLite: VACUUM", iterations: 1) {
            try await raw.writeWithoutTransaction { db in try db.execute(sql: "VACUUM") }
        }
        Harness.report(try await measure("compaction, amana db vacuum (VACUUM + WAL)", iterations: 1) {
            try await kernel.compactStore(requestID: "bench")
        }, against: rawVacuum)

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var n = 0
        let rawBackup = try await measure("raw SQLite: online backup to a file", iterations: 1) {
            n += 1
            let copy = try DatabaseQueue(path: "\(scratch)/raw-\(n).sqlite")
            try raw.backup(to: copy)
            try copy.close()
            try FileManager.default.removeItem(atPath: "\(scratch)/raw-\(n).sqlite")
        }
        Harness.report(try await measure("backup, encrypted (amana backup)", iterations: 1) {
            n += 1
            _ = try await kernel.backup(to: "\(scratch)/amana-\(n).amana", passphrase: nil, requestID: "bench")
            try FileManager.default.removeItem(atPath: "\(scratch)/amana-\(n).amana")
        }, against: rawBackup)
    }
}
