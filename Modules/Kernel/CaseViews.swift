import AmanaCore
import Foundation

/// A line of the case list: the envelope only, nothing about the person.
public struct CaseSummary: Sendable, Equatable, Codable {
    public var id: String
    public var caseNumber: String
    public var caseType: String
    public var state: String
    public var riskLevel: String?
    public var owner: String
    public var version: Int
    public var updatedAt: Date
    public var closed: Bool
}

/// A page of the case list; `nextCursor` fetches the next one.
public struct CasePage: Sendable, Equatable, Codable {
    public var cases: [CaseSummary]
    public var nextCursor: String?
}

/// A case opened by someone allowed to: where it is, what it holds (forms by
/// name, not their answers), what can happen next and what happened before.
public struct CaseDetail: Sendable, Equatable, Codable {
    public var summary: CaseSummary
    public var stateLabel: String
    public var team: String?
    public var createdAt: Date
    public var closedAt: Date?
    public var members: [String]
    public var forms: [FormEntry]
    public var transitions: [TransitionView]
    public var tasks: [TaskView]
    public var approvals: [ApprovalView]
    public var attachments: [AttachmentView]
    public var history: [StateChangeView]
    /// When a supervisor last reviewed the case file (`core/case-file-review`), and who.
    public var lastReviewedAt: Date? = nil
    public var lastReviewedBy: String? = nil
}

/// One submission on a case, without its answers.
public struct FormEntry: Sendable, Equatable, Codable {
    public var formId: String
    public var title: String
    public var entry: Int
    public var version: Int
    public var formVersion: Int
    public var at: Date
    public var by: String
    /// Whether the reader may read the answers (`readable_by`).
    public var readable: Bool
}

/// A form's answers on a case.
public struct SubmissionView: Sendable, Equatable, Codable {
    public var caseId: String
    public var formId: String
    public var entry: Int
    public var version: Int
    /// The form version (and organisation overlays) the answers were given with.
    public var formVersion: Int
    public var overlays: [String: Int]
    public var values: [String: JSONValue]
    public var at: Date
    public var by: String
    /// The case's version after the write (for If-Match on case-level acts).
    public var caseVersion: Int
}

/// One version in a submission's history. `values` only for readers allowed to see them.
public struct SubmissionVersionView: Sendable, Equatable, Codable {
    public var version: Int
    public var formVersion: Int
    public var at: Date
    public var by: String
    public var changed: [String]
    public var values: [String: JSONValue]?
}

/// A transition out of the case's state, with each reason it cannot be made now.
public struct TransitionView: Sendable, Equatable, Codable {
    public struct Reason: Sendable, Equatable, Codable {
        public var code: String
        public var message: String
    }
    public var id: String
    public var label: String
    public var to: String
    public var available: Bool
    public var canRequestApproval: Bool
    public var blockedBy: [Reason]
}

/// A move through the workflow, or the case's opening.
public struct StateChangeView: Sendable, Equatable, Codable {
    public var at: Date
    public var by: String
    public var transition: String?
    public var from: String?
    public var to: String
    public var reason: String?
}

/// Something to do on a case.
public struct TaskView: Sendable, Equatable, Codable {
    public var id: String
    public var caseId: String
    public var caseNumber: String
    public var riskLevel: String?
    public var title: String
    public var assignee: String
    public var dueAt: Date
    public var overdue: Bool
    public var status: String
}

/// A request for approval of a transition.
public struct ApprovalView: Sendable, Equatable, Codable {
    public var id: String
    public var caseId: String
    public var caseNumber: String
    public var transition: String
    public var transitionLabel: String
    public var approverRole: String
    public var requestedBy: String
    public var requestedAt: Date
    public var status: String
    public var decidedBy: String?
    public var decidedAt: Date?
    public var comment: String?
}

/// A file kept on a case, without its content.
public struct AttachmentView: Sendable, Equatable, Codable {
    public var id: String
    public var caseId: String
    public var name: String
    public var contentType: String
    public var bytes: Int
    public var at: Date
    public var by: String
}
