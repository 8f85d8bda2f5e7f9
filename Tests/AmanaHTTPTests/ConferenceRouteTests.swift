import AmanaCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

/// An adolescent whose mother is the alleged perpetrator, served end to end over
/// the API on the demo install: the consent policy's exception, a trusted adult's
/// consent, the supervisor's approval and a case conference, each asked for by
/// the policy's own answer, until the referral is allowed and the case registers.
@Suite("Conference routes")
struct ConferenceRouteTests {
    func body(_ values: [String: JSONValue]) -> String { String(decoding: JSONValue.object(values).encoded(), as: UTF8.self) }

    @Test func anAdolescentWithAParentAsPerpetratorIsServedThroughTheAPI() async throws {
        let f = try await HTTPFixture(demo: true)
        let passwords = f.passwords
        try await f.test { client in
            let yusuf = try await client.signIn("yusuf", password: passwords["yusuf"]!)
            let huda = try await client.signIn("huda", password: passwords["huda"]!)
            let opened = try await client.json("/api/v1/cases", .post, token: yusuf, body: #"{"case_type": "child-protection"}"#)
            let id = try #require((opened.object["summary"] as? [String: Any])?["id"] as? String)
            let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            var registration = DemoAnswers.childRegistration(caregiver: "Mother of Sami")
            registration["caregiver_is_alleged_perpetrator"] = true
            registration["caregiver_safe_to_involve"] = false
            registration["caregiver_not_safe_reason"] = "He says his mother hurts him."
            for (form, values) in [
                ("core/registration", DemoAnswers.registration(day: day, givenName: "Sami", familyName: "Example", sex: "male", age: 14)),
                ("core/consent", DemoAnswers.childAgreement(day: day)),
                ("core/consent", DemoAnswers.childAgreement(day: day, caregiver: "Mother of Sami")),
                ("child-protection/child-registration", registration),
            ] {
                let saved = try await client.json("/api/v1/cases/\(id)/forms/\(form)", .post, token: yusuf, body: body(values))
                #expect(saved.status == .created, "\(form): \(saved.object)")
            }
            let requirements = "/api/v1/cases/\(id)/consent/requirements?act=referral&recipient=Health%20clinic%20X"
            func missing() async throws -> [String] {
                let check = try await client.json(requirements, .get, token: yusuf)
                return (check.object["missing"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            }
            #expect(try await missing() == ["consent.agreement", "consent.case-conference", "consent.approval"])

            // His aunt agrees instead of his mother; the supervisor is asked and approves.
            var aunt = DemoAnswers.childAgreement(day: day, caregiver: "Aunt of Sami")
            aunt["given_by"] = "trusted_adult"
            aunt["best_interest_reason"] = "His aunt is the adult he trusts."
            #expect(try await client.json("/api/v1/cases/\(id)/forms/core/consent", .post, token: yusuf, body: body(aunt)).status == .created)
            let asked = try await client.json("/api/v1/cases/\(id)/consent/approvals", .post, token: yusuf)
            let approvalID = try #require(asked.object["id"] as? String)
            let approved = try await client.json("/api/v1/cases/\(id)/approvals/\(approvalID)/approve", .post, token: huda, body: "{}")
            #expect(approved.status == .ok, "\(approved.object)")
            #expect(try await missing() == ["consent.case-conference"])

            // The conference: scheduled by the caseworker with his supervisor, held, its decision recorded.
            let scheduled = try await client.json(
                "/api/v1/cases/\(id)/conferences", .post, token: yusuf,
                body: #"{"scheduled_for": "2026-12-01T09:00:00Z", "agenda": "Who agrees for Sami.", "participants": ["huda"], "survivor_invited": true}"#)
            #expect(scheduled.status == .created && scheduled.headers[.eTag] == "\"1\"", "\(scheduled.object)")
            let conferenceID = try #require(scheduled.object["id"] as? String)
            let outcome = #"{"decisions": "His aunt consents for him.", "consent_exception": "caregiver_is_perpetrator", "survivor_attended": true}"#
            let stale = try await client.json("/api/v1/cases/\(id)/conferences/\(conferenceID)/outcome", .post, token: huda, body: outcome, headers: [.ifMatch: "\"5\""])
            #expect(stale.status == .preconditionFailed)
            let unknown = try await client.json(
                "/api/v1/cases/\(id)/conferences/\(conferenceID)/outcome", .post, token: huda, body: #"{"decisions": "D", "consent_exception": "nope"}"#,
                headers: [.ifMatch: "\"1\""])
            #expect(unknown.status == .unprocessableContent && (unknown.object["invalid_params"] as? [[String: String]])?.first?["name"] == "/consent_exception")
            let held = try await client.json("/api/v1/cases/\(id)/conferences/\(conferenceID)/outcome", .post, token: huda, body: outcome, headers: [.ifMatch: "\"1\""])
            #expect(held.status == .ok && held.object["status"] as? String == "held", "\(held.object)")
            let note = try await client.json("/api/v1/cases/\(id)/conferences/\(conferenceID)/notes", .post, token: huda, body: #"{"text": "The aunt lives two streets away."}"#)
            #expect(note.status == .created)

            #expect(try await missing() == [])
            let case1 = try await client.json("/api/v1/cases/\(id)", .get, token: yusuf)
            let version = try #require((case1.object["summary"] as? [String: Any])?["version"] as? Int)
            let registered = try await client.json(
                "/api/v1/cases/\(id)/transitions", .post, token: yusuf, body: #"{"transition": "register"}"#, headers: [.ifMatch: "\"\(version)\""])
            #expect(registered.status == .ok, "\(registered.object)")

            // Both took part: both read the notes; the list says so.
            let list = try await client.json("/api/v1/cases/\(id)/conferences", .get, token: yusuf)
            let first = try #require((list.object["conferences"] as? [[String: Any]])?.first)
            #expect((first["notes"] as? [[String: Any]])?.count == 1 && (first["outcome"] as? [String: Any])?["consent_exception_label"] as? String == "A caregiver is the perpetrator")
        }
    }
}
