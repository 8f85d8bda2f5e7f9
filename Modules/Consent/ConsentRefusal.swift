import FormKit

/// A person's "no" to one recipient, recorded on a form the policy reads agreements from
/// (`agrees` answered no, in a consent to one referral). The organisation it names gets
/// nothing by the scopes it covers, whatever a general consent says, until the same person
/// agrees to it again in a later entry.
public struct ConsentRefusal: Sendable, Equatable {
    /// `<form>#<entry>`: the entry that records the refusal.
    public var id: String
    public var giver: ConsentRecord.Giver
    public var scopes: Set<ConsentScope>
    /// The organisation refused; nil: every recipient.
    public var recipient: String?
    public var givenOn: Day

    public init(id: String, giver: ConsentRecord.Giver, scopes: Set<ConsentScope>, recipient: String?, givenOn: Day) {
        self.id = id
        self.giver = giver
        self.scopes = scopes
        self.recipient = recipient
        self.givenOn = givenOn
    }

    /// Whether this refusal concerns `act`: one of its scopes, to the recipient it names.
    public func concerns(_ act: ConsentAct) -> Bool {
        scopes.contains(act.scope) && ConsentRecord.sameRecipient(recipient, act.recipient)
    }
}
