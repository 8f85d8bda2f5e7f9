import AmanaCore
import FormKit
import Foundation
import Identity
import Testing
@testable import Kernel

/// A supervisor's case file review: a checklist form the programme defines, its
/// actions tasks for the case worker, the case marked reviewed.
@Suite("Case file review")
struct CaseFileReviewTests {
    @Test func aSupervisorReviewsTheFileTheCaseWorkerReadsItAndGetsTheActions() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").lastReviewedAt == nil)
        let due = Day(f.clock.now().addingTimeInterval(7 * 86_400)).description
        let review: [String: JSONValue] = [
            "review_date": .string(f.day), "with_case_worker": true, "consent_complete": "yes", "intake_complete": "partly", "plan_holistic": "no",
            "safety_plan": "not_applicable", "notes_up_to_date": "yes", "referrals_followed_up": "not_applicable", "closure_complete": "not_applicable",
            "findings": "No action plan yet; the assessment misses her priorities.",
            "actions": [["action": "Write the case action plan with her", "due_date": .string(due)]],
        ]
        // The case worker reads reviews of her cases but does not write them.
        let byWorker = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/case-file-review", values: review, expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(byWorker?.kind == .forbidden)
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/case-file-review", values: review, expectVersion: nil, actor: layla, requestID: "t")
        let detail = try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t")
        #expect(detail.lastReviewedBy == "layla" && detail.lastReviewedAt == f.clock.now())
        #expect(try await f.kernel.readSubmission(caseID: id, formID: "core/case-file-review", actor: amal, requestID: "t").values["findings"] != nil)
        let work = try await f.kernel.myWork(actor: amal, requestID: "t")
        #expect(work.contains { $0.caseId == id && $0.title == "Review: Write the case action plan with her" }, "\(work.map(\.title))")
    }
}
