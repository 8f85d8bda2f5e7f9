/// A plugin's `plugin.yaml`: what it is, what it needs, where its files are.
public struct PluginManifest: Sendable, Equatable {
    public var id: String
    public var version: SemanticVersion
    public var kernel: VersionRequirement
    public var title: Translations
    public var caseType: String?
    public var uses: [String]
    public var forms: [String]
    public var lookups: [String]
    /// Overlay files: changes to other plugins' forms and lookups.
    public var overlays: [String]
    public var workflow: String?
    public var consentPolicy: String?
    public var needToKnow: [String]
    /// The directory holding `plugin.yaml`.
    public var directory: String
    public var position: SourcePosition
}

/// `1.2.3`
public struct SemanticVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int, minor: Int, patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Accepts `1`, `1.2` or `1.2.3`.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        self.init(parts[0]!, parts.count > 1 ? parts[1]! : 0, parts.count > 2 ? parts[2]! : 0)
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}

/// A kernel compatibility range: `>=1.0`, `>=1.0 <2.0`, `1.2`.
public struct VersionRequirement: Sendable, Equatable, CustomStringConvertible {
    public var clauses: [(op: String, version: SemanticVersion)]
    public let description: String

    public init?(_ text: String) {
        var clauses: [(String, SemanticVersion)] = []
        for part in text.split(separator: " ") {
            let op = ["<=", ">=", "<", ">", "="].first { part.hasPrefix($0) } ?? "="
            guard let version = SemanticVersion(String(part.dropFirst(op == "=" && !part.hasPrefix("=") ? 0 : op.count))) else { return nil }
            clauses.append((op, version))
        }
        guard !clauses.isEmpty else { return nil }
        self.clauses = clauses
        description = text
    }

    public func isSatisfied(by version: SemanticVersion) -> Bool {
        clauses.allSatisfy { op, bound in
            switch op {
            case ">=": version >= bound
            case ">": version > bound
            case "<=": version <= bound
            case "<": version < bound
            default: version.major == bound.major && version.minor == bound.minor && (bound.patch == 0 || version.patch == bound.patch)
            }
        }
    }

    public static func == (a: VersionRequirement, b: VersionRequirement) -> Bool { a.description == b.description }
}
