import Foundation

/// A typed identifier: a `UserID` cannot be passed where a `CaseID` is expected.
///
/// Identifiers are UUIDs that say nothing about the person or the case: random, except that a new
/// case's id (`CaseID.next()`) counts up within a process from a random start, for the store's sake.
public struct Identifier<Tag>: Hashable, Codable, Sendable, CustomStringConvertible, Comparable {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A fresh random identifier.
    public static func random() -> Identifier { Identifier(UUID().uuidString.lowercased()) }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum UserTag {}
public enum AgencyTag {}
public enum TeamTag {}
public enum CaseTag {}

public typealias UserID = Identifier<UserTag>
public typealias AgencyID = Identifier<AgencyTag>
public typealias TeamID = Identifier<TeamTag>
public typealias CaseID = Identifier<CaseTag>
