/// What the screens ask the application to do with the Kernel.
public enum TUICommand: Equatable, Sendable {
    case signIn(username: String, password: String)
    case loadWork
    case loadCases
    case openCase(id: String)
    /// Mark a task of my work done.
    case completeTask(caseID: String, taskID: String)
    /// A case number, or a name or phone number (found through the blind index).
    case search(String)
    /// Take a workflow step from the case version read.
    case transition(caseID: String, transition: String, version: Int, reason: String?)
    /// Ask the supervisor to approve serving a child under the consent policy's exception.
    case requestConsentApproval(caseID: String)
    /// Ask the supervisor to approve a step whose only blocker is that approval.
    case requestApproval(caseID: String, transition: String)
    /// Open a form of the case: an entry to change, or a new one (entry nil).
    case openForm(caseID: String, formID: String, entry: Int?)
    /// Save the form being filled in (``TUIState/editor``).
    case saveForm
    /// Start a referral from the case: the directory and the answers that could go.
    case startReferral(caseID: String)
    /// Ask the Kernel what the referral being written would send, and whether consent allows it.
    case previewReferral
    /// Send the referral being written.
    case sendReferral
    /// The approvals waiting for the signed-in supervisor.
    case loadApprovals
    /// Approve, or reject with a reason, an approval of a case.
    case decideApproval(caseID: String, approvalID: String, approve: Bool, comment: String?)
    /// Cases per worker of the team.
    case loadCaseload
    /// The open cases one worker holds.
    case loadCasesOf(owner: String)
    case signOut
    case quit
}
