import AmanaCore
import Foundation

/// A referral as stored, sealed under the case key: where it went, exactly what
/// it shared, and what happened to it.
struct ReferralContent: Codable {
    var serviceID: String
    /// Sealed too: what kind of help someone was referred for says much about them.
    var serviceType: String?
    var serviceName: String
    var organisation: String
    var isInternal: Bool
    var reason: String?
    /// Exactly what was sent, as the case worker saw it before sending.
    var shared: [SharedField]
    /// The consent entries that agreed to the referral when it was sent.
    var agreedBy: [String]
    /// The person's profile was not among those the service takes, and the case worker confirmed it.
    var profileWarningConfirmed: Bool
    var events: [ActivityEvent]
    var followUps: [ReferralFollowUpRecord]
    /// Whether a satisfaction rating was counted in the directory (once per referral).
    var rated: Bool
}

struct ActivityEvent: Codable {
    var at: Date
    var by: String
    var status: String
    var reason: String?
}

struct ReferralFollowUpRecord: Codable {
    var at: Date
    var by: String
    var outcome: String
    var serviceReceived: Bool?
    var satisfaction: String?
}

/// One answer shared in a referral, with the words the receiver reads.
public struct SharedField: Sendable, Equatable, Codable {
    public var form: String
    public var formTitle: String
    public var field: String
    public var label: String
    public var value: JSONValue
    /// The answer in words (option labels instead of codes).
    public var text: String
}

/// A referral as the case worker writes it.
public struct ReferralDraft: Sendable, Equatable, Codable {
    /// A service of the directory.
    public var service: String
    /// The answers to share, each `<form>/<field>` (`core/registration/given_name`): only
    /// these go, from the latest entry of the form. None: the referral names no one.
    public var fields: [String]
    /// What the person needs from the service, in the case worker's words.
    public var reason: String?
    public var urgent: Bool
    /// The case worker confirms a referral to a service that does not list the person's profile.
    public var confirmProfile: Bool

    public init(service: String, fields: [String] = [], reason: String? = nil, urgent: Bool = false, confirmProfile: Bool = false) {
        self.service = service
        self.fields = fields
        self.reason = reason
        self.urgent = urgent
        self.confirmProfile = confirmProfile
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        service = try c.decode(String.self, forKey: .service)
        fields = try c.decodeIfPresent([String].self, forKey: .fields) ?? []
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        urgent = try c.decodeIfPresent(Bool.self, forKey: .urgent) ?? false
        confirmProfile = try c.decodeIfPresent(Bool.self, forKey: .confirmProfile) ?? false
    }
}

/// What a referral would send, shown before it is sent: the service, the
/// consent policy's answer, a profile warning, and every answer it would share.
public struct ReferralPreview: Sendable, Equatable, Codable {
    public var service: ServiceEntry
    public var consent: ConsentCheck
    /// The consent policy's answer on sharing the answers (when some are selected).
    public var sharingConsent: ConsentCheck?
    /// Set when the service does not list the person's profile: the case worker must confirm.
    public var profileWarning: String?
    public var shared: [SharedField]
    /// Answers selected that the person did not agree to share with this organisation
    /// (their referral consent names what may be shared), as `<form>/<field>`.
    public var notAgreed: [String]
    /// Whether it can be sent as it is.
    public var sendable: Bool
}

/// A referral as its readers see it.
public struct ReferralView: Sendable, Equatable, Codable {
    public struct Event: Sendable, Equatable, Codable {
        public var at: Date
        public var by: String
        public var status: String
        public var reason: String?
    }

    public struct FollowUp: Sendable, Equatable, Codable {
        public var at: Date
        public var by: String
        public var outcome: String
        public var serviceReceived: Bool?
        public var satisfaction: String?
    }

    public var id: String
    public var caseId: String
    /// `sent`, `accepted`, `declined`, `completed` or `no_answer`.
    public var status: String
    public var version: Int
    public var urgent: Bool
    public var service: String
    public var serviceName: String
    public var organisation: String
    public var serviceType: String?
    /// The service is run by an agency on this install.
    public var isInternal: Bool
    public var reason: String?
    /// What was shared (answers of forms the reader may not read are left out).
    public var shared: [SharedField]
    public var agreedBy: [String]
    public var profileWarningConfirmed: Bool
    public var sentAt: Date
    public var sentBy: String
    public var history: [Event]
    public var followUps: [FollowUp]
}

/// A change of a referral's status: the service's answer, or that it did not answer.
public struct ReferralStatusChange: Sendable, Equatable, Codable {
    /// `accepted`, `declined` (with a reason), `completed` or `no_answer`.
    public var status: String
    public var reason: String?

    public init(status: String, reason: String? = nil) {
        self.status = status
        self.reason = reason
    }
}

/// What the person said at follow-up: the outcome, and how satisfied they are with the service.
public struct ReferralFollowUp: Sendable, Equatable, Codable {
    public var outcome: String
    public var serviceReceived: Bool?
    /// A code of `core/satisfaction`; counted once in the directory's score.
    public var satisfaction: String?

    public init(outcome: String, serviceReceived: Bool? = nil, satisfaction: String? = nil) {
        self.outcome = outcome
        self.serviceReceived = serviceReceived
        self.satisfaction = satisfaction
    }
}
