import AmanaCore

/// One problem with a submission, at a JSON pointer into it (`/other_survivors/2/other_age`).
/// The kernel passes these to the front ends unchanged inside ``AmanaError/fieldProblems``.
public typealias ValidationProblem = FieldProblem

/// What the validator made of a submission: every problem at once, and the
/// values that would be stored.
public struct ValidationResult: Sendable, Equatable {
    public var problems: [ValidationProblem] = []
    /// The values to store: inputs normalised, hidden ones dropped, calculated ones computed.
    public var accepted: [String: SubmittedValue] = [:]
    /// The same answers as expressions see them (dates as dates): what workflow
    /// conditions and consent policies are evaluated against.
    public var values: [String: Value] = [:]
    /// Paths of values that were sent but dropped (hidden by show_if, or calculated).
    public var dropped: [String] = []
    /// Paths of the fields shown for these answers (`show_if` true, in a shown
    /// section; inside repeats, `/caregivers/0/name`): what a form drawn as you
    /// type shows.
    public var visible: Set<String> = []
    /// When asked for (`validate(..., steadiness: true)`): the first day on which the same
    /// answers could be checked differently (an age in a calculation goes up, a date stops
    /// being in the future); nil: no later day changes anything.
    public var steadyUntil: Day?

    public var isValid: Bool { problems.isEmpty }

    public init() {}
}
