import AmanaCore
import Foundation
import Identity
import Store

/// A new session: the token is shown once, to the person who signed in.
public struct SignIn: Sendable {
    public var token: String
    public var expiresAt: Date
    public var actor: Actor
}

extension Kernel {
    static let signInFailed = AmanaError(.unauthenticated, code: "sign-in-failed", "The username or password is wrong.")

    /// Signs a user in. Unknown usernames, wrong passwords and disabled accounts
    /// get the same answer, take the same time, and count towards the same
    /// lockout, so the answer never tells whether an account exists.
    public func signIn(username rawUsername: String, password: String, requestID: String) async throws(AmanaError) -> SignIn {
        let username = Username.normalise(rawUsername)
        let throttleKey = loginThrottleKey(username)
        let now = clock.now()
        return try await run {
            if let throttle = try await store.loginThrottle(key: throttleKey), let until = throttle.lockedUntil, until > now {
                try await store.appendAudit(audit("anonymous", "session.create", "sign-in", .denied, requestID: requestID, detail: "locked"))
                throw locked(until: until, now: now)
            }
            let user = try await store.user(username: username)
            let passwordMatches: Bool
            if let user {
                passwordMatches = await passwords.verify(password, against: user.passwordHash)
            } else {
                // Spend what a verification costs, so the answer's timing says nothing.
                await dummyPasswordHash.spendVerificationCost(using: passwords, random: vault.randomBytes(16))
                passwordMatches = false
            }
            guard let user, passwordMatches, !user.disabled, let role = roles.role(user.role) else {
                let object = user.map { "user:\($0.id.rawValue)" } ?? "sign-in"
                let throttle = try await store.recordLoginFailure(
                    key: throttleKey, at: now, maxFailures: config.lockoutFailures, lockFor: config.lockoutDuration,
                    audit: audit("anonymous", "session.create", object, .failed, requestID: requestID))
                if let until = throttle.lockedUntil { throw locked(until: until, now: now) }
                throw Kernel.signInFailed
            }
            try await store.clearLoginFailures(key: throttleKey)
            let tokenBytes = vault.randomBytes(32)
            let session = SessionRecord(
                tokenDigest: vault.tokenDigest(tokenBytes), userID: user.id, createdAt: now, lastSeenAt: now,
                expiresAt: now.addingTimeInterval(config.sessionAbsolute))
            try await store.insertSession(session, audit: audit("user:\(user.id.rawValue)", "session.create", "user:\(user.id.rawValue)", requestID: requestID))
            return SignIn(
                token: SessionToken.encode(tokenBytes), expiresAt: min(session.expiresAt, now.addingTimeInterval(config.sessionIdle)),
                actor: actor(user, role))
        }
    }

    private func locked(until: Date, now: Date) -> AmanaError {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return AmanaError(
            .locked, code: "sign-in-locked", "Too many failed sign-ins: try again in \(minutes) minute\(minutes == 1 ? "" : "s").",
            retryAfterSeconds: Int(until.timeIntervalSince(now).rounded(.up)))
    }

    /// The actor behind a session token, or `unauthenticated` if the token is
    /// malformed, unknown, revoked, idle too long, past its absolute end, or
    /// belongs to a disabled user.
    public func authenticate(token: String) async throws(AmanaError) -> Actor {
        guard let bytes = SessionToken.decode(token) else { throw AmanaError.unauthenticated }
        let digest = vault.tokenDigest(bytes)
        let now = clock.now()
        return try await run {
            guard let (session, user) = try await store.session(digest: digest), session.revokedAt == nil, session.expiresAt > now,
                  session.lastSeenAt.addingTimeInterval(config.sessionIdle) > now, !user.disabled, let role = roles.role(user.role)
            else { throw AmanaError.unauthenticated }
            // Refresh the idle clock at most once a minute: a write per request would
            // make every read contend for the single SQLite writer.
            if now.timeIntervalSince(session.lastSeenAt) > 60 {
                try await store.touchSession(digest: digest, at: now)
            }
            return actor(user, role)
        }
    }

    /// Ends the session behind `token`.
    public func signOut(token: String, requestID: String) async throws(AmanaError) {
        let actor = try await authenticate(token: token)
        guard let bytes = SessionToken.decode(token) else { throw AmanaError.unauthenticated }
        try await run {
            try await store.revokeSession(
                digest: vault.tokenDigest(bytes), at: clock.now(),
                audit: audit(actor.auditName, "session.delete", actor.auditName, requestID: requestID))
        }
    }

    /// The lockout counter's key: a keyed digest, so that usernames typed at the
    /// sign-in prompt (sometimes a password typed in the wrong box) are never stored.
    func loginThrottleKey(_ normalisedUsername: String) -> String {
        vault.tokenDigest(Array("login-throttle:\(normalisedUsername)".utf8)).hex
    }

    func actor(_ user: UserRecord, _ role: Role) -> Actor {
        Actor(userID: user.id, username: user.username, displayName: user.displayName, role: role,
              agencyID: user.agencyID, teamID: user.teamID, language: user.language)
    }
}
