import AmanaCore
import FormKit
import Foundation
import Testing
@testable import Kernel

/// The case process of the Iraq forum report, through the Kernel: a social
/// worker registers a survivor with consent, a case worker assesses, plans and
/// follows up, the supervisor approves closure after the follow-up period.
@Suite("Cases through their workflow")
struct CaseWorkflowTests {
    func team(_ f: KernelFixture) async throws {
        try await f.addUser("sara", "social_worker")
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("nadia", "specialist")
    }

    @Test func fromIdentificationToClosure() async throws {
        let f = try await KernelFixture()
        try await team(f)
        let sara = try await f.signIn("sara").actor, amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let k = f.kernel
        var detail = try await k.openCase(type: "gbv", actor: sara, requestID: "t")
        let id = detail.summary.id
        #expect(detail.summary.state == "identified")
        #expect(detail.summary.caseNumber.hasPrefix("ACME-"))

        // Registration waits for consent: the refusal names each missing thing.
        let early = await #expect(throws: AmanaError.self) {
            try await k.performTransition(caseID: id, transition: "register", expectVersion: detail.summary.version, actor: sara, requestID: "t")
        }
        #expect(early?.kind == .conflict)
        #expect(early?.fieldProblems.map(\.code) == ["workflow.form-missing", "workflow.form-missing", "workflow.consent-missing"])
        #expect(early?.message.contains("Consent and assent") == true)

        _ = try await k.submitForm(caseID: id, formID: "core/consent", values: DemoAnswers.consent(day: f.day), expectVersion: nil, actor: sara, requestID: "t")
        _ = try await k.submitForm(
            caseID: id, formID: "core/registration", values: DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Example"),
            expectVersion: nil, actor: sara, requestID: "t")
        detail = try await k.caseDetail(id: id, actor: sara, requestID: "t")
        #expect(detail.transitions.first { $0.id == "register" }?.available == true)
        detail = try await k.performTransition(caseID: id, transition: "register", expectVersion: detail.summary.version, actor: sara, requestID: "t")
        #expect(detail.summary.state == "registered")

        // The supervisor hands the case to the case worker.
        detail = try await k.updateCase(id: id, owner: "amal", riskLevel: nil, expectVersion: detail.summary.version, actor: layla, requestID: "t")
        #expect(detail.summary.owner == "amal")
        await #expect(throws: AmanaError.notFound) { try await k.caseDetail(id: id, actor: sara, requestID: "t") }

        var version = detail.summary.version
        for (form, answers, transition) in [
            ("gbv/incident", DemoAnswers.incident(day: f.day), "start_assessment"),
            ("gbv/survivor-assessment", DemoAnswers.survivorAssessment(day: f.day, risk: "medium"), "start_case_planning"),
            ("core/case-plan", DemoAnswers.casePlan(day: f.day), "start_implementation"),
            ("core/follow-up", DemoAnswers.followUp(day: f.day), "start_follow_up"),
        ] {
            version = try await k.submitForm(caseID: id, formID: form, values: answers, expectVersion: nil, actor: amal, requestID: "t").caseVersion
            version = try await k.performTransition(caseID: id, transition: transition, expectVersion: version, actor: amal, requestID: "t").summary.version
        }
        detail = try await k.caseDetail(id: id, actor: amal, requestID: "t")
        #expect(detail.summary.state == "follow_up")
        #expect(detail.summary.riskLevel == "medium")
        #expect(detail.history.map(\.to) == ["identified", "registered", "assessment", "case_planning", "implementation", "follow_up"])

        // The plan's action is a task from the start; after three months of follow-up the closure review comes due too.
        #expect(try await k.myWork(actor: amal, requestID: "t").map(\.title) == ["Plan: Accompany to the clinic."])
        f.clock.advance(by: 91 * 86_400)
        let work = try await k.myWork(actor: amal, requestID: "t")
        #expect(work.map(\.title) == ["Plan: Accompany to the clinic.", "Three months of follow-up: review the case for closure"])
        #expect(work.first?.overdue == true)

        // Closure needs the form, then the supervisor's approval (never one's own).
        version = try await k.submitForm(caseID: id, formID: "core/closure", values: DemoAnswers.closure(day: f.day), expectVersion: nil, actor: amal, requestID: "t").caseVersion
        let needsApproval = await #expect(throws: AmanaError.self) {
            try await k.performTransition(caseID: id, transition: "close", expectVersion: version, actor: amal, requestID: "t")
        }
        #expect(needsApproval?.fieldProblems.map(\.code) == ["workflow.approval-needed"])
        let approval = try await k.requestApproval(caseID: id, transition: "close", actor: amal, requestID: "t")
        #expect(try await k.pendingApprovals(actor: layla, requestID: "t").map(\.id) == [approval.id])
        await #expect(throws: AmanaError.self) {
            try await k.decideApproval(caseID: id, approvalID: approval.id, approve: true, comment: nil, actor: amal, requestID: "t")
        }
        let approved = try await k.decideApproval(caseID: id, approvalID: approval.id, approve: true, comment: "File complete.", actor: layla, requestID: "t")
        #expect(approved.status == "approved" && approved.comment == "File complete.")
        detail = try await k.performTransition(caseID: id, transition: "close", expectVersion: version, actor: amal, requestID: "t")
        #expect(detail.summary.closed)
        #expect(detail.tasks.isEmpty)
        #expect(try await k.myWork(actor: amal, requestID: "t").isEmpty)

        // Closed is read-only until reopened with a reason.
        let closed = await #expect(throws: AmanaError.self) {
            try await k.submitForm(caseID: id, formID: "core/case-note", values: DemoAnswers.caseNote(at: "2026-01-01T10:00:00Z", note: "x"), expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(closed?.code == "case-closed")
        let noReason = await #expect(throws: AmanaError.self) {
            try await k.performTransition(caseID: id, transition: "reopen", expectVersion: detail.summary.version, actor: amal, requestID: "t")
        }
        #expect(noReason?.code == "reason-required")
        detail = try await k.performTransition(
            caseID: id, transition: "reopen", reason: "She came back after a new incident.", expectVersion: detail.summary.version, actor: amal, requestID: "t")
        #expect(!detail.summary.closed && detail.summary.state == "assessment")
        #expect(detail.history.last?.reason == "She came back after a new incident.")
        #expect(try await f.auditEntries("case.transition").filter { $0.draft.outcome == .success }.count == 7)
    }

    @Test func refusalsAreInTheCaseworkersLanguage() async throws {
        let f = try await KernelFixture()
        try await team(f)
        var amal = try await f.signIn("amal").actor
        amal.language = "ar"
        let detail = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t")
        let register = try #require(detail.transitions.first { $0.id == "register" })
        #expect(register.label == "تسجيل الحالة")
        #expect(register.blockedBy.first?.message == "املأ نموذج «الموافقة والقبول» أولاً.")
    }

    @Test func aHighRiskCaseNeedsTheHighRiskPath() async throws {
        let f = try await KernelFixture()
        try await team(f)
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Noor", familyName: "Example")
        var version = try await f.register(id, by: amal)
        var assessment = DemoAnswers.survivorAssessment(day: f.day, risk: "high")
        assessment["immediate_danger"] = true
        for (form, answers) in [("gbv/incident", DemoAnswers.incident(day: f.day)), ("gbv/survivor-assessment", assessment), ("core/case-plan", DemoAnswers.casePlan(day: f.day))] {
            version = try await f.kernel.submitForm(caseID: id, formID: form, values: answers, expectVersion: nil, actor: amal, requestID: "t").caseVersion
            if form != "core/case-plan" {
                let next = form == "gbv/incident" ? "start_assessment" : "start_case_planning"
                version = try await f.kernel.performTransition(caseID: id, transition: next, expectVersion: version, actor: amal, requestID: "t").summary.version
            }
        }
        let options = try await f.kernel.transitions(caseID: id, actor: amal, requestID: "t")
        #expect(options.first { $0.id == "start_implementation" }?.blockedBy.first?.message.contains("high-risk case") == true)
        #expect(options.first { $0.id == "start_implementation_high_risk" }?.blockedBy.map(\.code) == ["workflow.form-missing", "workflow.approval-needed"])
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").summary.riskLevel == "high")
        // A follow-up that finds the risk changed sets it too (and a follow-up that finds no change leaves it).
        var followUp = DemoAnswers.followUp(day: f.day)
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/follow-up", values: followUp, expectVersion: nil, actor: amal, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").summary.riskLevel == "high")
        followUp["new_risk"] = true
        followUp["current_risk_level"] = "medium"
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/follow-up", values: followUp, expectVersion: nil, actor: amal, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").summary.riskLevel == "medium")
    }

    @Test func anIdentifiedCaseNotRegisteredIsARemindedTaskUntilRegistered() async throws {
        let f = try await KernelFixture()
        try await team(f)
        let amal = try await f.signIn("amal").actor
        let first = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        let second = try await f.caseWithRegistration(owner: "amal", givenName: "Aya", familyName: "Example")
        let version = try await f.kernel.caseDetail(id: second, actor: amal, requestID: "t").summary.version
        _ = try await f.kernel.performTransition(caseID: second, transition: "register", expectVersion: version, actor: amal, requestID: "t")
        f.clock.advance(by: 3 * 86_400 + 60)
        let work = try await f.kernel.myWork(actor: amal, requestID: "t")
        #expect(work.map(\.caseId) == [first])
        // Firing twice (another process, the next minute) adds nothing.
        #expect(try await f.kernel.fireDueTimers(requestID: "t") == 0)
        try await f.kernel.completeTask(caseID: first, taskID: work[0].id, actor: amal, requestID: "t")
        #expect(try await f.kernel.myWork(actor: amal, requestID: "t").isEmpty)
    }

    /// "Assessment due within N days by risk level": a survivor found to be at
    /// high risk on the second day of an open-ended assessment is due at once.
    @Test func theAssessmentIsPacedByTheRiskLevelAsItBecomesKnown() async throws {
        let f = try await KernelFixture()
        try await team(f)
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Paced", familyName: "Example")
        var version = try await f.register(id, by: amal)
        version = try await f.kernel.submitForm(
            caseID: id, formID: "gbv/incident", values: DemoAnswers.incident(day: f.day), expectVersion: nil, actor: amal, requestID: "t").caseVersion
        let started = f.clock.now()
        version = try await f.kernel.performTransition(caseID: id, transition: "start_assessment", expectVersion: version, actor: amal, requestID: "t").summary.version
        func assessmentTimer() async throws -> Date? {
            try await f.kernel.store.pendingTimers(caseID: CaseID(id)).first { $0.timerID == "assessment_due" }?.firesAt
        }
        #expect(try await assessmentTimer() == started.addingTimeInterval(3 * 86_400))  // no risk level yet
        f.clock.advance(by: 86_400 + 3600)
        #expect(try await f.kernel.myWork(actor: amal, requestID: "t").isEmpty)
        // The assessment finds her at high risk: due a day after it started, which has passed.
        _ = try await f.kernel.submitForm(
            caseID: id, formID: "gbv/survivor-assessment", values: DemoAnswers.survivorAssessment(day: f.day, risk: "high"), expectVersion: nil,
            actor: amal, requestID: "t")
        #expect(try await assessmentTimer() == started.addingTimeInterval(86_400))
        let work = try await f.kernel.myWork(actor: amal, requestID: "t")
        #expect(try await assessmentTimer() == nil)  // fired
        #expect(work.map(\.title) == ["Finish the assessment and move to case planning"])
        #expect(work.first?.dueAt == started.addingTimeInterval(86_400))
        #expect(work.first?.overdue == true)
        // Lowered by hand before it fires, a timer takes the slower pace.
        let other = try await f.caseWithRegistration(owner: "amal", givenName: "Slow", familyName: "Example")
        var v = try await f.register(other, by: amal)
        v = try await f.kernel.submitForm(
            caseID: other, formID: "gbv/incident", values: DemoAnswers.incident(day: f.day), expectVersion: nil, actor: amal, requestID: "t").caseVersion
        let otherStart = f.clock.now()
        v = try await f.kernel.performTransition(caseID: other, transition: "start_assessment", expectVersion: v, actor: amal, requestID: "t").summary.version
        _ = try await f.kernel.updateCase(id: other, owner: nil, riskLevel: "low", expectVersion: v, actor: amal, requestID: "t")
        #expect(try await f.kernel.store.pendingTimers(caseID: CaseID(other)).first { $0.timerID == "assessment_due" }?.firesAt == otherStart.addingTimeInterval(7 * 86_400))
    }
}

@Suite("The case file: versions, validation, need-to-know per form")
struct CaseFileTests {
    @Test func aStaleWriteIsRefusedAndNothingIsLost() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        var mine = DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Example")
        mine["other_names"] = "Umm Sami"
        var theirs = mine
        theirs["other_names"] = "Hanoun"
        _ = try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: mine, expectVersion: 1, actor: amal, requestID: "t")
        let stale = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: theirs, expectVersion: 1, actor: layla, requestID: "t")
        }
        #expect(stale?.kind == .preconditionFailed && stale?.code == "submission-changed")
        let now = try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: layla, requestID: "t")
        #expect(now.values["other_names"] == "Umm Sami" && now.version == 2)
        let history = try await f.kernel.submissionHistory(caseID: id, formID: "core/registration", actor: layla, requestID: "t")
        #expect(history.map(\.version) == [1, 2])
        #expect(history[1].changed == ["/other_names"])
        #expect(history[1].by == "amal")
        let noVersion = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: theirs, expectVersion: nil, actor: layla, requestID: "t")
        }
        #expect(noVersion?.code == "version-required")
        let caseStale = await #expect(throws: AmanaError.self) {
            try await f.kernel.updateCase(id: id, owner: nil, riskLevel: "high", expectVersion: 1, actor: layla, requestID: "t")
        }
        #expect(caseStale?.code == "case-changed")
    }

    @Test(arguments: ["Call back", #"Ask "Noor" about the \ form"#, "اتصل بالناجية صباحاً", "Line one\nline two\tand a tab"])
    func aTaskTitleComesBackExactlyInMyWorkAndOnTheCase(title: String) async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        let added = try await f.kernel.addTask(caseID: id, title: title, dueAt: f.clock.now().addingTimeInterval(3_600), assignee: nil, actor: amal, requestID: "t")
        #expect(added.title == title)
        #expect(try await f.kernel.myWork(actor: amal, requestID: "t").first { $0.id == added.id }?.title == title)
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").tasks.first { $0.id == added.id }?.title == title)
    }

    @Test func everyProblemComesBackAtOnceAndNothingIsStored() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        var answers = DemoAnswers.registration(day: f.day, givenName: "Hana", familyName: "Example")
        answers["sex"] = "unicorn"
        answers["estimated_age"] = "twenty"
        answers["identification_date"] = nil
        let error = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "core/registration", values: answers, expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(error?.kind == .invalidInput)
        #expect(Set(error?.fieldProblems.map(\.path) ?? []) == ["/sex", "/estimated_age", "/identification_date"])
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").forms.isEmpty)

        let unknown = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "gbv/nothing", values: [:], expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(unknown?.code == "form-unknown")
        let notUsed = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(caseID: id, formID: "child-protection/child-registration", values: [:], expectVersion: nil, actor: amal, requestID: "t")
        }
        #expect(notUsed?.code == "form-not-used")
    }

    @Test func aRetryWithTheSameIdempotencyKeyAddsNothing() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        let amal = try await f.signIn("amal").actor
        let id = try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id
        let note = DemoAnswers.caseNote(at: "2026-09-01T09:00:00Z", note: "First meeting at the centre.")
        let first = try await f.kernel.submitForm(caseID: id, formID: "core/case-note", values: note, expectVersion: nil, idempotencyKey: "k-1", actor: amal, requestID: "t")
        let retry = try await f.kernel.submitForm(caseID: id, formID: "core/case-note", values: note, expectVersion: nil, idempotencyKey: "k-1", actor: amal, requestID: "t")
        #expect(first.entry == 1 && retry.entry == 1)
        let second = try await f.kernel.submitForm(caseID: id, formID: "core/case-note", values: note, expectVersion: nil, idempotencyKey: "k-2", actor: amal, requestID: "t")
        #expect(second.entry == 2)
        let reused = await #expect(throws: AmanaError.self) {
            try await f.kernel.submitForm(
                caseID: id, formID: "core/case-note", values: DemoAnswers.caseNote(at: "2026-09-01T09:00:00Z", note: "Different."), expectVersion: nil,
                idempotencyKey: "k-1", actor: amal, requestID: "t")
        }
        #expect(reused?.code == "idempotency-key-reused")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").forms.count == 2)
    }

    /// An organisation narrows who reads the incident form by an overlay of its own (need-to-know), without forking it.
    static let incidentForCaseManagers = [
        "acme-need-to-know/plugin.yaml": """
            id: acme-need-to-know
            version: 1.0.0
            kernel: ">=1.0"
            title: {en: ACME's readers of the incident, ar: من يقرأ الحادثة لدى ACME}
            uses: [gbv/incident]
            overlays: [overlays/*.yaml]
            """,
        "acme-need-to-know/overlays/incident.yaml": """
            overlay: gbv/incident
            version: 1
            readable_by: [case_manager]
            """,
    ]

    @Test func anOverlayNarrowsWhoReadsTheIncident() async throws {
        let f = try await KernelFixture(installPlugins: Self.incidentForCaseManagers)
        #expect(f.kernel.definitions.errors.isEmpty, "\(f.kernel.definitions.errors)")
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/incident", values: DemoAnswers.incident(day: f.day), expectVersion: nil, actor: layla, requestID: "t")
        #expect(try await f.kernel.caseDetail(id: id, actor: amal, requestID: "t").forms.first { $0.formId == "gbv/incident" }?.readable == false)
        await #expect(throws: AmanaError.notFound) { try await f.kernel.readSubmission(caseID: id, formID: "gbv/incident", actor: amal, requestID: "t") }
        #expect(try await f.kernel.readSubmission(caseID: id, formID: "gbv/incident", actor: layla, requestID: "t").version == 1)
    }

    @Test func anInvitedSpecialistSeesTheCaseButNotTheIncident() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("nadia", "specialist", team: nil)
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor, nadia = try await f.signIn("nadia").actor
        let id = try await f.caseWithRegistration(owner: "amal", givenName: "Hana", familyName: "Example")
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/incident", values: DemoAnswers.incident(day: f.day), expectVersion: nil, actor: amal, requestID: "t")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.caseDetail(id: id, actor: nadia, requestID: "t") }
        let invite = await #expect(throws: AmanaError.self) { try await f.kernel.addMember(caseID: id, username: "nadia", actor: amal, requestID: "t") }
        #expect(invite?.kind == .forbidden)
        _ = try await f.kernel.addMember(caseID: id, username: "nadia", actor: layla, requestID: "t")
        let seen = try await f.kernel.caseDetail(id: id, actor: nadia, requestID: "t")
        #expect(seen.forms.first { $0.formId == "gbv/incident" }?.readable == false)
        #expect(try await f.kernel.readSubmission(caseID: id, formID: "core/registration", actor: nadia, requestID: "t").values["given_name"] == "Hana")
        await #expect(throws: AmanaError.notFound) { try await f.kernel.readSubmission(caseID: id, formID: "gbv/incident", actor: nadia, requestID: "t") }
        let history = try await f.kernel.submissionHistory(caseID: id, formID: "gbv/incident", actor: nadia, requestID: "t")
        #expect(history.count == 1 && history[0].values == nil && history[0].by == "amal")
        // Nor can she confirm a guess at an answer of the incident by searching for it.
        let name = "Khalid Example"
        var incident = DemoAnswers.incident(day: f.day)
        incident["perpetrator_name"] = .string(name)
        _ = try await f.kernel.submitForm(caseID: id, formID: "gbv/incident", values: incident, expectVersion: 1, actor: amal, requestID: "t")
        #expect(try await f.kernel.searchCases(value: name, field: "perpetrator_name", actor: amal, requestID: "t").map(\.id) == [id])
        let guessed = await #expect(throws: AmanaError.self) {
            try await f.kernel.searchCases(value: name, field: "perpetrator_name", actor: nadia, requestID: "t")
        }
        #expect(guessed?.code == "field-not-searchable")
        #expect(try await f.kernel.searchCases(value: name, actor: nadia, requestID: "t").isEmpty)
        #expect(try await f.kernel.searchCases(value: "Hana", actor: nadia, requestID: "t").map(\.id) == [id])
        // A form no longer served (an upgrade dropped it) is read by no one: who may read it is no longer known.
        #expect(f.kernel.mayRead("core/registration", actor: nadia) && f.kernel.mayRead("gbv/incident", actor: amal))
        #expect(!f.kernel.mayRead("gbv/incident-2019", actor: amal) && !f.kernel.mayRead("gbv/incident-2019", actor: nadia))
        #expect(try await f.auditEntries("form.read").contains { $0.draft.outcome == .denied && $0.draft.actor == nadia.auditName })
    }

    @Test func theCaseListIsPagedAndFilteredWithinReach() async throws {
        let f = try await KernelFixture()
        try await f.addUser("amal", "case_worker")
        try await f.addUser("layla", "case_manager")
        try await f.addUser("yusuf", "case_worker", team: "CP team")
        let amal = try await f.signIn("amal").actor, layla = try await f.signIn("layla").actor, yusuf = try await f.signIn("yusuf").actor
        var ids: [String] = []
        for _ in 0..<5 { ids.append(try await f.kernel.openCase(type: "gbv", actor: amal, requestID: "t").summary.id) }
        _ = try await f.kernel.openCase(type: "gbv", actor: yusuf, requestID: "t")
        let first = try await f.kernel.listCases(CaseFilter(limit: 2), actor: layla, requestID: "t")
        #expect(first.cases.map(\.id) == [ids[4], ids[3]])
        let second = try await f.kernel.listCases(CaseFilter(cursor: first.nextCursor, limit: 2), actor: layla, requestID: "t")
        #expect(second.cases.map(\.id) == [ids[2], ids[1]])
        #expect(try await f.kernel.listCases(CaseFilter(), actor: amal, requestID: "t").cases.count == 5)
        #expect(try await f.kernel.listCases(CaseFilter(), actor: yusuf, requestID: "t").cases.count == 1)
        #expect(try await f.kernel.listCases(CaseFilter(states: ["registered"]), actor: amal, requestID: "t").cases.isEmpty)
        let bad = await #expect(throws: AmanaError.self) { try await f.kernel.listCases(CaseFilter(cursor: "nonsense"), actor: amal, requestID: "t") }
        #expect(bad?.pointer == "/cursor")
    }
}
