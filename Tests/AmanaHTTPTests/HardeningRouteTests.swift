import AmanaCore
import AmanaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AmanaHTTP

@Suite("HTTP: security headers, CORS, request rates")
struct HardeningRouteTests {
    static let headers: [(String, String)] = [
        ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"), ("Cross-Origin-Resource-Policy", "same-origin"),
    ]

    @Test func everyResponseCarriesTheSecurityHeadersAndNoCORS() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let origin: HTTPFields = [.origin: "https://evil.example"]
            let token = try await client.signIn("amal")
            let responses = [
                try await client.json("/api/v1/me", .get, token: token, headers: origin),
                try await client.json("/api/v1/cases/does-not-exist", .get, token: token, headers: origin),
                try await client.json("/api/v1/me", .get, headers: origin),
                try await client.json("/api/v1/openapi.json", .get, headers: origin),
                // A CORS preflight: nothing in the answer lets a browser go on.
                try await client.json("/api/v1/cases", .options, headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"]),
            ]
            #expect(responses.map(\.status.code) == [200, 404, 401, 200, responses[4].status.code])
            for response in responses {
                for (name, value) in Self.headers {
                    #expect(response.headers[HTTPField.Name(name)!] == value, "\(name) on \(response.status)")
                }
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(response.headers[.accessControlAllowMethods] == nil)
            }
            #expect(responses[4].status.code >= 400)
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllowAndAnUnknownPath404() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let token = try await client.signIn("amal")
            let trace = try await client.json("/api/v1/me", .trace, token: token)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET")
            #expect(trace.headers[.contentType] == "application/problem+json")
            #expect(trace.object["code"] as? String == "method-not-allowed")
            let delete = try await client.json("/api/v1/cases/\(UUID().uuidString.lowercased())", .delete, token: token)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, PATCH")
            #expect(try await client.json("/api/v1/no-such-thing", .get, token: token).status == .notFound)
        }
    }

    @Test func aDateThatDoesNotExistAndAFlagThatIsNotTrueOrFalseAreRefused() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let token = try await client.signIn("amal")
            let opened = try await client.json("/api/v1/cases", .post, token: token, body: #"{"case_type":"gbv"}"#)
            let id = try #require((opened.object["summary"] as? [String: Any])?["id"] as? String)
            for due in ["2026-12-01T12:99:00Z", "2027-02-30T10:00:00Z", "2026-12-01 10:00", "2026-13-01T10:00:00Z"] {
                let task = try await client.json("/api/v1/cases/\(id)/tasks", .post, token: token, body: #"{"title":"Call back","due_at":"\#(due)"}"#)
                #expect(task.status == .badRequest, "\(due)")
                #expect((task.object["invalid_params"] as? [[String: Any]])?.first?["name"] as? String == "/due_at")
            }
            let good = try await client.json("/api/v1/cases/\(id)/tasks", .post, token: token, body: #"{"title":"Call back","due_at":"2026-12-01T12:30:00+03:00"}"#)
            #expect(good.status == .created)
            #expect(try await client.json("/api/v1/cases?overdue=maybe", .get, token: token).status == .unprocessableContent)
            #expect(try await client.json("/api/v1/cases?overdue=false", .get, token: token).status == .ok)
            #expect(try await client.json("/api/v1/services?inactive=1", .get, token: token).status == .unprocessableContent)
        }
    }

    @Test func internetDateTimesAreReadStrictly() {
        #expect(InternetDateTime.parse("2026-11-25T09:30:00Z") == Date(timeIntervalSince1970: 1_795_599_000))
        #expect(InternetDateTime.parse("2026-11-25T12:30:00.5+03:00") == Date(timeIntervalSince1970: 1_795_599_000.5))
        #expect(InternetDateTime.parse("2024-02-29T00:00:00Z") != nil)
        #expect(InternetDateTime.parse("1969-12-31T23:59:59Z") == Date(timeIntervalSince1970: -1))
        for bad in ["2023-02-29T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T09:60:00Z", "2026-11-25T09:30:00", "2026-11-25", "2026-11-25T09:30:00+3:00", "x"] {
            #expect(InternetDateTime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func aTokenInTheURLIsNotATokenAndTheResponseDoesNotEchoIt() async throws {
        let f = try await HTTPFixture()
        try await f.test { client in
            let token = try await client.signIn("amal")
            for uri in ["/api/v1/me?access_token=\(token)", "/api/v1/me?token=\(token)"] {
                let response = try await client.json(uri, .get)
                #expect(response.status == .unauthorized)
                #expect(!String(buffer: response.body).contains(token))
            }
        }
    }

    @Test func onePersonOverTheirShareGets429WithRetryAfterAndOthersGoOn() async throws {
        // Time stands still: on a loaded machine the requests could otherwise be far enough apart to refill a token.
        let clock = ManualClock()
        let f = try await HTTPFixture(clock: clock) { config in
            try TestStore.writeConfig("http:\n  requests_per_minute_per_user: 12\n", to: config)
        }
        try await f.test { client in
            let amal = try await client.signIn("amal")
            var statuses: [UInt] = []
            for _ in 0..<8 { statuses.append(UInt(try await client.json("/api/v1/me", .get, token: amal).status.code)) }
            // Half a minute's share at once (6), then refused.
            #expect(statuses == [200, 200, 200, 200, 200, 200, 429, 429])
            let refused = try await client.json("/api/v1/me", .get, token: amal)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.object["code"] as? String == "rate-limited")
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            let admin = try await client.signIn("admin")
            #expect(try await client.json("/api/v1/me", .get, token: admin).status == .ok)
            // Five seconds later, one more of Amal's requests goes through (12 a minute).
            clock.advance(by: 5)
            #expect(try await client.json("/api/v1/me", .get, token: amal).status == .ok)
            #expect(try await client.json("/api/v1/me", .get, token: amal).status == .tooManyRequests)
        }
    }

    @Test func oneAddressOverItsShareGets429EvenForSignIn() async throws {
        let f = try await HTTPFixture(clock: ManualClock()) { config in
            try TestStore.writeConfig("http:\n  requests_per_minute_per_address: 10\n", to: config)
        }
        try await f.test { client in
            for _ in 0..<5 { #expect(try await client.json("/health", .get).status == .ok) }
            let signIn = try await client.json("/api/v1/sessions", .post, body: #"{"username":"amal","password":"\#(HTTPFixture.password)"}"#)
            #expect(signIn.status == .tooManyRequests)
            #expect(signIn.headers[.retryAfter] != nil)
        }
    }

    @Test func aBucketRefillsWithTimeAndForgetsIdleKeys() {
        let limiter = RequestRateLimiter(perMinute: 60, burst: 2, maxKeys: 3)
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(limiter.admit("a", now: start) == nil)
        #expect(limiter.admit("a", now: start) == nil)
        #expect(limiter.admit("a", now: start) == 1)
        #expect(limiter.admit("a", now: start.addingTimeInterval(0.5)) == 1)
        #expect(limiter.admit("a", now: start.addingTimeInterval(1)) == nil)
        // Idle keys (full again) are dropped when the table is full; busy ones stay.
        for key in ["b", "c"] { #expect(limiter.admit(key, now: start) == nil) }
        #expect(limiter.trackedKeys == 3)
        #expect(limiter.admit("d", now: start.addingTimeInterval(10)) == nil)
        #expect(limiter.trackedKeys == 1)
    }
}
