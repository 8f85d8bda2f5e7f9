import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// The service directory over HTTP on the demo install (its fictional service map).
@Suite("Service routes")
struct ServiceRouteTests {
    @Test func caseworkersSearchAndAdministratorsImportAllOrNothing() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let admin = try await client.signIn("admin", password: passwords["admin"]!)
            let clinic = try await client.json("/api/v1/services?type=health&profile=women&location=dist_cedar", .get, token: amal)
            #expect((clinic.object["services"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["cedar-clinic-health"])
            let badProfile = try await client.json("/api/v1/services?profile=teenagers", .get, token: amal)
            #expect(badProfile.status == .unprocessableContent)

            let csv = "id,organisation,name,service_type,location,women\nnew-one,New,Care,health,sub_palm,entry_point\nbad one,New,Care,health,sub_palm,entry_point\n"
            let byCaseworker = try await client.execute(
                uri: "/api/v1/services/import", method: .post, headers: [.authorization: "Bearer \(amal)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(byCaseworker.status == .forbidden)
            let bad = try await client.execute(
                uri: "/api/v1/services/import", method: .post, headers: [.authorization: "Bearer \(admin)", .contentType: "text/csv"], body: ByteBuffer(string: csv))
            #expect(bad.status == .unprocessableContent)
            #expect((bad.object["invalid_params"] as? [[String: String]])?.map { $0["name"] } == ["/lines/3/id"])
            let good = try await client.execute(
                uri: "/api/v1/services/import", method: .post, headers: [.authorization: "Bearer \(admin)", .contentType: "text/csv"],
                body: ByteBuffer(string: csv.replacingOccurrences(of: "bad one", with: "another-one")))
            #expect(good.status == .ok && good.object["created"] as? Int == 2)

            let export = try await client.execute(uri: "/api/v1/services/export", method: .get, headers: [.authorization: "Bearer \(amal)"])
            #expect(export.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(String(buffer: export.body).split(separator: "\r\n").count == 10)  // header, 7 demo services, 2 imported
            let one = try await client.json("/api/v1/services/new-one", .get, token: amal)
            #expect(one.headers[.eTag] == "\"1\"")
            let change = #"{"id": "new-one", "organisation": "New", "name": "Care", "service_type": "health", "location": "sub_palm", "profiles": {"women": "funnelling"}}"#
            let unversioned = try await client.json("/api/v1/services/new-one", .put, token: admin, body: change)
            #expect(unversioned.status.code == 428, "\(unversioned.object)")
            #expect(try await client.json("/api/v1/services/new-one", .put, token: admin, body: change, headers: [.ifMatch: "\"1\""]).status == .ok)
        }
    }
}
