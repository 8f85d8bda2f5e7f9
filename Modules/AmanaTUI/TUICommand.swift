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
    case transition(caseID: String, transition: String, version: Int)
    /// Ask the supervisor to approve a step whose only blocker is that approval.
    case requestApproval(caseID: String, transition: String)
    case signOut
    case quit
}
