import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// The case file over HTTP, on the demo install (one account per role, a GBV
/// case in every state held by amal).
@Suite("Case routes")
struct CaseRouteTests {
    @Test func theConsentPolicyIsAskedAboutAnActAndSaysWhatIsMissing() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=follow_up", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            // The adult survivor agreed to services, referral and information sharing, not to contact after closure.
            let referral = try await client.json("/api/v1/cases/\(id)/consent/requirements?act=referral&recipient=Health%20clinic%20X", .get, token: amal)
            #expect(referral.status == .ok && referral.object["allowed"] as? Bool == true && referral.object["age_band"] as? String == "18-")
            #expect(referral.object["recipient"] as? String == "Health clinic X")
            let contact = try await client.json("/api/v1/cases/\(id)/consent/requirements?act=contact_after_closure", .get, token: amal)
            #expect(contact.object["allowed"] as? Bool == false)
            let missing = try #require(contact.object["missing"] as? [[String: Any]])
            #expect(missing.map { $0["code"] as? String } == ["consent.agreement"])
            // The survivor withdraws referral: the next check says no, at once.
            let withdrawn = try await client.json("/api/v1/cases/\(id)/consent/1/withdraw", .post, token: amal, body: #"{"scopes": ["referral"]}"#)
            #expect(withdrawn.status == .ok && withdrawn.headers[.eTag] == "\"2\"")
            let again = try await client.json("/api/v1/cases/\(id)/consent/requirements?act=referral&recipient=Health%20clinic%20X", .get, token: amal)
            #expect(again.object["allowed"] as? Bool == false)
            let notAgreed = try await client.json("/api/v1/cases/\(id)/consent/1/withdraw", .post, token: amal, body: #"{"scopes": ["contact_after_closure"]}"#)
            #expect(notAgreed.status == .unprocessableContent)
            // On a closed case too: withdrawing only restricts.
            let closedList = try await client.json("/api/v1/cases?type=gbv&state=closed", .get, token: amal)
            let closed = try #require((closedList.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let afterClosure = try await client.json("/api/v1/cases/\(closed)/consent/1/withdraw", .post, token: amal, body: #"{"scopes": ["information_sharing"]}"#)
            #expect(afterClosure.status == .ok)
            let sharing = try await client.json("/api/v1/cases/\(closed)/consent/requirements?act=information_sharing", .get, token: amal)
            #expect(sharing.object["allowed"] as? Bool == false)
            let change = try await client.json("/api/v1/cases/\(closed)/notes", .post, token: amal, body: #"{"note": "x"}"#)
            #expect(change.status == .conflict)
            // An adult survivor's case has no exception to approve.
            let approval = try await client.json("/api/v1/cases/\(id)/consent/approvals", .post, token: amal)
            #expect(approval.status == .conflict && approval.object["code"] as? String == "consent-approval-not-needed")
            let noAct = try await client.json("/api/v1/cases/\(id)/consent/requirements", .get, token: amal)
            #expect(noAct.status == .unprocessableContent)
            #expect((noAct.object["invalid_params"] as? [[String: Any]])?.first?["name"] as? String == "/act")
        }
    }

    /// Who may do what on amal's GBV case in follow-up: need-to-know for every
    /// role against every case endpoint. Anyone who may not read it gets
    /// exactly what a missing case gets.
    @Test(arguments: [
        ("amal", [200, 200, 200, 200, 200, 201, 404, 201, 200, 200]),
        ("layla", [200, 200, 200, 200, 200, 201, 404, 201, 200, 200]),
        ("sara", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("omar", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("yusuf", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("nadia", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("karim", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("admin", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        ("rania", [404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
    ])
    func needToKnow(user: String, expected: [Int]) async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=follow_up", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let token = try await client.signIn(user, password: passwords[user]!)
            let note = String(decoding: JSONValue.object(DemoAnswers.caseNote(at: "\(day)T08:00:00Z", note: "Phone call.")).encoded(), as: UTF8.self)
            let calls: [(String, HTTPRequest.Method, String?)] = [
                ("/api/v1/cases/\(id)", .get, nil),
                ("/api/v1/cases/\(id)/forms/core/registration", .get, nil),
                ("/api/v1/cases/\(id)/forms/gbv/incident", .get, nil),
                ("/api/v1/cases/\(id)/forms/core/registration/history", .get, nil),
                ("/api/v1/cases/\(id)/transitions", .get, nil),
                ("/api/v1/cases/\(id)/notes", .post, note),
                ("/api/v1/cases/\(UUID().uuidString.lowercased())", .get, nil),
            ]
            var statuses: [Int] = []
            for (uri, method, body) in calls {
                statuses.append(Int(try await client.json(uri, method, token: token, body: body).status.code))
            }
            // Attachments: a file up, the list down.
            let upload = try await client.execute(
                uri: "/api/v1/cases/\(id)/attachments", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/plain", .contentDisposition: "attachment; filename=\"note.txt\""],
                body: ByteBuffer(string: "Scanned note."))
            statuses.append(Int(upload.status.code))
            statuses.append(Int(try await client.json("/api/v1/cases/\(id)/attachments", .get, token: token).status.code))
            statuses.append(Int(try await client.json("/api/v1/cases/\(id)/consent/requirements?act=referral&recipient=Health%20clinic%20X", .get, token: token).status.code))
            #expect(statuses == expected, "\(user)")
        }
    }

    @Test func writesNameTheVersionTheyRead() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let layla = try await client.signIn("layla", password: passwords["layla"]!)
            let list = try await client.json("/api/v1/cases?type=gbv&state=registered", .get, token: amal)
            let id = try #require((list.object["cases"] as? [[String: Any]])?.first?["id"] as? String)
            let read = try await client.json("/api/v1/cases/\(id)/forms/core/registration", .get, token: amal)
            #expect(read.headers[.eTag] == "\"1\"")
            var values = try #require(read.object["values"] as? [String: Any])
            values["other_names"] = "Umm Sami"
            let body = String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self)
            let uri = "/api/v1/cases/\(id)/forms/core/registration"
            // No version: 428. The version read: 200. The same version again (someone else's stale copy): 412.
            #expect(try await client.json(uri, .put, token: layla, body: body).status.code == 428)
            let saved = try await client.json(uri, .put, token: amal, body: body, headers: [.ifMatch: "\"1\""])
            #expect(saved.status == .ok)
            #expect(saved.headers[.eTag] == "\"2\"")
            let stale = try await client.json(uri, .put, token: layla, body: body, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.object["code"] as? String == "submission-changed")

            let detail = try await client.json("/api/v1/cases/\(id)", .get, token: amal)
            let etag = try #require(detail.headers[.eTag])
            let risk = try await client.json("/api/v1/cases/\(id)", .patch, token: layla, body: #"{"risk_level":"high"}"#, headers: [.ifMatch: etag])
            #expect(risk.status == .ok)
            let late = try await client.json("/api/v1/cases/\(id)", .patch, token: amal, body: #"{"risk_level":"low"}"#, headers: [.ifMatch: etag])
            #expect(late.status == .preconditionFailed)
            #expect(try await client.json("/api/v1/cases/\(id)", .get, token: amal).object["summary"].flatMap { ($0 as? [String: Any])?["risk_level"] as? String } == "high")
        }
    }

    @Test func aBadSubmissionGets422WithEveryFieldAndABlockedTransition409WithEveryReason() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let opened = try await client.json("/api/v1/cases", .post, token: amal, body: #"{"case_type":"gbv"}"#)
            let id = try #require((opened.object["summary"] as? [String: Any])?["id"] as? String)
            let bad = try await client.json("/api/v1/cases/\(id)/forms/core/registration", .put, token: amal, body: #"{"sex":"unicorn","estimated_age":"x"}"#)
            #expect(bad.status == .unprocessableContent)
            let names = Set((bad.object["invalid_params"] as? [[String: String]] ?? []).compactMap { $0["name"] })
            #expect(names.isSuperset(of: ["/sex", "/estimated_age", "/identification_date", "/governorate"]))
            let blocked = try await client.json("/api/v1/cases/\(id)/transitions", .post, token: amal, body: #"{"transition":"register"}"#, headers: [.ifMatch: opened.headers[.eTag]!])
            #expect(blocked.status == .conflict)
            #expect((blocked.object["invalid_params"] as? [[String: String]])?.map { $0["code"] } == ["workflow.form-missing", "workflow.form-missing", "workflow.consent-missing"])
            let options = try await client.json("/api/v1/cases/\(id)/transitions", .get, token: amal)
            #expect((options.object["transitions"] as? [[String: Any]])?.map { $0["id"] as? String } == ["register", "close_early"])
            #expect(try await client.json("/api/v1/cases/\(id)/forms/core/nothing", .put, token: amal, body: "{}").status == .notFound)
        }
    }

    @Test func myWorkAndApprovalsAreThePersonsOwn() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let amal = try await client.signIn("amal", password: passwords["amal"]!)
            let layla = try await client.signIn("layla", password: passwords["layla"]!)
            let karim = try await client.signIn("karim", password: passwords["karim"]!)
            #expect(try await client.json("/api/v1/tasks?assignee=me", .get, token: amal).status == .ok)
            #expect(try await client.json("/api/v1/tasks?assignee=layla", .get, token: amal).status == .unprocessableContent)
            #expect(try await client.json("/api/v1/approvals", .get, token: layla).object["approvals"] as? [Any] != nil)
            #expect(try await client.json("/api/v1/approvals", .get, token: amal).status == .forbidden)
            #expect(try await client.json("/api/v1/cases", .get, token: karim).status == .forbidden)
        }
    }
}
