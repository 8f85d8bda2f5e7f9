import FormKit

/// One person's agreement, recorded on a case: who gave it, what kind, for
/// which acts, how and when. Scopes withdrawn later stay on the record (what
/// was agreed, and when it stopped), and no longer count.
public struct ConsentRecord: Sendable, Equatable {
    /// Who agreed: the codes of the `core/consent-given-by` lookup.
    public enum Giver: String, Sendable, Equatable, CaseIterable {
        /// The adult the case is about (a survivor, a client), in their own right.
        case survivor
        /// The child the case is about, in their own right.
        case child
        case caregiver
        /// Another adult the child trusts, chosen with the child, when no caregiver can be involved.
        case trustedAdult = "trusted_adult"
        /// The case worker deciding in the child's best interests (documented and supervised).
        case caseWorkerBestInterest = "case_worker_best_interest"

        /// The survivor or the child: the person the case is about.
        public var isThePerson: Bool { self == .survivor || self == .child }

        /// Who a giver stands for in deciding: the person the case is about counts as one,
        /// whether recorded as "the child" or "the survivor".
        public var party: Giver { isThePerson ? .survivor : self }
    }

    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Informed consent: a person with the capacity and standing to agree.
        case consent
        /// Informed assent: a child's expressed willingness, too young to consent.
        case assent
    }

    public enum Method: String, Sendable, Equatable, CaseIterable {
        case signed
        case verbalWithWitness = "verbal_with_witness"
    }

    public var id: String
    public var giver: Giver
    public var kind: Kind
    public var scopes: Set<ConsentScope>
    /// For a referral or information sharing: the service or organisation it is for.
    /// Nil: the scope is agreed whoever the recipient.
    public var recipient: String?
    public var method: Method
    public var givenOn: Day
    /// Scopes taken back since; they stop counting at once.
    public var withdrawn: Set<ConsentScope>
    /// The only answers (`<form>/<field>`) the person agreed to share; nil: no such limit.
    public var answers: Set<String>?

    public init(
        id: String, giver: Giver, kind: Kind, scopes: Set<ConsentScope>, recipient: String? = nil, method: Method = .signed, givenOn: Day,
        withdrawn: Set<ConsentScope> = []
    ) {
        self.id = id
        self.giver = giver
        self.kind = kind
        self.scopes = scopes
        self.recipient = recipient
        self.method = method
        self.givenOn = givenOn
        self.withdrawn = withdrawn
    }

    /// This record, agreeing to share only `answers`.
    public func limited(to answers: Set<String>) -> ConsentRecord {
        var record = self
        record.answers = answers
        return record
    }

    /// Whether this record agrees to `act` now: the scope is given and not
    /// withdrawn, and a record for a named recipient serves only that recipient
    /// (the same name, whatever its capitals and surrounding spaces).
    public func covers(_ act: ConsentAct) -> Bool {
        scopes.contains(act.scope) && !withdrawn.contains(act.scope) && Self.sameRecipient(recipient, act.recipient)
    }

    /// Whether this record is the person's own decision about `act`'s recipient: it names
    /// that recipient and one of its scopes is the act's, withdrawn since or not. Such a
    /// decision, not a general agreement, says what goes there.
    public func decides(_ act: ConsentAct) -> Bool {
        recipient != nil && scopes.contains(act.scope) && Self.sameRecipient(recipient, act.recipient)
    }

    /// A named recipient matches an act's whatever its capitals and surrounding spaces; no name matches any.
    static func sameRecipient(_ named: String?, _ actRecipient: String?) -> Bool {
        guard let named else { return true }
        let name = { (text: String) in text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        return actRecipient.map(name) == name(named)
    }
}

/// What a caseworker intends to do that needs agreement: serve the person,
/// refer them to a named service, share information, contact them after
/// closure, include the case in anonymous reports.
public struct ConsentAct: Sendable, Equatable, Hashable {
    public var scope: ConsentScope
    /// The service or organisation a referral or sharing goes to.
    public var recipient: String?

    public init(_ scope: ConsentScope, recipient: String? = nil) {
        self.scope = scope
        self.recipient = recipient
    }
}
