import AmanaCore
import Foundation

/// An organisation using the install. Its `code` prefixes case numbers.
public struct AgencyRecord: Sendable, Equatable {
    public var id: AgencyID
    public var code: String
    public var name: String
    public var createdAt: Date

    public init(id: AgencyID, code: String, name: String, createdAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.createdAt = createdAt
    }
}

/// A team inside an agency: the unit a supervisor oversees.
public struct TeamRecord: Sendable, Equatable {
    public var id: TeamID
    public var agencyID: AgencyID
    public var name: String

    public init(id: TeamID, agencyID: AgencyID, name: String) {
        self.id = id
        self.agencyID = agencyID
        self.name = name
    }
}

/// A person who signs in. The password is held only as an Argon2id hash.
public struct UserRecord: Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var displayName: String
    public var role: String
    public var agencyID: AgencyID
    public var teamID: TeamID?
    public var passwordHash: String
    public var disabled: Bool
    public var language: String
    public var createdAt: Date
    public var passwordChangedAt: Date
    /// Incremented on every change; updates name the version they read.
    public var version: Int

    public init(
        id: UserID, username: String, displayName: String, role: String, agencyID: AgencyID, teamID: TeamID?,
        passwordHash: String, disabled: Bool = false, language: String = "en", createdAt: Date,
        passwordChangedAt: Date? = nil, version: Int = 1
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.agencyID = agencyID
        self.teamID = teamID
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.language = language
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt ?? createdAt
        self.version = version
    }
}

/// A signed-in session. Only a keyed digest of the token is stored, so a copy
/// of the database does not let anyone act as a user.
public struct SessionRecord: Sendable, Equatable {
    public var tokenDigest: [UInt8]
    public var userID: UserID
    public var createdAt: Date
    public var lastSeenAt: Date
    /// The absolute end, whatever the activity.
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(tokenDigest: [UInt8], userID: UserID, createdAt: Date, lastSeenAt: Date, expiresAt: Date, revokedAt: Date? = nil) {
        self.tokenDigest = tokenDigest
        self.userID = userID
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// Failed sign-in attempts for one username, known or not (so that unknown
/// and known usernames behave the same).
public struct LoginThrottle: Sendable, Equatable {
    public var failures: Int
    public var lockedUntil: Date?

    public init(failures: Int, lockedUntil: Date?) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}
