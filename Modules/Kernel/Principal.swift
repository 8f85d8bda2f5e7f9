import Identity

/// Who asks the kernel to act.
public enum Principal: Sendable {
    /// A signed-in user, limited by their role.
    case user(Actor)
    /// The person at the install's console, holding its data directory and key
    /// file (`amana init`, `amana user add`): may manage accounts, never read
    /// case content through this path.
    case installOperator

    var auditName: String {
        switch self {
        case .user(let actor): actor.auditName
        case .installOperator: "operator"
        }
    }
}
