import Foundation

/// A view that writes its own members for ``WireJSONEncoder``, instead of through `Codable`.
///
/// For the views a response repeats many times (a page of 50 case summaries, a caseworker's
/// tasks): through `encode(to:)`, each one costs an encoder, a keyed container and its members
/// put in key order when it closes (declared order is not key order), which was a sixth of the
/// CPU of a page of cases. Its `Encodable` conformance stays what Foundation's encoder (and the
/// CLI's `--json`) uses; a test per conforming type holds the two to the same bytes.
public protocol WireMembers: Encodable {
    /// Writes every member, keys already snake_case and in sorted order, as `encode(to:)`
    /// would: a `nil` optional is left out.
    func writeMembers(to object: inout WireObject)
}

/// The members of one object being written by ``WireMembers/writeMembers(to:)``.
public struct WireObject {
    let writer: WireWriter
    private var written = 0

    init(writer: WireWriter) { self.writer = writer }

    private mutating func key(_ key: StaticString) {
        if written > 0 { writer.out.append(UInt8(ascii: ",")) }
        written += 1
        writer.out.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { writer.out.append(contentsOf: $0) }
        writer.out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A text member, escaped as ``JSONValue`` writes text.
    public mutating func write(_ key: StaticString, _ value: String) {
        self.key(key)
        JSONValue.write(value, into: &writer.out)
    }

    /// A whole number member.
    public mutating func write(_ key: StaticString, _ value: Int) {
        self.key(key)
        writer.writeInteger(value)
    }

    /// A `true` or `false` member.
    public mutating func write(_ key: StaticString, _ value: Bool) {
        self.key(key)
        writer.writeBool(value)
    }

    /// A date and time member, in whole seconds in UTC (`2026-11-25T09:30:00Z`), as the API writes every date.
    public mutating func write(_ key: StaticString, _ value: Date) {
        self.key(key)
        writer.out.append(UInt8(ascii: "\""))
        InternetDateTime.write(value, into: &writer.out)
        writer.out.append(UInt8(ascii: "\""))
    }

    /// An array of views that write their own members.
    public mutating func write(_ key: StaticString, _ items: [some WireMembers]) {
        self.key(key)
        writer.out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { writer.out.append(UInt8(ascii: ",")) }
            writer.writeObject(item)
        }
        writer.out.append(UInt8(ascii: "]"))
    }

    /// Left out when `nil`, as a synthesized `encode(to:)` leaves it.
    public mutating func write(_ key: StaticString, _ value: String?) {
        if let value { write(key, value) }
    }

    /// Left out when `nil`, as a synthesized `encode(to:)` leaves it.
    public mutating func write(_ key: StaticString, _ value: Date?) {
        if let value { write(key, value) }
    }
}

extension WireWriter {
    /// Appends `value` as an object of the members it writes itself.
    func writeObject(_ value: some WireMembers) {
        out.append(UInt8(ascii: "{"))
        var object = WireObject(writer: self)
        value.writeMembers(to: &object)
        out.append(UInt8(ascii: "}"))
    }
}
