import Foundation

/// Writes an `Encodable` value in the ``WireJSON`` format — snake_case keys, sorted, dates as
/// `2026-11-25T09:30:00Z`, no escaped slashes — byte for byte what `WireJSON.encoder()` writes,
/// at a fraction of its cost.
///
/// Property names become snake_case; a dictionary's keys are written as they are (as
/// Foundation does). Foundation's encoder builds a tree of boxed values, re-converts every key
/// and sorts every object on each call: a page of 50 case summaries took about a millisecond,
/// more than reading them. Here every value is written straight into one byte buffer as its
/// `encode(to:)` produces it, each key converted as it is written; when an object is done, its
/// members are put in key order in place (a copy of its bytes, only if they came out of order).
/// A view repeated many times in a response writes its members itself (``WireMembers``).
/// Tests hold the two encoders to the same bytes.
public enum WireJSONEncoder {
    /// `value` as compact wire JSON.
    public static func encode(_ value: some Encodable) throws -> Data { Data(try bytes(value)) }

    /// `value` as compact wire JSON, as bytes (what a response body is made from).
    public static func bytes(_ value: some Encodable) throws -> [UInt8] {
        let writer = WireWriter(capacity: 4_096)
        try writer.write(value, parent: nil, key: nil)
        return writer.out
    }
}

/// The bytes of one ``WireJSONEncoder/encode(_:)`` call, or of a nested container asked for
/// out of turn (``ValueEncoder`` keeps those apart until their object is done).
final class WireWriter {
    /// Unchecked: one encode call runs on one thread, and a check on every byte written was a
    /// fifth of the encoder's time.
    @exclusivity(unchecked) var out: [UInt8] = []
    /// Where an object's members are put in order, kept from one object to the next.
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// Keys with capitals, converted once per call (a page of 50 cases has the same nine keys
    /// fifty times).
    @exclusivity(unchecked) var snakeKeys: [String: [UInt8]] = [:]

    init(capacity: Int) { out.reserveCapacity(capacity) }

    /// Appends `key` as an object's key: snake_case, quoted.
    func writeKey(_ key: String) {
        if SnakeCaseKey.writeUnchanged(key, into: &out) { return }
        if let known = snakeKeys[key] { return out.append(contentsOf: known) }
        let start = out.count
        SnakeCaseKey.write(key, into: &out)
        snakeKeys[key] = Array(out[start...])
    }

    /// Appends `value`. What Foundation's encoder writes in its own way (dates, data, URLs,
    /// decimals, string-keyed dictionaries) and the plain scalars are written here; anything
    /// else encodes itself through a ``ValueEncoder``. `parent` and `key` say where the value
    /// sits, for the coding path of an error.
    func write<T: Encodable>(_ value: T, parent: ValueEncoder?, key: (any CodingKey)?) throws {
        // Comparing types is a pointer compare; a cast to a protocol is a runtime lookup, kept last.
        if T.self == String.self {
            JSONValue.write(value as! String, into: &out)
        } else if T.self == JSONValue.self {
            (value as! JSONValue).write(into: &out)
        } else if T.self == Int.self {
            writeInteger(value as! Int)
        } else if T.self == Bool.self {
            writeBool(value as! Bool)
        } else if T.self == Date.self {
            out.append(UInt8(ascii: "\""))
            InternetDateTime.write(value as! Date, into: &out)
            out.append(UInt8(ascii: "\""))
        } else if T.self == Double.self {
            try writeDouble(value as! Double, parent: parent, key: key)
        } else if T.self == Data.self {
            JSONValue.write((value as! Data).base64EncodedString(), into: &out)
        } else if T.self == URL.self {
            JSONValue.write((value as! URL).absoluteString, into: &out)
        } else if T.self == Decimal.self {
            JSONValue.number(NSDecimalNumber(decimal: value as! Decimal).doubleValue).write(into: &out)
        } else if T.self is any WireMembers.Type {
            let members = value as! any WireMembers
            writeObject(members)
        } else if T.self is any StringKeyedDictionary.Type {
            // Asked of the type: a cast of the value would copy it first, whatever the answer.
            try (value as! any StringKeyedDictionary).writeMembers(to: self, parent: ValueEncoder(writer: self, parent: parent, key: key))
        } else {
            let encoder = ValueEncoder(writer: self, parent: parent, key: key)
            try value.encode(to: encoder)
            try encoder.finish()
        }
    }

    func writeNull() { JSONValue.null.write(into: &out) }

    func writeBool(_ value: Bool) { JSONValue.bool(value).write(into: &out) }

    /// An integer in full, as Foundation writes it (a short string's digits are not allocated).
    func writeInteger(_ value: some BinaryInteger) { out.append(contentsOf: String(value).utf8) }

    /// A floating-point number as ``JSONValue`` writes it; JSON has no infinities or NaN.
    func writeDouble(_ value: Double, parent: ValueEncoder?, key: (any CodingKey)?) throws {
        guard value.isFinite else {
            let path = (parent?.codingPath ?? []) + (key.map { [$0] } ?? [])
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: path, debugDescription: "JSON has no infinities or NaN."))
        }
        JSONValue.number(value).write(into: &out)
    }
}

/// `[String: V]`: its keys are data (form answers, counts by code) and written as they are,
/// in order, as Foundation does.
protocol StringKeyedDictionary {
    func writeMembers(to writer: WireWriter, parent: ValueEncoder) throws
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func writeMembers(to writer: WireWriter, parent: ValueEncoder) throws {
        writer.out.append(UInt8(ascii: "{"))
        for (index, key) in keys.sorted().enumerated() {
            if index > 0 { writer.out.append(UInt8(ascii: ",")) }
            JSONValue.write(key, into: &writer.out)
            writer.out.append(UInt8(ascii: ":"))
            try writer.write(self[key]!, parent: parent, key: DictionaryKey(stringValue: key))
        }
        writer.out.append(UInt8(ascii: "}"))
    }
}

/// A dictionary's key in a coding path.
struct DictionaryKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
