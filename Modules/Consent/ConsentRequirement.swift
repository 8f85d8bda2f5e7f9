import FormKit

/// One thing still missing before an act is allowed, and so what would satisfy it.
public enum ConsentRequirement: Sendable, Equatable, Hashable {
    /// The person's age is not known: the policy cannot say who must agree.
    case age
    /// Agreement of `kind` for `act` from one of `givers` (the first is the usual one).
    case agreement(givers: [ConsentRecord.Giver], kind: ConsentRecord.Kind, act: ConsentAct)
    /// The person agreed at a younger age: they agree again in their own right, now that they are `age` or older.
    case renewal(giver: ConsentRecord.Giver, kind: ConsentRecord.Kind, act: ConsentAct, age: Int)
    /// `giver` said no to `act` (to its recipient) on `on`: nothing goes until they agree again, in a later entry.
    case refused(giver: ConsentRecord.Giver, act: ConsentAct, on: Day)
    /// A case conference decision, because of `exception`.
    case caseConference(exception: String)
    /// The approval of a person in `role`, because of `exception`.
    case approval(role: String, exception: String)

    /// A stable code for clients and the messages file (`consent.agreement`).
    public var code: String {
        switch self {
        case .age: "consent.age-unknown"
        case .agreement: "consent.agreement"
        case .renewal: "consent.renewal"
        case .refused: "consent.refused"
        case .caseConference: "consent.case-conference"
        case .approval: "consent.approval"
        }
    }

    /// The sentence in `language`. `name` gives labels in that language: a role id,
    /// `consent-scope:<scope>`, `consent-giver:<giver>` (`core/consent-given-by`),
    /// `consent-kind:<kind>` (`core/agreement-kinds`), or `consent-exception:<id>`.
    public func message(_ language: String, messages: ValidationMessages, name: (_ id: String) -> String) -> String {
        switch self {
        case .age:
            return messages.text(code, language)
        case .agreement(let givers, let kind, let act):
            let who = givers.map { name("consent-giver:" + $0.rawValue) }.joined(separator: messages.text("consent.or", language))
            return messages.text(code, language, ["who": who, "kind": name("consent-kind:" + kind.rawValue), "act": Self.describe(act, name)])
        case .renewal(let giver, let kind, let act, let age):
            return messages.text(code, language, ["who": name("consent-giver:" + giver.rawValue), "kind": name("consent-kind:" + kind.rawValue), "act": Self.describe(act, name), "age": String(age)])
        case .refused(let giver, let act, let day):
            return messages.text(code, language, ["who": name("consent-giver:" + giver.rawValue), "act": Self.describe(act, name), "date": day.description])
        case .caseConference(let exception):
            return messages.text(code, language, ["because": name("consent-exception:" + exception)])
        case .approval(let role, let exception):
            return messages.text(code, language, ["role": name(role), "because": name("consent-exception:" + exception)])
        }
    }
}

extension ConsentRequirement {
    /// An act in words: its scope's label, and the recipient it goes to.
    static func describe(_ act: ConsentAct, _ name: (String) -> String) -> String {
        name("consent-scope:" + act.scope.rawValue) + (act.recipient.map { " — " + $0 } ?? "")
    }
}

/// The evaluator's answer for one act: allowed, or not yet and why.
public struct ConsentAnswer: Sendable, Equatable {
    public var act: ConsentAct
    /// The policy's age band that applied ("12-14"); nil when the age is unknown.
    public var band: String?
    /// The exception that applied, if any.
    public var exception: String?
    /// Everything still missing; empty when the act is allowed.
    public var missing: [ConsentRequirement]
    /// The records that agree to the act.
    public var agreedBy: [String]
    /// The supervisor's override that lets the act go ahead although something is missing.
    public var overriddenBy: ConsentOverride?
    /// The only answers (`<form>/<field>`) the agreements used let be shared: what each of
    /// them that names its answers (a referral consent's ticks) allows; nil: no such limit.
    public var shareable: Set<String>?

    /// Everything needed is there, or a supervisor overrode what is missing.
    public var allowed: Bool { missing.isEmpty || overriddenBy != nil }
}
