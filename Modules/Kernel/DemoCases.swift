import AmanaCore
import FormKit
import Foundation
import Identity

/// Synthetic cases for the demo install: for each programme, one case in each
/// state of its workflow, moved there through the real workflow by a demo
/// caseworker, with closure approved by their supervisor, every form filled
/// with invented answers.
enum DemoCases {
    typealias Answers = @Sendable (_ day: String, _ name: (given: String, family: String)) -> [String: JSONValue]

    /// One step along a workflow: the forms it needs, then the transition into `state`.
    struct Step: Sendable {
        var state: String
        var forms: [(String, Answers)]
        var transition: String?
    }

    struct Programme: Sendable {
        var caseType: String
        var owner: String
        var supervisor: String
        /// Filled in when the case is identified (the person's registration).
        var opening: [(String, Answers)]
        var path: [Step]
        var names: [(given: String, family: String)]
    }

    /// The path every programme shares after registration: plan, implement, follow up, close.
    static func sharedPath(assessment: [(String, Answers)], planning: [(String, Answers)]) -> [Step] {
        [
            Step(state: "assessment", forms: assessment, transition: "start_assessment"),
            Step(state: "case_planning", forms: planning, transition: "start_case_planning"),
            Step(state: "implementation", forms: [("core/case-plan", { day, _ in DemoAnswers.casePlan(day: day) })], transition: "start_implementation"),
            Step(state: "follow_up", forms: [("core/follow-up", { day, _ in DemoAnswers.followUp(day: day) })], transition: "start_follow_up"),
            Step(state: "closed", forms: [("core/closure", { day, _ in DemoAnswers.closure(day: day) })], transition: "close"),
        ]
    }

    static let programmes: [Programme] = [
        Programme(
            caseType: "gbv", owner: "amal", supervisor: "layla",
            opening: [("core/registration", { day, n in DemoAnswers.registration(day: day, givenName: n.given, familyName: n.family) })],
            path: [
                Step(state: "identified", forms: [], transition: nil),
                Step(state: "registered", forms: [("core/consent", { day, _ in DemoAnswers.consent(day: day) })], transition: "register"),
            ] + sharedPath(
                assessment: [("gbv/incident", { day, _ in DemoAnswers.incident(day: day) })],
                planning: [("gbv/survivor-assessment", { day, _ in DemoAnswers.survivorAssessment(day: day) })]),
            names: [
                ("Hana", "Demo-Example"), ("مريم", "التجريبية"), ("Salma", "Placeholder"), ("Noor", "Fictional"),
                ("ريم", "المثال"), ("Dalia", "Sample"), ("Aya", "Invented"),
            ]),
        // A 14-year-old: his assent and his mother's consent (Caring for Child Survivors, 12-14).
        Programme(
            caseType: "child-protection", owner: "yusuf", supervisor: "huda",
            opening: [("core/registration", { day, n in DemoAnswers.registration(day: day, givenName: n.given, familyName: n.family, sex: "male", age: 14) })],
            path: [
                Step(state: "identified", forms: [], transition: nil),
                Step(
                    state: "registered",
                    forms: [
                        ("core/consent", { day, _ in DemoAnswers.childAgreement(day: day) }),
                        ("core/consent", { day, n in DemoAnswers.childAgreement(day: day, caregiver: "Mother of \(n.given)") }),
                        ("child-protection/child-registration", { _, n in DemoAnswers.childRegistration(caregiver: "Mother of \(n.given)") }),
                    ],
                    transition: "register"),
            ] + sharedPath(
                assessment: [],
                planning: [("child-protection/risk-assessment", { day, _ in DemoAnswers.childRiskAssessment(day: day) })]),
            names: [
                ("Yousef", "Demo-Child"), ("سامر", "التجريبي"), ("Omar", "Placeholder-Child"), ("Ali", "Fictional-Child"),
                ("كريم", "المثال"), ("Adam", "Sample-Child"), ("Zaid", "Invented-Child"),
            ]),
        Programme(
            caseType: "general-protection", owner: "amal", supervisor: "layla",
            opening: [("core/registration", { day, n in DemoAnswers.registration(day: day, givenName: n.given, familyName: n.family, age: 41) })],
            path: [
                Step(state: "identified", forms: [], transition: nil),
                Step(state: "registered", forms: [("core/consent", { day, _ in DemoAnswers.consent(day: day) })], transition: "register"),
            ] + sharedPath(
                assessment: [("general-protection/intake", { day, _ in DemoAnswers.intake(day: day) })],
                planning: [("core/assessment", { day, _ in DemoAnswers.needsAssessment(day: day) })]),
            names: [
                ("Fatima", "Demo-Person"), ("خديجة", "التجريبية"), ("Samira", "Placeholder-Person"), ("Rasha", "Fictional-Person"),
                ("هدى", "المثال"), ("Leila", "Sample-Person"), ("Mona", "Invented-Person"),
            ]),
    ]

    static func populate(_ kernel: Kernel, report: inout InstallReport) async throws {
        let day = Day(kernel.clock.now()).description
        for programme in programmes {
            guard kernel.caseTypes.contains(programme.caseType),
                  let owner = try await demoActor(kernel, programme.owner), let supervisor = try await demoActor(kernel, programme.supervisor)
            else { continue }
            for (index, stop) in programme.path.enumerated() {
                let name = programme.names[index % programme.names.count]
                let opened = try await kernel.openCase(type: programme.caseType, actor: owner, requestID: "init-demo")
                let id = opened.summary.id
                var version = opened.summary.version
                func submit(_ forms: [(String, Answers)]) async throws {
                    for (form, answers) in forms {
                        version = try await kernel.submitForm(
                            caseID: id, formID: form, values: answers(day, name), expectVersion: nil, actor: owner, requestID: "init-demo").caseVersion
                    }
                }
                try await submit(programme.opening)
                for step in programme.path.prefix(index + 1).dropFirst() {
                    try await submit(step.forms)
                    guard let transition = step.transition else { continue }
                    if transition == "close" {
                        let approval = try await kernel.requestApproval(caseID: id, transition: transition, actor: owner, requestID: "init-demo")
                        _ = try await kernel.decideApproval(
                            caseID: id, approvalID: approval.id, approve: true, comment: "File reviewed.", actor: supervisor, requestID: "init-demo")
                    }
                    version = try await kernel.performTransition(caseID: id, transition: transition, expectVersion: version, actor: owner, requestID: "init-demo").summary.version
                }
                report.demoCases.append("\(opened.summary.caseNumber) (\(programme.caseType), \(stop.state), held by \(programme.owner))")
            }
        }
    }

    static func demoActor(_ kernel: Kernel, _ username: String) async throws -> Actor? {
        guard let user = try await kernel.store.user(username: username), let role = kernel.roles.role(user.role) else { return nil }
        return kernel.actor(user, role)
    }
}
