import AmanaCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertAgency(_ agency: AgencyRecord, audit: AuditDraft) async throws {
        try await write("add the agency") { db in
            try db.run(
                sql: "INSERT INTO agency (id, code, name, created_at) VALUES (?, ?, ?, ?)",
                arguments: [agency.id.rawValue, agency.code, agency.name, millis(agency.createdAt)])
            try self.append(audit, in: db)
        }
    }

    public func agencies() async throws -> [AgencyRecord] {
        try await read("list agencies") { db in
            try db.rows(sql: "SELECT * FROM agency ORDER BY code") {
                AgencyRecord(id: AgencyID($0["id"]), code: $0["code"], name: $0["name"], createdAt: date(millis: $0["created_at"]))
            }
        }
    }

    public func insertTeam(_ team: TeamRecord, audit: AuditDraft) async throws {
        try await write("add the team") { db in
            try db.run(
                sql: "INSERT INTO team (id, agency_id, name) VALUES (?, ?, ?)",
                arguments: [team.id.rawValue, team.agencyID.rawValue, team.name])
            try self.append(audit, in: db)
        }
    }

    public func teams() async throws -> [TeamRecord] {
        try await read("list teams") { db in
            try db.rows(sql: "SELECT * FROM team ORDER BY name") {
                TeamRecord(id: TeamID($0["id"]), agencyID: AgencyID($0["agency_id"]), name: $0["name"])
            }
        }
    }

    public func insertUser(_ user: UserRecord, audit: AuditDraft) async throws {
        try await write("add the user") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM user WHERE username = ?", arguments: [user.username]) != nil {
                throw AmanaError(.conflict, code: "username-taken", "The username '\(user.username)' is already in use.", pointer: "/username")
            }
            try db.run(
                sql: """
                    INSERT INTO user (id, username, display_name, role, agency_id, team_id, password_hash, disabled,
                                      language, created_at, password_changed_at, version)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.id.rawValue, user.username, user.displayName, user.role, user.agencyID.rawValue,
                            user.teamID?.rawValue, user.passwordHash, user.disabled, user.language,
                            millis(user.createdAt), millis(user.passwordChangedAt), user.version])
            try self.append(audit, in: db)
        }
    }

    public func user(id: UserID) async throws -> UserRecord? {
        try readNow("read the user") { db in try Self.user(id, in: db) }
    }

    static func user(_ id: UserID, in db: Database) throws -> UserRecord? {
        try db.row(sql: "SELECT * FROM user WHERE id = ?", arguments: [id.rawValue], Self.userRecord)
    }

    public func user(username: String) async throws -> UserRecord? {
        try readNow("read the user") { db in
            try db.row(sql: "SELECT * FROM user WHERE username = ?", arguments: [username], Self.userRecord)
        }
    }

    public func usernames(ids: Set<UserID>) async throws -> [UserID: String] {
        try readNow("read the users") { db in try Self.usernames(ids, in: db) }
    }

    static func usernames(_ ids: Set<UserID>, in db: Database) throws -> [UserID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UserID: String] = [:]
        for (id, name) in try db.rows(
            sql: "SELECT id, username FROM user WHERE id IN (SELECT value FROM json_each(?))", arguments: [Database.jsonList(ids.map(\.rawValue))],
            { (UserID($0[0]), $0[1] as String) })
        {
            names[id] = name
        }
        return names
    }

    public func users() async throws -> [UserRecord] {
        try await read("list users") { db in
            try db.rows(sql: "SELECT * FROM user ORDER BY username", Self.userRecord)
        }
    }

    public func updateUser(_ user: UserRecord, revokingSessions: Bool, at: Date, audit: AuditDraft) async throws -> UserRecord {
        try await write("update the user") { db in
            try db.run(
                sql: """
                    UPDATE user SET display_name = ?, role = ?, team_id = ?, password_hash = ?, disabled = ?,
                                    language = ?, password_changed_at = ?, version = version + 1
                    WHERE id = ? AND version = ?
                    """,
                arguments: [user.displayName, user.role, user.teamID?.rawValue, user.passwordHash, user.disabled,
                            user.language, millis(user.passwordChangedAt), user.id.rawValue, user.version])
            guard db.changesCount == 1 else {
                throw AmanaError(.preconditionFailed, code: "version-mismatch", "Someone else changed this user meanwhile; reload it and try again.")
            }
            if revokingSessions {
                try db.run(
                    sql: "UPDATE session SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    arguments: [millis(at), user.id.rawValue])
            }
            try self.append(audit, in: db)
            var updated = user
            updated.version += 1
            return updated
        }
    }

    static func userRecord(_ row: Row) -> UserRecord {
        UserRecord(
            id: UserID(row["id"]), username: row["username"], displayName: row["display_name"], role: row["role"],
            agencyID: AgencyID(row["agency_id"]), teamID: (row["team_id"] as String?).map(TeamID.init),
            passwordHash: row["password_hash"], disabled: row["disabled"], language: row["language"],
            createdAt: date(millis: row["created_at"]), passwordChangedAt: date(millis: row["password_changed_at"]),
            version: row["version"])
    }

    // MARK: Sign-in throttling

    public func loginThrottle(key: String) async throws -> LoginThrottle? {
        try await read("read sign-in attempts") { db in
            try db.row(sql: "SELECT * FROM login_throttle WHERE username_key = ?", arguments: [key]) {
                LoginThrottle(failures: $0["failures"], lockedUntil: ($0["locked_until"] as Int64?).map { date(millis: $0) })
            }
        }
    }

    public func recordLoginFailure(key: String, at: Date, maxFailures: Int, lockFor: TimeInterval, audit: AuditDraft) async throws -> LoginThrottle {
        try await write("record a failed sign-in") { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM login_throttle WHERE username_key = ?", arguments: [key])
            var failures: Int = row?["failures"] ?? 0
            let lockedUntil = (row?["locked_until"] as Int64?).map { date(millis: $0) }
            // A lock that has run out starts a fresh count.
            if let lockedUntil, lockedUntil <= at { failures = 0 }
            failures += 1
            let newLock: Date? = failures >= maxFailures ? at.addingTimeInterval(lockFor) : nil
            try db.run(
                sql: """
                    INSERT INTO login_throttle (username_key, failures, locked_until, last_failure_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (username_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
                        last_failure_at = excluded.last_failure_at
                    """,
                arguments: [key, failures, newLock.map(millis), millis(at)])
            // Counters untouched for a day and not locked are forgotten, so a flood of
            // made-up usernames cannot grow the table without bound.
            try db.run(
                sql: "DELETE FROM login_throttle WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)",
                arguments: [millis(at) - 86_400_000, millis(at)])
            try self.append(audit, in: db)
            return LoginThrottle(failures: failures, lockedUntil: newLock)
        }
    }

    public func clearLoginFailures(key: String) async throws {
        try await write("clear sign-in attempts") { db in
            try db.run(sql: "DELETE FROM login_throttle WHERE username_key = ?", arguments: [key])
        }
    }
}
