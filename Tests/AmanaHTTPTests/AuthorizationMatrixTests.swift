import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Kernel
import Testing
@testable import AmanaHTTP

/// Every role against every case route, on three cases: one of the GBV team
/// (amal's, with nadia the specialist invited in), one of the child protection
/// team (yusuf's) and one of another agency (rania's). The expected answers are
/// the table below; a change of policy changes the table, on purpose.
///
/// Cells: `O` done (2xx), `N` 404 (need-to-know: the case is not there for them),
/// `F` 403 (they see the case, their role does not allow the act), `V` refused for
/// its content (409/412/422) after the access checks passed.
@Suite("HTTP: the authorization matrix")
struct AuthorizationMatrixTests {
    static let users = ["amal", "sara", "layla", "omar", "yusuf", "huda", "nadia", "karim", "admin", "rania"]

    struct CaseRoute {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// Per user, in the order of ``users``: the answer on cases A, B and C.
        var expected: String
    }

    static let note = String(decoding: JSONValue.object(DemoAnswers.caseNote(at: "2026-11-20T08:00:00Z", note: "Phone call.")).encoded(), as: UTF8.self)

    //                                                                             amal sara layla omar yusuf huda nadia karim admin rania
    static let caseRoutes: [CaseRoute] = [
        CaseRoute(method: .get, path: "", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/forms/core/registration", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/forms/core/registration/history", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/transitions", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/attachments", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/referrals", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/conferences", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/transfers", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .get, path: "/consent/requirements?act=referral", body: nil, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .post, path: "/notes", body: note, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        CaseRoute(method: .post, path: "/tasks", body: #"{"title":"Call back","due_at":"2026-12-01T09:00:00Z"}"#, expected: "ONN NNN ONN NNN NON NON ONN NNN NNN NNO"),
        // Sent with a stale version: whoever may change the case reaches the version check (412).
        CaseRoute(method: .patch, path: "", body: #"{"risk_level":"high"}"#, expected: "VNN NNN VNN NNN NVN NVN VNN NNN NNN NNV"),
        // The first to ask gets it; who asks after reaches "already asked" (409).
        CaseRoute(method: .post, path: "/purge", body: #"{"reason":"erasure_request"}"#, expected: "ONN NNN VNN NNN NON NVN VNN NNN NNN NNO"),
        CaseRoute(method: .post, path: "/members", body: #"{"username":"sara"}"#, expected: "FNN NNN ONN NNN NFN NON FNN NNN NNN NNF"),
    ]

    @Test func everyRoleOnEveryCaseRoute() async throws {
        let f = try await HTTPFixture(demo: true)
        let cases = try await Self.makeCases(f)
        let actual = try await f.test { client in
            var tokens: [String: String] = [:]
            for user in Self.users { tokens[user] = try await client.signIn(user, password: f.passwords[user] ?? "") }
            var rows: [String] = []
            for route in Self.caseRoutes {
                var cells: [String] = []
                for user in Self.users {
                    var cell = ""
                    for id in cases {
                        let (path, query) = Self.split(route.path)
                        let response = try await client.json(
                            "/api/v1/cases/\(id)\(path)\(query)", route.method, token: tokens[user], body: route.body,
                            headers: route.method == .patch ? [.ifMatch: "\"1\""] : [:])
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

    struct Route {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// Per user, in the order of ``users``.
        var expected: String
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
        // The service directory is readable by all, as a list or as CSV.
        Route(method: .get, path: "/services/export", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/definitions/problems", body: nil, expected: "F F F F F F F F O F"),
        Route(method: .get, path: "/transfers/incoming", body: nil, expected: "O O O O O O O O O O"),
        Route(method: .get, path: "/install/public-key", body: nil, expected: "O O O O O O O O O O"),
    ]

    @Test func everyRoleOnEveryRouteOutsideACase() async throws {
        let f = try await HTTPFixture(demo: true)
        let actual = try await f.test { client in
            var rows: [String] = []
            var tokens: [String: String] = [:]
            for user in Self.users { tokens[user] = try await client.signIn(user, password: f.passwords[user] ?? "") }
            for route in Self.installRoutes {
                var cells: [String] = []
                for user in Self.users {
                    let response = try await client.json("/api/v1\(route.path)", route.method, token: tokens[user], body: route.body)
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

    static func split(_ path: String) -> (String, String) {
        guard let mark = path.firstIndex(of: "?") else { return (path, "") }
        return (String(path[..<mark]), String(path[mark...]))
    }

    static func code(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 200..<300: "O"
        case 404: "N"
        case 403: "F"
        case 409, 412, 422, 428: "V"
        default: "?\(status.code)"
        }
    }

    /// A: amal's GBV case with nadia invited; B: yusuf's child protection case; C: rania's, in another agency.
    static func makeCases(_ f: HTTPFixture) async throws -> [String] {
        func actor(_ username: String) async throws -> Identity.Actor {
            try await f.kernel.signIn(username: username, password: f.passwords[username] ?? "", requestID: "t").actor
        }
        var ids: [String] = []
        for (owner, type, sex, age) in [("amal", "gbv", "female", 29), ("yusuf", "child-protection", "male", 14), ("rania", "gbv", "female", 31)] {
            let who = try await actor(owner)
            let opened = try await f.kernel.openCase(type: type, actor: who, requestID: "t")
            let id = opened.summary.id
            _ = try await f.kernel.submitForm(
                caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: "2026-11-20", givenName: "Matrix", familyName: "Case", sex: sex, age: age),
                expectVersion: nil, actor: who, requestID: "t")
            ids.append(id)
        }
        _ = try await f.kernel.addMember(caseID: ids[0], username: "nadia", actor: try await actor("layla"), requestID: "t")
        return ids
    }
}
