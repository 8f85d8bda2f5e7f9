import AmanaCore
import AmanaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

@Suite("Attachment routes")
struct AttachmentRouteTests {
    static let pdf = Array("%PDF-1.4\n% a scanned consent form\n%%EOF\n".utf8)

    @Test func aFileGoesUpAndComesBackAsADownload() async throws {
        let f = try await HTTPFixture(demo: true)
        let password = f.passwords["amal"]!
        try await f.test { client in
            let amal = try await client.signIn("amal", password: password)
            let list = try await client.json("/api/v1/cases?type=gbv&state=assessment", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let up = try await client.execute(
                uri: "/api/v1/cases/\(id)/attachments", method: .post,
                headers: [.authorization: "Bearer \(amal)", .contentType: "application/octet-stream",
                          .contentDisposition: "attachment; filename=\"x.pdf\"; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf"],
                body: ByteBuffer(bytes: Self.pdf))
            #expect(up.status == .created)
            #expect(up.object["name"] as? String == "تقرير.pdf")
            #expect(up.object["content_type"] as? String == "application/pdf")
            let attachmentID = try #require(up.object["id"] as? String)

            let down = try await client.execute(uri: "/api/v1/cases/\(id)/attachments/\(attachmentID)", method: .get, headers: [.authorization: "Bearer \(amal)"])
            #expect(down.status == .ok)
            #expect(Array(buffer: down.body) == Self.pdf)
            #expect(down.headers[.contentType] == "application/pdf")
            #expect(down.headers[.contentDisposition] == "attachment; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1.pdf")
            #expect(down.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(down.headers[.cacheControl] == "no-store")

            let detail = try await client.json("/api/v1/cases/\(id)", .get, token: amal)
            #expect((detail.object["attachments"] as? [[String: Any]])?.map { $0["id"] as? String } == [attachmentID])
            let missing = try await client.execute(uri: "/api/v1/cases/\(id)/attachments/\(UUID().uuidString)", method: .get, headers: [.authorization: "Bearer \(amal)"])
            #expect(missing.status == .notFound)
        }
    }

    @Test func aForbiddenKindGets415AndATooLargeFile413() async throws {
        let f = try await HTTPFixture(demo: true) { config in
            try TestStore.writeConfig("attachments:\n  max_bytes: 4096\n", to: config)
        }
        let password = f.passwords["amal"]!
        try await f.test { client in
            let amal = try await client.signIn("amal", password: password)
            let list = try await client.json("/api/v1/cases?type=gbv&state=assessment", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            func upload(_ bytes: [UInt8], type: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/cases/\(id)/attachments", method: .post,
                    headers: [.authorization: "Bearer \(amal)", .contentType: type], body: ByteBuffer(bytes: bytes))
            }
            let svg = try await upload(Array("<svg onload=\"alert(1)\"/>".utf8), type: "image/svg+xml")
            #expect(svg.status == .unsupportedMediaType)
            #expect(svg.headers[.contentType] == "application/problem+json")
            #expect(svg.object["code"] as? String == "attachment-type-mismatch")
            let zip = try await upload([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0], type: "application/octet-stream")
            #expect(zip.status == .unsupportedMediaType)
            #expect(zip.object["code"] as? String == "attachment-type-refused")
            let big = try await upload(Array("%PDF-".utf8) + [UInt8](repeating: 0x20, count: 5000), type: "application/pdf")
            #expect(big.status == .contentTooLarge)
            #expect(big.object["code"] as? String == "attachment-too-large")
            let none = try await client.json("/api/v1/cases/\(id)/attachments", .get, token: amal)
            #expect((none.object["attachments"] as? [Any])?.isEmpty == true)
        }
    }
}
