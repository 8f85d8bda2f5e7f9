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
        if let paths = plainStrings(text) { return paths }
        guard case .array(let items) = try JSONValue(parsing: text.utf8) else { throw JSONValue.ParseError(offset: 0, expected: "a list") }
        return try items.map { item in
            guard case .string(let path) = item else { throw JSONValue.ParseError(offset: 0, expected: "paths") }
            return path
        }
    }

    /// The strings of a list written as ``text(_:)-swift.type.method`` writes paths (no spaces, no
    /// escapes), read without building JSON values; nil for any other text, which the JSON parser reads.
    ///
    /// Every case read reads the changed paths of each of its forms, and the parser took 1.5 % of a
    /// served case read's CPU for them (`perf` under `amana-bench profile http`).
    static func plainStrings(_ text: String) -> [String]? {
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "["), bytes[bytes.count - 1] == UInt8(ascii: "]") else { return nil }
            let end = bytes.count - 1
            var paths: [String] = []
            var index = 1
            guard index < end else { return paths }
            while true {
                guard bytes[index] == UInt8(ascii: "\"") else { return nil }
                let start = index + 1
                var close = start
                while close < end, bytes[close] != UInt8(ascii: "\"") {
                    guard bytes[close] >= 0x20, bytes[close] != UInt8(ascii: "\\") else { return nil }
                    close += 1
                }
                guard close < end else { return nil }
                paths.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<close]), as: UTF8.self))
                index = close + 1
                if index == end { return paths }
                guard bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
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
