import AmanaCore
import AmanaTestSupport
import Foundation
import Kernel
import PostgresStore
import Store
import Testing

/// Several `amana serve` processes over one PostgreSQL database, and an install moved there.
@Suite(
    "End to end: several servers over one PostgreSQL database", .serialized,
    .enabled(if: TestStore.onPostgres, "needs the PostgreSQL server of Tools/test.sh's second run"))
struct PostgresEndToEndTests {
    @Test func twoServersOnTwoPortsServeOneInstallAsOne() async throws {
        let data = temporaryDataDirectory()
        let made = try AmanaBinary.run(["init", "--data", data, "--demo"])
        #expect(made.status == 0, "\(made.stderr)")
        let passwords = demoPasswords(made.stdout)
        let first = try RunningServer(data: data), second = try RunningServer(data: data)
        defer { first.stop(); second.stop() }
        #expect(first.baseURL.port != second.baseURL.port)

        // Signed in on one, known on the other.
        let token = try #require(try await first.signIn("amal", passwords["amal"] ?? "").json["token"] as? String)
        #expect(try await second.request("GET", "/api/v1/me", token: token).status == 200)
        let opened = try await first.request("POST", "/api/v1/cases", token: token, body: #"{"case_type":"gbv"}"#)
        #expect(opened.status == 201)
        let id = try #require((opened.json["summary"] as? [String: Any])?["id"] as? String)
        #expect(try await second.request("GET", "/api/v1/cases/\(id)", token: token).status == 200)
        #expect(try await second.request("PUT", "/api/v1/cases/\(id)/forms/core/consent", token: token, body: answers(DemoAnswers.consent(day: today))).status == 200)
        let registration = "/api/v1/cases/\(id)/forms/core/registration"
        let created = try await first.request("PUT", registration, token: token, body: answers(DemoAnswers.registration(day: today, givenName: "Noor", familyName: "Example")))
        #expect(created.status == 200, "\(created.json)")

        // Ten changes of version 1 at once, five through each server: one is saved, nine get 412.
        let statuses = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for attempt in 0..<10 {
                let server = attempt % 2 == 0 ? first : second
                let name = "Attempt\(attempt)"
                group.addTask {
                    let reply = try await server.request(
                        "PUT", registration, token: token, body: answers(DemoAnswers.registration(day: today, givenName: name, familyName: "Example")),
                        headers: ["If-Match": "\"1\""])
                    return (reply.status, name)
                }
            }
            var all: [(Int, String)] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(statuses.filter { $0.0 == 200 }.count == 1, "\(statuses.map(\.0))")
        #expect(statuses.filter { $0.0 == 412 }.count == 9)
        let winner = statuses.first { $0.0 == 200 }?.1
        for server in [first, second] {
            let form = try await server.request("GET", registration, token: token)
            #expect(form.json["version"] as? Int == 2)
            #expect((form.json["values"] as? [String: Any])?["given_name"] as? String == winner)
        }

        // Signed out on one, refused on both; one audit chain for both.
        #expect(try await second.request("DELETE", "/api/v1/sessions/current", token: token).status == 204)
        #expect(try await first.request("GET", "/api/v1/me", token: token).status == 401)
        let verified = try AmanaBinary.run(["audit", "verify", "--data", data])
        #expect(verified.status == 0 && verified.stdout.contains("OK"), "\(verified.stdout)\(verified.stderr)")
    }

    @Test func anInstallMovedFromSQLiteServesFromPostgreSQL() async throws {
        let data = temporaryDataDirectory()
        let made = try AmanaBinary.run(["init", "--data", data, "--demo", "--store", "sqlite"])
        #expect(made.status == 0, "\(made.stderr)")
        let passwords = demoPasswords(made.stdout)
        let target = try #require(try TestStore.freshForCommandLine())

        let moved = try AmanaBinary.run(["migrate-store", "--data", data, "--from", "sqlite", "--to", target])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("audit chain: OK"))
        #expect(!moved.stdout.contains("amana-test"), "the password is not printed")
        #expect(try InstallDatabase.address(ofInstall: data).database == (try PostgresConnectionURL(target)).database, "config.yaml names the new store")
        // Moving again finds the install already there.
        let again = try AmanaBinary.run(["migrate-store", "--data", data, "--to", target])
        #expect(again.status == 2 && again.stderr.contains("already keeps its records in PostgreSQL"), "\(again.stderr)")

        #expect(try AmanaBinary.run(["db", "check", "--data", data]).status == 0)
        let server = try RunningServer(data: data)
        defer { server.stop() }
        let token = try #require(try await server.signIn("amal", passwords["amal"] ?? "").json["token"] as? String)
        let cases = try await server.request("GET", "/api/v1/cases", token: token)
        #expect(cases.status == 200 && ((cases.json["cases"] as? [Any])?.count ?? 0) > 0)
    }
}
