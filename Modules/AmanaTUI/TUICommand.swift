/// What the screens ask the application to do with the Kernel.
public enum TUICommand: Equatable, Sendable {
    case signIn(username: String, password: String)
    case loadWork
    case loadCases
    case openCase(id: String)
    case signOut
    case quit
}
