import AmanaCore
import Foundation
import Identity
import Store

/// A user account as shown to those allowed to manage accounts: never the hash.
public struct UserSummary: Sendable, Equatable, Codable {
    public var id: String
    public var username: String
    public var displayName: String
    public var role: String
    public var agency: String
    public var team: String?
    public var disabled: Bool
    public var language: String
    public var version: Int
}

/// What a new account needs.
public struct NewUser: Sendable {
    public var username: String
    public var displayName: String?
    public var role: String
    /// The agency's code; defaults to the creator's agency, or the only agency.
    public var agencyCode: String?
    public var teamName: String?
    public var password: String
    public var language: String

    public init(username: String, displayName: String? = nil, role: String, agencyCode: String? = nil, teamName: String? = nil, password: String, language: String = "en") {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.agencyCode = agencyCode
        self.teamName = teamName
        self.password = password
        self.language = language
    }
}

extension Kernel {
    /// The shortest password accepted; long passphrases are encouraged.
    public static let minimumPasswordLength = 10

    public func addUser(_ new: NewUser, by principal: Principal, requestID: String) async throws(AmanaError) -> UserSummary {
        // The role first, then the body: a refusal does not depend on what was sent.
        if case .user(let actor) = principal, !actor.may("create", "user") {
            throw await refuse(principal, "user.create", "users", requestID: requestID)
        }
        let username = Username.normalise(new.username)
        guard Username.isValid(username) else {
            throw .invalid("username-invalid", "A username has 2 to 64 letters, digits, '.', '_' or '-'.", pointer: "/username")
        }
        guard roles.role(new.role) != nil else {
            throw .invalid("role-unknown", "Unknown role '\(new.role)'; expected one of \(roles.roleIDs.joined(separator: ", ")).", pointer: "/role")
        }
        try checkPassword(new.password, pointer: "/password")
        return try await run {
            let agency = try await agency(new.agencyCode, for: principal)
            guard allows(principal, "create", holding: Holding(ownerID: nil, teamID: nil, agencyID: agency.id)) else {
                throw await refuse(principal, "user.create", "agency:\(agency.id.rawValue)", requestID: requestID)
            }
            var teamID: TeamID?
            if let teamName = new.teamName {
                guard let team = try await store.teams().first(where: { $0.agencyID == agency.id && $0.name == teamName }) else {
                    throw AmanaError.invalid("team-unknown", "Agency \(agency.code) has no team '\(teamName)'.", pointer: "/team")
                }
                teamID = team.id
            }
            let now = clock.now()
            let record = UserRecord(
                id: .random(), username: username, displayName: new.displayName ?? username, role: new.role, agencyID: agency.id,
                teamID: teamID, passwordHash: try await passwords.hash(new.password), language: new.language, createdAt: now)
            try await store.insertUser(record, audit: audit(principal.auditName, "user.create", "user:\(record.id.rawValue)", requestID: requestID, detail: "role=\(new.role)"))
            return try await summaries([record])[0]
        }
    }

    /// The accounts the principal may see (an administrator: their agency's).
    public func listUsers(by principal: Principal, requestID: String) async throws(AmanaError) -> [UserSummary] {
        try await run {
            if case .user(let actor) = principal, !actor.may("read", "user") {
                throw await refuse(principal, "user.list", "users", requestID: requestID)
            }
            return try await summaries(store.users().filter { allows(principal, "read", holding: holding(of: $0)) })
        }
    }

    /// Disables an account and ends all its sessions at once.
    public func disableUser(username: String, by principal: Principal, requestID: String) async throws(AmanaError) -> UserSummary {
        try await run {
            // Without the permission at all: refused before looking, so the answer
            // says nothing about which usernames exist.
            if case .user(let actor) = principal, !actor.may("disable", "user") {
                throw await refuse(principal, "user.disable", "user", requestID: requestID)
            }
            let unknown = AmanaError(.notFound, code: "user-unknown", "No user '\(username)' that you manage.")
            guard var user = try await store.user(username: Username.normalise(username)) else { throw unknown }
            guard allows(principal, "disable", holding: holding(of: user)) else {
                throw await refuse(principal, "user.disable", "user:\(user.id.rawValue)", requestID: requestID, as: unknown)
            }
            if case .user(let actor) = principal, actor.userID == user.id {
                throw AmanaError(.conflict, code: "disable-self", "You cannot disable your own account.")
            }
            user.disabled = true
            let updated = try await store.updateUser(
                user, revokingSessions: true, at: clock.now(),
                audit: audit(principal.auditName, "user.disable", "user:\(user.id.rawValue)", requestID: requestID))
            return try await summaries([updated])[0]
        }
    }

    /// Changes the signed-in user's own password after checking the current one;
    /// every session of the user ends, including the one making the change.
    public func changePassword(actor: Actor, current: String, new: String, requestID: String) async throws(AmanaError) {
        try checkPassword(new, pointer: "/new_password")
        try await run {
            guard var user = try await store.user(id: actor.userID) else { throw AmanaError.unauthenticated }
            guard await passwords.verify(current, against: user.passwordHash) else {
                // Counts towards the lockout like a failed sign-in: a stolen session
                // must not become a way to guess the password.
                _ = try await store.recordLoginFailure(
                    key: loginThrottleKey(user.username), at: clock.now(), maxFailures: config.lockoutFailures, lockFor: config.lockoutDuration,
                    audit: audit(actor.auditName, "user.password", actor.auditName, .failed, requestID: requestID))
                throw AmanaError.invalid("password-wrong", "The current password is wrong.", pointer: "/current_password")
            }
            user.passwordHash = try await passwords.hash(new)
            user.passwordChangedAt = clock.now()
            _ = try await store.updateUser(
                user, revokingSessions: true, at: clock.now(),
                audit: audit(actor.auditName, "user.password", actor.auditName, requestID: requestID))
        }
    }

    func checkPassword(_ password: String, pointer: String) throws(AmanaError) {
        guard password.count >= Kernel.minimumPasswordLength else {
            throw .invalid("password-short", "A password needs at least \(Kernel.minimumPasswordLength) characters.", pointer: pointer)
        }
        guard password.utf8.count <= 1024 else {
            throw .invalid("password-long", "A password may have at most 1024 bytes.", pointer: pointer)
        }
    }

    func holding(of user: UserRecord) -> Holding {
        Holding(ownerID: user.id, teamID: user.teamID, agencyID: user.agencyID)
    }

    /// The agency named by `code`; without one, the principal's own, or the install's only agency.
    func agency(_ code: String?, for principal: Principal) async throws -> AgencyRecord {
        let agencies = try await store.agencies()
        if let code {
            guard let found = agencies.first(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }) else {
                throw AmanaError.invalid("agency-unknown", "Unknown agency '\(code)'.", pointer: "/agency")
            }
            return found
        }
        if case .user(let actor) = principal, let own = agencies.first(where: { $0.id == actor.agencyID }) { return own }
        guard agencies.count == 1 else { throw AmanaError.invalid("agency-required", "Name the agency: this install has several.", pointer: "/agency") }
        return agencies[0]
    }

    /// The name of an agency on this install: what a consent to share names.
    func agencyName(_ id: AgencyID) async throws -> String {
        try await store.agencies().first { $0.id == id }?.name ?? ""
    }

    func allows(_ principal: Principal, _ action: String, holding: Holding) -> Bool {
        switch principal {
        case .installOperator: true
        case .user(let actor): actor.may(action, "user", on: holding)
        }
    }

    func summaries(_ users: [UserRecord]) async throws -> [UserSummary] {
        let agencies = Dictionary(uniqueKeysWithValues: try await store.agencies().map { ($0.id, $0.code) })
        let teams = Dictionary(uniqueKeysWithValues: try await store.teams().map { ($0.id, $0.name) })
        return users.map { user in
            UserSummary(
                id: user.id.rawValue, username: user.username, displayName: user.displayName, role: user.role,
                agency: agencies[user.agencyID] ?? "?", team: user.teamID.flatMap { teams[$0] }, disabled: user.disabled,
                language: user.language, version: user.version)
        }
    }
}
