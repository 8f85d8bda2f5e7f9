import AmanaCore
import Foundation

/// What a case conference says, sealed under the case key (its confidential
/// notes are sealed apart: only participants read them).
struct ConferenceContent: Codable {
    var agenda: String
    /// The person (or, for a child, the child and a safe caregiver) is invited if they wish.
    var survivorInvited: Bool
    /// People without an account here (a health provider, a teacher): name and organisation.
    var externalParticipants: [String]
    var outcome: ConferenceOutcome?
    var cancelReason: String?
}

/// What a held conference decided.
struct ConferenceOutcome: Codable {
    var heldOn: String
    var decisions: String
    var planChanges: String?
    var survivorAttended: Bool
    /// The consent exception the conference decided how to handle (the caregiver is
    /// the alleged perpetrator...): the policy's `case_conference` requirement for it is met.
    var consentException: String?
    /// The case's workflow state when it was held: a workflow's `case_conference` guard counts it in that state.
    var caseState: String
    var recordedBy: String
    var recordedAt: Date
}

/// One confidential note of a conference.
struct ConferenceNote: Codable {
    var at: Date
    var by: String
    var text: String
}

/// What a person writes to schedule a case conference.
public struct ConferencePlan: Sendable, Equatable, Codable {
    public var scheduledFor: Date
    public var agenda: String
    /// Usernames of colleagues who take part; the scheduler always does.
    public var participants: [String]
    public var externalParticipants: [String]
    public var survivorInvited: Bool

    public init(scheduledFor: Date, agenda: String, participants: [String] = [], externalParticipants: [String] = [], survivorInvited: Bool = false) {
        self.scheduledFor = scheduledFor
        self.agenda = agenda
        self.participants = participants
        self.externalParticipants = externalParticipants
        self.survivorInvited = survivorInvited
    }

    /// Only the date and the agenda are required; no one else taking part is an empty list.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        scheduledFor = try c.decode(Date.self, forKey: .scheduledFor)
        agenda = try c.decode(String.self, forKey: .agenda)
        participants = try c.decodeIfPresent([String].self, forKey: .participants) ?? []
        externalParticipants = try c.decodeIfPresent([String].self, forKey: .externalParticipants) ?? []
        survivorInvited = try c.decodeIfPresent(Bool.self, forKey: .survivorInvited) ?? false
    }
}

/// What a person writes once a conference is held.
public struct ConferenceRecordedOutcome: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD`; today when nil.
    public var heldOn: String?
    public var decisions: String
    public var planChanges: String?
    public var survivorAttended: Bool
    /// The consent policy's exception the conference decided on, if it did.
    public var consentException: String?

    public init(heldOn: String? = nil, decisions: String, planChanges: String? = nil, survivorAttended: Bool = false, consentException: String? = nil) {
        self.heldOn = heldOn
        self.decisions = decisions
        self.planChanges = planChanges
        self.survivorAttended = survivorAttended
        self.consentException = consentException
    }

    /// Only the decisions are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        heldOn = try c.decodeIfPresent(String.self, forKey: .heldOn)
        decisions = try c.decode(String.self, forKey: .decisions)
        planChanges = try c.decodeIfPresent(String.self, forKey: .planChanges)
        survivorAttended = try c.decodeIfPresent(Bool.self, forKey: .survivorAttended) ?? false
        consentException = try c.decodeIfPresent(String.self, forKey: .consentException)
    }
}

/// A case conference as its readers see it.
public struct ConferenceView: Sendable, Equatable, Codable {
    public struct Outcome: Sendable, Equatable, Codable {
        public var heldOn: String
        public var decisions: String
        public var planChanges: String?
        public var survivorAttended: Bool
        public var consentException: String?
        /// The exception in the reader's language.
        public var consentExceptionLabel: String?
        public var recordedBy: String
        public var recordedAt: Date
    }

    public struct Note: Sendable, Equatable, Codable {
        public var at: Date
        public var by: String
        public var text: String
    }

    public var id: String
    public var caseId: String
    /// `scheduled`, `held` or `cancelled`.
    public var status: String
    public var version: Int
    public var scheduledFor: Date
    public var agenda: String
    public var participants: [String]
    public var externalParticipants: [String]
    public var survivorInvited: Bool
    public var createdBy: String
    public var createdAt: Date
    public var outcome: Outcome?
    public var cancelReason: String?
    /// The confidential notes; nil for a reader who is not a participant.
    public var notes: [Note]?
}
