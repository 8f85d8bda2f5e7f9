import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Teams over HTTP: an administrator makes them in their agency and sees them with their members.
@Suite("Team routes")
struct TeamRouteTests {
    @Test func anAdministratorMakesATeamAndGivesItAccounts() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let admin = try await client.signIn("admin", password: passwords["admin"]!)
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let made = try await client.json("/api/v1/teams", .post, token: admin, body: #"{"name": "  Outreach team "}"#)
            #expect(made.status == .created, "\(made.object)")
            #expect(made.object["name"] as? String == "Outreach team" && made.object["agency"] as? String == "ACME" && made.object["members"] as? Int == 0)
            let again = try await client.json("/api/v1/teams", .post, token: admin, body: #"{"name": "outreach TEAM"}"#)
            #expect(again.status == .conflict && again.object["code"] as? String == "team-exists")
            let blank = try await client.json("/api/v1/teams", .post, token: admin, body: #"{"name": " "}"#)
            #expect(blank.status == .unprocessableContent && (blank.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/name")
            let unnamed = try await client.json("/api/v1/teams", .post, token: admin, body: #"{"agency": "ACME"}"#)
            #expect(unnamed.status == .badRequest && (unnamed.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/name")
            // Another agency's teams are its own administrators' to make.
            #expect(try await client.json("/api/v1/teams", .post, token: admin, body: #"{"name": "X", "agency": "PARTNER"}"#).status == .forbidden)
            // A case worker manages no accounts, so no teams.
            #expect(try await client.json("/api/v1/teams", .post, token: amal, body: #"{"name": "Mine"}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/teams", .get, token: amal).status == .forbidden)

            let user = #"{"username": "noor", "role": "case_worker", "team": "Outreach team", "password": "a long password!"}"#
            #expect(try await client.json("/api/v1/users", .post, token: admin, body: user).status == .created)
            let teams = try await client.json("/api/v1/teams", .get, token: admin)
            let listed = try #require(teams.object["teams"] as? [[String: Any]])
            #expect(listed.first { $0["name"] as? String == "Outreach team" }?["members"] as? Int == 1)
            #expect(listed.allSatisfy { $0["agency"] as? String == "ACME" }, "only the teams of the agency the administrator manages")
        }
    }
}
