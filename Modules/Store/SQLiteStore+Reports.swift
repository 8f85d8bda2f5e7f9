import AmanaCore
import Foundation
import GRDB

/// Reads that count many cases at once — statistics and dashboards — each
/// bounded by the same need-to-know filter as a case list (``SQLiteStore/filter(_:)``).
extension SQLiteStore {
    public func reportSources(
        _ query: CaseQuery, forms: Set<String>, activityKinds: Set<CaseActivityRecord.Kind>, digests: ReportDigestsWanted?
    ) async throws -> [CaseReportSource] {
        try await read("read cases for a report") { db in
            var (clauses, arguments) = Self.filter(query)
            if let before = query.before {
                clauses.append("c.rowid < ?")
                arguments.append(before)
            }
            if let digests, digests.missingOnly {
                clauses.append(ReportDigestsWanted.missingClause)
                arguments += [digests.basis, digests.today]
            }
            arguments.append(query.limit)
            let records = try db.rows(
                sql: "SELECT \(Self.casesColumns) FROM case_file c WHERE \(clauses.joined(separator: " AND ")) ORDER BY c.rowid DESC LIMIT ?",
                arguments: StatementArguments(arguments), cached: false, Self.caseRecord)
            guard !records.isEmpty else { return [] }
            var sources = Dictionary(uniqueKeysWithValues: records.map { ($0.id, CaseReportSource(record: $0)) })
            let ids = records.map(\.id.rawValue)
            func among(_ values: [String]) -> String { Array(repeating: "?", count: values.count).joined(separator: ", ") }
            let wanted = forms.sorted(), kinds = activityKinds.map(\.rawValue).sorted()
            // The page's cases by id, in slices well under SQLite's limit on parameters (a team's
            // cases are spread over the whole file: a range of sequence numbers would read everyone's).
            for start in stride(from: 0, to: ids.count, by: 500) {
                var slice = Array(ids[start..<min(start + 500, ids.count)])
                let all = "case_id IN (\(among(slice)))"
                for approval in try db.rows(
                    sql: "SELECT * FROM case_approval WHERE \(all) ORDER BY requested_at", arguments: StatementArguments(slice), cached: false, Self.approval) {
                    sources[approval.caseID]?.approvals.append(approval)
                }
                if !kinds.isEmpty {
                    for activity in try db.rows(
                        sql: "SELECT * FROM case_activity WHERE \(all) AND kind IN (\(among(kinds))) ORDER BY created_at, id",
                        arguments: StatementArguments(slice + kinds), cached: false, Self.activity) {
                        sources[activity.caseID]?.activities.append(activity)
                    }
                }
                if let digests {
                    // A case with a digest in force is read from it; the others from their entries, with their mark.
                    for (id, sealed) in try db.rows(
                        sql: """
                            SELECT case_id, ciphertext FROM case_report_digest
                            WHERE \(all) AND basis = ? AND (steady_until IS NULL OR steady_until > ?)
                            """,
                        arguments: StatementArguments(slice.map { $0 as any DatabaseValueConvertible } + [digests.basis, digests.today]), cached: false, { row in
                            (CaseID(row["case_id"] as String), [UInt8](row["ciphertext"] as Data))
                        }) {
                        sources[id]?.digest = sealed
                    }
                    slice.removeAll { sources[CaseID($0)]?.digest != nil }
                    if slice.isEmpty { continue }
                    for (id, mark) in try db.rows(
                        sql: "SELECT id, \(Self.submissionMark("id")) AS mark FROM case_file WHERE id IN (\(among(slice)))", arguments: StatementArguments(slice),
                        cached: false, { row in (CaseID(row["id"] as String), row["mark"] as String) }) {
                        sources[id]?.submissionMark = mark
                    }
                }
                if !wanted.isEmpty {
                    for submission in try db.rows(
                        sql: "SELECT \(Self.submissionColumns) FROM case_submission WHERE case_id IN (\(among(slice))) AND form_id IN (\(among(wanted))) ORDER BY case_id, form_id, entry",
                        arguments: StatementArguments(slice + wanted), cached: false, Self.submission) {
                        sources[submission.caseID]?.submissions.append(submission)
                    }
                }
            }
            return ids.compactMap { sources[CaseID($0)] }
        }
    }

    /// ``ReportDigestWrite/submissionMark(entries:versions:)`` of the case whose id is in `column`.
    static func submissionMark(_ column: String) -> String {
        "(SELECT COUNT(*) || '/' || COALESCE(SUM(s.version), 0) FROM case_submission s WHERE s.case_id = \(column))"
    }

    public func saveReportDigests(_ digests: [ReportDigestWrite]) async throws {
        guard !digests.isEmpty else { return }
        try await write("keep report digests") { db in
            for digest in digests { try Self.keep(digest, in: db) }
        }
    }

    /// Keeps a digest, but not if an entry was saved since its forms were read, nor onto a purged case.
    static func keep(_ digest: ReportDigestWrite, in db: Database) throws {
        try db.run(
            sql: """
                INSERT OR REPLACE INTO case_report_digest (case_id, basis, steady_until, ciphertext)
                SELECT id, ?, ?, ? FROM case_file WHERE id = ? AND wrapped_key IS NOT NULL AND \(submissionMark("case_file.id")) = ?
                """,
            arguments: [digest.basis, digest.steadyUntil, Data(digest.ciphertext), digest.caseID.rawValue, digest.submissionMark])
    }

    public func caseload(_ query: CaseQuery, now: Date, closureReviewTimer: String, overridesSince: Date) async throws -> [CaseloadGroup] {
        try await read("count the caseload") { db in
            var (clauses, arguments) = Self.filter(query)
            clauses.append("c.closed_at IS NULL")
            // Each case's tasks, referrals and overrides through its own index: the cost grows with the reach.
            let sql = """
                SELECT c.owner_id, c.team_id, c.case_type, c.state, c.risk_level, COUNT(*) AS open,
                    SUM((SELECT COUNT(*) FROM case_task t WHERE t.case_id = c.id AND t.status = 'open' AND t.due_at < ?)) AS overdue,
                    SUM(EXISTS (SELECT 1 FROM case_task t WHERE t.case_id = c.id AND t.status = 'open' AND t.timer_id = ?)) AS review,
                    SUM((SELECT COUNT(*) FROM case_activity a WHERE a.case_id = c.id AND a.kind = 'referral' AND a.status IN ('sent', 'no_answer'))) AS waiting,
                    SUM((SELECT COUNT(*) FROM case_approval p
                         WHERE p.case_id = c.id AND p.transition_id LIKE 'override:%' AND p.requested_at >= ?)) AS overrides
                FROM case_file c
                WHERE \(clauses.joined(separator: " AND "))
                GROUP BY c.owner_id, c.team_id, c.case_type, c.state, c.risk_level
                """
            let leading: [any DatabaseValueConvertible] = [millis(now), closureReviewTimer, millis(overridesSince)]
            return try db.rows(sql: sql, arguments: StatementArguments(leading + arguments), cached: false) { row in
                CaseloadGroup(
                    ownerID: UserID(row["owner_id"]), teamID: (row["team_id"] as String?).map(TeamID.init), caseType: row["case_type"], state: row["state"],
                    riskLevel: row["risk_level"], open: row["open"], overdueTasks: row["overdue"], dueForClosureReview: row["review"],
                    referralsWaiting: row["waiting"], consentOverrides: row["overrides"])
            }
        }
    }
}
