import FormKit

/// What the workflow engine needs to know about a case to say which
/// transitions are open: the kernel gathers it (decrypting and re-validating
/// the case's forms), the engine only reads it.
public struct CaseSituation: Sendable {
    /// The case's workflow state.
    public var state: String
    /// Per form id, the case's latest submission as the current definition sees it.
    /// A form absent here has not been filled in.
    public var forms: [String: FormStanding]
    /// Consent scopes given and not withdrawn.
    public var consentScopes: Set<ConsentScope>
    /// Transitions whose approval was granted in the current state and not yet used.
    public var approved: Set<String>
    /// Transitions whose approval was requested and is still waiting.
    public var approvalPending: Set<String>
    /// Whether a case conference was held on the case in its current state.
    public var caseConferenceHeld: Bool
    /// "Today" for expressions, from the kernel's clock.
    public var today: Day

    public init(
        state: String, forms: [String: FormStanding] = [:], consentScopes: Set<ConsentScope> = [], approved: Set<String> = [],
        approvalPending: Set<String> = [], caseConferenceHeld: Bool = false, today: Day
    ) {
        self.state = state
        self.forms = forms
        self.consentScopes = consentScopes
        self.approved = approved
        self.approvalPending = approvalPending
        self.caseConferenceHeld = caseConferenceHeld
        self.today = today
    }
}

/// A form on a case, re-validated against the definition in force today.
public enum FormStanding: Sendable, Equatable {
    /// Valid: its answers, as expressions see them.
    case complete([String: Value])
    /// Filled in but not valid any more (a required field was added by an
    /// upgrade or an overlay, say): `problems` problems to fix.
    case incomplete(problems: Int)
}
