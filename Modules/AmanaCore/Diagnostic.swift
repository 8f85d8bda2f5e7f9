/// A problem found in a definition or configuration file, with its position.
///
/// Printed as `path:line:column: severity[CODE]: message`, the form editors
/// and CI logs understand.
public struct Diagnostic: Sendable, Equatable, Encodable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable, Encodable { case error, warning }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var code: String
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity = .error, code: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.code = code
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(severity.rawValue)[\(code)]: \(message)" }
}

extension AmanaError {
    /// A definition or configuration file that cannot be used, with every problem found.
    public static func definition(_ diagnostics: [Diagnostic]) -> AmanaError {
        let text = diagnostics.map(\.description).joined(separator: "\n")
        var error = AmanaError(.installProblem, code: "definition-invalid", text, pointer: diagnostics.first.map { "\($0.file):\($0.line):\($0.column)" })
        error.diagnostics = diagnostics
        return error
    }
}
