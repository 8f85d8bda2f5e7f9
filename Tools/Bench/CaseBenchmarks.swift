import AmanaCore
import AmanaHTTP
import Foundation
import GRDB
import Hummingbird
import Identity
import Kernel
import Logging
import Synchronization

/// The case file at scale (100,000 cases by default): the cases are imported
/// through the Kernel, as an organisation moving from paper or another system
/// would (`amana case import`), then everything a caseworker, a supervisor and
/// a programme manager wait for is measured — in process against raw SQLite
/// doing the same reads, and through the HTTP server under concurrent load
/// against a bare route of the same server.
///
/// Every case is opened, registered with the 50-field registration form (the
/// shipped form plus an organisation's overlay of 17 questions) and given a
/// consent form, each step with its audit entry, the three in one transaction, at
/// `synchronous=FULL`. The people are generated (``SyntheticCaseload``):
/// Arabic and Latin names, a fixed seed.
enum CaseBenchmarks {
    static let password = "benchmark password, long enough"
    static let concurrency = 8
    /// The organisation's own questions added to the shipped registration form's 33.
    static let extraFields = 17
    static let seed: UInt64 = 20_261_129

    static func run(shipped root: String, cases: Int) async throws {
        Harness.cases = cases
        let install = try await BenchmarkInstall("cases", shipped: root)
        defer { install.remove() }
        let (layout, kernel) = (install.layout, install.kernel)
        let fields = kernel.definitions.forms["core/registration"]?.allFields.filter { $0.type != .note }.count ?? 0
        precondition(kernel.definitions.errors.isEmpty && fields == 50, "the benchmark registration form should have 50 fields, has \(fields)")

        var population = try await populate(kernel, layout: layout, cases: cases)
        population.rawImport = try await rawCommits(layout, commits: 1)
        let bulkCount = min(cases, 100_000)
        let bulk = try await bulkImport(shipped: root, cases: bulkCount)
        let me = population.workers[0]
        try await giveWork(kernel, on: population.mine, to: me)

        print("\nWith \(cases) cases (\(population.workers.count) caseworkers in \(population.leads.count) teams; the one measured holds \(population.mine.count)):")
        Harness.header()
        Harness.report(population.importing, against: population.rawImport)
        Harness.report(bulk, against: population.rawImport)
        Harness.target(
            "import of \(bulkCount) cases in one call (amana case import)", seconds: bulk.nanosecondsPerOperation * Double(bulkCount) / 1e9,
            under: bulkCount >= 100_000 ? 60 : nil, per: "100,000 cases in 60 s")
        try await inProcess(kernel, layout: layout, me: me, population: population)
        try await WholeInstallBenchmarks.run(kernel, layout: layout, population: population)
        try await overHTTP(kernel, population: population)
        try await ServerMemory.measure(layout: layout, population: population)
    }

    // MARK: Population

    struct Population {
        var workers: [Actor]
        /// One team lead per team.
        var leads: [Actor]
        /// Worker 0's cases, newest last.
        var mine: [String]
        var cases: Int
        /// Per case, through `Kernel.importCases`, and raw SQLite writing the same number of commits (set by the caller).
        var importing: Measurement
        var rawImport: Measurement
    }

    static func populate(_ kernel: Kernel, layout: InstallLayout, cases: Int) async throws -> Population {
        // A caseworker holds about 100 cases; a team has 10 caseworkers and a team lead.
        let workerCount = max(1, cases / 100)
        let teamCount = max(1, workerCount / 10)
        var leads: [Actor] = []
        for t in 0..<teamCount {
            _ = try await kernel.addTeam(name: "Team \(t)", agencyCode: nil, by: .installOperator, requestID: "bench")
            _ = try await kernel.addUser(NewUser(username: "lead\(t)", role: "team_lead", teamName: "Team \(t)", password: password), by: .installOperator, requestID: "bench")
            leads.append(try await kernel.signIn(username: "lead\(t)", password: password, requestID: "bench").actor)
        }
        var workers: [Actor] = []
        for n in 0..<workerCount {
            _ = try await kernel.addUser(NewUser(username: "worker\(n)", role: "case_worker", teamName: "Team \(n % teamCount)", password: password), by: .installOperator, requestID: "bench")
            workers.append(try await kernel.signIn(username: "worker\(n)", password: password, requestID: "bench").actor)
        }
        let synthetic = SyntheticCaseload(seed: seed, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        let clock = ContinuousClock()
        let start = clock.now
        // Each caseworker imports their cases ten at a time, eight caseworkers at once: the
        // cases of one person are spread over the whole file, as they are after years of work.
        // The ten are saved at once (80 cases in flight, as `amana case import` has 64).
        let rounds = (cases + workerCount * 10 - 1) / (workerCount * 10)
        let accounts = workers
        let made = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    for round in 0..<rounds {
                        for w in stride(from: lane, to: workerCount, by: concurrency) {
                            let indices = (0..<10).map { w + workerCount * (round * 10 + $0) }.filter { $0 < cases }
                            if indices.isEmpty { continue }
                            let report = try await kernel.importCases(indices.map(synthetic.person), actor: accounts[w], lanes: 10, requestID: "bench")
                            precondition(report.unfinished.isEmpty, "every generated case imports: \(report.unfinished)")
                            let total = made.add(indices.count)
                            if total / 50_000 != (total - indices.count) / 50_000 {
                                print("  \(total / 50_000 * 50_000) cases imported (\((clock.now - start).components.seconds) s)")
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        print("Imported \(cases) cases through Kernel.importCases in \(String(format: "%.1f", seconds)) s (\(Int(Double(cases) / seconds)) a second; each opened, registered and given consent: one transaction with three audit entries).")
        // Worker 0's own cases, oldest first, through the Kernel (whichever store holds them).
        var mine: [String] = []
        var cursor: String?
        repeat {
            let page = try await kernel.listCases(CaseFilter(cursor: cursor, limit: 100), actor: workers[0], requestID: "bench")
            mine += page.cases.filter { $0.owner == "worker0" }.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        let importing = Measurement(name: "import a case (open, register, consent)", nanosecondsPerOperation: seconds * 1e9 / Double(cases))
        return Population(workers: workers, leads: leads, mine: mine.reversed(), cases: cases, importing: importing, rawImport: importing)
    }

    /// My work: 50 open tasks for `worker` on the first 50 of their `cases`, half of them overdue.
    static func giveWork(_ kernel: Kernel, on cases: [String], to worker: Actor) async throws {
        let now = Date()
        for (index, caseID) in cases.prefix(50).enumerated() {
            _ = try await kernel.addTask(
                caseID: caseID, title: "Call back", dueAt: now.addingTimeInterval(Double(index - 25) * 86_400), assignee: nil, actor: worker, requestID: "bench")
        }
    }

    /// A search by phone number, as the search box sends it, for one of worker0's cases: which one
    /// turns with the client and its request (`client`, `n`), so that the searches spread over them.
    static func phoneSearch(in population: Population, client: Int, n: Int, token: String) -> LoadRequest {
        let workers = population.workers.count
        let k = workers * (abs(client * 17 + n) % max(1, population.cases / workers))
        return ServedInstall.request("/api/v1/cases/search", "POST", token, Array(#"{"value":"\#(SyntheticCaseload.phone(k))","field":"phone"}"#.utf8), [])
    }

    /// An organisation's 17 questions added to the registration form (33 + 17 = 50 fields).
    /// The benchmark install's config: the load comes from one address and a few accounts, far
    /// over what a person makes, so the request rates are not limited.
    static func writeConfig(_ layout: InstallLayout, store: String? = nil) throws {
        try ((store.map { "store: \($0)\n" } ?? "") + "http:\n  requests_per_minute_per_user: 10000000\n  requests_per_minute_per_address: 10000000\n")
            .write(toFile: layout.config, atomically: true, encoding: .utf8)
    }

    static func installOverlay(_ layout: InstallLayout) throws {
        let plugin = layout.pluginsDirectory + "/bench-org"
        try FileManager.default.createDirectory(atPath: plugin + "/overlays", withIntermediateDirectories: true)
        try """
            id: bench-org
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: An organisation's own registration fields, ar: حقول التسجيل الخاصة بالمنظمة}
            uses: [core/registration, core/yes-no-unknown]
            overlays: [overlays/*.yaml]
            """.write(toFile: plugin + "/plugin.yaml", atomically: true, encoding: .utf8)
        let fields = (1...extraFields).map { n in
            n % 3 == 0
                ? "      - {id: org_item_\(n), type: select, lookup: core/yes-no-unknown, sensitivity: internal, label: {en: Question \(n), ar: سؤال \(n)}}"
                : "      - {id: org_item_\(n), type: text, max_length: 200, sensitivity: sensitive, label: {en: Question \(n), ar: سؤال \(n)}}"
        }.joined(separator: "\n")
        try """
            overlay: core/registration
            version: 1
            add:
              - section:
                  id: organisation
                  title: {en: Organisation's questions, ar: أسئلة المنظمة}
                  fields:
            \(fields.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            """.write(toFile: plugin + "/overlays/registration.yaml", atomically: true, encoding: .utf8)
    }

    // MARK: In process, against raw SQLite

    static func inProcess(_ kernel: Kernel, layout: InstallLayout, me: Actor, population: Population) async throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let raw = try DatabaseQueue(path: layout.database, configuration: configuration)
        defer { try? raw.close() }
        let mine = population.mine
        let probe = mine[60]

        // A case read's rows, as raw SQLite reads them: no decryption, no validation, no audit.
        func rawRead(_ id: String) async throws {
            try await raw.read { db in
                _ = try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE id = ?", arguments: [id])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_submission WHERE case_id = ?", arguments: [id])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_state_change WHERE case_id = ?", arguments: [id])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_task WHERE case_id = ?", arguments: [id])
            }
        }
        let rawCase = try await Harness.measureAsync("raw SQLite: a case's rows", iterations: 2_000) { try await rawRead(probe) }
        Harness.report(try await Harness.measureAsync("open a case (Kernel.caseDetail)", iterations: 2_000) {
            _ = try await kernel.caseDetail(id: probe, actor: me, requestID: "bench")
        }, against: rawCase)
        let gathered = mine[61]
        let entries = try await GatheredCase.walk(kernel, id: gathered, actor: me, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        let rawGathered = try await Harness.measureAsync("raw SQLite: the rows of a case with \(entries) forms", iterations: 2_000) { try await rawRead(gathered) }
        Harness.report(try await Harness.measureAsync("open a case holding \(entries) forms", iterations: 2_000) {
            _ = try await kernel.caseDetail(id: gathered, actor: me, requestID: "bench")
        }, against: rawGathered)

        let body = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0) })
        let rawWrite = try await Harness.measureAsync("raw SQLite: insert a 4 KiB row + commit", iterations: 500) {
            try await raw.write { db in try db.execute(sql: "INSERT INTO bench_blob (body) VALUES (?)", arguments: [body]) }
        }
        let synthetic = SyntheticCaseload(seed: seed, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        var version = 1
        Harness.report(try await Harness.measureAsync("submit a 50-field form (Kernel.submitForm)", iterations: 500) {
            version = try await kernel.submitForm(
                caseID: mine[0], formID: "core/registration", values: synthetic.person(version).entries[0].values, expectVersion: version, actor: me,
                requestID: "bench").version
        }, against: rawWrite)

        let owner = me.userID.rawValue
        let rawList = try await Harness.measureAsync("raw SQLite: my 50 newest cases", iterations: 2_000) {
            try await raw.read { db in
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_file WHERE owner_id = ? ORDER BY rowid DESC LIMIT 50", arguments: [owner])
            }
        }
        Harness.report(try await Harness.measureAsync("list my cases (first page of 50)", iterations: 2_000) {
            _ = try await kernel.listCases(CaseFilter(limit: 50), actor: me, requestID: "bench")
        }, against: rawList)

        let rawWork = try await Harness.measureAsync("raw SQLite: my open tasks with their cases", iterations: 2_000) {
            try await raw.read { db in
                _ = try Row.fetchAll(
                    db, sql: "SELECT t.*, c.* FROM case_task t JOIN case_file c ON c.id = t.case_id WHERE t.assignee_id = ? AND t.status = 'open' ORDER BY t.due_at",
                    arguments: [me.userID.rawValue])
            }
        }
        Harness.report(try await Harness.measureAsync("my work (50 tasks)", iterations: 2_000) {
            _ = try await kernel.myWork(actor: me, requestID: "bench")
        }, against: rawWork)

        // One of my cases, by its phone number (every case has its own).
        let searched = population.workers.count * 7
        let index = try await raw.read { db in
            try Data.fetchOne(db, sql: "SELECT blind_index FROM case_search WHERE field_id = 'phone' AND case_id = ?", arguments: [mine[7]])
        }
        let rawSearch = try await Harness.measureAsync("raw SQLite: blind-index lookup + the case", iterations: 2_000) {
            try await raw.read { db in
                let ids = try String.fetchAll(db, sql: "SELECT case_id FROM case_search WHERE field_id = 'phone' AND blind_index = ?", arguments: [index])
                for id in ids { _ = try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE id = ?", arguments: [id]) }
            }
        }
        var hits = 0
        let search = try await Harness.measureAsync("search a phone number (blind index)", iterations: 2_000) {
            hits = try await kernel.searchCases(value: SyntheticCaseload.phone(searched), field: "phone", actor: me, requestID: "bench").count
        }
        Harness.report(search, against: rawSearch)
        precondition(hits == 1, "the search should find exactly one case, found \(hits)")
        Harness.target("search by blind index", seconds: search.nanosecondsPerOperation / 1e9, under: population.cases >= 1_000_000 ? 0.005 : nil, per: "5 ms at 1M cases")
    }

    // MARK: Over HTTP, against a bare route

    static func overHTTP(_ kernel: Kernel, population: Population) async throws {
        let served = try await ServedInstall.start(kernel)
        defer { served.stop() }
        let versions = VersionBook()
        try DiskFlush.report(in: kernel.layout.directory)
        for clients in [concurrency, 32] {
            print("\nThrough the HTTP server, \(clients) clients at once, each on its own keep-alive connection (client and server share this machine's cores):")
            let results = try await endpoints(served, population: population, clients: clients, versions: versions)
            let bare = results[0]
            if let opened = results.first(where: { $0.name.hasPrefix("open a case") }) {
                Harness.target(
                    "authenticated case read, throughput vs the bare route (\(clients) clients)", ratio: opened.requestsPerSecond / bare.requestsPerSecond, atLeast: 0.6)
            }
        }
        try WrkLoad.run(port: served.port, token: served.token, caseIDs: Array(population.mine.dropFirst(20)))
    }

    /// The case endpoints under `clients` clients at once, the bare route first. Each one's line
    /// (with its p99 target) is printed as soon as its load ends, so that a profiler can be
    /// started on one of them.
    static func endpoints(_ served: ServedInstall, population: Population, clients: Int, versions: VersionBook) async throws -> [LoadResult] {
        let port = served.port, token = served.token
        let request = ServedInstall.request
        let mine = population.mine
        let readable = Array(mine.dropFirst(20))
        let synthetic = SyntheticCaseload(seed: seed, day: String(ISO8601DateFormatter().string(from: Date()).prefix(10)))
        let reads = Harness.scaled(clients * 500)
        var results: [LoadResult] = []
        func measure(
            _ name: String, requests: Int, target: Double?, make: @escaping @Sendable (Int, Int) -> LoadRequest,
            check: @escaping @Sendable (Int, LoadResponse) -> Bool = HTTPLoad.succeeded
        ) async throws {
            let result = try await HTTPLoad.run(name, port: port, requests: requests, concurrency: clients, make: make, check: check)
            results.append(result)
            HTTPLoad.report(result, bare: results[0], targetMilliseconds: target)
        }
        HTTPLoad.header()
        try await measure("bare route (GET /bare)", requests: reads, target: nil) { _, _ in request("/bare", "GET", nil, [], []) }
        try await measure("open a case (GET /cases/{id})", requests: reads, target: 20) { client, n in
            request("/api/v1/cases/\(readable[abs(client * 31 + n) % readable.count])", "GET", token, [], [])
        }
        try await measure("list my cases (GET /cases?limit=50)", requests: reads, target: 20) { _, _ in
            request("/api/v1/cases?limit=50", "GET", token, [], [])
        }
        try await measure("my work (GET /tasks?assignee=me)", requests: reads, target: 20) { _, _ in
            request("/api/v1/tasks?assignee=me", "GET", token, [], [])
        }
        try await measure("search a phone (POST /cases/search)", requests: reads, target: 20) { client, n in
            phoneSearch(in: population, client: client, n: n, token: token)
        }
        // Writes: each client changes the registration of its own two cases, naming the version it read.
        let writable = Array(mine.dropFirst(2).prefix(clients * 2))
        try await measure("submit a 50-field form (PUT + If-Match)", requests: Harness.scaled(clients * 250), target: 50, make: { client, n in
            let id = writable[client * 2 + (n & 1)]
            let version = versions.version(id)
            let body = JSONValue.object(synthetic.person(version + n).entries[0].values).encoded()
            return request("/api/v1/cases/\(id)/forms/core/registration", "PUT", token, Array(body), [("If-Match", "\"\(version)\"")])
        }, check: { client, response in
            guard response.status == 200, let tag = response.headers["etag"], let version = Int(tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))),
                  let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], let id = object["case_id"] as? String
            else { return false }
            versions.set(id, version)
            return true
        })
        try await measure("open a new case (POST /cases)", requests: Harness.scaled(clients * 50), target: 50) { _, _ in
            request("/api/v1/cases", "POST", token, Array(#"{"case_type":"gbv"}"#.utf8), [])
        }
        return results
    }
}

/// The install's API on a loopback port of this process (with a bare route beside it),
/// and worker0 signed in.
struct ServedInstall {
    let port: Int
    let token: String
    let server: Task<Void, any Error>

    static func start(_ kernel: Kernel, username: String = "worker0") async throws -> ServedInstall {
        let router = buildRouter(kernel: kernel)
        router.get("/bare") { _, _ in "ok" }
        let bound = PortBox()
        var logger = Logger(label: "amana.bench")
        logger.logLevel = .critical  // the server's start and stop lines would break the table
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Amana"),
            onServerRunning: { channel in await bound.set(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.runService() }
        var port = 0
        while port == 0 { try await Task.sleep(for: .milliseconds(20)); port = await bound.port }
        let signIn = try LoopbackConnection(port: port).send(
            request("/api/v1/sessions", "POST", nil, Array(#"{"username":"\#(username)","password":"\#(CaseBenchmarks.password)"}"#.utf8), []))
        let token = (try JSONSerialization.jsonObject(with: Data(signIn.body)) as? [String: Any])?["token"] as? String ?? ""
        return ServedInstall(port: port, token: token, server: server)
    }

    func stop() { server.cancel() }

    @Sendable static func request(_ path: String, _ method: String, _ token: String?, _ body: [UInt8], _ headers: [(String, String)]) -> LoadRequest {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if !body.isEmpty { all.append(("Content-Type", "application/json")) }
        return LoadRequest(method: method, path: path, headers: all, body: body)
    }
}

/// The port the server bound, once it has.
actor PortBox {
    var port = 0
    func set(_ value: Int) { port = value }
}

/// The version each case's registration is at, as the server last said.
final class VersionBook: Sendable {
    private let versions = Mutex<[String: Int]>([:])
    func version(_ id: String) -> Int { versions.withLock { $0[id] ?? 1 } }
    func set(_ id: String, _ version: Int) { versions.withLock { $0[id] = version } }
}
