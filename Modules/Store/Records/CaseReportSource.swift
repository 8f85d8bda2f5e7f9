import AmanaCore

/// What anonymous statistics read of one case: its record, the entries of the
/// forms asked for (still sealed under the case key) or the case's report digest,
/// its approvals and the activities of the kinds asked for. Read for a page of
/// cases at once, so that a report over a million cases makes a few thousand
/// queries, not millions.
public struct CaseReportSource: Sendable {
    public var record: CaseRecord
    public var submissions: [SubmissionRecord]
    public var approvals: [ApprovalRecord]
    public var activities: [CaseActivityRecord]
    /// The case's report digest (sealed under the case key), when one still in force was
    /// found: then no submissions are read.
    public var digest: [UInt8]?
    /// Without a digest: what the case's entries were when read (``ReportDigestWrite/submissionMark``).
    public var submissionMark: String?

    public init(
        record: CaseRecord, submissions: [SubmissionRecord] = [], approvals: [ApprovalRecord] = [], activities: [CaseActivityRecord] = [],
        digest: [UInt8]? = nil, submissionMark: String? = nil
    ) {
        self.record = record
        self.submissions = submissions
        self.approvals = approvals
        self.activities = activities
        self.digest = digest
        self.submissionMark = submissionMark
    }
}

/// Which report digests a report may use instead of a case's entries: those made
/// under the same definitions (`basis`) and steady past `today`.
public struct ReportDigestsWanted: Sendable {
    public var basis: String
    /// The day number of today: a digest steady until today or earlier is not used.
    public var today: Int
    /// Only the cases with no digest in force: what making digests ahead of a report reads.
    public var missingOnly: Bool

    public init(basis: String, today: Int, missingOnly: Bool = false) {
        self.basis = basis
        self.today = today
        self.missingOnly = missingOnly
    }

    /// The clause over `case_file c` that leaves out the cases with a digest in force; its
    /// arguments are ``basis`` and ``today`` (`?` for each, as every store's filter is written).
    public static let missingClause =
        "NOT EXISTS (SELECT 1 FROM case_report_digest d WHERE d.case_id = c.id AND d.basis = ? AND (d.steady_until IS NULL OR d.steady_until > ?))"
}

/// A case's report digest to keep: what a report found in the case's entries
/// (sealed under the case key), for the next report to read instead.
///
/// Kept only if the case's entries are still as they were read (`submissionMark`):
/// a save between the read and this write leaves no digest. Any later save of an
/// entry deletes it (a trigger on `case_submission`), and so does a purge.
public struct ReportDigestWrite: Sendable {
    public var caseID: CaseID
    public var basis: String
    /// The day number from which it may no longer hold (an age goes up); nil: until an entry changes.
    public var steadyUntil: Int?
    public var ciphertext: [UInt8]
    /// What the case's entries were when the digest was made (``submissionMark(entries:versions:)``).
    public var submissionMark: String

    public init(caseID: CaseID, basis: String, steadyUntil: Int?, ciphertext: [UInt8], submissionMark: String) {
        self.caseID = caseID
        self.basis = basis
        self.steadyUntil = steadyUntil
        self.ciphertext = ciphertext
        self.submissionMark = submissionMark
    }

    /// What a case's entries are as a whole: how many, and the sum of their versions (a save adds
    /// an entry or a version, so the mark changes with every one). Both stores compute the same
    /// text, so that whoever saved the entries (an import) can name it without reading them back.
    public static func submissionMark(entries: Int, versions: Int) -> String { "\(entries)/\(versions)" }
}
