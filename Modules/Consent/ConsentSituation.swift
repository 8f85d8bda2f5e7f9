import FormKit

/// What the evaluator knows of a case: the person's age, which of the
/// policy's exceptions holds, the consent records, and the decisions an
/// exception may call for.
public struct ConsentSituation: Sendable, Equatable {
    /// Age in whole years today; nil when neither a date of birth nor an estimated age is known.
    public var age: Int?
    /// The first of the policy's exceptions whose condition holds (the caregiver is the
    /// alleged perpetrator, no caregiver, ...); nil when the usual rule applies.
    public var exception: ConsentPolicyDefinition.Exception?
    public var records: [ConsentRecord]
    /// The "no"s recorded for one recipient (the latest decision of each giver about it).
    public var refusals: [ConsentRefusal] = []
    /// A case conference has decided how the child is to be served without their caregiver.
    public var caseConferenceHeld: Bool
    /// Roles that have approved that decision (a supervisor: `case_manager`).
    public var approvedBy: Set<String>
    /// Overrides a supervisor decided and no act has used yet, by the act they are for.
    public var overrides: [ConsentScope: ConsentOverride] = [:]
    /// The date of birth, when known, and today: how old the person was when each agreement was given.
    public var dateOfBirth: Day?
    public var today: Day?

    public init(
        age: Int?, exception: ConsentPolicyDefinition.Exception? = nil, records: [ConsentRecord] = [], caseConferenceHeld: Bool = false,
        approvedBy: Set<String> = [], dateOfBirth: Day? = nil, today: Day? = nil
    ) {
        self.dateOfBirth = dateOfBirth
        self.today = today
        self.age = age
        self.exception = exception
        self.records = records
        self.caseConferenceHeld = caseConferenceHeld
        self.approvedBy = approvedBy
    }

    /// The person's age on `day`: from the date of birth, else counted back from today's
    /// age; nil when neither is known.
    public func age(on day: Day) -> Int? {
        if let dateOfBirth { return max(0, dateOfBirth.years(until: day)) }
        guard let age, let today else { return nil }
        return max(0, age - day.years(until: today))
    }

    /// The person's age today: from the date of birth when there is one, else the estimated age.
    public static func age(dateOfBirth: Day?, estimatedAge: Int?, today: Day) -> Int? {
        if let dateOfBirth { return max(0, dateOfBirth.years(until: today)) }
        return estimatedAge.map { max(0, $0) }
    }

    /// The first exception of `policy` whose condition holds over the answers of
    /// its form (`answers[formID]`); a form not filled in holds no exception.
    public static func exception(
        of policy: ConsentPolicyDefinition, answers: [String: [String: Value]], today: Day
    ) -> ConsentPolicyDefinition.Exception? {
        policy.exceptions.first { exception in
            guard let values = answers[exception.form] else { return false }
            return exception.when.evaluate(in: EvaluationContext(values: values, today: today)).isTrue
        }
    }
}

/// A supervisor's decision that one act may go ahead without the agreements it needs.
public struct ConsentOverride: Sendable, Equatable {
    /// The policy's override (`life_threatening`).
    public var id: String
    /// The approval that records the decision, its reason and who made it.
    public var approval: String

    public init(id: String, approval: String) {
        self.id = id
        self.approval = approval
    }
}
