/// How far a permission reaches, from narrowest to widest.
public enum Scope: String, Sendable, Comparable, CaseIterable {
    /// Only cases the user has been invited or assigned into (a technical specialist).
    case assigned
    /// Cases the user owns or is assigned to (a case worker).
    case own
    /// Cases of the user's team (a supervisor).
    case team
    /// Anything in the user's agency.
    case agency
    /// Anything in the install.
    case all

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A resource, the actions allowed on it, and how far that reaches.
public struct Permission: Sendable, Equatable {
    public var resource: String
    public var actions: Set<String>
    public var scope: Scope

    public init(resource: String, actions: Set<String>, scope: Scope) {
        self.resource = resource
        self.actions = actions
        self.scope = scope
    }

    /// The resources and actions the kernel knows; a role file naming others is
    /// refused, so that a typo cannot silently grant or withhold nothing.
    public static let vocabulary: [String: Set<String>] = [
        "case": ["create", "read", "update", "assign", "approve", "close", "purge", "export"],
        "user": ["create", "read", "update", "disable"],
        "audit": ["read", "verify"],
        "report": ["read"],
        "install": ["backup", "check"],
        "service": ["read", "manage"],
    ]
}

/// A role: a named set of permissions, defined as data in a roles file.
public struct Role: Sendable, Equatable {
    public var id: String
    public var label: [String: String]
    public var permissions: [Permission]
    /// The roles whose holders a person in this role supervises, within the reach of their
    /// `case: approve` (their team, or their agency): their individual supervision meetings,
    /// staff wellbeing included, are theirs to record and read. A peer is not in it.
    public var supervises: Set<String>

    public init(id: String, label: [String: String], permissions: [Permission], supervises: Set<String> = []) {
        self.id = id
        self.label = label
        self.permissions = permissions
        self.supervises = supervises
    }

    /// The widest scope this role has for `action` on `resource`, if any. Asked at every
    /// access check (fifty times for a caseworker's task list), so read lazily: nothing is allocated.
    public func scope(for resource: String, _ action: String) -> Scope? {
        permissions.lazy.filter { $0.resource == resource && $0.actions.contains(action) }.map(\.scope).max()
    }
}
