import FormKit
import Foundation

/// A transition out of the case's state, with every reason it cannot be made
/// now (none: it can).
public struct TransitionOption: Sendable, Equatable {
    public var transition: WorkflowDefinition.Transition
    public var blockers: [Blocker]

    public var isAvailable: Bool { blockers.isEmpty }
    /// The only thing missing is an approval nobody was asked for yet: the
    /// actor may ask for it.
    public var canRequestApproval: Bool {
        guard blockers.count == 1, case .approvalNeeded = blockers[0] else { return false }
        return true
    }
}

/// A timer to start or stop because something happened to a case.
public enum TimerChange: Sendable, Equatable {
    case start(WorkflowDefinition.Timer, firesAt: Date)
    case cancel(timerID: String)
}

/// Runs one programme's workflow: which transitions are open and why not,
/// and which timers an event starts or cancels. Pure: it reads a
/// ``CaseSituation`` and returns decisions; the kernel stores and audits them.
public struct WorkflowEngine: Sendable {
    public let definition: WorkflowDefinition

    public init(_ definition: WorkflowDefinition) {
        self.definition = definition
    }

    /// Every transition out of the case's state, each with its blockers, in the
    /// order the workflow lists them.
    public func options(for situation: CaseSituation, role: String) -> [TransitionOption] {
        definition.transitions(from: situation.state).map { TransitionOption(transition: $0, blockers: blockers($0, situation, role: role)) }
    }

    /// The option for one transition, or nil when the workflow has no such
    /// transition out of the case's state.
    public func option(_ transitionID: String, for situation: CaseSituation, role: String) -> TransitionOption? {
        options(for: situation, role: role).first { $0.transition.id == transitionID }
    }

    func blockers(_ transition: WorkflowDefinition.Transition, _ situation: CaseSituation, role: String) -> [Blocker] {
        var out: [Blocker] = []
        if !transition.roles.isEmpty, !transition.roles.contains(role) {
            out.append(.role(allowed: transition.roles))
        }
        let requires = transition.requires
        for form in requires.forms {
            switch situation.forms[form] {
            case nil: out.append(.formMissing(form))
            case .incomplete(let problems)?: out.append(.formIncomplete(form, problems: problems))
            case .complete?: break
            }
        }
        for scope in requires.consent where !situation.consentScopes.contains(scope) {
            out.append(.consentMissing(scope))
        }
        if requires.caseConference, !situation.caseConferenceHeld {
            out.append(.caseConferenceNeeded)
        }
        for condition in requires.conditions {
            // An incomplete form was already named above; its answers decide nothing yet.
            if case .incomplete? = situation.forms[condition.form] { continue }
            let values: [String: Value]
            if case .complete(let answers)? = situation.forms[condition.form] { values = answers } else { values = [:] }
            if !condition.expression.evaluate(in: EvaluationContext(values: values, today: situation.today)).isTrue {
                out.append(.condition(condition.message))
            }
        }
        // Approval last: a supervisor is asked only once everything else is ready.
        if let approver = requires.approval, !situation.approved.contains(transition.id) {
            out.append(situation.approvalPending.contains(transition.id) ? .approvalPending(role: approver) : .approvalNeeded(role: approver))
        }
        return out
    }

    /// The timers started and cancelled when `events` happen at `now`:
    /// cancellations first, so an event that both stops and restarts a timer restarts it.
    /// `urgent` applies a timer's `urgent_after` (an urgent referral); the
    /// case's `riskLevel` its `after_by_risk`.
    public func timerChanges(for events: [WorkflowEvent], at now: Date, riskLevel: String?, urgent: Bool = false) -> [TimerChange] {
        var changes: [TimerChange] = []
        for timer in definition.timers where timer.cancelOn.contains(where: events.contains) {
            changes.append(.cancel(timerID: timer.id))
        }
        for timer in definition.timers where events.contains(timer.on) {
            let span = timer.span(riskLevel: riskLevel, urgent: urgent)
            changes.append(.start(timer, firesAt: now.addingTimeInterval(TimeInterval(span.seconds))))
        }
        return changes
    }

    /// The events of moving a case from `from` to `to`.
    public static func events(from: String?, to: String) -> [WorkflowEvent] {
        (from.map { [WorkflowEvent.left($0)] } ?? []) + [.entered(to)]
    }

    /// Whether `state` is final (a closed case).
    public func isFinal(_ state: String) -> Bool { definition.state(state)?.final ?? false }
}
