import AmanaCore
import AmanaTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Kernel
import Testing
@testable import AmanaHTTP

/// Every role against every route (all but sign-in, `/health` and the OpenAPI document,
/// which need no account), on three cases: one of the GBV team
/// (amal's, with nadia the specialist invited in), one of the child protection
/// team (yusuf's) and one of another agency (rania's). The expected answers are
/// the table below; a change of policy changes the table, on purpose.
///
/// Cells: `O` done (2xx), `N` 404 (need-to-know: the case is not there for them),
/// `F` 403 (they see the case, their role does not allow the act), `V` refused for
/// its content (409/412/422) after the access checks passed, `B` 400: a body of the wrong
/// shape, refused as it is read, before anything else (it says nothing of any case).
@Suite("HTTP: the authorization matrix")
struct AuthorizationMatrixTests {
    static let users = ["amal", "sara", "layla", "omar", "yusuf", "huda", "nadia", "karim", "admin", "rania"]

    struct Route {
        var method: HTTPRequest.Method
        /// A case route: under `/api/v1/cases/{id}`, or from `/api/v1` when it starts with `!`;
        /// `{id}` and `{attachment}` (the case's own file) are filled in, in the body too.
        /// Any other route: from `/api/v1`.
        var path: String
        var body: String?
        /// Per user, in the order of ``users``: one answer, or for a case route the answers on cases A, B and C.
        var expected: String
        var contentType = "application/json"
        var headers: HTTPFields = [:]
    }

    /// One request of the matrix, by the holder of `token`.
    static func send(_ route: Route, uri: String, body: String?, token: String, _ client: any TestClientProtocol) async throws -> TestResponse {
        var headers = route.headers
        headers[.authorization] = "Bearer \(token)"
        if body != nil { headers[.contentType] = route.contentType }
        return try await client.execute(uri: uri, method: route.method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    static let stale: HTTPFields = [.ifMatch: "\"1\""]

    static let note = String(decoding: JSONValue.object(DemoAnswers.caseNote(at: "2026-11-20T08:00:00Z", note: "Phone call.")).encoded(), as: UTF8.self)

    //                                                                             amal sara layla omar yusuf huda nadia karim admin rania
    static let caseRoutes: [Route] = [
        Route(method: .get, path: "", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/forms/core/registration", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/forms/core/registration/history", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/transitions", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/attachments", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/referrals", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/conferences", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/transfers", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .get, path: "/consent/requirements?act=referral", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .post, path: "/notes", body: note, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .post, path: "/tasks", body: #"{"title":"Call back","due_at":"2026-12-01T09:00:00Z"}"#, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        // Sent with a stale version: whoever may change the case reaches the version check (412).
        Route(method: .patch, path: "", body: #"{"risk_level":"high"}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV", headers: stale),
        Route(method: .put, path: "/forms/core/registration", body: "{}", expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV", headers: stale),
        Route(method: .post, path: "/transitions", body: #"{"transition":"no_such_step"}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV", headers: stale),
        Route(method: .post, path: "/forms/core/case-note", body: note, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .post, path: "/attachments", body: "Scanned note.", expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO", contentType: "text/plain"),
        Route(method: .get, path: "/attachments/{attachment}", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(
            method: .post, path: "/conferences", body: #"{"scheduled_for":"2026-12-03T10:00:00Z","agenda":"Safety","participants":[],"external_participants":[],"survivor_invited":false}"#,
            expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        Route(method: .post, path: "/referrals/preview", body: #"{"service":"no-such-service","fields":[]}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        // A specialist works on the case, but does not hand it over.
        Route(method: .post, path: "/transfers", body: #"{"to":"nobody-here"}"#, expected: "VNN NNN VNN NNN NVN NVN FNN NNN NNN NNV"),
        Route(method: .post, path: "/transfers/package", body: #"{"recipient_key":"not a key","recipient_name":"Elsewhere"}"#, expected: "VNN NNN VNN NNN NVN NVN FNN NNN NNN NNV"),
        Route(method: .post, path: "/consent/approvals", body: nil, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        // A guessed id of something inside a case (a task, a conference, a referral, a transfer, an
        // approval, an agreement) is not there, for anyone, in any case.
        Route(method: .post, path: "/tasks/0123456789abcdef0123456789abcdef/complete", body: nil, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN"),
        Route(method: .post, path: "/conferences/0123456789abcdef0123456789abcdef/notes", body: #"{"text":"A note."}"#, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN"),
        Route(method: .post, path: "/referrals/0123456789abcdef0123456789abcdef/status", body: #"{"status":"accepted"}"#, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN", headers: stale),
        Route(method: .post, path: "/transfers/0123456789abcdef0123456789abcdef/accept", body: nil, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN"),
        // (Approving is a supervisor's: whoever else sees the case is refused for their role first.)
        Route(method: .post, path: "/approvals/0123456789abcdef0123456789abcdef/approve", body: "{}", expected: "FNN NNN NNN NNN NFN NNN FNN NNN NNN NNF"),
        Route(method: .post, path: "/consent/7/withdraw", body: #"{"scopes":["referral"]}"#, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN"),
        // Who may override missing agreements is the override's own (its `approval` role): one
        // the policy does not have is refused as such to whoever sees the case.
        Route(
            method: .post, path: "/consent/overrides", body: #"{"override":"no-such-override","act":"referral","reason":"Immediate danger."}"#,
            expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        Route(method: .post, path: "/approvals/0123456789abcdef0123456789abcdef/reject", body: #"{"comment":"Not yet."}"#, expected: "FNN NNN NNN NNN NFN NNN FNN NNN NNN NNF"),
        Route(method: .post, path: "/conferences/0123456789abcdef0123456789abcdef/cancel", body: #"{"reason":"Moved."}"#, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN", headers: stale),
        Route(
            method: .post, path: "/conferences/0123456789abcdef0123456789abcdef/outcome", body: #"{"decisions":"Safe housing.","survivor_attended":false}"#,
            expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN", headers: stale),
        Route(method: .post, path: "/referrals/0123456789abcdef0123456789abcdef/follow-up", body: #"{"outcome":"received"}"#, expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN", headers: stale),
        Route(method: .post, path: "/transfers/0123456789abcdef0123456789abcdef/decline", body: "{}", expected: "NNN NNN NNN NNN NNN NNN NNN NNN NNN NNN"),
        Route(method: .post, path: "/approvals", body: #"{"transition":"no_such_step"}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        Route(method: .post, path: "/referrals", body: #"{"service":"no-such-service","fields":[]}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        Route(method: .post, path: "/transfers/receipt", body: #"{"receipt":"not a receipt"}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        Route(method: .post, path: "/forms/core/consent", body: "{}", expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        // Exporting is a case manager's: anyone else is refused for their role, whichever case they name.
        Route(method: .post, path: "!/exports", body: #"{"case_ids":["{id}"],"purpose":"legal_request","unencrypted":true}"#, expected: "FFF FFF ONN FFF FFF NON FFF FFF FFF FFF"),
        // The first to ask gets it; who asks after reaches "already asked" (409).
        Route(method: .post, path: "/purge", body: #"{"reason":"erasure_request"}"#, expected: "ONN NNN VNN NNN NON NVN VNN NNN NNN NNO"),
        Route(method: .post, path: "/members", body: #"{"username":"sara"}"#, expected: "FNN NNN ONN NNN NFN NON FNN NNN NNN NNF"),
    ]

    @Test func everyRoleOnEveryRoute() async throws {
        let f = try await HTTPFixture(demo: true, configure: Self.unlimited)
        let (cases, attachments) = try await Self.makeCases(f)
        let actual = try await f.test { client in
            var tokens: [String: String] = [:]
            for user in Self.users { tokens[user] = try await client.signIn(user, password: f.passwords[user] ?? "") }
            var rows: [String] = []
            for route in Self.caseRoutes {
                var cells: [String] = []
                for user in Self.users {
                    var cell = ""
                    for id in cases {
                        let fill = { (text: String) in text.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{attachment}", with: attachments[id] ?? "") }
                        let uri = route.path.hasPrefix("!") ? "/api/v1" + route.path.dropFirst() : "/api/v1/cases/\(id)" + route.path
                        let response = try await Self.send(route, uri: fill(uri), body: route.body.map(fill), token: tokens[user] ?? "", client)
                        cell += Self.code(response.status)
                        #expect(response.status != .internalServerError, "\(route.method) \(route.path) as \(user): \(String(buffer: response.body))")
                    }
                    cells.append(cell)
                }
                rows.append(cells.joined(separator: " "))
            }
            return rows
        }
        for (route, row) in zip(Self.caseRoutes, actual) {
            #expect(row == route.expected, "\(route.method) /cases/{id}\(route.path)\n  expected \(route.expected)\n  answered \(row)")
        }
    }

    //                                                                                                             amal sara layla omar yusuf huda nadia karim admin rania
    static let installRoutes: [Route] = [
        Route(method: .get, path: "/cases", body: nil, expected: "O O O O O O O F F O"),
        Route(method: .post, path: "/cases", body: #"{"case_type":"no-such-programme"}"#, expected: "V V V F V V F F F V"),
        Route(method: .post, path: "/cases/search", body: #"{"value":"Matrix"}"#, expected: "O O O O O O O F F O"),
        Route(method: .get, path: "/tasks", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/approvals", body: nil, expected: "F F O O F O F F F F"),
        Route(method: .get, path: "/users", body: nil, expected: "F F O O F O F F O F"),
        Route(method: .post, path: "/users", body: #"{"username":"new-person","role":"no-such-role","password":"a long enough password"}"#, expected: "F F F F F F F F V F"),
        // Caseloads per worker are for supervision; a programme manager has the anonymous statistics.
        Route(method: .get, path: "/dashboard", body: nil, expected: "F F O O F O F F F F"),
        Route(method: .get, path: "/statistics?form=gbv/incident&rows=violence_type", body: nil, expected: "F F F O F F F O F F"),
        Route(method: .get, path: "/reports/monthly?month=2026-11", body: nil, expected: "F F F O F F F O F F"),
        Route(method: .get, path: "/consent/overrides", body: nil, expected: "F F O O F O F F F F"),
        Route(method: .get, path: "/purges/due", body: nil, expected: "O O O O O O O F F O"),
        // Lists hold only what concerns the caller: their own supervision sessions, transfers proposed to them.
        Route(method: .get, path: "/supervision", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/services", body: nil, expected: "O O O O O O O O O O"),
        // The service directory is readable by all, as a list or as CSV; the administrator and the team lead maintain it.
        Route(method: .get, path: "/services/export", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/definitions/problems", body: nil, expected: "F F F F F F F F O F"),
        Route(method: .get, path: "/transfers/incoming", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/install/public-key", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/me", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/forms", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/forms/core/registration/schema", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/services/no-such-service", body: nil, expected: "N N N N N N N N N N"),
        Route(method: .post, path: "/services", body: "{}", expected: "B B B B B B B B B B"),
        Route(method: .post, path: "/services", body: #"{"id":"x","organisation":"","name":"","service_type":"health","location":"dist_cedar","address":"","hours":"","contact":"","profiles":{},"active":true}"#, expected: "F F F V F F F F V F"),
        Route(method: .post, path: "/users/nobody-here/disable", body: nil, expected: "F F F F F F F F N F"),
        Route(method: .post, path: "/transfers/import", body: #"{"package":"not a package","expected_sender":"x"}"#, expected: "V V V F V V F F F V"),
        Route(method: .put, path: "/me/password", body: #"{"current_password":"not my password","new_password":"a new long password"}"#, expected: "V V V V V V V V V V"),
        Route(method: .get, path: "/forms/core/registration", body: nil, expected: "O O O O O O O O O O"),
        Route(
            method: .put, path: "/services/no-such-service",
            body: #"{"id":"no-such-service","organisation":"","name":"","service_type":"health","location":"dist_cedar","address":"","hours":"","contact":"","profiles":{},"active":true}"#,
            expected: "F F F V F F F F V F", headers: stale),
        Route(method: .post, path: "/services/import", body: "", expected: "F F F V F F F F V F", contentType: "text/csv"),
        Route(method: .post, path: "/supervision", body: #"{"staff":"nobody-here","held_on":"2026-11-20","notes":{"discussed":"Caseload."}}"#, expected: "F F V V F V F F F F"),
        // Last: everyone signs out.
        Route(method: .delete, path: "/sessions/current", body: nil, expected: "O O O O O O O O O O"),
    ]

    @Test func everyRoleOnEveryRouteOutsideACase() async throws {
        let f = try await HTTPFixture(demo: true, configure: Self.unlimited)
        let actual = try await f.test { client in
            var rows: [String] = []
            var tokens: [String: String] = [:]
            for user in Self.users { tokens[user] = try await client.signIn(user, password: f.passwords[user] ?? "") }
            for route in Self.installRoutes {
                var cells: [String] = []
                for user in Self.users {
                    let response = try await Self.send(route, uri: "/api/v1\(route.path)", body: route.body, token: tokens[user] ?? "", client)
                    #expect(response.status != .internalServerError, "\(route.method) \(route.path) as \(user)")
                    cells.append(Self.code(response.status))
                }
                rows.append(cells.joined(separator: " "))
            }
            return rows
        }
        for (route, row) in zip(Self.installRoutes, actual) {
            #expect(row == route.expected, "\(route.method) \(route.path)\n  expected \(route.expected)\n  answered \(row)")
        }
    }

    /// The matrix makes over a thousand requests from one address: request rates are not what it tests.
    static func unlimited(_ config: String) throws {
        try TestStore.writeConfig("http:\n  requests_per_minute_per_user: 1000000\n  requests_per_minute_per_address: 1000000\n", to: config)
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 200..<300: "O"
        case 400: "B"
        case 404: "N"
        case 403: "F"
        case 409, 412, 422, 428: "V"
        default: "?\(status.code)"
        }
    }

    /// A: amal's GBV case with nadia invited; B: yusuf's child protection case; C: rania's, in another agency.
    static func makeCases(_ f: HTTPFixture) async throws -> ([String], [String: String]) {
        func actor(_ username: String) async throws -> Identity.Actor {
            try await f.kernel.signIn(username: username, password: f.passwords[username] ?? "", requestID: "t").actor
        }
        var ids: [String] = []
        var attachments: [String: String] = [:]
        for (owner, type, sex, age) in [("amal", "gbv", "female", 29), ("yusuf", "child-protection", "male", 14), ("rania", "gbv", "female", 31)] {
            let who = try await actor(owner)
            let opened = try await f.kernel.openCase(type: type, actor: who, requestID: "t")
            let id = opened.summary.id
            _ = try await f.kernel.submitForm(
                caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: "2026-11-20", givenName: "Matrix", familyName: "Case", sex: sex, age: age),
                expectVersion: nil, actor: who, requestID: "t")
            attachments[id] = try await f.kernel.addAttachment(caseID: id, name: "note.txt", declaredType: "text/plain", content: Array("A note.".utf8), actor: who, requestID: "t").id
            ids.append(id)
        }
        _ = try await f.kernel.addMember(caseID: ids[0], username: "nadia", actor: try await actor("layla"), requestID: "t")
        return (ids, attachments)
    }
}
