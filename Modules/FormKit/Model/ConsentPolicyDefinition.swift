/// Who must agree before a case is served or anything about it is shared,
/// by the age of the person the case is about, and the exceptions when a
/// caregiver cannot be involved. The module Consent applies it.
public struct ConsentPolicyDefinition: Sendable, Equatable {
    public var id: String
    public var title: Translations
    public var ageFrom: AgeSource
    public var scopes: [ConsentScope]
    public var bands: [AgeBand]
    public var exceptions: [Exception]
    /// Other forms whose entries are agreements (a consent to one referral), beside `core/consent`.
    public var agreementSources: [AgreementSource] = []
    /// When an act may go ahead without the agreements it needs (a life-threatening situation
    /// for a child): none unless the policy names one.
    public var overrides: [Override] = []

    /// The override with this id.
    public func override(_ id: String) -> Override? {
        overrides.first { $0.id == id }
    }
    public var plugin: String
    public var position: SourcePosition

    /// The exception with this id.
    public func exception(_ id: String) -> Exception? {
        exceptions.first { $0.id == id }
    }

    /// The band an age in whole years falls in (bands cover every age once).
    public func band(forAge age: Int) -> AgeBand? {
        bands.first { $0.contains(age) }
    }

    /// Where a person's age is read from: a date of birth, else an estimated age.
    public struct AgeSource: Sendable, Equatable {
        public var form: String
        public var dateOfBirth: String
        public var estimatedAge: String?
    }

    public struct AgeBand: Sendable, Equatable {
        public var from: Int
        /// Inclusive; nil for "and older".
        public var to: Int?
        public var child: PersonRequirement
        public var caregiver: CaregiverRequirement

        public func contains(_ age: Int) -> Bool { age >= from && (to.map { age <= $0 } ?? true) }
        public var label: String { to.map { "\(from)-\($0)" } ?? "\(from)-" }
    }

    /// What is asked of the person the case is about.
    public enum PersonRequirement: String, Sendable, Equatable, CaseIterable {
        case none, assent, consent
    }

    public enum CaregiverRequirement: String, Sendable, Equatable, CaseIterable {
        case none, consent
        case consentWhenInBestInterest = "consent_when_in_best_interest"
    }

    /// When the usual rule does not apply (the caregiver is the perpetrator,
    /// there is no caregiver): who agrees instead, and on what conditions.
    public struct Exception: Sendable, Equatable {
        public var id: String
        public var label: Translations
        public var form: String
        public var when: Expression
        public var caregiver: CaregiverException
        public var substitutes: [Substitute]
        public var requiresCaseConference: Bool
        public var requiresApproval: String?
    }

    public enum CaregiverException: String, Sendable, Equatable, CaseIterable {
        case exclude, none
    }

    /// A form whose valid entries are agreements: `agrees` (yes/no) says the person agreed,
    /// `givenBy` (a field answered with a code of `core/consent-given-by`) who agreed,
    /// to `scopes`, for the recipient named in `recipient` (a text field), if any.
    public struct AgreementSource: Sendable, Equatable {
        public var form: String
        public var agrees: String
        public var givenBy: String
        public var kind: AgreementKind
        public var scopes: [ConsentScope]
        public var recipient: String?
        /// What the agreement lets be shared: the options ticked in a multi-select field, each
        /// standing for answers (`<form>/<field>`); nil: it does not limit what is shared.
        public var shares: Shares?
    }

    /// A multi-select of categories (`information_to_share`) and the answers each one lets go.
    public struct Shares: Sendable, Equatable {
        public var field: String
        public var answers: [String: [String]]
    }

    /// An act done without the agreements it needs, for people of some ages only, decided by
    /// a supervisor in the named role with a written reason; flagged wherever it shows.
    public struct Override: Sendable, Equatable {
        public var id: String
        public var label: Translations
        public var from: Int
        /// Inclusive; nil for "and older".
        public var to: Int?
        public var acts: [ConsentScope]
        public var approval: String

        public func applies(to act: ConsentScope, age: Int) -> Bool { acts.contains(act) && age >= from && (to.map { age <= $0 } ?? true) }
    }

    public enum AgreementKind: String, Sendable, Equatable, CaseIterable {
        case consent, assent
    }

    public enum Substitute: String, Sendable, Equatable, CaseIterable {
        case trustedAdult = "trusted_adult"
        case caseWorkerBestInterest = "case_worker_best_interest"
    }
}
