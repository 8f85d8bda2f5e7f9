import AmanaCore
import FormKit
import Foundation
import Identity
import Store
import Workflow

extension Kernel {
    /// The transitions out of the case's state, each with the reasons it cannot be made now.
    public func transitions(caseID: String, actor: Actor, requestID: String) async throws(AmanaError) -> [TransitionView] {
        try await run {
            let opened = try await accessCase(caseID, for: "read", actor: actor, auditAction: "case.read", requestID: requestID)
            let (engine, _, _, situation) = try await workflowState(of: opened)
            return engine.options(for: situation, role: actor.role.id).map { transitionView($0, language: actor.language) }
        }
    }

    /// Moves a case along its workflow. Every guard is checked here, for every
    /// front end; a refusal names each unmet one in the actor's language. A
    /// closed case is reopened only with a reason.
    public func performTransition(
        caseID: String, transition transitionID: String, reason: String? = nil, expectVersion: Int?, actor: Actor, requestID: String
    ) async throws(AmanaError) -> CaseDetail {
        guard let expectVersion else { throw Kernel.versionRequired }
        return try await run {
            let opened = try await accessCase(caseID, for: "update", actor: actor, auditAction: "case.transition", requestID: requestID)
            let record = opened.record
            let (engine, _, approvals, situation) = try await workflowState(of: opened)
            guard let option = engine.option(transitionID, for: situation, role: actor.role.id) else {
                let open = engine.definition.transitions(from: record.state).map(\.id)
                throw AmanaError(
                    .conflict, code: "transition-not-here",
                    "A case in '\(engine.definition.state(record.state)?.label.text(actor.language) ?? record.state)' cannot take the step '\(transitionID)'; it can take: \(open.joined(separator: ", ")).",
                    pointer: "/transition")
            }
            guard option.isAvailable else {
                _ = await refuse(.user(actor), "case.transition", "case:\(caseID)", requestID: requestID)
                throw blocked(option, actor: actor)
            }
            let leavingFinal = engine.isFinal(record.state)
            let trimmedReason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if leavingFinal, trimmedReason.isEmpty {
                throw AmanaError.invalid("reason-required", "Say why the case is reopened.", pointer: "/reason")
            }
            guard trimmedReason.utf8.count <= 4000 else { throw AmanaError.invalid("reason-too-long", "A reason has at most 4000 bytes.", pointer: "/reason") }
            let now = clock.now()
            let target = option.transition.to
            var change = CaseChange(caseID: record.id, expectedVersion: expectVersion, at: now)
            change.state = target
            change.stateChange = StateChangeRecord(
                at: now, actorID: actor.userID, transitionID: transitionID, fromState: record.state, toState: target,
                sealedReason: trimmedReason.isEmpty ? nil : try sealText(trimmedReason, key: opened.key, caseID: record.id, as: Kernel.reasonPurpose))
            apply(engine.timerChanges(for: WorkflowEngine.events(from: record.state, to: target), at: now, riskLevel: record.riskLevel), to: &change)
            if engine.isFinal(target) {
                change.closedAt = .some(now)
                // A closed case stops reminding anyone of anything.
                change.timersCancelled = engine.definition.timers.map { TimerStop(timerID: $0.id) } + [TimerStop(timerID: Kernel.consentRenewalTimer)]
                change.timersStarted = []
                change.tasksCancelled = try await store.tasks(caseID: record.id).filter { $0.status == .open }.map(\.id)
                // Nor does it wait for a colleague to take it over.
                for proposal in try await store.activities(caseID: record.id) where proposal.kind == .transfer && proposal.status == "proposed" {
                    var content = try content(TransferContent.self, of: proposal, key: opened.key)
                    content.events.append(ActivityEvent(at: now, by: actor.userID.rawValue, status: "withdrawn", reason: "The case was closed."))
                    var withdrawn = proposal
                    withdrawn.status = "withdrawn"
                    withdrawn.updatedAt = now
                    withdrawn.sealedContent = try sealDocument(content, key: opened.key, caseID: record.id, as: Kernel.activityPurpose(proposal.id))
                    change.activities.append(ActivityWrite(record: withdrawn, expectedVersion: proposal.version))
                }
            } else if leavingFinal {
                change.closedAt = .some(nil)
                // Reopened: the consent renewals still ahead count again.
                change.timersStarted += try await plannedConsentRenewals(of: opened, now: now)
            }
            if var used = approvals.last(where: { $0.transitionID == transitionID && $0.state == record.state && $0.status == .approved }) {
                used.status = .used
                change.approvals = [used]
            }
            _ = try await applyCaseChange(
                change, audit: audit(actor.auditName, "case.transition", "case:\(caseID)", requestID: requestID, detail: "transition=\(transitionID) from=\(record.state) to=\(target)"))
            return try await detail(of: opened, actor: actor, audited: false, requestID: requestID)
        }
    }

    /// The refusal for a blocked transition: a role problem is "forbidden",
    /// anything else a conflict with the case's present state; each reason is listed.
    func blocked(_ option: TransitionOption, actor: Actor) -> AmanaError {
        let view = transitionView(option, language: actor.language)
        let reasons = view.blockedBy.map(\.message).joined(separator: " ")
        let roleOnly = option.blockers.allSatisfy { if case .role = $0 { true } else { false } }
        var error = AmanaError(roleOnly ? .forbidden : .conflict, code: "transition-blocked", "'\(view.label)' cannot be done yet. \(reasons)", pointer: "/transition")
        error.fieldProblems = view.blockedBy.map { FieldProblem(path: "/transition", code: $0.code, message: $0.message) }
        return error
    }

    func transitionView(_ option: TransitionOption, language: String) -> TransitionView {
        TransitionView(
            id: option.transition.id, label: option.transition.label.text(language), to: option.transition.to, available: option.isAvailable,
            canRequestApproval: option.canRequestApproval,
            blockedBy: option.blockers.map { TransitionView.Reason(code: $0.code, message: $0.message(language, messages: definitions.messages) { label($0, language: language) }) })
    }

    /// Adds timer starts and cancellations to a change.
    /// The case's risk level becomes `riskLevel`: each running timer paced by
    /// risk (`after_by_risk`) keeps its start and takes the new pace, so a case
    /// found to be at high risk during its assessment is due sooner. `pending`: the case's
    /// pending timers when the caller has them (a case not written yet); else they are read.
    func retimeTimers(of record: CaseRecord, for riskLevel: String, pending: [TimerRecord]? = nil, into change: inout CaseChange) async throws {
        guard riskLevel != record.riskLevel, let engine = try? workflow(of: record) else { return }
        let paced = Dictionary(engine.definition.timers.filter { !$0.afterByRisk.isEmpty }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard !paced.isEmpty else { return }
        let running = if let pending { pending } else { try await store.pendingTimers(caseID: record.id) }
        for pending in running {
            guard let timer = paced[pending.timerID], let started = pending.startedAt else { continue }
            change.timersRetimed[pending.id] = started.addingTimeInterval(TimeInterval(timer.span(riskLevel: riskLevel).seconds))
        }
    }

    /// Adds timer starts and stops to a change; with a `subject` (a referral), only
    /// that subject's timers stop, and those started are about it.
    func apply(_ changes: [TimerChange], to change: inout CaseChange, subject: String? = nil) {
        for timerChange in changes {
            switch timerChange {
            case .cancel(let timerID):
                change.timersCancelled.append(TimerStop(timerID: timerID, subject: subject))
            case .start(let timer, let firesAt):
                change.timersStarted.append(
                    TimerRecord(id: newID(), caseID: change.caseID, timerID: timer.id, firesAt: firesAt, startedAt: change.at, subject: subject))
            }
        }
    }

    /// What the engine needs: the forms it weighs re-validated against today's definition,
    /// consent given, approvals in the current state.
    /// `file` is the case as read with them: its activities (conferences) and when it entered its state;
    /// `engine` its programme's workflow.
    func situation(of opened: OpenedCase, file: CaseFile, engine: WorkflowEngine) throws -> CaseSituation {
        let approvals = file.approvals
        let today = Day(clock.now())
        let weighed = formsWeighed(in: opened.record.state, by: engine, caseType: opened.record.caseType)
        let checked = try checkedSubmissions(file.submissions.filter { weighed.forms.contains($0.formID) }, key: opened.key, today: today)
        var forms: [String: FormStanding] = [:]
        for (submission, result) in checked {
            // A form held many times counts as complete when any entry is; the latest complete one decides conditions.
            if case .complete? = forms[submission.formID], !result.isValid { continue }
            forms[submission.formID] = result.isValid ? .complete(result.values) : .incomplete(problems: result.problems.count)
        }
        let state = opened.record.state
        let conferences = conferenceDecisions(file.activities, key: opened.key)
        // A conference counts for the state the case is in only if held since it entered that state.
        let entered = file.stateChanges.last { $0.toState == opened.record.state }?.at ?? .distantPast
        return CaseSituation(
            state: state, forms: forms,
            consentScopes: weighed.consent
                ? consentScopesAgreed(
                    caseType: opened.record.caseType, checked: checked, approvals: approvals, conferenceDecided: conferences.consentExceptions, today: today)
                : [],
            approved: Set(approvals.filter { $0.state == state && $0.status == .approved }.map(\.transitionID)),
            approvalPending: Set(approvals.filter { $0.state == state && $0.status == .pending }.map(\.transitionID)),
            caseConferenceHeld: conferences.held.contains { $0.state == state && $0.at >= entered }, today: today)
    }

    /// The forms the transitions out of `state` are weighed on: those they require and those their
    /// conditions read, and, when one of them asks for consent, those the consent rules read (the
    /// consent form, and the policy's age, agreement and exception forms).
    ///
    /// Only these are unsealed and re-validated for a case's view or a step: a case gathers forms
    /// as it goes (an incident, assessments, plans, every follow-up), and checking them all at each
    /// read made a read's cost grow with the case's age, for answers no step out of its state asks.
    func formsWeighed(in state: String, by engine: WorkflowEngine, caseType: String) -> (forms: Set<String>, consent: Bool) {
        var forms: Set<String> = []
        var consent = false
        for transition in engine.definition.transitions(from: state) {
            forms.formUnion(transition.requires.forms)
            forms.formUnion(transition.requires.conditions.map(\.form))
            consent = consent || !transition.requires.consent.isEmpty
        }
        if consent {
            forms.insert(Kernel.consentForm)
            if let policy = definitions.consentPolicy(forCaseType: caseType) {
                forms.insert(policy.ageFrom.form)
                forms.formUnion(policy.agreementSources.map(\.form))
                forms.formUnion(policy.exceptions.map(\.form))
            }
        }
        return (forms, consent)
    }
}
