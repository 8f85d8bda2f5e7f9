import FormKit

/// The one place that decides whether an act needs more agreement: every
/// front end and every gate in the Kernel asks it, so the API, the CLI and the
/// TUI give the same answer in the same words.
///
/// The rule, from the programme's policy:
/// - the person's age picks a band: what is asked of the person (nothing, assent,
///   consent) and of the caregiver (nothing, consent, consent when that is in the
///   child's best interests);
/// - when an exception holds for a child (the caregiver is the alleged perpetrator,
///   not safe, absent; the child is unaccompanied), a caregiver's consent does not
///   count and is not asked for: one of the substitutes agrees instead (a trusted
///   adult, or the case worker in the child's best interests), and the decisions
///   the exception requires (a case conference, a supervisor's approval) must be
///   recorded;
/// - every agreement must cover the act: its scope, not withdrawn, and for a named
///   recipient only that recipient;
/// - a decision about one recipient (a consent to one referral, or a "no" to it) speaks for
///   its giver there, not their general agreement: a "no" from anyone whose agreement the act
///   needs stops it, and what the agreements used let be shared is the most that goes.
public struct ConsentEvaluator: Sendable {
    public let policy: ConsentPolicyDefinition

    public init(policy: ConsentPolicyDefinition) {
        self.policy = policy
    }

    /// The exception that changes who agrees: the situation's, while the person's band
    /// asks something of a caregiver (an adult's case has none).
    public func applyingException(in situation: ConsentSituation) -> ConsentPolicyDefinition.Exception? {
        guard let age = situation.age, let band = policy.band(forAge: age), band.caregiver != .none else { return nil }
        return situation.exception
    }

    public func answer(for act: ConsentAct, in situation: ConsentSituation) -> ConsentAnswer {
        var answer = ConsentAnswer(act: act, band: nil, exception: nil, missing: [], agreedBy: [])
        guard let age = situation.age, let band = policy.band(forAge: age) else {
            answer.missing = [.age]
            return answer
        }
        answer.band = band.label
        // A decision about this very recipient (a consent to one referral, or a "no" to it) is
        // what its giver said about it: their general agreement no longer speaks for them there.
        let deciding = Set(
            situation.records.filter { $0.decides(act) }.map(\.giver.party) + situation.refusals.filter { $0.concerns(act) && $0.recipient != nil }.map(\.giver.party))
        let agreeing = situation.records.filter { $0.covers(act) && ($0.recipient != nil || !deciding.contains($0.giver.party)) }
        // A "no" stands until the same party agrees to the recipient in a later entry.
        let refusals = situation.refusals.filter { refusal in
            refusal.concerns(act) && !agreeing.contains { $0.giver.party == refusal.giver.party && $0.recipient != nil && $0.givenOn > refusal.givenOn }
        }
        var asked: Set<ConsentRecord.Giver> = []
        var used: [ConsentRecord] = []
        func agreement(from givers: [ConsentRecord.Giver], kinds: Set<ConsentRecord.Kind>) -> ConsentRecord? {
            agreeing.first { givers.contains($0.giver) && kinds.contains($0.kind) }
        }

        // The person the case is about (recorded as "the child" or "the survivor": either is them).
        // Their own agreement counts in the band they gave it in: a child who has since turned
        // 12, 15 or 18 agrees again, in their own right, at their new age.
        let person: ConsentRecord.Giver = age < 18 ? .child : .survivor
        if band.child != .none {
            asked.insert(person.party)
            let kind: ConsentRecord.Kind = band.child == .assent ? .assent : .consent
            let theirs = agreeing.filter(\.giver.isThePerson)
            let inThisBand = { (record: ConsentRecord) in situation.age(on: record.givenOn).map { $0 >= band.from } ?? true }
            // Consent given where assent was asked is more, not less.
            if let record = theirs.first(where: { ($0.kind == .consent || kind == .assent) && inThisBand($0) }) {
                used.append(record)
            } else if theirs.contains(where: { !inThisBand($0) }) {
                answer.missing.append(.renewal(giver: person, kind: kind, act: act, age: band.from))
            } else {
                answer.missing.append(.agreement(givers: [person], kind: kind, act: act))
            }
        }

        // The caregiver, or who stands in for them.
        if band.caregiver != .none {
            if let exception = applyingException(in: situation) {
                answer.exception = exception.id
                let substitutes = exception.substitutes.map(Self.giver)
                asked.formUnion(substitutes)
                if let record = agreement(from: substitutes, kinds: [.consent]) { used.append(record) }
                else { answer.missing.append(.agreement(givers: substitutes, kind: .consent, act: act)) }
                if exception.requiresCaseConference, !situation.caseConferenceHeld {
                    answer.missing.append(.caseConference(exception: exception.id))
                }
                if let role = exception.requiresApproval, !situation.approvedBy.contains(role) {
                    answer.missing.append(.approval(role: role, exception: exception.id))
                }
            } else {
                // "When in the child's best interests": the case worker may decide, in the
                // child's best interests, that the caregiver is not asked.
                let givers: [ConsentRecord.Giver] = band.caregiver == .consent ? [.caregiver] : [.caregiver, .caseWorkerBestInterest]
                asked.formUnion(givers)
                if let record = agreement(from: givers, kinds: [.consent]) { used.append(record) }
                else { answer.missing.append(.agreement(givers: givers, kind: .consent, act: act)) }
            }
        }
        // The "no" of anyone whose agreement the act needs comes first: it is why nothing goes.
        answer.missing.insert(
            contentsOf: refusals.filter { asked.contains($0.giver.party) }.map { ConsentRequirement.refused(giver: $0.giver, act: act, on: $0.givenOn) }, at: 0)
        answer.agreedBy = used.map(\.id)
        // Each agreement that names what may be shared narrows it: only what all of them let go.
        let limits = used.compactMap(\.answers)
        answer.shareable = limits.first.map { limits.dropFirst().reduce($0) { $0.intersection($1) } }
        // A supervisor's override, where the policy has one for this act and this person's age.
        if !answer.missing.isEmpty, let override = situation.overrides[act.scope], policy.override(override.id)?.applies(to: act.scope, age: age) == true {
            answer.overriddenBy = override
        }
        return answer
    }

    static func giver(_ substitute: ConsentPolicyDefinition.Substitute) -> ConsentRecord.Giver {
        switch substitute {
        case .trustedAdult: .trustedAdult
        case .caseWorkerBestInterest: .caseWorkerBestInterest
        }
    }
}
