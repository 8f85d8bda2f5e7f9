import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Transfers between colleagues over HTTP on the demo install.
@Suite("Transfer routes")
struct TransferRouteTests {
    @Test func anAcceptanceAfterConsentWasWithdrawnIsAConflictNamingWhatIsMissing() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let rania = try await client.signIn("rania", password: passwords["rania"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=follow_up", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            // Rania works for another agency: the survivor's consent to share with it is asked first.
            let proposed = try await client.json("/api/v1/cases/\(id)/transfers", .post, token: amal, body: #"{"to": "rania", "reason": "She moved."}"#)
            #expect(proposed.status == .created, "\(proposed.object)")
            let transfer = try #require(proposed.object["id"] as? String)
            let withdrawn = try await client.json("/api/v1/cases/\(id)/consent/1/withdraw", .post, token: amal, body: #"{"scopes": ["information_sharing"]}"#)
            #expect(withdrawn.status == .ok, "\(withdrawn.object)")

            let refused = try await client.json("/api/v1/cases/\(id)/transfers/\(transfer)/accept", .post, token: rania, body: "{}")
            #expect(refused.status == .conflict && refused.headers[.contentType] == "application/problem+json")
            #expect(refused.object["code"] as? String == "consent-required")
            #expect((refused.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/consent/0")
            // Nothing moved: the case is still amal's, and rania still cannot open it.
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: rania).status == .notFound)
            let incoming = try await client.json("/api/v1/transfers/incoming", .get, token: rania)
            #expect((incoming.object["transfers"] as? [[String: Any]])?.map { $0["id"] as? String } == [transfer])
        }
    }
}
