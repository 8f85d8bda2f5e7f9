import Foundation

/// What happened, by whom, to what: an audit entry before it is chained.
///
/// Never holds a sensitive value: objects are named by id (`case:…`), not content.
public struct AuditDraft: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case success, denied, failed
    }

    public var at: Date
    /// `user:<id>`, `system`, or `anonymous` for a failed sign-in.
    public var actor: String
    /// A dotted verb: `session.create`, `user.disable`, `case.read`...
    public var action: String
    /// The object acted on: `user:<id>`, `case:<id>`, `install`.
    public var object: String
    public var outcome: Outcome
    public var requestID: String
    /// Short non-sensitive detail: a reason code or a count.
    public var detail: String

    public init(at: Date, actor: String, action: String, object: String, outcome: Outcome = .success, requestID: String, detail: String = "") {
        self.at = at
        self.actor = actor
        self.action = action
        self.object = object
        self.outcome = outcome
        self.requestID = requestID
        self.detail = detail
    }
}

/// A chained audit entry as stored.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var draft: AuditDraft
    public var previousHash: [UInt8]
    public var hash: [UInt8]

    public init(sequence: Int64, draft: AuditDraft, previousHash: [UInt8], hash: [UInt8]) {
        self.sequence = sequence
        self.draft = draft
        self.previousHash = previousHash
        self.hash = hash
    }
}
