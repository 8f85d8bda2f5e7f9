import Foundation
import PostgresNIO

/// A row's columns by name, in the types the stores use.
///
/// A row comes from the server's own columns, or from one object of a JSON list that a
/// statement built with `json_agg` (``list(_:)``): a case file is read in one statement, its
/// parts as JSON lists, instead of a round trip for each part, and the same decoders read
/// both. In a JSON object, bytes are base64 (`encode(column, 'base64')`, so the server's
/// `bytea_output` setting does not change them) and times their stored milliseconds.
struct PostgresCells {
    private enum Source {
        case row(PostgresRandomAccessRow)
        case object([String: Any])
    }

    private let source: Source

    init(_ row: PostgresRandomAccessRow) { source = .row(row) }

    private init(object: [String: Any]) { source = .object(object) }

    /// The objects of the JSON list in `column` (`json_agg(...)::text`); none for NULL, which is
    /// what `json_agg` gives over no rows.
    func list(_ column: String) throws -> [PostgresCells] {
        try jsonList(column, of: [String: Any].self).map(PostgresCells.init(object:))
    }

    /// The strings of the JSON list in `column` (`json_agg(column)::text`); none for NULL.
    func strings(_ column: String) throws -> [String] { try jsonList(column, of: String.self) }

    private func jsonList<Element>(_ column: String, of _: Element.Type) throws -> [Element] {
        guard let json = try optionalText(column) else { return [] }
        guard let elements = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Element] else { throw Malformed(column: column) }
        return elements
    }

    func text(_ column: String) throws -> String { try required(column, optionalText(column)) }

    func optionalText(_ column: String) throws -> String? {
        switch source {
        case .row(let row): return try row[column].decode(String?.self)
        case .object(let object): return try value(column, in: object) { $0 as? String }
        }
    }

    func int(_ column: String) throws -> Int { Int(try int64(column)) }

    func int64(_ column: String) throws -> Int64 { try required(column, optionalInt64(column)) }

    private func optionalInt64(_ column: String) throws -> Int64? {
        switch source {
        case .row(let row): return try row[column].decode(Int64?.self)
        case .object(let object): return try value(column, in: object) { ($0 as? NSNumber)?.int64Value }
        }
    }

    func bool(_ column: String) throws -> Bool {
        switch source {
        case .row(let row): return try row[column].decode(Bool.self)
        case .object(let object): return try required(column, value(column, in: object) { $0 as? Bool })
        }
    }

    func bytes(_ column: String) throws -> [UInt8] { try required(column, optionalBytes(column)) }

    func optionalBytes(_ column: String) throws -> [UInt8]? {
        switch source {
        case .row(let row): return try row[column].decode(Data?.self).map { [UInt8]($0) }
        case .object(let object):
            // The server's base64 breaks a line every 76 characters.
            return try value(column, in: object) { ($0 as? String).flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) } }.map { [UInt8]($0) }
        }
    }

    func date(_ column: String) throws -> Date { Date(storedMillis: try int64(column)) }

    func optionalDate(_ column: String) throws -> Date? { try optionalInt64(column).map { Date(storedMillis: $0) } }

    /// `column`'s value, nil when it is JSON null; a column missing, or of another type, is an error.
    private func value<V>(_ column: String, in object: [String: Any], _ cast: (Any) -> V?) throws -> V? {
        guard let raw = object[column] else { throw Malformed(column: column) }
        if raw is NSNull { return nil }
        guard let value = cast(raw) else { throw Malformed(column: column) }
        return value
    }

    private func required<V>(_ column: String, _ value: V?) throws -> V {
        guard let value else { throw Malformed(column: column) }
        return value
    }

    /// A column missing, NULL where it may not be, or of another type than its statement builds:
    /// a defect in the store, never the user's input (the store answers "could not ...").
    struct Malformed: Error, CustomStringConvertible {
        let column: String
        var description: String { "column \(column) is missing, NULL or of another type" }
    }
}
