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
    @Test func anotherAgencyTakesACaseOnlyWhileTheConsentToShareWithItHolds() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let rania = try await client.signIn("rania", password: passwords["rania"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=follow_up", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            /// Saves the survivor's agreement (entry 1) again with `scopes`, as an edit of the form.
            @Sendable func agreement(scopes: [String]) async throws {
                let read = try await client.json("/api/v1/cases/\(id)/forms/core/consent?entry=1", .get, token: amal)
                var values = try #require(read.object["values"] as? [String: Any])
                values["scopes"] = scopes
                let body = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
                let saved = try await client.json(
                    "/api/v1/cases/\(id)/forms/core/consent?entry=1", .put, token: amal, body: body, headers: [.ifMatch: read.headers[.eTag] ?? ""])
                #expect(saved.status == .ok, "\(saved.object)")
            }
            // Rania works for another agency: the survivor's consent to share with it is asked first.
            let proposed = try await client.json("/api/v1/cases/\(id)/transfers", .post, token: amal, body: #"{"to": "rania", "reason": "She moved."}"#)
            #expect(proposed.status == .created, "\(proposed.object)")
            let transfer = try #require(proposed.object["id"] as? String)

            // The agreement is corrected while the transfer waits: the acceptance is refused, naming what is missing.
            try await agreement(scopes: ["services", "referral"])
            let refused = try await client.json("/api/v1/cases/\(id)/transfers/\(transfer)/accept", .post, token: rania, body: "{}")
            #expect(refused.status == .conflict && refused.headers[.contentType] == "application/problem+json")
            #expect(refused.object["code"] as? String == "consent-required")
            #expect((refused.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/consent/0")
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: rania).status == .notFound)
            // Rania no longer sees it waiting: what it says of the case is not hers to know without that consent.
            #expect((try await client.json("/api/v1/transfers/incoming", .get, token: rania).object["transfers"] as? [Any])?.isEmpty == true)

            // An edit cannot widen the agreement again: a new decision is a new entry.
            let read = try await client.json("/api/v1/cases/\(id)/forms/core/consent?entry=1", .get, token: amal)
            var values = try #require(read.object["values"] as? [String: Any])
            values["scopes"] = ["services", "referral", "information_sharing"]
            let body = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
            let widened = try await client.json(
                "/api/v1/cases/\(id)/forms/core/consent?entry=1", .put, token: amal, body: body, headers: [.ifMatch: read.headers[.eTag] ?? ""])
            #expect(widened.status == .unprocessableContent && (widened.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/scopes")
            // Agreed again, in a new entry: she sees it again. Then withdrawn as a withdrawal: the waiting transfer is withdrawn with it, and says why.
            let anew = try await client.json("/api/v1/cases/\(id)/forms/core/consent", .put, token: amal, body: body)
            #expect(anew.status == .created || anew.status == .ok, "\(anew.object)")
            #expect(anew.object["entry"] as? Int == 2)
            let again = try await client.json("/api/v1/transfers/incoming", .get, token: rania)
            #expect((again.object["transfers"] as? [[String: Any]])?.map { $0["id"] as? String } == [transfer])
            let withdrawn = try await client.json("/api/v1/cases/\(id)/consent/2/withdraw", .post, token: amal, body: #"{"scopes": ["information_sharing"]}"#)
            #expect(withdrawn.status == .ok, "\(withdrawn.object)")
            let transfers = try await client.json("/api/v1/cases/\(id)/transfers", .get, token: amal)
            let shown = try #require((transfers.object["transfers"] as? [[String: Any]])?.first { $0["id"] as? String == transfer })
            #expect(shown["status"] as? String == "withdrawn")
            #expect(((shown["history"] as? [[String: Any]])?.last?["reason"] as? String)?.hasPrefix("The person withdrew their consent to share information with") == true)
            #expect((try await client.json("/api/v1/transfers/incoming", .get, token: rania).object["transfers"] as? [Any])?.isEmpty == true)
            let late = try await client.json("/api/v1/cases/\(id)/transfers/\(transfer)/accept", .post, token: rania, body: "{}")
            #expect(late.status == .conflict && late.object["code"] as? String == "transfer-not-proposed")
        }
    }
}
