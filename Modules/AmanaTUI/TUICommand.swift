/// What the screens ask the application to do with the Kernel.
public enum TUICommand: Equatable, Sendable {
    case signIn(username: String, password: String)
    case loadWork
    case loadCases
    case openCase(id: String)
    /// A case number, or a name or phone number (found through the blind index).
    case search(String)
    case signOut
    case quit
}
