import AmanaCore
import Yams

/// Reads typed values out of YAML nodes and collects positioned diagnostics
/// instead of stopping at the first problem.
public struct YAMLReader: Sendable {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    public mutating func report(_ node: Node?, _ code: String, _ message: String, severity: Diagnostic.Severity = .error) {
        let mark = node?.mark
        diagnostics.append(Diagnostic(
            file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: severity, code: code, message: message))
    }

    /// The key/value pairs of a mapping, checking that every key is one of `allowed`
    /// (an unknown key is an error that suggests the nearest allowed one) and
    /// that every key in `required` is present.
    public mutating func mapping(_ node: Node, what: String, allowed: [String], required: [String] = []) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(node, "YAML010", "expected a mapping for \(what)")
            return nil
        }
        var out: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                report(keyNode, "YAML011", "expected a text key in \(what)")
                continue
            }
            if !allowed.contains(key) {
                report(keyNode, "YAML012", "unknown key '\(key)' in \(what)\(Self.didYouMean(key, in: allowed))")
                continue
            }
            if out[key] != nil { report(keyNode, "YAML013", "duplicate key '\(key)' in \(what)") }
            out[key] = value
        }
        for key in required where out[key] == nil {
            report(node, "YAML014", "missing required key '\(key)' in \(what)")
        }
        return out
    }

    /// Whether the node is YAML's null (`~`, `null`, or a key with nothing after it).
    public static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    public mutating func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, "YAML015", "expected a list for \(what)")
            return nil
        }
        return Array(sequence)
    }

    public mutating func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, "YAML016", "expected text for \(what)")
            return nil
        }
        return scalar.string
    }

    public mutating func int(_ node: Node, what: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard case .scalar = node, let value = node.int else {
            report(node, "YAML017", "expected a whole number for \(what)")
            return nil
        }
        if let range, !range.contains(value) {
            report(node, "YAML018", "\(what) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
            return nil
        }
        return value
    }

    public mutating func bool(_ node: Node, what: String) -> Bool? {
        guard case .scalar = node, let value = node.bool else {
            report(node, "YAML019", "expected true or false for \(what)")
            return nil
        }
        return value
    }

    public mutating func strings(_ node: Node, what: String) -> [String]? {
        guard let items = sequence(node, what: what) else { return nil }
        return items.compactMap { string($0, what: what) }
    }

    /// A `{en: ..., ar: ...}` mapping of language code to text.
    public mutating func translations(_ node: Node, what: String) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            report(node, "YAML020", "expected a mapping of language code to text for \(what)")
            return nil
        }
        var out: [String: String] = [:]
        for (key, value) in mapping {
            guard let language = key.string, let text = string(value, what: what) else { continue }
            out[language] = text
        }
        return out
    }

    /// `; did you mean 'x'?` for the nearest candidate, or nothing.
    public static func didYouMean(_ word: String, in candidates: [String]) -> String {
        nearest(word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The allowed word closest to `word` (at most ``EditDistance/hintDistance`` edits away),
    /// for "did you mean"; the first of equally near ones.
    public static func nearest(_ word: String, in candidates: [String]) -> String? {
        var distance = EditDistance(to: word)
        var best: (candidate: String, edits: Int)?
        for candidate in candidates {
            guard let edits = distance.to(candidate, atMost: (best?.edits ?? EditDistance.hintDistance + 1) - 1) else { continue }
            best = (candidate, edits)
            if edits == 0 { break }
        }
        return best?.candidate
    }
}

extension Dictionary where Key == String {
    /// Whether every one of `names` is there: what a parser checks after `mapping(required:)`
    /// (which reports a missing key but still returns the others) before it relies on them.
    public func has(_ names: [String]) -> Bool { names.allSatisfy { self[$0] != nil } }
}
