import AmanaCore
import AmanaHTTP
import Foundation
import GRDB
import Hummingbird
import Identity
import Kernel
import Logging
import Synchronization

/// Issue 5's figures: with many cases in the store (100,000 by default), open
/// a case, submit a 50-field form, list "my work" and search by blind index —
/// in process against raw SQLite doing the same reads, and through the HTTP
/// server under concurrent load against a bare route of the same server.
///
/// Every case is made through the Kernel, as a caseworker would: opened, then
/// registered with the 50-field registration form (the shipped form plus an
/// organisation's overlay of 17 questions), each in its own transaction with its
/// audit entry, at `synchronous=FULL`.
enum CaseBenchmarks {
    static let password = "benchmark password, long enough"
    static let concurrency = 8
    /// The organisation's own questions added to the shipped registration form's 33.
    static let extraFields = 17

    static func run(shipped root: String, cases: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("amana-bench-cases-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let layout = InstallLayout(directory: directory)
        _ = try await Kernel.initialize(layout, agencyCode: "BENCH", shippedDirectory: root)
        // The load comes from one address and a few accounts: far over what a person makes.
        try "http:\n  requests_per_minute_per_user: 10000000\n  requests_per_minute_per_address: 10000000\n"
            .write(toFile: layout.config, atomically: true, encoding: .utf8)
        try installOverlay(layout)
        // Argon2id at its minimum cost for the 1,000 benchmark accounts: signing in is not what is measured here.
        let kernel = try Kernel.open(layout, shippedDirectory: root, fastPasswordHashing: true)
        let fields = kernel.definitions.forms["core/registration"]?.allFields.filter { $0.type != .note }.count ?? 0
        precondition(kernel.definitions.errors.isEmpty && fields == 50, "the benchmark registration form should have 50 fields, has \(fields)")

        let population = try await populate(kernel, cases: cases)
        let me = population.workers[0]
        let mine = population.cases.enumerated().filter { $0.offset % population.workers.count == 0 }.map(\.element)
        // My work: 50 open tasks on my cases, half of them overdue.
        let now = Date()
        for (index, caseID) in mine.prefix(50).enumerated() {
            _ = try await kernel.addTask(caseID: caseID, title: "Call back", dueAt: now.addingTimeInterval(Double(index - 25) * 86_400), assignee: nil, actor: me, requestID: "bench")
        }

        print("\nWith \(cases) cases (\(population.workers.count) caseworkers; the one measured holds \(mine.count)):")
        Harness.header()
        try await inProcess(kernel, layout: layout, me: me, mine: mine, population: population)
        try await WholeInstallBenchmarks.run(kernel, layout: layout)
        try await overHTTP(kernel, mine: mine, population: population)
    }

    // MARK: Population

    struct Population {
        var workers: [Actor]
        var cases: [String]  // ids, in order of creation
    }

    static func registration(_ index: Int, day: String) -> [String: JSONValue] {
        var answers = DemoAnswers.registration(day: day, givenName: "Given\(index)", familyName: "Family\(index)", phone: String(format: "0770 %07d", index))
        for n in 1...extraFields { answers["org_item_\(n)"] = n % 3 == 0 ? "yes" : .string("Organisation answer \(n) for case \(index)") }
        return answers
    }

    static func populate(_ kernel: Kernel, cases: Int) async throws -> Population {
        let workerCount = max(1, cases / 100)
        var workers: [Actor] = []
        for n in 0..<workerCount {
            _ = try await kernel.addUser(NewUser(username: "worker\(n)", role: "case_worker", password: password), by: .installOperator, requestID: "bench")
            workers.append(try await kernel.signIn(username: "worker\(n)", password: password, requestID: "bench").actor)
        }
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let clock = ContinuousClock()
        let start = clock.now
        let lanes = 4
        let accounts = workers
        let made = try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var out: [(Int, String)] = []
                    for index in stride(from: lane, to: cases, by: lanes) {
                        let actor = accounts[index % workerCount]
                        let id = try await kernel.openCase(type: "gbv", actor: actor, requestID: "bench").summary.id
                        _ = try await kernel.submitForm(caseID: id, formID: "core/registration", values: registration(index, day: day), expectVersion: nil, actor: actor, requestID: "bench")
                        out.append((index, id))
                        if index % 10_000 == 0, index > 0 {
                            let seconds = (clock.now - start).components.seconds
                            print("  \(index) cases made (\(seconds) s)")
                        }
                    }
                    return out
                }
            }
            var all: [(Int, String)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let elapsed = clock.now - start
        print("Made \(cases) cases through the Kernel in \(elapsed.components.seconds) s (open + a 50-field registration each: two transactions with their audit entries).")
        return Population(workers: workers, cases: made)
    }

    /// An organisation's 17 questions added to the registration form (33 + 17 = 50 fields).
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

    static func inProcess(_ kernel: Kernel, layout: InstallLayout, me: Actor, mine: [String], population: Population) async throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let raw = try DatabaseQueue(path: layout.database, configuration: configuration)
        defer { try? raw.close() }
        let probe = mine[1]

        let rawCase = try await Harness.measureAsync("raw SQLite: a case's rows", iterations: 2_000) {
            try await raw.read { db in
                _ = try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE id = ?", arguments: [probe])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_submission WHERE case_id = ?", arguments: [probe])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_state_change WHERE case_id = ?", arguments: [probe])
                _ = try Row.fetchAll(db, sql: "SELECT * FROM case_task WHERE case_id = ?", arguments: [probe])
            }
        }
        Harness.report(try await Harness.measureAsync("open a case (Kernel.caseDetail)", iterations: 2_000) {
            _ = try await kernel.caseDetail(id: probe, actor: me, requestID: "bench")
        }, against: rawCase)

        try await raw.write { db in try db.execute(sql: "CREATE TABLE bench_blob (id INTEGER PRIMARY KEY, body BLOB)") }
        let body = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0) })
        let rawWrite = try await Harness.measureAsync("raw SQLite: insert a 4 KiB row + commit", iterations: 500) {
            try await raw.write { db in try db.execute(sql: "INSERT INTO bench_blob (body) VALUES (?)", arguments: [body]) }
        }
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        var version = 1
        Harness.report(try await Harness.measureAsync("submit a 50-field form (Kernel.submitForm)", iterations: 500) {
            version = try await kernel.submitForm(
                caseID: mine[0], formID: "core/registration", values: registration(version, day: day), expectVersion: version, actor: me, requestID: "bench").version
        }, against: rawWrite)

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

        let searched = population.workers.count * 7  // one of my cases
        let index = try await raw.read { db in
            try Data.fetchOne(db, sql: "SELECT blind_index FROM case_search WHERE case_id = ? AND field_id = 'family_name'", arguments: [population.cases[searched]])
        }
        let rawSearch = try await Harness.measureAsync("raw SQLite: blind-index lookup + the case", iterations: 2_000) {
            try await raw.read { db in
                let ids = try String.fetchAll(db, sql: "SELECT case_id FROM case_search WHERE field_id = 'family_name' AND blind_index = ?", arguments: [index])
                for id in ids { _ = try Row.fetchOne(db, sql: "SELECT * FROM case_file WHERE id = ?", arguments: [id]) }
            }
        }
        var hits = 0
        Harness.report(try await Harness.measureAsync("search a family name (blind index)", iterations: 2_000) {
            hits = try await kernel.searchCases(value: "family\(searched)", field: "family_name", actor: me, requestID: "bench").count
        }, against: rawSearch)
        precondition(hits == 1, "the search should find exactly one case")
    }

    // MARK: Over HTTP, against a bare route

    static func overHTTP(_ kernel: Kernel, mine: [String], population: Population) async throws {
        let router = buildRouter(kernel: kernel)
        router.get("/bare") { _, _ in "ok" }
        let bound = PortBox()
        var logger = Logger(label: "amana.bench")
        logger.logLevel = .critical  // the server's start and stop lines would break the table
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "Amana"),
            onServerRunning: { channel in await bound.set(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var port = 0
        while port == 0 { try await Task.sleep(for: .milliseconds(20)); port = await bound.port }
        @Sendable func request(_ path: String, method: String = "GET", token: String? = nil, body: [UInt8] = [], headers: [(String, String)] = []) -> LoadRequest {
            var all = headers
            if let token { all.append(("Authorization", "Bearer \(token)")) }
            if !body.isEmpty { all.append(("Content-Type", "application/json")) }
            return LoadRequest(method: method, path: path, headers: all, body: body)
        }
        let signIn = try LoopbackConnection(port: port).send(
            request("/api/v1/sessions", method: "POST", body: Array(#"{"username":"worker0","password":"\#(password)"}"#.utf8)))
        let token = (try JSONSerialization.jsonObject(with: Data(signIn.body)) as? [String: Any])?["token"] as? String ?? ""

        print("\nThrough the HTTP server, \(concurrency) clients at once, each on its own keep-alive connection (client and server share this machine's cores):")
        HTTPLoad.header()
        let reads = Harness.scaled(4_000)
        let bare = try await HTTPLoad.run("bare route (GET /bare)", port: port, requests: reads, concurrency: concurrency) { _, _ in request("/bare") }
        HTTPLoad.report(bare, bare: bare, targetMilliseconds: nil)
        let readable = Array(mine.dropFirst(20))
        let opened = try await HTTPLoad.run("open a case (GET /cases/{id})", port: port, requests: reads, concurrency: concurrency) { client, n in
            request("/api/v1/cases/\(readable[abs(client * 31 + n) % readable.count])", token: token)
        }
        HTTPLoad.report(opened, bare: bare, targetMilliseconds: 20)
        let work = try await HTTPLoad.run("my work (GET /tasks?assignee=me)", port: port, requests: reads, concurrency: concurrency) { _, _ in
            request("/api/v1/tasks?assignee=me", token: token)
        }
        HTTPLoad.report(work, bare: bare, targetMilliseconds: 20)
        let workers = population.workers.count
        let search = try await HTTPLoad.run("search (POST /cases/search)", port: port, requests: reads, concurrency: concurrency) { client, n in
            let k = workers * (abs(client * 17 + n) % (population.cases.count / workers))
            return request("/api/v1/cases/search", method: "POST", token: token, body: Array(#"{"value":"Family\#(k)","field":"family_name"}"#.utf8))
        }
        HTTPLoad.report(search, bare: bare, targetMilliseconds: 20)

        // Writes: each client changes the registration of its own two cases, naming the version it read.
        let writable = Array(mine.dropFirst(2).prefix(concurrency * 2))
        let versions = VersionBook()
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        let submitted = try await HTTPLoad.run("submit a 50-field form (PUT + If-Match)", port: port, requests: Harness.scaled(2_000), concurrency: concurrency, make: { client, n in
            let id = writable[client * 2 + (n & 1)]
            let version = versions.version(id)
            let body = JSONValue.object(registration(version + n, day: day)).encoded()
            return request("/api/v1/cases/\(id)/forms/core/registration", method: "PUT", token: token, body: Array(body), headers: [("If-Match", "\"\(version)\"")])
        }, check: { client, response in
            guard response.status == 200, let tag = response.headers["etag"], let version = Int(tag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))),
                  let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], let id = object["case_id"] as? String
            else { return false }
            versions.set(id, version)
            return true
        })
        HTTPLoad.report(submitted, bare: bare, targetMilliseconds: 50)
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
