import AmanaCore
import Foundation
import Store

extension PostgresStore {
    public func insertAgency(_ agency: AgencyRecord, audit: AuditDraft) async throws {
        try await write("add the agency") { t in
            try await t.run(
                "INSERT INTO agency (id, code, name, created_at) VALUES (?, ?, ?, ?)",
                [agency.id.rawValue, agency.code, agency.name, agency.createdAt.storedMillis])
            try await self.append(audit, in: t)
        }
    }

    public func agencies() async throws -> [AgencyRecord] {
        try await unlocked("list agencies") { t in
            try await t.rows("SELECT * FROM agency ORDER BY code") {
                AgencyRecord(id: AgencyID(try $0.text("id")), code: try $0.text("code"), name: try $0.text("name"), createdAt: try $0.date("created_at"))
            }
        }
    }

    public func insertTeam(_ team: TeamRecord, audit: AuditDraft) async throws {
        try await write("add the team") { t in
            try await t.run("INSERT INTO team (id, agency_id, name) VALUES (?, ?, ?)", [team.id.rawValue, team.agencyID.rawValue, team.name])
            try await self.append(audit, in: t)
        }
    }

    public func teams() async throws -> [TeamRecord] {
        try await unlocked("list teams") { t in
            try await t.rows("SELECT * FROM team ORDER BY name") {
                TeamRecord(id: TeamID(try $0.text("id")), agencyID: AgencyID(try $0.text("agency_id")), name: try $0.text("name"))
            }
        }
    }

    public func insertUser(_ user: UserRecord, audit: AuditDraft) async throws {
        try await write("add the user") { t in
            if try await t.value(Int64.self, #"SELECT 1::bigint FROM "user" WHERE username = ?"#, [user.username]) != nil {
                throw AmanaError(.conflict, code: "username-taken", "The username '\(user.username)' is already in use.", pointer: "/username")
            }
            try await t.run(
                """
                INSERT INTO "user" (id, username, display_name, role, agency_id, team_id, password_hash, disabled,
                                    language, created_at, password_changed_at, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [user.id.rawValue, user.username, user.displayName, user.role, user.agencyID.rawValue, user.teamID?.rawValue, user.passwordHash,
                 user.disabled, user.language, user.createdAt.storedMillis, user.passwordChangedAt.storedMillis, user.version])
            try await self.append(audit, in: t)
        }
    }

    public func user(id: UserID) async throws -> UserRecord? {
        try await unlocked("read the user") { t in try await Self.user(id, in: t) }
    }

    static func user(_ id: UserID, in t: PostgresTransaction) async throws -> UserRecord? {
        try await t.row(#"SELECT * FROM "user" WHERE id = ?"#, [id.rawValue], userRecord)
    }

    public func user(username: String) async throws -> UserRecord? {
        try await unlocked("read the user") { t in try await t.row(#"SELECT * FROM "user" WHERE username = ?"#, [username], Self.userRecord) }
    }

    public func usernames(ids: Set<UserID>) async throws -> [UserID: String] {
        try await read("read the users") { t in try await Self.usernames(ids, in: t) }
    }

    static func usernames(_ ids: Set<UserID>, in t: PostgresTransaction) async throws -> [UserID: String] {
        guard !ids.isEmpty else { return [:] }
        // One array argument, whatever the number of ids.
        let pairs = try await t.rows(#"SELECT id, username FROM "user" WHERE id = ANY(?)"#, [ids.map(\.rawValue)]) {
            (UserID(try $0.text("id")), try $0.text("username"))
        }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    public func users() async throws -> [UserRecord] {
        try await unlocked("list users") { t in try await t.rows(#"SELECT * FROM "user" ORDER BY username"#, [], Self.userRecord) }
    }

    public func updateUser(_ user: UserRecord, revokingSessions: Bool, at: Date, audit: AuditDraft) async throws -> UserRecord {
        try await write("update the user") { t in
            let changed = try await t.changed(
                """
                UPDATE "user" SET display_name = ?, role = ?, team_id = ?, password_hash = ?, disabled = ?,
                                  language = ?, password_changed_at = ?, version = version + 1
                WHERE id = ? AND version = ? RETURNING 1
                """,
                [user.displayName, user.role, user.teamID?.rawValue, user.passwordHash, user.disabled, user.language, user.passwordChangedAt.storedMillis,
                 user.id.rawValue, user.version])
            guard changed == 1 else {
                throw AmanaError(.preconditionFailed, code: "version-mismatch", "Someone else changed this user meanwhile; reload it and try again.")
            }
            if revokingSessions {
                try await t.run("UPDATE session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", [at.storedMillis, user.id.rawValue])
            }
            try await self.append(audit, in: t)
            var updated = user
            updated.version += 1
            return updated
        }
    }

    static func userRecord(_ c: PostgresCells) throws -> UserRecord {
        UserRecord(
            id: UserID(try c.text("id")), username: try c.text("username"), displayName: try c.text("display_name"), role: try c.text("role"),
            agencyID: AgencyID(try c.text("agency_id")), teamID: try c.optionalText("team_id").map(TeamID.init), passwordHash: try c.text("password_hash"),
            disabled: try c.bool("disabled"), language: try c.text("language"), createdAt: try c.date("created_at"),
            passwordChangedAt: try c.date("password_changed_at"), version: try c.int("version"))
    }

    // MARK: Sign-in throttling

    public func loginThrottle(key: String) async throws -> LoginThrottle? {
        try await unlocked("read sign-in attempts") { t in
            try await t.row("SELECT * FROM login_throttle WHERE username_key = ?", [key]) {
                LoginThrottle(failures: try $0.int("failures"), lockedUntil: try $0.optionalDate("locked_until"))
            }
        }
    }

    public func recordLoginFailure(key: String, at: Date, maxFailures: Int, lockFor: TimeInterval, audit: AuditDraft) async throws -> LoginThrottle {
        try await write("record a failed sign-in") { t in
            let stored = try await t.row("SELECT failures, locked_until FROM login_throttle WHERE username_key = ?", [key]) {
                (try $0.int("failures"), try $0.optionalDate("locked_until"))
            }
            var failures = stored?.0 ?? 0
            // A lock that has run out starts a fresh count.
            if let lockedUntil = stored?.1, lockedUntil <= at { failures = 0 }
            failures += 1
            let newLock: Date? = failures >= maxFailures ? at.addingTimeInterval(lockFor) : nil
            try await t.run(
                """
                INSERT INTO login_throttle (username_key, failures, locked_until, last_failure_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (username_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
                    last_failure_at = excluded.last_failure_at
                """,
                [key, failures, newLock?.storedMillis, at.storedMillis])
            // Counters untouched for a day and not locked are forgotten (a flood of made-up names cannot grow the table).
            try await t.run(
                "DELETE FROM login_throttle WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                [at.storedMillis - 86_400_000, at.storedMillis])
            try await self.append(audit, in: t)
            return LoginThrottle(failures: failures, lockedUntil: newLock)
        }
    }

    public func clearLoginFailures(key: String) async throws {
        try await write("clear sign-in attempts") { t in try await t.run("DELETE FROM login_throttle WHERE username_key = ?", [key]) }
    }

    // MARK: Sessions

    public func insertSession(_ session: SessionRecord, audit: AuditDraft) async throws {
        try await write("start the session") { t in
            try await t.run(
                "INSERT INTO session (token_digest, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [Data(session.tokenDigest), session.userID.rawValue, session.createdAt.storedMillis, session.lastSeenAt.storedMillis,
                 session.expiresAt.storedMillis])
            // Sessions past their absolute end can never be used again: drop them.
            try await t.run("DELETE FROM session WHERE expires_at < ?", [session.createdAt.storedMillis])
            try await self.append(audit, in: t)
        }
    }

    public func session(digest: [UInt8]) async throws -> (SessionRecord, UserRecord)? {
        // The session and its user in one statement: every request asks.
        try await unlocked("read the session") { t in
            try await t.row(
                #"""
                SELECT u.*, s.token_digest, s.user_id, s.created_at AS session_created_at, s.last_seen_at, s.expires_at, s.revoked_at
                FROM session s JOIN "user" u ON u.id = s.user_id WHERE s.token_digest = ?
                """#, [Data(digest)]
            ) { c in
                let session = SessionRecord(
                    tokenDigest: try c.bytes("token_digest"), userID: UserID(try c.text("user_id")), createdAt: try c.date("session_created_at"),
                    lastSeenAt: try c.date("last_seen_at"), expiresAt: try c.date("expires_at"), revokedAt: try c.optionalDate("revoked_at"))
                return (session, try Self.userRecord(c))
            }
        }
    }

    public func touchSession(digest: [UInt8], at: Date) async throws {
        // No audit entry and no version: it need not wait for the writer lock.
        try await unlocked("refresh the session") { t in
            try await t.run(
                "UPDATE session SET last_seen_at = GREATEST(last_seen_at, ?) WHERE token_digest = ? AND revoked_at IS NULL", [at.storedMillis, Data(digest)])
        }
    }

    public func revokeSession(digest: [UInt8], at: Date, audit: AuditDraft) async throws {
        try await write("end the session") { t in
            try await t.run("UPDATE session SET revoked_at = ? WHERE token_digest = ? AND revoked_at IS NULL", [at.storedMillis, Data(digest)])
            try await self.append(audit, in: t)
        }
    }
}
