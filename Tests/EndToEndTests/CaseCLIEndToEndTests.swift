import AmanaCore
import Foundation
import Kernel
import Testing

/// A person at the console: `amana` against one install, signed in through
/// their own session file.
struct Console {
    let data: String
    let sessions = FileManager.default.temporaryDirectory.appendingPathComponent("amana-e2e-\(UUID().uuidString)/state").path

    @discardableResult
    func login(_ username: String, _ password: String) throws -> AmanaBinary.Result {
        try amana(["login", username], input: password + "\n")
    }

    func amana(_ arguments: [String], input: String? = nil) throws -> AmanaBinary.Result {
        try AmanaBinary.run(arguments + ["--data", data], input: input, sessions: sessions)
    }

    /// `amana ... --json`, parsed.
    func json(_ arguments: [String], input: String? = nil) throws -> [String: Any] {
        let result = try amana(arguments + ["--json"], input: input)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// The number of the demo's case of `type` in `state`.
    func demoCase(type: String, state: String) throws -> String {
        let page = try json(["case", "list", "--type", type, "--state", state])
        return try #require((page["cases"] as? [[String: Any]])?.first?["case_number"] as? String)
    }

    func version(of caseNumber: String) throws -> Int {
        let detail = try json(["case", "show", caseNumber])
        return (detail["summary"] as? [String: Any])?["version"] as? Int ?? -1
    }
}

/// Today as the install's clock says it (UTC), for dated answers.
let today: String = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.string(from: Date())
}()

func answers(_ values: [String: JSONValue]) -> String {
    String(decoding: JSONValue.object(values).encoded(), as: UTF8.self)
}

@Suite("End to end: cases, tasks and approvals through the amana CLI", .serialized)
struct CaseCLIEndToEndTests {
    @Test func aCaseFromRegistrationToClosureAndReopening() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let amal = Console(data: data)
        let notSignedIn = try amal.amana(["case", "list"])
        #expect(notSignedIn.status == 5)
        #expect(notSignedIn.stderr.contains("amana login"))
        #expect(try amal.login("amal", "a wrong password").status == 5)
        let signedIn = try amal.login("amal", passwords["amal"] ?? "")
        #expect(signedIn.status == 0, "\(signedIn.stderr)")

        // Register a survivor with consent.
        let opened = try amal.json(["case", "open", "gbv"])
        let number = try #require((opened["summary"] as? [String: Any])?["case_number"] as? String)
        #expect(try amal.amana(["case", "submit", number, "core/consent"], input: answers(DemoAnswers.consent(day: today))).status == 0)
        let registration = answers(DemoAnswers.registration(day: today, givenName: "Huda", familyName: "Console-Example", phone: "0770 123 4567"))
        #expect(try amal.amana(["case", "submit", number, "core/registration"], input: registration).status == 0)
        let steps = try amal.amana(["case", "transition", number])
        #expect(steps.stdout.contains("ready   register"), "\(steps.stdout)")
        let unversioned = try amal.amana(["case", "transition", number, "register"])
        #expect(unversioned.status == 4)
        #expect(unversioned.stderr.contains("--expect-version"))
        #expect(try amal.amana(["case", "transition", number, "register", "--expect-version", "\(try amal.version(of: number))"]).status == 0)

        // A wrong answer: exit 2, every field path, nothing saved.
        let wrong = try amal.amana(["case", "submit", number, "gbv/incident"], input: #"{"incident_date": "last week"}"#)
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("/incident_date"))
        #expect(try amal.amana(["case", "show", number, "--form", "gbv/incident"]).status == 1)
        // A form this programme does not use.
        #expect(try amal.amana(["case", "submit", number, "cp/best-interests"], input: "{}").status != 0)

        // Search by the phone number, from standard input; a note, read back.
        let found = try amal.json(["case", "search", "--field", "phone"], input: "٠٧٧٠-١٢٣-٤٥٦٧\n")
        #expect((found["cases"] as? [[String: Any]])?.compactMap { $0["case_number"] as? String } == [number])
        let note = try amal.amana(["case", "note", number, "--mode", "phone", "--no-person-present"], input: "Called the survivor; she is safe.\n")
        #expect(note.status == 0, "\(note.stderr)")
        let read = try amal.json(["case", "show", number, "--form", "core/case-note", "--entry", "1"])
        #expect((read["values"] as? [String: Any])?["note"] as? String == "Called the survivor; she is safe.")

        // An attachment goes in sealed and comes back out only into a new private file.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amana-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scan = folder.appendingPathComponent("consent-scan.pdf").path
        try Data("%PDF-1.4\n% signed consent\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: scan))
        let attached = try amal.json(["case", "attach", number, scan])
        let attachmentID = try #require(attached["id"] as? String)
        #expect(attached["content_type"] as? String == "application/pdf")
        let copy = folder.appendingPathComponent("copy.pdf").path
        #expect(try amal.amana(["case", "attachment", number, attachmentID, "--output", copy]).status == 0)
        #expect(FileManager.default.contents(atPath: copy) == FileManager.default.contents(atPath: scan))
        #expect((try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int) == 0o600)
        #expect(try amal.amana(["case", "attachment", number, attachmentID, "--output", copy]).status == 4)  // never overwrites
        let archive = folder.appendingPathComponent("documents.zip").path
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: archive))
        let refusedKind = try amal.amana(["case", "attach", number, archive])
        #expect(refusedKind.status == 2)
        #expect(refusedKind.stderr.contains("PDF"))
        #expect(try amal.amana(["case", "attachment", number]).stdout.contains("consent-scan.pdf"))

        // Need-to-know holds at the console too.
        let yusuf = Console(data: data)
        try yusuf.login("yusuf", passwords["yusuf"] ?? "")
        let refused = try yusuf.amana(["case", "show", number])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("No case"))
        let karim = Console(data: data)
        try karim.login("karim", passwords["karim"] ?? "")
        #expect(try karim.amana(["case", "list"]).status == 5)

        // Closure of the demo case in follow-up: the supervisor approves, with four eyes.
        let followUp = try amal.demoCase(type: "gbv", state: "follow_up")
        #expect(try amal.amana(["case", "submit", followUp, "core/closure"], input: answers(DemoAnswers.closure(day: today))).status == 0)
        let asked = try amal.json(["approval", "request", followUp, "close"])
        let approvalID = try #require(asked["id"] as? String)
        #expect(try amal.amana(["approval", "approve", followUp, approvalID]).status == 5)
        let layla = Console(data: data)
        try layla.login("layla", passwords["layla"] ?? "")
        let waiting = try layla.json(["approval", "list"])
        #expect((waiting["approvals"] as? [[String: Any]])?.contains { $0["id"] as? String == approvalID } == true)
        #expect(try layla.amana(["approval", "reject", followUp, approvalID], input: "").status == 2)
        #expect(try layla.amana(["approval", "approve", followUp, approvalID, "--comment", "File reviewed."]).status == 0)
        let closed = try amal.json(["case", "transition", followUp, "close", "--expect-version", "\(try amal.version(of: followUp))"])
        #expect((closed["summary"] as? [String: Any])?["closed"] as? Bool == true)
        // Closed is read-only; reopening needs a reason, given on standard input.
        #expect(try amal.amana(["case", "note", followUp, "--mode", "phone", "--person-present"], input: "x").status == 4)
        let version = try amal.version(of: followUp)
        #expect(try amal.amana(["case", "transition", followUp, "reopen", "--expect-version", "\(version)", "--reason", "-"], input: "\n").status == 2)
        let reopened = try amal.amana(["case", "transition", followUp, "reopen", "--expect-version", "\(version)", "--reason", "-"], input: "New threats reported.\n")
        #expect(reopened.status == 0, "\(reopened.stderr)")
        let shown = try amal.amana(["case", "show", followUp])
        #expect(shown.stdout.contains("reopen: closed -> assessment (reason: New threats reported.)"), "\(shown.stdout)")

        #expect(try amal.amana(["logout"]).status == 0)
        #expect(try amal.amana(["task", "list"]).status == 5)
        #expect(try AmanaBinary.run(["audit", "verify", "--data", data]).status == 0)
    }

    @Test func theAPIAndTheCLIWriteOneCaseFromOneVersionAndNeitherChangeIsLost() async throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let server = try RunningServer(data: data)
        defer { server.stop() }
        let token = try #require(try await server.signIn("amal", passwords["amal"] ?? "").json["token"] as? String)
        let console = Console(data: data)
        try console.login("amal", passwords["amal"] ?? "")
        let number = try console.demoCase(type: "gbv", state: "implementation")
        let listed = try await server.request("GET", "/api/v1/cases?case_number=\(number)", token: token)
        let id = try #require((listed.json["cases"] as? [[String: Any]])?.first?["id"] as? String)

        for round in 1...3 {
            let read = try console.version(of: number)
            // Both read version `read`; both write at once.
            async let fromCLI = Task.detached { try console.amana(["case", "update", number, "--risk", "high", "--expect-version", "\(read)"]) }.value
            async let fromAPI = server.request(
                "PATCH", "/api/v1/cases/\(id)", token: token, body: #"{"risk_level":"low"}"#, headers: ["If-Match": "\"\(read)\""])
            let (cli, api) = try await (fromCLI, fromAPI)
            #expect((cli.status == 0) != (api.status == 200), "round \(round): exactly one wins (CLI \(cli.status), API \(api.status))")
            #expect(cli.status == 0 || cli.status == 4, "\(cli.stderr)")
            #expect(api.status == 200 || api.status == 412)
            let winner = cli.status == 0 ? "high" : "low"
            let after = try await server.request("GET", "/api/v1/cases/\(id)", token: token)
            #expect((after.json["summary"] as? [String: Any])?["risk_level"] as? String == winner)
            #expect(after.headers["etag"] == "\"\(read + 1)\"")

            // The one refused reads again and redoes its change: nothing is lost.
            if cli.status == 0 {
                let retry = try await server.request(
                    "PATCH", "/api/v1/cases/\(id)", token: token, body: #"{"risk_level":"low"}"#, headers: ["If-Match": "\"\(read + 1)\""])
                #expect(retry.status == 200)
            } else {
                #expect(try console.amana(["case", "update", number, "--risk", "high", "--expect-version", "\(read + 1)"]).status == 0)
            }
            #expect(try console.version(of: number) == read + 2)
        }

        // The same for a form's answers: two changes of the registration from one version.
        let form = try await server.request("GET", "/api/v1/cases/\(id)/forms/core/registration", token: token)
        let formVersion = try #require(form.json["version"] as? Int)
        let cliAnswers = answers(DemoAnswers.registration(day: today, givenName: "Salma", familyName: "Console-Change"))
        let apiAnswers = answers(DemoAnswers.registration(day: today, givenName: "Salma", familyName: "API-Change"))
        async let fromCLI = Task.detached {
            try console.amana(["case", "submit", number, "core/registration", "--expect-version", "\(formVersion)"], input: cliAnswers)
        }.value
        async let fromAPI = server.request(
            "PUT", "/api/v1/cases/\(id)/forms/core/registration", token: token, body: apiAnswers, headers: ["If-Match": "\"\(formVersion)\""])
        let (cli, api) = try await (fromCLI, fromAPI)
        #expect((cli.status == 0) != (api.status == 200), "exactly one wins (CLI \(cli.status) \(cli.stderr), API \(api.status))")
        let history = try console.json(["case", "show", number, "--form", "core/registration", "--history"])
        #expect((history["versions"] as? [Any])?.count == formVersion + 1)
    }

    @Test func anAdministratorMakesATeamAndACaseWorkerImportsARegisterFile() throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let console = Console(data: data)
        #expect(try console.amana(["team", "add", "Mobile team", "--agency", "DEMO"]).stdout.contains("Added the team Mobile team to agency DEMO"))
        let duplicate = try console.amana(["team", "add", "mobile TEAM", "--agency", "DEMO"])
        #expect(duplicate.status == 4 && duplicate.stderr.contains("already has a team"))
        #expect(try console.amana(["team", "list"]).stdout.contains("Mobile team"))

        try console.login("amal", passwords["amal"] ?? "")
        let person = { (n: Int) in
            answers(["case_type": "gbv", "forms": .array([
                .object(["form": "core/registration", "answers": .object(DemoAnswers.registration(day: today, givenName: "سارة", familyName: "Import\(n)"))]),
                .object(["form": "core/consent", "answers": .object(DemoAnswers.consent(day: today))]),
            ])])
        }
        let file = data + "/register.jsonl"
        // Line 3 has a sex the lookup does not have: nothing is imported, and the line is named.
        try [person(1), "", person(2).replacingOccurrences(of: "\"female\"", with: "\"fem\""), person(3)].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try console.amana(["case", "import", file])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(file):3: /forms/0/answers/sex"), "\(refused.stderr)")
        #expect((try console.json(["case", "search", "--field", "family_name"], input: "Import1")["cases"] as? [Any])?.isEmpty == true)
        try [person(1), "", person(2), person(3)].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try console.amana(["case", "import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 3 case(s)"))
        let found = try console.json(["case", "search", "--field", "family_name"], input: "Import2")
        #expect((found["cases"] as? [[String: Any]])?.count == 1)
    }
}
