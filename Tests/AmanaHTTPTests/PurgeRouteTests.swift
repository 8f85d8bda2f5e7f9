import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Erasure over HTTP: a case worker asks, a supervisor's approval purges.
@Suite("Purge routes")
struct PurgeRouteTests {
    @Test func anErasureRequestIsApprovedAndTheCaseIsGone() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let layla = try await client.signIn("layla", password: passwords["layla"]!)
            let page = try await client.json("/api/v1/cases?state=identified&type=gbv", .get, token: amal)
            let id = try #require((page.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let unknown = try await client.json("/api/v1/cases/\(id)/purge", .post, token: amal, body: #"{"reason": "because"}"#)
            #expect(unknown.status == .unprocessableContent && (unknown.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/reason")
            let asked = try await client.json("/api/v1/cases/\(id)/purge", .post, token: amal, body: #"{"reason": "erasure_request"}"#)
            #expect(asked.status == .created, "\(asked.object)")
            let approval = try #require(asked.object["id"] as? String)
            #expect(try await client.json("/api/v1/purges/due", .get, token: amal).object["due"] as? [Any] != nil)
            let approved = try await client.json("/api/v1/cases/\(id)/approvals/\(approval)/approve", .post, token: layla, body: "{}")
            #expect(approved.status == .ok, "\(approved.object)")
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: amal).status == .notFound)
        }
    }
}
