import Foundation

/// One act of the consent policy, in the reader's words, and its answer now.
public struct ActConsent: Sendable, Equatable, Codable {
    public var act: String
    public var label: String
    public var check: ConsentCheck
}

/// What the consent policy asks before an act on a case, as every front end shows it.
public struct ConsentCheck: Sendable, Equatable, Codable {
    public struct Missing: Sendable, Equatable, Codable {
        public var code: String
        public var message: String
    }

    public var act: String
    public var recipient: String?
    public var allowed: Bool
    /// The policy's age band that applied ("12-14"); nil when the age is not known.
    public var ageBand: String?
    /// The exception that applied, in the reader's language.
    public var exception: String?
    /// Everything still missing, each saying what would satisfy it.
    public var missing: [Missing]
    /// The consent entries that agree to the act (`core/consent#2`).
    public var agreedBy: [String]
    /// Set when the act is allowed only by a supervisor's override: the override, in the reader's language.
    public var overriddenBy: String?
    /// The approval recording that override (its reason, who decided); the act that goes ahead uses it up.
    public var overrideApproval: String?
}
