import GRDB

/// The schema, as ordered migrations. A migration, once shipped, is never
/// edited: a change is a new migration appended at the end.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE agency (
                    id TEXT PRIMARY KEY,
                    code TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE team (
                    id TEXT PRIMARY KEY,
                    agency_id TEXT NOT NULL REFERENCES agency(id),
                    name TEXT NOT NULL,
                    UNIQUE (agency_id, name)
                );
                CREATE TABLE user (
                    id TEXT PRIMARY KEY,
                    username TEXT NOT NULL UNIQUE,
                    display_name TEXT NOT NULL,
                    role TEXT NOT NULL,
                    agency_id TEXT NOT NULL REFERENCES agency(id),
                    team_id TEXT REFERENCES team(id),
                    password_hash TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    language TEXT NOT NULL DEFAULT 'en',
                    created_at INTEGER NOT NULL,
                    password_changed_at INTEGER NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE TABLE session (
                    token_digest BLOB PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES user(id),
                    created_at INTEGER NOT NULL,
                    last_seen_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE INDEX session_by_user ON session(user_id);
                CREATE TABLE login_throttle (
                    username_key TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    locked_until INTEGER,
                    last_failure_at INTEGER NOT NULL
                );
                CREATE INDEX login_throttle_by_age ON login_throttle(last_failure_at);
                CREATE INDEX session_by_expiry ON session(expires_at);
                CREATE TABLE case_file (
                    id TEXT PRIMARY KEY,
                    case_number TEXT NOT NULL UNIQUE,
                    case_type TEXT NOT NULL,
                    owner_id TEXT NOT NULL REFERENCES user(id),
                    team_id TEXT REFERENCES team(id),
                    agency_id TEXT NOT NULL REFERENCES agency(id),
                    wrapped_key BLOB,
                    key_version INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    version INTEGER NOT NULL
                );
                CREATE INDEX case_by_owner ON case_file(owner_id);
                CREATE INDEX case_by_team ON case_file(team_id);
                CREATE TABLE case_number_sequence (
                    prefix TEXT NOT NULL,
                    year INTEGER NOT NULL,
                    last INTEGER NOT NULL,
                    PRIMARY KEY (prefix, year)
                );
                CREATE TABLE case_field (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    field_id TEXT NOT NULL,
                    ciphertext BLOB NOT NULL,
                    blind_index BLOB,
                    PRIMARY KEY (case_id, field_id)
                );
                CREATE INDEX case_field_by_blind_index ON case_field(field_id, blind_index) WHERE blind_index IS NOT NULL;
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    object TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                """)
        }
        // Every form version the install has served, as clients saw it: old
        // submissions stay displayable after an upgrade, and lint compares a new
        // plugin version with the last one served here.
        migrator.registerMigration("v2-form-versions") { db in
            try db.execute(sql: """
                CREATE TABLE form_version (
                    form_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (form_id, version)
                );
                """)
        }
        // The case file of issue 5: workflow state and risk on the envelope; form
        // submissions (sealed, versioned, every version kept) replace the
        // foundation's free fields, which were a placeholder until forms existed
        // and were never released (see docs/decisions/0002-case-file-storage.md).
        migrator.registerMigration("v3-case-file") { db in
            try db.execute(sql: """
                ALTER TABLE case_file ADD COLUMN state TEXT NOT NULL DEFAULT '';
                ALTER TABLE case_file ADD COLUMN risk_level TEXT;
                ALTER TABLE case_file ADD COLUMN closed_at INTEGER;
                CREATE INDEX case_by_state ON case_file(state, risk_level);
                DROP TABLE case_field;
                CREATE TABLE case_member (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES user(id),
                    added_at INTEGER NOT NULL,
                    PRIMARY KEY (case_id, user_id)
                );
                CREATE INDEX case_member_by_user ON case_member(user_id);
                CREATE TABLE case_submission (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    form_id TEXT NOT NULL,
                    entry INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    form_version INTEGER NOT NULL,
                    overlays TEXT NOT NULL,
                    ciphertext BLOB NOT NULL,
                    at INTEGER NOT NULL,
                    actor_id TEXT NOT NULL,
                    changed TEXT NOT NULL,
                    PRIMARY KEY (case_id, form_id, entry)
                );
                CREATE TABLE case_submission_history (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    form_id TEXT NOT NULL,
                    entry INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    form_version INTEGER NOT NULL,
                    overlays TEXT NOT NULL,
                    ciphertext BLOB NOT NULL,
                    at INTEGER NOT NULL,
                    actor_id TEXT NOT NULL,
                    changed TEXT NOT NULL,
                    PRIMARY KEY (case_id, form_id, entry, version)
                );
                CREATE TABLE case_search (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    form_id TEXT NOT NULL,
                    entry INTEGER NOT NULL,
                    field_id TEXT NOT NULL,
                    blind_index BLOB NOT NULL
                );
                CREATE INDEX case_search_by_index ON case_search(field_id, blind_index);
                CREATE INDEX case_search_by_case ON case_search(case_id, form_id, entry);
                CREATE TABLE case_state_change (
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    actor_id TEXT NOT NULL,
                    transition_id TEXT,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    reason BLOB,
                    PRIMARY KEY (case_id, seq)
                );
                CREATE TABLE case_timer (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    timer_id TEXT NOT NULL,
                    fires_at INTEGER NOT NULL,
                    status TEXT NOT NULL
                );
                CREATE INDEX case_timer_due ON case_timer(status, fires_at);
                CREATE INDEX case_timer_by_case ON case_timer(case_id, timer_id);
                CREATE TABLE case_task (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    assignee_id TEXT NOT NULL REFERENCES user(id),
                    timer_id TEXT,
                    title BLOB,
                    due_at INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    completed_at INTEGER,
                    completed_by TEXT
                );
                CREATE INDEX case_task_by_assignee ON case_task(assignee_id, status, due_at);
                CREATE INDEX case_task_by_case ON case_task(case_id, status);
                CREATE TABLE case_approval (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    transition_id TEXT NOT NULL,
                    state TEXT NOT NULL,
                    approver_role TEXT NOT NULL,
                    requested_by TEXT NOT NULL,
                    requested_at INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    decided_by TEXT,
                    decided_at INTEGER,
                    comment BLOB
                );
                CREATE INDEX case_approval_by_status ON case_approval(status, case_id);
                CREATE TABLE idempotency (
                    actor_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request_digest BLOB NOT NULL,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    form_id TEXT NOT NULL,
                    entry INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    PRIMARY KEY (actor_id, key)
                );
                """)
        }
        // Attachments: sealed under the case key like every answer; only the
        // sniffed content type and the size are plain, for limits and listing.
        migrator.registerMigration("v4-case-attachments") { db in
            try db.execute(sql: """
                CREATE TABLE case_attachment (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    name BLOB NOT NULL,
                    content_type TEXT NOT NULL,
                    byte_count INTEGER NOT NULL,
                    content BLOB NOT NULL,
                    at INTEGER NOT NULL,
                    actor_id TEXT NOT NULL
                );
                CREATE INDEX case_attachment_by_case ON case_attachment(case_id, at);
                """)
        }
        // When a timer started, so that a timer paced by risk level can be re-timed.
        migrator.registerMigration("v5-timer-start") { db in
            try db.execute(sql: "ALTER TABLE case_timer ADD COLUMN started_at INTEGER")
        }
        // Issue 7: case conferences, referrals and transfers, each a row whose
        // content is sealed under the case key; only what dashboards count is plain.
        // A timer or task can be about one of them (a referral's follow-up).
        migrator.registerMigration("v6-case-activities") { db in
            try db.execute(sql: """
                CREATE TABLE case_activity (
                    id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    due_at INTEGER,
                    urgent INTEGER NOT NULL DEFAULT 0,
                    category TEXT,
                    participants TEXT NOT NULL,
                    content BLOB NOT NULL,
                    restricted BLOB
                );
                CREATE INDEX case_activity_by_case ON case_activity(case_id, created_at);
                CREATE INDEX case_activity_by_status ON case_activity(kind, status);
                ALTER TABLE case_timer ADD COLUMN subject TEXT;
                ALTER TABLE case_task ADD COLUMN subject TEXT;
                """)
        }
        // The service directory (service mapping): public facts about services, in plain text.
        migrator.registerMigration("v7-service-directory") { db in
            try db.execute(sql: """
                CREATE TABLE service (
                    id TEXT PRIMARY KEY,
                    organisation TEXT NOT NULL,
                    name TEXT NOT NULL,
                    service_type TEXT NOT NULL,
                    location TEXT NOT NULL,
                    address TEXT NOT NULL,
                    hours TEXT NOT NULL,
                    contact TEXT NOT NULL,
                    profiles TEXT NOT NULL,
                    coordination_registration TEXT,
                    agency_code TEXT,
                    active INTEGER NOT NULL,
                    feedback_count INTEGER NOT NULL,
                    feedback_total INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                """)
        }
        // Transfer packages imported from other installs: each once, whoever sends it again.
        migrator.registerMigration("v8-transfer-imports") { db in
            try db.execute(sql: """
                CREATE TABLE transfer_import (
                    package_id TEXT PRIMARY KEY,
                    case_id TEXT NOT NULL REFERENCES case_file(id) ON DELETE CASCADE,
                    sender TEXT NOT NULL,
                    imported_at INTEGER NOT NULL
                );
                """)
        }
        // Individual supervision meetings with staff, apart from cases, their notes sealed.
        migrator.registerMigration("v9-supervision-sessions") { db in
            try db.execute(sql: """
                CREATE TABLE supervision_session (
                    id TEXT PRIMARY KEY,
                    agency_id TEXT NOT NULL REFERENCES agency(id),
                    staff_id TEXT NOT NULL REFERENCES user(id),
                    supervisor_id TEXT NOT NULL REFERENCES user(id),
                    held_on TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    wrapped_key BLOB NOT NULL,
                    key_version INTEGER NOT NULL,
                    notes BLOB NOT NULL
                );
                CREATE INDEX supervision_by_staff ON supervision_session(staff_id, held_on);
                """)
        }
        // Found at 100,000 cases: reading a case's approvals, and the cascade when a case is
        // purged, scanned whole tables. Every table that belongs to a case is reachable by its case.
        migrator.registerMigration("v10-case-indexes") { db in
            try db.execute(sql: """
                CREATE INDEX case_approval_by_case ON case_approval(case_id, requested_at);
                CREATE INDEX idempotency_by_case ON idempotency(case_id);
                CREATE INDEX transfer_import_by_case ON transfer_import(case_id);
                """)
        }
        // What a report found in a case's entries, kept for the next report (``ReportDigestWrite``).
        // Any change to an entry forgets it, whichever path wrote the entry.
        migrator.registerMigration("v11-report-digests") { db in
            try db.execute(sql: """
                CREATE TABLE case_report_digest (
                    case_id TEXT PRIMARY KEY REFERENCES case_file(id) ON DELETE CASCADE,
                    basis TEXT NOT NULL,
                    steady_until INTEGER,
                    ciphertext BLOB NOT NULL
                );
                CREATE TRIGGER case_report_digest_after_insert AFTER INSERT ON case_submission
                    BEGIN DELETE FROM case_report_digest WHERE case_id = NEW.case_id; END;
                CREATE TRIGGER case_report_digest_after_update AFTER UPDATE ON case_submission
                    BEGIN DELETE FROM case_report_digest WHERE case_id IN (OLD.case_id, NEW.case_id); END;
                CREATE TRIGGER case_report_digest_after_delete AFTER DELETE ON case_submission
                    BEGIN DELETE FROM case_report_digest WHERE case_id = OLD.case_id; END;
                """)
        }
        // An entry's history holds the versions it replaced, no longer the one it holds too
        // (``SQLiteStore/submissionHistory(caseID:formID:entry:)`` reads both): each entry's copy
        // of its latest version goes.
        migrator.registerMigration("v12-history-of-replaced-versions") { db in
            try db.execute(sql: """
                DELETE FROM case_submission_history WHERE EXISTS (
                    SELECT 1 FROM case_submission s WHERE s.case_id = case_submission_history.case_id AND s.form_id = case_submission_history.form_id
                    AND s.entry = case_submission_history.entry AND s.version = case_submission_history.version);
                """)
        }
        return migrator
    }
}
