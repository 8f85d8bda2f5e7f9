/// The one error type every module throws across its public surface.
///
/// Each front end maps it once at its edge: HTTP to a status and problem+json,
/// the CLI to an exit code and a message, the TUI to its status line. The
/// `message` is always safe to show and to log: it never carries a survivor's
/// data, a password or a key.
public struct AmanaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; stable, and used for mapping at the edges.
    public var kind: Kind
    /// A stable, machine-readable code (`login-failed`, `key-file-mode`...).
    public var code: String
    /// A sentence for a person: what went wrong and, where useful, what to do.
    public var message: String
    /// The field, parameter or file position the problem is about, if any.
    public var pointer: String?
    /// For `locked` and `rateLimited`: when trying again can succeed.
    public var retryAfterSeconds: Int?
    /// For a definition or configuration file: every problem found, with its position.
    public var diagnostics: [Diagnostic] = []
    /// For a rejected submission: every problem, each at its field's path.
    public var fieldProblems: [FieldProblem] = []

    public enum Kind: String, Sendable, Equatable {
        case invalidInput
        case unauthenticated
        case forbidden
        case notFound
        case conflict
        case preconditionFailed
        case locked
        case tooLarge
        /// Content of a type that is not accepted (an attachment that is not a PDF, an image or text).
        case unsupportedType
        case rateLimited
        case installProblem
        case storageUnavailable
        case internalFailure
    }

    public init(_ kind: Kind, code: String, _ message: String, pointer: String? = nil, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.pointer = pointer
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String {
        if let pointer { return "\(message) (\(pointer))" }
        return message
    }
}

extension AmanaError {
    public static func invalid(_ code: String, _ message: String, pointer: String? = nil) -> AmanaError {
        AmanaError(.invalidInput, code: code, message, pointer: pointer)
    }

    /// A refusal that must not reveal whether the object exists (need-to-know).
    public static let notFound = AmanaError(.notFound, code: "not-found", "Not found.")

    public static let unauthenticated = AmanaError(
        .unauthenticated, code: "unauthenticated", "Sign in first: the token is missing, expired or revoked.")

    public static func forbidden(_ message: String = "Your role does not allow this.") -> AmanaError {
        AmanaError(.forbidden, code: "forbidden", message)
    }

    public static func install(_ code: String, _ message: String) -> AmanaError {
        AmanaError(.installProblem, code: code, message)
    }
}

/// One problem with one value of a request, at a JSON pointer into it.
public struct FieldProblem: Sendable, Equatable, Codable {
    /// `/other_survivors/2/other_age`
    public var path: String
    /// Stable: `required`, `too-small`, `not-an-option`, `invalid`...
    public var code: String
    /// In the requested language (English when it has no translation).
    public var message: String

    public init(path: String, code: String, message: String) {
        self.path = path
        self.code = code
        self.message = message
    }
}
