import AmanaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AmanaHTTP

@Suite("HTTP: sessions, errors, limits")
struct SessionRouteTests {
    @Test func signInMeSignOut() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let signIn = try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal","password":"\#(HTTPFixture.password)"}"#)
            #expect(signIn.status == .created)
            let token = signIn.object["token"] as? String ?? ""
            #expect(signIn.object["expires_at"] is String)
            let me = try await client.json("/api/v1/me", .get, token: token)
            #expect(me.status == .ok)
            #expect(me.object["username"] as? String == "amal")
            #expect(me.object["role"] as? String == "case_worker")
            #expect(try await client.json("/api/v1/sessions/current", .delete, token: token).status == .noContent)
            let after = try await client.json("/api/v1/me", .get, token: token)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test func everyResponseHasARequestIDAndErrorsAreProblemDocuments() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let cases: [(String, HTTPRequest.Method, String?, HTTPResponse.Status, String)] = [
                ("/api/v1/me", .get, nil, .unauthorized, "unauthenticated"),
                ("/api/v1/sessions", .post, "{not json", .badRequest, "body-invalid"),
                ("/api/v1/sessions", .post, #"{"username":"amal"}"#, .badRequest, "body-invalid"),
                ("/api/v1/sessions", .post, #"{"username":"amal","password":"wrong password"}"#, .unauthorized, "sign-in-failed"),
                ("/api/v1/nowhere", .get, nil, .notFound, "not-found"),
            ]
            var ids = Set<String>()
            for (uri, method, body, status, code) in cases {
                let response = try await client.json(uri, method, body: body)
                #expect(response.status == status, "\(method) \(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.object["type"] as? String == "urn:amana:problem:\(code)")
                #expect(response.object["status"] as? Int == Int(status.code))
                let id = response.headers[HTTPField.Name("X-Request-ID")!] ?? ""
                #expect(id.count == 32 && response.object["request_id"] as? String == id)
                ids.insert(id)
            }
            #expect(ids.count == cases.count)
        }
    }

    @Test func aMissingFieldIsNamedAsAPointer() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let response = try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal"}"#)
            let params = response.object["invalid_params"] as? [[String: String]]
            #expect(params?.first?["name"] == "/password")
            let token = try await client.signIn("amal")
            let nested = try await client.json("/api/v1/users", .post, token: try await client.signIn("admin"), body: #"{"username":"x","password":"a long password!"}"#)
            #expect((nested.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/role")
            let password = try await client.json("/api/v1/me/password", .put, token: token, body: #"{"current_password":"x"}"#)
            #expect((password.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/new_password")
        }
    }

    @Test func aBodyThatIsNotJSONGets415() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let response = try await client.execute(
                uri: "/api/v1/sessions", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "username=amal"))
            #expect(response.status == .unsupportedMediaType)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func anOversizedBodyIsRefusedWith413() async throws {
        let f = try await HTTPFixture { config in
            try TestStore.writeConfig("http: {max_body_bytes: 2048}\n", to: config)
        }
        try await f.test { client in
            let big = #"{"username":"amal","password":""# + String(repeating: "x", count: 4096) + #""}"#
            let response = try await client.json("/api/v1/sessions", .post, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.object["code"] as? String == "request-too-large")
        }
    }

    @Test func lockoutAnswers429WithRetryAfter() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            for _ in 1...4 {
                #expect(try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal","password":"wrong password"}"#).status == .unauthorized)
            }
            let fifth = try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal","password":"wrong password"}"#)
            #expect(fifth.status == .tooManyRequests)
            #expect(fifth.headers[.retryAfter] == "900")
            let right = try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal","password":"\#(HTTPFixture.password)"}"#)
            #expect(right.status == .tooManyRequests)
        }
    }

    @Test func aCaseWorkerGets403OnUserManagementAndAnAdministrator404OnCases() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let amal = try await client.signIn("amal")
            let admin = try await client.signIn("admin")
            let newUser = #"{"username":"mallory","role":"administrator","password":"a long password!"}"#
            #expect(try await client.json("/api/v1/users", .post, token: amal, body: newUser).status == .forbidden)
            #expect(try await client.json("/api/v1/users", .get, token: amal).status == .forbidden)
            let opened = try await client.json("/api/v1/cases", .post, token: amal, body: #"{"case_type":"gbv"}"#)
            #expect(opened.status == .created)
            let id = (opened.object["summary"] as? [String: Any])?["id"] as? String ?? ""
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: amal).status == .ok)
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: admin).status == .notFound)
            #expect(try await client.json("/api/v1/cases", .post, token: admin, body: #"{"case_type":"gbv"}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/users", .post, token: admin, body: newUser).status == .created)
            #expect(try await client.json("/api/v1/users", .post, token: admin, body: newUser).status == .conflict)
            let bad = try await client.json("/api/v1/users", .post, token: admin, body: #"{"username":"z","role":"wizard","password":"a long password!"}"#)
            #expect(bad.status == .unprocessableContent)
        }
    }
}
