import AmanaCore
import FormKit
import Identity
import Foundation
import Testing
@testable import Kernel

/// Contacting someone after their case is closed (service feedback) is an act
/// of its own: only with their consent to be contacted after closure.
@Suite("Contact after closure")
struct ContactAfterClosureTests {
    static func feedback(day: String) -> [String: JSONValue] {
        ["feedback_date": .string(day), "feedback_mode": "phone", "asked_by_other_staff": true, "agrees_now": false]
    }

    @Test func serviceFeedbackOnAClosedCaseNeedsConsentToBeContacted() async throws {
        let demo = try await DemoInstallFixture()
        let kernel = demo.kernel
        let amal = try await demo.actor("amal"), layla = try await demo.actor("layla")
        let day = Day(Date()).description
        func gbvCase(_ state: String) async throws -> String {
            try #require(try await kernel.listCases(CaseFilter(caseTypes: ["gbv"], states: [state]), actor: amal, requestID: "t").cases.first?.id)
        }

        // The demo's closed case: the survivor agreed to services, referral and sharing, not to be contacted afterwards.
        let closed = try await gbvCase("closed")
        let refused = await #expect(throws: AmanaError.self) {
            try await kernel.submitForm(caseID: closed, formID: "core/service-feedback", values: Self.feedback(day: day), expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(refused?.code == "consent-required" && refused?.fieldProblems.first?.code == "consent.agreement")
        #expect(try await kernel.caseDetail(id: closed, actor: amal, requestID: "t").forms.allSatisfy { $0.formId != "core/service-feedback" })
        let denied = try await kernel.store.auditEntries(after: 0, limit: 100_000).last { $0.draft.action == "form.submit" }
        #expect(denied?.draft.outcome == .denied && denied?.draft.detail == "consent")
        // Other forms stay shut on a closed case, consent or not.
        let shut = await #expect(throws: AmanaError.self) {
            try await kernel.submitForm(caseID: closed, formID: "core/case-note", values: [:], expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(shut?.code != "consent-required")

        // A case whose survivor agreed, at closure, to be contacted: closed, then asked for feedback.
        let following = try await gbvCase("follow_up")
        _ = try await kernel.submitForm(
            caseID: following, formID: "core/consent", values: DemoAnswers.consent(day: day, scopes: ["services", "contact_after_closure"]), expectVersion: nil,
            actor: amal, requestID: "t")
        let closure = try await kernel.submitForm(caseID: following, formID: "core/closure", values: DemoAnswers.closure(day: day), expectVersion: nil, actor: amal, requestID: "t")
        let approval = try await kernel.requestApproval(caseID: following, transition: "close", actor: amal, requestID: "t")
        _ = try await kernel.decideApproval(caseID: following, approvalID: approval.id, approve: true, comment: "File reviewed.", actor: layla, requestID: "t")
        let version = try await kernel.caseDetail(id: following, actor: amal, requestID: "t").summary.version
        #expect(version >= closure.caseVersion)
        _ = try await kernel.performTransition(caseID: following, transition: "close", expectVersion: version, actor: amal, requestID: "t")
        let saved = try await kernel.submitForm(
            caseID: following, formID: "core/service-feedback", values: Self.feedback(day: day), expectVersion: nil, actor: amal, requestID: "t")
        #expect(saved.entry == 1)
        #expect(try await kernel.caseDetail(id: following, actor: amal, requestID: "t").summary.closed)
    }
}
