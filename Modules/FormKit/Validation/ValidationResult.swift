/// One problem with a submission, at a JSON pointer into it.
public struct ValidationProblem: Sendable, Equatable, Codable {
    /// `/other_survivors/2/other_age`
    public var path: String
    /// Stable: `required`, `too-small`, `not-an-option`, `invalid` (valid_if)...
    public var code: String
    /// In the requested language (English when it has no translation).
    public var message: String
}

/// What the validator made of a submission: every problem at once, and the
/// values that would be stored.
public struct ValidationResult: Sendable, Equatable {
    public var problems: [ValidationProblem] = []
    /// The values to store: inputs normalised, hidden ones dropped, calculated ones computed.
    public var accepted: [String: SubmittedValue] = [:]
    /// Paths of values that were sent but dropped (hidden by show_if, or calculated).
    public var dropped: [String] = []

    public var isValid: Bool { problems.isEmpty }
}
