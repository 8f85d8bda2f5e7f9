import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// Exports of records over HTTP: sealed by default, for supervisors only.
@Suite("Export routes")
struct ExportRouteTests {
    @Test func aSupervisorGetsASealedFileACaseWorkerNothing() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let layla = try await client.signIn("layla", password: passwords["layla"]!)
            let page = try await client.json("/api/v1/cases?state=registered&type=gbv", .get, token: amal)
            let id = try #require((page.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let body = #"{"case_ids": ["\#(id)"], "purpose": "legal_request", "passphrase": "a long enough passphrase"}"#
            #expect(try await client.json("/api/v1/exports", .post, token: amal, body: body).status == .forbidden)
            let badPurpose = try await client.json("/api/v1/exports", .post, token: layla, body: body.replacingOccurrences(of: "legal_request", with: "curiosity"))
            #expect(badPurpose.status == .unprocessableContent)
            let sealed = try await client.execute(
                uri: "/api/v1/exports", method: .post, headers: [.authorization: "Bearer \(layla)", .contentType: "application/json"], body: ByteBuffer(string: body))
            #expect(sealed.status == .ok && sealed.headers[.contentType] == "application/octet-stream")
            let plain = try Kernel.openSealedExport(Array(buffer: sealed.body), passphrase: "a long enough passphrase")
            #expect(String(decoding: plain, as: UTF8.self).contains("\"purpose\" : \"legal_request\""))
        }
    }
}
