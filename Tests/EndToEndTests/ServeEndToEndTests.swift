import Foundation
import Testing

@Suite("End to end: the amana binary serving an install", .serialized)
struct ServeEndToEndTests {
    @Test func initServeSignInMeSignOut() async throws {
        let data = temporaryDataDirectory()
        let initialised = try AmanaBinary.run(["init", "--data", data, "--demo"])
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let passwords = demoPasswords(initialised.stdout)
        #expect(passwords.count == 10)
        let server = try RunningServer(data: data)
        defer { server.stop() }

        #expect(try await server.request("GET", "/health").status == 200)
        let signIn = try await server.signIn("amal", passwords["amal"] ?? "")
        #expect(signIn.status == 201)
        let token = try #require(signIn.json["token"] as? String)
        let me = try await server.request("GET", "/api/v1/me", token: token)
        #expect(me.status == 200)
        #expect(me.json["username"] as? String == "amal")
        #expect(me.headers["x-request-id"]?.count == 32)
        #expect(try await server.request("DELETE", "/api/v1/sessions/current", token: token).status == 204)
        let refused = try await server.request("GET", "/api/v1/me", token: token)
        #expect(refused.status == 401)
        #expect(refused.headers["content-type"] == "application/problem+json")
    }

    /// After a change of definitions every report digest is out of force: the server makes them
    /// again when it starts, so that the first report need not read every case's forms.
    @Test func theServerMakesReportDigestsWhenItStarts() async throws {
        let data = temporaryDataDirectory()
        #expect(try AmanaBinary.run(["init", "--data", data, "--demo"]).status == 0)
        let log = data + "/serve.log"
        let server = try RunningServer(data: data, errorLog: log)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("report digests made") {
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(said.range(of: #"made=\d+.*report digests made"#, options: .regularExpression) != nil, "\(said)")
        let again = try AmanaBinary.run(["db", "digests", "--data", data])
        #expect(again.status == 0 && again.stdout.contains("Report digests made: 0."), "the server made every case's: \(again.stdout)")
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let server = try RunningServer(data: data)
        defer { server.stop() }
        var statuses: [Int] = []
        for _ in 1...5 { statuses.append(try await server.signIn("layla", "a wrong password").status) }
        #expect(statuses == [401, 401, 401, 401, 429])
        let locked = try await server.signIn("layla", passwords["layla"] ?? "")
        #expect(locked.status == 429)
        #expect(Int(locked.headers["retry-after"] ?? "") ?? 0 > 800)
        // An unknown username behaves the same way.
        var ghost: [Int] = []
        for _ in 1...5 { ghost.append(try await server.signIn("nobody-at-all", "a wrong password").status) }
        #expect(ghost == statuses)
        // Other accounts are unaffected.
        #expect(try await server.signIn("amal", passwords["amal"] ?? "").status == 201)
    }

    @Test func theCLIAndTheServerWorkOnOneInstallAtOnce() async throws {
        let data = temporaryDataDirectory()
        let passwords = demoPasswords(try AmanaBinary.run(["init", "--data", data, "--demo"]).stdout)
        let server = try RunningServer(data: data)
        defer { server.stop() }
        let token = try #require(try await server.signIn("sara", passwords["sara"] ?? "").json["token"] as? String)
        #expect(try await server.request("GET", "/api/v1/me", token: token).status == 200)

        // While the server runs, the console disables sara: her session ends at once.
        let disabled = try AmanaBinary.run(["user", "disable", "sara", "--data", data])
        #expect(disabled.status == 0, "\(disabled.stderr)")
        #expect(try await server.request("GET", "/api/v1/me", token: token).status == 401)

        // And adds an account that can sign in through the server straight away.
        let added = try AmanaBinary.run(["user", "add", "--data", data, "--username", "fatima", "--role", "case_worker", "--agency", "DEMO", "--team", "GBV team", "--password-stdin"], input: "fatima's long password\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try await server.signIn("fatima", "fatima's long password").status == 201)
        let listed = try AmanaBinary.run(["user", "list", "--data", data])
        #expect(listed.stdout.contains("fatima"))
        #expect(listed.stdout.contains("disabled"))

        let verified = try AmanaBinary.run(["audit", "verify", "--data", data])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("audit chain: OK"))
    }
}
