import AmanaCore
import Foundation

/// The envelope of a case: who holds it, where it is in its workflow, and its
/// wrapped data key. Content (form answers, notes, reasons, comments) lives in
/// the other case tables, encrypted under that key; the envelope holds only
/// what listing, sorting and need-to-know checks need, and nothing about the person.
public struct CaseRecord: Sendable, Equatable {
    public var id: CaseID
    /// Agency code + year + sequence (`ACME-2026-000042`): says nothing about the person.
    public var caseNumber: String
    /// The plugin's case type: `gbv`, `child-protection`, `general-protection`.
    public var caseType: String
    public var ownerID: UserID
    public var teamID: TeamID?
    public var agencyID: AgencyID
    /// Nil once the case has been crypto-shredded.
    public var wrappedKey: [UInt8]?
    public var keyVersion: UInt32
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    /// The workflow state (`registered`, `follow_up`, `closed`...).
    public var state: String
    /// `low`, `medium`, `high`, or nil before the first assessment.
    public var riskLevel: String?
    /// Set while the case is in a final state: the case is read-only until reopened.
    public var closedAt: Date?
    /// Store order, for cursors.
    public var sequence: Int64 = 0

    public init(
        id: CaseID, caseNumber: String = "", caseType: String, ownerID: UserID, teamID: TeamID?, agencyID: AgencyID,
        wrappedKey: [UInt8]?, keyVersion: UInt32, createdAt: Date, updatedAt: Date, version: Int = 1, state: String,
        riskLevel: String? = nil, closedAt: Date? = nil
    ) {
        self.id = id
        self.caseNumber = caseNumber
        self.caseType = caseType
        self.ownerID = ownerID
        self.teamID = teamID
        self.agencyID = agencyID
        self.wrappedKey = wrappedKey
        self.keyVersion = keyVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.state = state
        self.riskLevel = riskLevel
        self.closedAt = closedAt
    }
}

/// One form submission on a case, as stored: the answers are one sealed JSON
/// object, bound to (case, form, entry, version).
public struct SubmissionRecord: Sendable, Equatable {
    public var caseID: CaseID
    public var formID: String
    /// 1 for a form a case holds once; 1, 2, 3... for a `multiple` form.
    public var entry: Int
    public var version: Int
    /// The form version (and overlays) the answers were given with.
    public var formVersion: Int
    public var overlays: [String: Int]
    public var ciphertext: [UInt8]
    public var at: Date
    public var actorID: UserID
    /// Paths of the answers that changed from the previous version (all of them for the first).
    public var changed: [String]

    public init(
        caseID: CaseID, formID: String, entry: Int, version: Int, formVersion: Int, overlays: [String: Int], ciphertext: [UInt8],
        at: Date, actorID: UserID, changed: [String]
    ) {
        self.caseID = caseID
        self.formID = formID
        self.entry = entry
        self.version = version
        self.formVersion = formVersion
        self.overlays = overlays
        self.ciphertext = ciphertext
        self.at = at
        self.actorID = actorID
        self.changed = changed
    }
}

/// A blind index of one identifying answer, for exact search without decrypting.
public struct SearchKeyRecord: Sendable, Equatable {
    public var fieldID: String
    public var blindIndex: [UInt8]

    public init(fieldID: String, blindIndex: [UInt8]) {
        self.fieldID = fieldID
        self.blindIndex = blindIndex
    }
}

/// One move of a case through its workflow (or its opening, with no transition).
public struct StateChangeRecord: Sendable, Equatable {
    public var at: Date
    public var actorID: UserID
    public var transitionID: String?
    public var fromState: String?
    public var toState: String
    /// A reason given (reopening a closed case), sealed under the case key.
    public var sealedReason: [UInt8]?

    public init(at: Date, actorID: UserID, transitionID: String?, fromState: String?, toState: String, sealedReason: [UInt8]? = nil) {
        self.at = at
        self.actorID = actorID
        self.transitionID = transitionID
        self.fromState = fromState
        self.toState = toState
        self.sealedReason = sealedReason
    }
}

/// A workflow timer waiting to fire on a case.
public struct TimerRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, fired, cancelled }
    public var id: String
    public var caseID: CaseID
    /// The workflow's timer id (`referral_follow_up`).
    public var timerID: String
    public var firesAt: Date
    public var status: Status
    /// When it started (nil for timers started before this was kept): a change
    /// of the case's risk level re-times it from here.
    public var startedAt: Date?
    /// The case activity it is about (a referral's follow-up), if any.
    public var subject: String?

    public init(id: String, caseID: CaseID, timerID: String, firesAt: Date, status: Status = .pending, startedAt: Date? = nil, subject: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.timerID = timerID
        self.startedAt = startedAt
        self.subject = subject
        self.firesAt = firesAt
        self.status = status
    }
}

/// Something a person has to do on a case.
public struct TaskRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case open, done, cancelled }
    public var id: String
    public var caseID: CaseID
    public var assigneeID: UserID
    /// The workflow timer that created it (its title comes from the workflow), or nil.
    public var timerID: String?
    /// A title typed by a person, sealed under the case key (it may name someone).
    public var sealedTitle: [UInt8]?
    public var dueAt: Date
    public var status: Status
    public var createdAt: Date
    public var completedAt: Date?
    public var completedBy: UserID?
    /// The case activity it is about (the referral to follow up), if any.
    public var subject: String?

    public init(
        id: String, caseID: CaseID, assigneeID: UserID, timerID: String?, sealedTitle: [UInt8]?, dueAt: Date, status: Status = .open,
        createdAt: Date, completedAt: Date? = nil, completedBy: UserID? = nil, subject: String? = nil
    ) {
        self.subject = subject
        self.id = id
        self.caseID = caseID
        self.assigneeID = assigneeID
        self.timerID = timerID
        self.sealedTitle = sealedTitle
        self.dueAt = dueAt
        self.status = status
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.completedBy = completedBy
    }
}

/// A request for a supervisor's approval of one transition.
public struct ApprovalRecord: Sendable, Equatable {
    /// What a consent exception's approval is recorded under, in place of a transition id.
    public static func consentException(_ id: String) -> String { "consent:" + id }

    /// The consent exception this approval is for, if it is not a step's.
    public var consentException: String? { transitionID.hasPrefix("consent:") ? String(transitionID.dropFirst("consent:".count)) : nil }

    /// What a supervisor's consent override is recorded under: the policy's override and the act it lets go ahead.
    public static func consentOverride(_ id: String, act: String) -> String { "override:\(id):\(act)" }

    /// The consent override this approval records, if it is one.
    public var consentOverride: (id: String, act: String)? {
        let parts = transitionID.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "override" else { return nil }
        return (String(parts[1]), String(parts[2]))
    }

    public enum Status: String, Sendable {
        case pending, approved, rejected, used, withdrawn

        /// Whether an approval in `stored` status may be written as `self`: decided once (a pending
        /// request approved, rejected or withdrawn) and used once (approved, then used or withdrawn).
        /// Two supervisors deciding at once, or two acts using one override, find the other's
        /// write already there, and the store refuses the second (``ApprovalRecord/alreadyDecided``).
        public func mayFollow(_ stored: Status) -> Bool {
            switch (stored, self) {
            case (.pending, .approved), (.pending, .rejected), (.pending, .withdrawn), (.approved, .used), (.approved, .withdrawn): true
            default: false
            }
        }
    }

    /// The refusal of an approval written over one decided or used meanwhile.
    public static let alreadyDecided = AmanaError(
        .conflict, code: "approval-decided", "This approval was decided, or used, by someone else a moment ago; nothing was done. Reload the case to see it.")
    public var id: String
    public var caseID: CaseID
    public var transitionID: String
    /// The case state when it was asked for: an approval is good only in that state.
    public var state: String
    public var approverRole: String
    public var requestedBy: UserID
    public var requestedAt: Date
    public var status: Status
    public var decidedBy: UserID?
    public var decidedAt: Date?
    /// The approver's comment, sealed under the case key.
    public var sealedComment: [UInt8]?

    public init(
        id: String, caseID: CaseID, transitionID: String, state: String, approverRole: String, requestedBy: UserID, requestedAt: Date,
        status: Status = .pending, decidedBy: UserID? = nil, decidedAt: Date? = nil, sealedComment: [UInt8]? = nil
    ) {
        self.id = id
        self.caseID = caseID
        self.transitionID = transitionID
        self.state = state
        self.approverRole = approverRole
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.sealedComment = sealedComment
    }
}

/// A remembered write under an `Idempotency-Key`: a retry with the same key
/// and the same request gets the same submission back instead of a second one.
public struct IdempotencyRecord: Sendable, Equatable {
    public var actorID: UserID
    public var key: String
    /// A keyed digest of the request (method, path and body), never the body itself.
    public var requestDigest: [UInt8]
    public var caseID: CaseID
    public var formID: String
    public var entry: Int
    public var version: Int
    public var at: Date

    public init(actorID: UserID, key: String, requestDigest: [UInt8], caseID: CaseID, formID: String, entry: Int, version: Int, at: Date) {
        self.actorID = actorID
        self.key = key
        self.requestDigest = requestDigest
        self.caseID = caseID
        self.formID = formID
        self.entry = entry
        self.version = version
        self.at = at
    }
}

/// A file kept on a case (a scanned consent form, a medical report, a photo
/// the survivor asked to keep). Its name and content are sealed under the
/// case key, each bound to the case and the attachment's id.
public struct AttachmentRecord: Sendable, Equatable {
    public var id: String
    public var caseID: CaseID
    public var sealedName: [UInt8]
    /// Sniffed from the content, never taken from the sender's word.
    public var contentType: String
    public var byteCount: Int
    /// Empty when read for a listing (``Store/attachments(caseID:)``).
    public var sealedContent: [UInt8]
    public var at: Date
    public var actorID: UserID

    public init(id: String, caseID: CaseID, sealedName: [UInt8], contentType: String, byteCount: Int, sealedContent: [UInt8], at: Date, actorID: UserID) {
        self.id = id
        self.caseID = caseID
        self.sealedName = sealedName
        self.contentType = contentType
        self.byteCount = byteCount
        self.sealedContent = sealedContent
        self.at = at
        self.actorID = actorID
    }
}
