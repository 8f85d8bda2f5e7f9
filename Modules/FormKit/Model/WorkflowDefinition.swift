/// A programme's case workflow: states, the transitions people make between
/// them with what each requires, and timers that create tasks. The engine that
/// runs it lives in module Workflow; this is the checked definition.
public struct WorkflowDefinition: Sendable, Equatable {
    public var id: String
    public var title: Translations
    public var initial: String
    public var states: [State]
    public var transitions: [Transition]
    public var timers: [Timer]
    public var plugin: String
    public var position: SourcePosition

    public func state(_ id: String) -> State? { states.first { $0.id == id } }
    public func transition(_ id: String) -> Transition? { transitions.first { $0.id == id } }
    /// The transitions a case in `state` may take.
    public func transitions(from state: String) -> [Transition] { transitions.filter { $0.from.contains(state) } }

    public struct State: Sendable, Equatable {
        public var id: String
        public var label: Translations
        /// A case here is finished (closed); timers stop.
        public var final: Bool
    }

    public struct Transition: Sendable, Equatable {
        public var id: String
        public var from: [String]
        public var to: String
        public var label: Translations
        /// Roles that may make it; empty means any role that may work on the case.
        public var roles: [String]
        public var requires: Requirements
    }

    /// What must be true before a transition is made. Each unmet requirement is
    /// reported to the caseworker by name.
    public struct Requirements: Sendable, Equatable {
        /// Forms submitted and valid on the case.
        public var forms: [String] = []
        /// Consent scopes given and not withdrawn.
        public var consent: [ConsentScope] = []
        /// A person in this role must approve first.
        public var approval: String?
        public var caseConference: Bool = false
        public var conditions: [Condition] = []
    }

    /// An expression over the answers of one form on the case.
    public struct Condition: Sendable, Equatable {
        public var form: String
        public var expression: Expression
        public var message: Translations
    }

    public struct Timer: Sendable, Equatable {
        /// How long after it starts the timer fires, for a case at `riskLevel`.
        public func span(riskLevel: String?, urgent: Bool = false) -> TimeSpan {
            if urgent, let urgentAfter { return urgentAfter }
            return riskLevel.flatMap { afterByRisk[$0] } ?? after
        }

        public var id: String
        public var on: WorkflowEvent
        public var after: TimeSpan
        /// When the event's subject (a referral) is urgent.
        public var urgentAfter: TimeSpan?
        /// By the case's risk level (`high: 1d`), instead of `after`; a level
        /// set or changed while the timer runs moves it (from when it started).
        public var afterByRisk: [String: TimeSpan] = [:]
        public var cancelOn: [WorkflowEvent]
        public var task: TaskTemplate
    }

    public struct TaskTemplate: Sendable, Equatable {
        public var title: Translations
        public var assignee: Assignee
    }

    /// The risk levels a case can hold (the envelope's `risk_level`, lookup `core/risk-levels`).
    public static let riskLevels = ["low", "medium", "high"]

    public enum Assignee: String, Sendable, Equatable, CaseIterable {
        case caseOwner = "case_owner", supervisor
    }
}

/// Something that happens to a case and may start or cancel a timer.
public enum WorkflowEvent: Sendable, Hashable, CustomStringConvertible {
    case entered(String), left(String)
    case referralSent, referralAnswered, consentWithdrawn, approvalRequested

    static let fixed: [String: WorkflowEvent] = [
        "referral.sent": .referralSent, "referral.answered": .referralAnswered,
        "consent.withdrawn": .consentWithdrawn, "approval.requested": .approvalRequested,
    ]

    /// Parses `entered.<state>`, `left.<state>` or one of the fixed events.
    public init?(_ text: String) {
        if let fixed = Self.fixed[text] { self = fixed; return }
        if text.hasPrefix("entered."), text.count > 8 { self = .entered(String(text.dropFirst(8))); return }
        if text.hasPrefix("left."), text.count > 5 { self = .left(String(text.dropFirst(5))); return }
        return nil
    }

    public var description: String {
        switch self {
        case .entered(let s): "entered.\(s)"
        case .left(let s): "left.\(s)"
        default: Self.fixed.first { $0.value == self }!.key
        }
    }

    /// The state the event names, if any.
    public var state: String? {
        switch self {
        case .entered(let s), .left(let s): s
        default: nil
        }
    }
}

/// A span of time written `3d`, `12h` or `2w`.
public struct TimeSpan: Sendable, Equatable, CustomStringConvertible {
    public var seconds: Int
    public let description: String

    public init?(_ text: String) {
        guard let unit = text.last, let count = Int(text.dropLast()), count > 0, count <= 3650 else { return nil }
        switch unit {
        case "h": seconds = count * 3600
        case "d": seconds = count * 86_400
        case "w": seconds = count * 7 * 86_400
        default: return nil
        }
        description = text
    }
}

/// What a person agrees to. The kernel knows these scopes; policies and
/// workflows name them.
public enum ConsentScope: String, Sendable, Equatable, Hashable, CaseIterable {
    case services, referral
    case informationSharing = "information_sharing"
    case contactAfterClosure = "contact_after_closure"
    case reporting
}
