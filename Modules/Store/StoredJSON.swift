import AmanaCore
import Foundation

/// The small JSON texts every store keeps beside a submission, read the same way by each.
public enum StoredJSON {
    /// `{"org-plugin": 2}`, as stored with each submission.
    public static func overlays(_ text: String) throws -> [String: Int] {
        guard text != "{}" else { return [:] }
        guard case .object(let members) = try JSONValue(parsing: text.utf8) else { throw JSONValue.ParseError(offset: 0, expected: "an object") }
        return try members.mapValues { value in
            guard case .number(let version) = value, let whole = Int(exactly: version) else { throw JSONValue.ParseError(offset: 0, expected: "whole versions") }
            return whole
        }
    }

    /// `["/given_name", ...]`, as stored with each submission.
    public static func changedPaths(_ text: String) throws -> [String] {
        guard case .array(let items) = try JSONValue(parsing: text.utf8) else { throw JSONValue.ParseError(offset: 0, expected: "a list") }
        return try items.map { item in
            guard case .string(let path) = item else { throw JSONValue.ParseError(offset: 0, expected: "paths") }
            return path
        }
    }

    /// The text stored for `overlays`.
    public static func text(_ overlays: [String: Int]) -> String {
        String(decoding: JSONValue.object(overlays.mapValues { .number(Double($0)) }).encoded(), as: UTF8.self)
    }

    /// The text stored for `changed`.
    public static func text(_ changed: [String]) -> String {
        String(decoding: JSONValue.array(changed.map { .string($0) }).encoded(), as: UTF8.self)
    }
}
