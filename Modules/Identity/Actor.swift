import AmanaCore

/// The authenticated person on whose behalf the kernel acts, with the role
/// they hold. Every kernel call takes one; no front end decides access itself.
public struct Actor: Sendable, Equatable {
    public var userID: UserID
    public var username: String
    public var displayName: String
    public var role: Role
    public var agencyID: AgencyID
    public var teamID: TeamID?
    public var language: String

    public init(userID: UserID, username: String, displayName: String, role: Role, agencyID: AgencyID, teamID: TeamID?, language: String) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.agencyID = agencyID
        self.teamID = teamID
        self.language = language
    }

    /// How the audit log names this actor: by id, never by name.
    public var auditName: String { "user:\(userID.rawValue)" }
}

/// What an object says about who holds it, for the need-to-know check.
public struct Holding: Sendable, Equatable {
    public var ownerID: UserID?
    public var assignedIDs: Set<UserID>
    public var teamID: TeamID?
    public var agencyID: AgencyID

    public init(ownerID: UserID?, assignedIDs: Set<UserID> = [], teamID: TeamID?, agencyID: AgencyID) {
        self.ownerID = ownerID
        self.assignedIDs = assignedIDs
        self.teamID = teamID
        self.agencyID = agencyID
    }
}

extension Actor {
    /// Whether the actor may do `action` on `resource` in general (for creating,
    /// or for listings filtered later by holding).
    public func may(_ action: String, _ resource: String) -> Bool {
        role.scope(for: resource, action) != nil
    }

    /// Whether the actor may do `action` on this particular object.
    public func may(_ action: String, _ resource: String, on holding: Holding) -> Bool {
        guard let scope = role.scope(for: resource, action) else { return false }
        switch scope {
        case .all:
            return true
        case .agency:
            return holding.agencyID == agencyID
        case .team:
            return holding.agencyID == agencyID && (isMine(holding) || (teamID != nil && holding.teamID == teamID))
        case .own:
            return holding.agencyID == agencyID && isMine(holding)
        case .assigned:
            return holding.agencyID == agencyID && holding.assignedIDs.contains(userID)
        }
    }

    private func isMine(_ holding: Holding) -> Bool {
        holding.ownerID == userID || holding.assignedIDs.contains(userID)
    }
}
