import AmanaCore
import FormKit
import Foundation
import GRDB
import Kernel

/// One operation in a loop over a small caseload, for a profiler to look at
/// (`perf record -g amana-bench profile read`): nothing else runs meanwhile.
enum ProfileLoop {
    /// - Parameter count: for `import`, `statistics` and `http`, the cases (3,000, 10,000 and
    ///   10,000 unless given); for the others, how many times the operation runs (5,000, or
    ///   2,000 submissions), over 200 cases. Timed as a whole (`/usr/bin/time`), a few hundred
    ///   and then none: the difference is what the operation costs, without the install's setting up.
    static func run(shipped root: String, what: String, count: Int?) async throws {
        let cases = count ?? (what == "import" ? 3_000 : 10_000)
        let repeats = count ?? (what == "submit" ? 2_000 : 5_000)
        if what == "validate" {
            // The 100-field form of the foundation's benchmark, validated 50,000 times.
            let (validator, submission, _) = try DefinitionBenchmarks.hundredFieldForm()
            let today = Day(year: 2026, month: 11, day: 25)!
            let elapsed = ContinuousClock().measure {
                for _ in 0..<50_000 { precondition(validator.validate(submission, today: today).isValid) }
            }
            return print("profile validate: \(elapsed / 50_000) a validation")
        }
        let install = try await BenchmarkInstall("profile", shipped: root)
        defer { install.remove() }
        let (layout, kernel) = (install.layout, install.kernel)
        if what == "http" { return try await overHTTP(kernel, layout: layout, cases: cases) }
        _ = try await kernel.addUser(NewUser(username: "worker", role: "case_worker", password: CaseBenchmarks.password), by: .installOperator, requestID: "profile")
        let me = try await kernel.signIn(username: "worker", password: CaseBenchmarks.password, requestID: "profile").actor
        let synthetic = SyntheticCaseload(seed: CaseBenchmarks.seed, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        if what == "statistics" {
            // A programme manager's table over COUNT cases: once from the forms, then from the digests
            // (twenty times on a small caseload, twice on a large one).
            for start in stride(from: 0, to: cases, by: 10_000) {
                _ = try await kernel.importCases((start..<min(start + 10_000, cases)).map(synthetic.person), actor: me, requestID: "profile")
            }
            _ = try await kernel.addUser(NewUser(username: "manager", role: "programme_manager", password: CaseBenchmarks.password), by: .installOperator, requestID: "profile")
            let manager = try await kernel.signIn(username: "manager", password: CaseBenchmarks.password, requestID: "profile").actor
            let table = StatisticsRequest(form: "core/registration", rows: "sex", columns: "governorate")
            let runs = cases > 10_000 ? 2 : 20
            let clock = ContinuousClock()
            let first = try await clock.measure { _ = try await kernel.statistics(table, actor: manager, requestID: "profile") }
            // As after a change of definitions: no digest in force.
            func forgetDigests() async throws {
                let raw = try DatabaseQueue(path: layout.database)
                try await raw.write { db in try db.execute(sql: "DELETE FROM case_report_digest") }
                try raw.close()
            }
            // Every case's forms read again, and digests kept.
            try await forgetDigests()
            let fromForms = try await clock.measure { _ = try await kernel.statistics(table, actor: manager, requestID: "profile") }
            // As `amana serve` after a change of definitions: the digests made ahead of any report.
            try await forgetDigests()
            let ahead = try await clock.measure { _ = try await kernel.makeReportDigests(by: "system", requestID: "profile") }
            let elapsed = try await clock.measure {
                for _ in 0..<runs { _ = try await kernel.statistics(table, actor: manager, requestID: "profile") }
            }
            return print(
                "profile statistics, \(cases) cases: the first report after the import \(first) (\(first / cases) a case, from the import's digests); "
                    + "without digests \(fromForms) (\(fromForms / cases) a case, from the forms); "
                    + "digests made ahead \(ahead) (\(ahead / cases) a case); "
                    + "then \(elapsed / runs) a report (\(elapsed / (runs * cases)) a case, from the digests)")
        }
        if what != "import" { _ = try await kernel.importCases((0..<200).map(synthetic.person), actor: me, requestID: "profile") }
        let ids = try await kernel.listCases(CaseFilter(limit: 200), actor: me, requestID: "profile").cases.map(\.id)
        if what == "mywork" { try await CaseBenchmarks.giveWork(kernel, on: ids, to: me) }
        let clock = ContinuousClock()
        let cpuBefore = processCPUTime()
        let elapsed = try await clock.measure {
            switch what {
            case "submit":
                for n in 0..<repeats {
                    let id = ids[n % ids.count]
                    let version = try await kernel.readSubmission(caseID: id, formID: "core/registration", actor: me, requestID: "profile").version
                    _ = try await kernel.submitForm(
                        caseID: id, formID: "core/registration", values: synthetic.person(n).entries[0].values, expectVersion: version, actor: me, requestID: "profile")
                }
            case "import":
                _ = try await kernel.importCases((0..<cases).map(synthetic.person), actor: me, requestID: "profile")
            case "list":
                for _ in 0..<repeats { _ = try await kernel.listCases(CaseFilter(limit: 50), actor: me, requestID: "profile") }
            case "search":
                // What a caseworker types in the search box: every identifying field is searched.
                for n in 0..<repeats { _ = try await kernel.searchCases(value: SyntheticCaseload.phone(n % 200), actor: me, requestID: "profile") }
            case "mywork":
                for _ in 0..<repeats { _ = try await kernel.myWork(actor: me, requestID: "profile") }
            default:
                for n in 0..<repeats { _ = try await kernel.caseDetail(id: ids[n % ids.count], actor: me, requestID: "profile") }
            }
        }
        // The process's CPU time for the loop alone: what a change costs or saves, without the
        // closed loop's waits on the disk's flush. The user part is the steadier: the kernel's
        // part is mostly the flushes, which vary from run to run on this machine's disk.
        let cpu = processCPUTime()
        let (user, system) = (cpu.user - cpuBefore.user, cpu.system - cpuBefore.system)
        let operations = Double(what == "import" ? cases : repeats)
        print(
            "profile \(what): \(elapsed); CPU an operation: "
                + String(format: "%.1f µs user, %.1f µs system", user * 1e6 / operations, system * 1e6 / operations))
    }

    /// User and system CPU seconds of every thread of this process so far.
    static func processCPUTime() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// `profile http [COUNT]`: the benchmark's caseload of COUNT cases, then its HTTP phase (a case
    /// read, the list of a caseworker's cases, their work, a search, a form submitted and a case
    /// opened) with 8 and then 32 clients: for a profile of the server under concurrent load
    /// (`perf record -g -p PID` once the load starts; `--call-graph dwarf` to see into libsqlite3).
    static func overHTTP(_ kernel: Kernel, layout: InstallLayout, cases: Int) async throws {
        let population = try await CaseBenchmarks.populate(kernel, layout: layout, cases: cases)
        try await CaseBenchmarks.giveWork(kernel, on: population.mine, to: population.workers[0])
        let served = try await ServedInstall.start(kernel)
        defer { served.stop() }
        let versions = VersionBook()
        try DiskFlush.report(in: layout.directory)
        for clients in [8, 32] {
            _ = try await CaseBenchmarks.endpoints(served, population: population, clients: clients, versions: versions)
        }
    }
}
