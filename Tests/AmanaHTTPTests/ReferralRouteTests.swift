import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Referrals over HTTP on the demo install.
@Suite("Referral routes")
struct ReferralRouteTests {
    @Test func previewSendAnswerAndTheRefusalsSayWhy() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=follow_up", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let draft = #"{"service": "cedar-clinic-health", "fields": ["core/registration/given_name"], "urgent": true}"#
            let preview = try await client.json("/api/v1/cases/\(id)/referrals/preview", .post, token: amal, body: draft)
            #expect(preview.status == .ok && preview.object["sendable"] as? Bool == true)
            #expect((preview.object["shared"] as? [[String: Any]])?.first?["label"] as? String == "First name")
            let sent = try await client.json("/api/v1/cases/\(id)/referrals", .post, token: amal, body: draft)
            #expect(sent.status == .created && sent.headers[.eTag] == "\"1\"", "\(sent.object)")
            let referralID = try #require(sent.object["id"] as? String)

            let mismatch = try await client.json("/api/v1/cases/\(id)/referrals", .post, token: amal, body: #"{"service": "jasmine-child-friendly"}"#)
            #expect(mismatch.status == .conflict && mismatch.object["code"] as? String == "service-profile-mismatch")
            let unknownField = try await client.json(
                "/api/v1/cases/\(id)/referrals", .post, token: amal, body: #"{"service": "cedar-clinic-health", "fields": ["core/registration/shoe_size"]}"#)
            #expect(unknownField.status == .unprocessableContent && (unknownField.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/fields/0")

            let answered = try await client.json(
                "/api/v1/cases/\(id)/referrals/\(referralID)/status", .post, token: amal, body: #"{"status": "accepted"}"#, headers: [.ifMatch: "\"1\""])
            #expect(answered.status == .ok && answered.object["status"] as? String == "accepted")
            let referrals = try await client.json("/api/v1/cases/\(id)/referrals", .get, token: amal)
            #expect((referrals.object["referrals"] as? [[String: Any]])?.count == 1)
            // Another agency's case worker cannot refer from this case: not found.
            let rania = try await client.signIn("rania", password: passwords["rania"]!)
            #expect(try await client.json("/api/v1/cases/\(id)/referrals", .post, token: rania, body: draft).status == .notFound)
        }
    }
}
