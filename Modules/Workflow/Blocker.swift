import FormKit

/// One reason a transition cannot be made now. The kernel turns each into a
/// sentence a caseworker understands, in their language.
public enum Blocker: Sendable, Equatable {
    /// The actor's role is not one of the roles that make this transition.
    case role(allowed: [String])
    /// A form the transition requires has not been filled in.
    case formMissing(String)
    /// A required form is filled in but has problems.
    case formIncomplete(String, problems: Int)
    /// Consent for this scope has not been given (or was withdrawn).
    case consentMissing(ConsentScope)
    /// A person in `role` must approve first; no one has been asked yet.
    case approvalNeeded(role: String)
    /// Approval was asked for and is waiting for a person in `role`.
    case approvalPending(role: String)
    /// A case conference must be held first.
    case caseConferenceNeeded
    /// A condition of the workflow is not met; the workflow gives the words.
    case condition(Translations)

    /// A stable code for clients and the messages file (`workflow.form-missing`).
    public var code: String {
        switch self {
        case .role: "workflow.role"
        case .formMissing: "workflow.form-missing"
        case .formIncomplete: "workflow.form-incomplete"
        case .consentMissing: "workflow.consent-missing"
        case .approvalNeeded: "workflow.approval-needed"
        case .approvalPending: "workflow.approval-pending"
        case .caseConferenceNeeded: "workflow.case-conference-needed"
        case .condition: "workflow.condition"
        }
    }

    /// The sentence, in `language`. `name` gives a form's or role's label in that language.
    public func message(_ language: String, messages: ValidationMessages, name: (_ id: String) -> String) -> String {
        switch self {
        case .role(let allowed):
            return messages.text(code, language, ["roles": allowed.map(name).joined(separator: ", ")])
        case .formMissing(let form):
            return messages.text(code, language, ["form": name(form)])
        case .formIncomplete(let form, let problems):
            return messages.text(code, language, ["form": name(form), "count": String(problems)])
        case .consentMissing(let scope):
            return messages.text(code, language, ["scope": name("consent-scope:" + scope.rawValue)])
        case .approvalNeeded(let role), .approvalPending(let role):
            return messages.text(code, language, ["role": name(role)])
        case .caseConferenceNeeded:
            return messages.text(code, language)
        case .condition(let text):
            return text.text(language)
        }
    }
}
