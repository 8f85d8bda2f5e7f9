import AmanaCore
import FormKit
import Foundation
import Identity

/// Synthetic cases for the demo install, moved through the real GBV workflow
/// by the demo caseworker (amal) and her supervisor (layla): one case in each
/// state, every form filled with invented answers. Child-protection and
/// general-protection cases are opened in their first state.
enum DemoCases {
    /// The GBV path, step by step: the form each step needs, then the transition.
    static let gbvPath: [(state: String, forms: [(String, @Sendable (String) -> [String: JSONValue])], transition: String?)] = [
        ("identified", [], nil),
        ("registered", [("core/consent", { DemoAnswers.consent(day: $0) })], "register"),
        ("assessment", [("gbv/incident", { DemoAnswers.incident(day: $0) })], "start_assessment"),
        ("case_planning", [("gbv/survivor-assessment", { DemoAnswers.survivorAssessment(day: $0) })], "start_case_planning"),
        ("implementation", [("core/case-plan", { DemoAnswers.casePlan(day: $0) })], "start_implementation"),
        ("follow_up", [("core/follow-up", { DemoAnswers.followUp(day: $0) })], "start_follow_up"),
        ("closed", [("core/closure", { DemoAnswers.closure(day: $0) })], "close"),
    ]

    static let names = [
        ("Hana", "Demo-Example"), ("مريم", "التجريبية"), ("Salma", "Placeholder"), ("Noor", "Fictional"),
        ("ريم", "المثال"), ("Dalia", "Sample"), ("Aya", "Invented"),
    ]

    static func populate(_ kernel: Kernel, report: inout InstallReport) async throws {
        guard let amal = try await demoActor(kernel, "amal"), let layla = try await demoActor(kernel, "layla") else { return }
        let day = Day(kernel.clock.now()).description
        for (index, stop) in gbvPath.enumerated() {
            let opened = try await kernel.openCase(type: "gbv", actor: amal, requestID: "init-demo")
            let id = opened.summary.id
            let (given, family) = names[index % names.count]
            _ = try await kernel.submitForm(
                caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: day, givenName: given, familyName: family),
                expectVersion: nil, actor: amal, requestID: "init-demo")
            var version = try await kernel.caseDetail(id: id, actor: amal, requestID: "init-demo").summary.version
            for step in gbvPath.prefix(index + 1).dropFirst() {
                for (form, answers) in step.forms {
                    version = try await kernel.submitForm(caseID: id, formID: form, values: answers(day), expectVersion: nil, actor: amal, requestID: "init-demo").caseVersion
                }
                guard let transition = step.transition else { continue }
                if transition == "close" {
                    let approval = try await kernel.requestApproval(caseID: id, transition: transition, actor: amal, requestID: "init-demo")
                    _ = try await kernel.decideApproval(caseID: id, approvalID: approval.id, approve: true, comment: "File reviewed.", actor: layla, requestID: "init-demo")
                }
                version = try await kernel.performTransition(caseID: id, transition: transition, expectVersion: version, actor: amal, requestID: "init-demo").summary.version
            }
            report.demoCases.append("\(opened.summary.caseNumber) (gbv, \(stop.state), held by amal)")
        }
        for (owner, type) in [("yusuf", "child-protection"), ("amal", "general-protection")] {
            guard let actor = try await demoActor(kernel, owner) else { continue }
            let opened = try await kernel.openCase(type: type, actor: actor, requestID: "init-demo")
            report.demoCases.append("\(opened.summary.caseNumber) (\(type), \(opened.summary.state), held by \(owner))")
        }
    }

    static func demoActor(_ kernel: Kernel, _ username: String) async throws -> Actor? {
        guard let user = try await kernel.store.user(username: username), let role = kernel.roles.role(user.role) else { return nil }
        return kernel.actor(user, role)
    }
}
