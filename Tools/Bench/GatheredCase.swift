import AmanaCore
import Foundation
import Identity
import Kernel

/// A case some months on: registered, assessed, planned and being carried out, with the
/// follow-ups and case notes a caseworker adds along the way. A case read costs what the
/// case has gathered only as far as the steps out of its state weigh it; the caseload's
/// own cases, just opened with two forms, cannot show that.
enum GatheredCase {
    /// Walks `id` (opened with its consent and registration) to implementation through the
    /// Kernel, as a caseworker would, then adds `followUps` follow-ups and `notes` case notes.
    /// Returns the number of form entries the case then holds.
    static func walk(_ kernel: Kernel, id: String, actor: Actor, day: String, followUps: Int = 5, notes: Int = 10) async throws -> Int {
        var version = try await kernel.caseDetail(id: id, actor: actor, requestID: "bench").summary.version
        func fill(_ formID: String, _ values: [String: JSONValue]) async throws {
            version = try await kernel.submitForm(caseID: id, formID: formID, values: values, expectVersion: nil, actor: actor, requestID: "bench").caseVersion
        }
        func step(_ transition: String) async throws {
            version = try await kernel.performTransition(caseID: id, transition: transition, expectVersion: version, actor: actor, requestID: "bench").summary.version
        }
        try await step("register")
        try await fill("gbv/incident", DemoAnswers.incident(day: day))
        try await step("start_assessment")
        try await fill("gbv/survivor-assessment", DemoAnswers.survivorAssessment(day: day))
        try await step("start_case_planning")
        try await fill("core/case-plan", DemoAnswers.casePlan(day: day))
        try await step("start_implementation")
        for _ in 0..<followUps { try await fill("core/follow-up", DemoAnswers.followUp(day: day)) }
        for n in 0..<notes { try await fill("core/case-note", DemoAnswers.caseNote(at: "\(day)T08:00:00Z", note: "Contact \(n + 1).")) }
        return try await kernel.caseDetail(id: id, actor: actor, requestID: "bench").forms.count
    }
}
