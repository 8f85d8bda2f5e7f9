import AmanaCore
import Foundation
import Store

/// Reads that count many cases at once — statistics and dashboards — bounded by the
/// same need-to-know filter as a case list (``PostgresStore/filter(_:)``).
extension PostgresStore {
    public func reportSources(
        _ query: CaseQuery, forms: Set<String>, activityKinds: Set<CaseActivityRecord.Kind>, digests: ReportDigestsWanted?
    ) async throws -> [CaseReportSource] {
        try await read("read cases for a report") { t in
            var (clauses, arguments) = Self.filter(query)
            if let before = query.before {
                clauses.append("c.seq < ?")
                arguments.append(before)
            }
            if let digests, digests.missingOnly {
                clauses.append(ReportDigestsWanted.missingClause)
                arguments += [digests.basis, digests.today]
            }
            arguments.append(query.limit)
            let records = try await t.rows(
                "SELECT c.* FROM case_file c WHERE \(clauses.joined(separator: " AND ")) ORDER BY c.seq DESC LIMIT ?", arguments, Self.caseRecord)
            guard !records.isEmpty else { return [] }
            var sources = Dictionary(uniqueKeysWithValues: records.map { ($0.id, CaseReportSource(record: $0)) })
            let ids = records.map(\.id.rawValue)
            for approval in try await t.rows("SELECT * FROM case_approval WHERE case_id = ANY(?) ORDER BY requested_at, id", [ids], Self.approval) {
                sources[approval.caseID]?.approvals.append(approval)
            }
            if !activityKinds.isEmpty {
                for activity in try await t.rows(
                    "SELECT * FROM case_activity WHERE case_id = ANY(?) AND kind = ANY(?) ORDER BY created_at, id", [ids, activityKinds.map(\.rawValue).sorted()],
                    Self.activity) {
                    sources[activity.caseID]?.activities.append(activity)
                }
            }
            var unsummed = ids
            if let digests {
                // A case with a digest in force is read from it; the others from their entries, with their mark.
                for (id, sealed) in try await t.rows(
                    "SELECT case_id, ciphertext FROM case_report_digest WHERE case_id = ANY(?) AND basis = ? AND (steady_until IS NULL OR steady_until > ?)",
                    [ids, digests.basis, digests.today], { c in (CaseID(try c.text("case_id")), try c.bytes("ciphertext")) }) {
                    sources[id]?.digest = sealed
                }
                unsummed.removeAll { sources[CaseID($0)]?.digest != nil }
                if !unsummed.isEmpty {
                    for (id, mark) in try await t.rows(
                        "SELECT id, \(Self.submissionMark("id")) AS mark FROM case_file WHERE id = ANY(?)", [unsummed],
                        { c in (CaseID(try c.text("id")), try c.text("mark")) }) {
                        sources[id]?.submissionMark = mark
                    }
                }
            }
            if !forms.isEmpty && !unsummed.isEmpty {
                for submission in try await t.rows(
                    "SELECT * FROM case_submission WHERE case_id = ANY(?) AND form_id = ANY(?) ORDER BY case_id, form_id, entry", [unsummed, forms.sorted()],
                    Self.submission) {
                    sources[submission.caseID]?.submissions.append(submission)
                }
            }
            return ids.compactMap { sources[CaseID($0)] }
        }
    }

    /// ``ReportDigestWrite/submissionMark(entries:versions:)`` of the case whose id is in `column`.
    static func submissionMark(_ column: String) -> String {
        "(SELECT COUNT(*)::text || '/' || COALESCE(SUM(s.version), 0)::text FROM case_submission s WHERE s.case_id = \(column))"
    }

    public func saveReportDigests(_ digests: [ReportDigestWrite]) async throws {
        guard !digests.isEmpty else { return }
        try await write("keep report digests") { t in
            for digest in digests { try await Self.keep(digest, in: t) }
        }
    }

    /// Keeps a digest, but not if an entry was saved since its forms were read, nor onto a purged case.
    static func keep(_ digest: ReportDigestWrite, in t: PostgresTransaction) async throws {
        try await t.run(
            """
            INSERT INTO case_report_digest (case_id, basis, steady_until, ciphertext)
            SELECT id, ?, ?, ? FROM case_file WHERE id = ? AND wrapped_key IS NOT NULL AND \(submissionMark("case_file.id")) = ?
            ON CONFLICT (case_id) DO UPDATE SET basis = excluded.basis, steady_until = excluded.steady_until, ciphertext = excluded.ciphertext
            """,
            [digest.basis, digest.steadyUntil, Data(digest.ciphertext), digest.caseID.rawValue, digest.submissionMark])
    }

    public func caseload(_ query: CaseQuery, now: Date, closureReviewTimer: String, overridesSince: Date) async throws -> [CaseloadGroup] {
        try await read("count the caseload") { t in
            var (clauses, arguments) = Self.filter(query)
            clauses.append("c.closed_at IS NULL")
            let sql = """
                SELECT c.owner_id, c.team_id, c.case_type, c.state, c.risk_level, COUNT(*) AS open,
                    SUM((SELECT COUNT(*) FROM case_task t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < ?))::bigint AS overdue,
                    SUM(CASE WHEN EXISTS (SELECT 1 FROM case_task t WHERE t.case_id = c.id AND t.status = 'open' AND t.timer_id = ?) THEN 1 ELSE 0 END)::bigint AS review,
                    SUM((SELECT COUNT(*) FROM case_activity a WHERE a.case_id = c.id AND a.kind = 'referral' AND a.status IN ('sent', 'no_answer')))::bigint AS waiting,
                    SUM((SELECT COUNT(*) FROM case_approval p
                         WHERE p.case_id = c.id AND p.transition_id LIKE 'override:%' AND p.requested_at >= ?))::bigint AS overrides
                FROM case_file c
                WHERE \(clauses.joined(separator: " AND "))
                GROUP BY c.owner_id, c.team_id, c.case_type, c.state, c.risk_level
                """
            let leading: [any PostgresArgument] = [now.storedMillis, closureReviewTimer, overridesSince.storedMillis]
            return try await t.rows(sql, leading + arguments) { c in
                CaseloadGroup(
                    ownerID: UserID(try c.text("owner_id")), teamID: try c.optionalText("team_id").map(TeamID.init), caseType: try c.text("case_type"),
                    state: try c.text("state"), riskLevel: try c.optionalText("risk_level"), open: try c.int("open"), overdueTasks: try c.int("overdue"),
                    dueForClosureReview: try c.int("review"), referralsWaiting: try c.int("waiting"), consentOverrides: try c.int("overrides"))
            }
        }
    }
}
