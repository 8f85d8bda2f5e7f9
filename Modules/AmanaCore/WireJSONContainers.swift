import Foundation

/// The `Encoder` a value's `encode(to:)` is given: it writes the value where it stands in
/// its ``WireWriter``, and closes it (``finish()``) when `encode(to:)` returns.
///
/// A nested container or super-encoder may be filled in after its parent has gone on to
/// other members, so each gets a writer of its own, spliced in when its parent closes.
final class ValueEncoder: Encoder {
    let writer: WireWriter
    let parent: ValueEncoder?
    let key: (any CodingKey)?
    private var shape = Shape.nothing

    private enum Shape {
        case nothing, single
        case object(ObjectMembers)
        case array(ArrayItems)
    }

    init(writer: WireWriter, parent: ValueEncoder?, key: (any CodingKey)?) {
        (self.writer, self.parent, self.key) = (writer, parent, key)
    }

    /// Built only when asked for (an error, or a type that reads it): walking up is cheaper
    /// than carrying an array down every value.
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: ValueEncoder? = self
        while let at = encoder, let key = at.key {
            path.append(key)
            encoder = at.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let members) = shape { return KeyedEncodingContainer(KeyedWireContainer<Key>(encoder: self, members: members)) }
        let members = ObjectMembers(writer: writer)
        shape = .object(members)
        return KeyedEncodingContainer(KeyedWireContainer<Key>(encoder: self, members: members))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let items) = shape { return UnkeyedWireContainer(encoder: self, items: items) }
        let items = ArrayItems(writer: writer)
        shape = .array(items)
        return UnkeyedWireContainer(encoder: self, items: items)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        shape = .single
        return SingleWireContainer(encoder: self)
    }

    /// Closes what `encode(to:)` wrote: an object's members put in order, an array's late
    /// items put in place; a value that wrote nothing is `{}`, as Foundation writes it.
    func finish() throws {
        switch shape {
        case .nothing: writer.out.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .single: break
        case .object(let members): try members.close()
        case .array(let items): try items.close()
        }
    }

    /// An encoder for a container asked for out of turn, on a writer of its own.
    func late(_ key: (any CodingKey)?) -> ValueEncoder {
        ValueEncoder(writer: WireWriter(capacity: 256), parent: self, key: key)
    }

    /// What a late encoder wrote, closed.
    func closedBytes() throws -> [UInt8] {
        try finish()
        return writer.out
    }
}

/// An object being written: each member's bytes (`"key":value`) where they lie in the
/// writer, so that the members can be put in key order when the object closes.
final class ObjectMembers {
    let writer: WireWriter
    private let start: Int
    private var members: [Member] = []
    /// The members written later, by their index (kept apart so that a member is plain data).
    private var late: [Int: ValueEncoder] = [:]

    private struct Member {
        var start: Int  // the key's opening quote
        var keyEnd: Int  // its closing quote
        var end: Int
    }

    init(writer: WireWriter) {
        self.writer = writer
        start = writer.out.count
        members.reserveCapacity(16)
        writer.out.append(UInt8(ascii: "{"))
    }

    /// Writes `key` (snake_case) and then the member's value, by `body`.
    func member(_ key: String, _ body: (WireWriter) throws -> Void) rethrows {
        if !members.isEmpty { writer.out.append(UInt8(ascii: ",")) }
        let memberStart = writer.out.count
        writer.writeKey(key)
        let keyEnd = writer.out.count - 1
        writer.out.append(UInt8(ascii: ":"))
        try body(writer)
        members.append(Member(start: memberStart, keyEnd: keyEnd, end: writer.out.count))
    }

    /// A member whose value is written later, by `encoder` (a nested container, a super-encoder).
    func lateMember(_ key: String, _ encoder: ValueEncoder) {
        member(key) { _ in }
        late[members.count - 1] = encoder
    }

    func close() throws {
        let inOrder = writer.out.withUnsafeBufferPointer { bytes in
            members.indices.dropFirst().allSatisfy { Self.compare(members[$0 - 1], members[$0], in: bytes) < 0 }
        }
        if inOrder, late.isEmpty { return writer.out.append(UInt8(ascii: "}")) }
        // Sorted by key, earlier members first among equals; of a key given twice, the last is kept.
        let order = writer.out.withUnsafeBufferPointer { bytes in
            members.indices.sorted { a, b in
                let order = Self.compare(members[a], members[b], in: bytes)
                return order == 0 ? a < b : order < 0
            }
        }
        writer.scratch.removeAll(keepingCapacity: true)
        writer.scratch.append(UInt8(ascii: "{"))
        try writer.out.withUnsafeBufferPointer { bytes in
            for (position, index) in order.enumerated() {
                let member = members[index]
                if position + 1 < order.count, Self.compare(member, members[order[position + 1]], in: bytes) == 0 { continue }
                if writer.scratch.count > 1 { writer.scratch.append(UInt8(ascii: ",")) }
                writer.scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[member.start..<member.end]))
                if let late = late[index] { writer.scratch.append(contentsOf: try late.closedBytes()) }
            }
        }
        writer.scratch.append(UInt8(ascii: "}"))
        writer.out.replaceSubrange(start..., with: writer.scratch)
    }

    /// The order of two members' keys, byte by byte as written (for the keys of Swift
    /// properties, none of which is escaped, the order of the keys themselves).
    private static func compare(_ a: Member, _ b: Member, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let (lengthA, lengthB) = (a.keyEnd - a.start - 1, b.keyEnd - b.start - 1)
        let order = memcmp(bytes.baseAddress! + a.start + 1, bytes.baseAddress! + b.start + 1, min(lengthA, lengthB))
        return order != 0 ? Int(order) : lengthA - lengthB
    }
}

/// An array being written; items asked for out of turn are put in place when it closes.
final class ArrayItems {
    let writer: WireWriter
    private(set) var count = 0
    private var late: [(at: Int, encoder: ValueEncoder)] = []

    init(writer: WireWriter) {
        self.writer = writer
        writer.out.append(UInt8(ascii: "["))
    }

    func item(_ body: (WireWriter) throws -> Void) rethrows {
        if count > 0 { writer.out.append(UInt8(ascii: ",")) }
        count += 1
        try body(writer)
    }

    func lateItem(_ encoder: ValueEncoder) {
        item { late.append((at: $0.out.count, encoder: encoder)) }
    }

    func close() throws {
        // From the last, so that the places of the earlier ones still hold.
        for (at, encoder) in late.reversed() { writer.out.insert(contentsOf: try encoder.closedBytes(), at: at) }
        writer.out.append(UInt8(ascii: "]"))
    }
}

struct KeyedWireContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    let members: ObjectMembers
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) throws { members.member(key.stringValue) { $0.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { members.member(key.stringValue) { $0.writeBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { members.member(key.stringValue) { JSONValue.write(value, into: &$0.out) } }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try members.member(key.stringValue) { try $0.writeDouble(value, parent: encoder, key: key) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try members.member(key.stringValue) { try $0.writeDouble(Double(value), parent: encoder, key: key) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { members.member(key.stringValue) { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try members.member(key.stringValue) { try $0.write(value, parent: encoder, key: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        late(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { late(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { late(DictionaryKey(stringValue: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { late(key) }

    private func late(_ key: any CodingKey) -> ValueEncoder {
        let late = encoder.late(key)
        members.lateMember(key.stringValue, late)
        return late
    }
}

struct UnkeyedWireContainer: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    let items: ArrayItems
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { items.count }

    /// An item's place in a coding path.
    private var index: IndexKey { IndexKey(intValue: items.count)! }

    mutating func encodeNil() throws { items.item { $0.writeNull() } }
    mutating func encode(_ value: Bool) throws { items.item { $0.writeBool(value) } }
    mutating func encode(_ value: String) throws { items.item { JSONValue.write(value, into: &$0.out) } }
    mutating func encode(_ value: Double) throws { try items.item { [index] in try $0.writeDouble(value, parent: encoder, key: index) } }
    mutating func encode(_ value: Float) throws { try items.item { [index] in try $0.writeDouble(Double(value), parent: encoder, key: index) } }
    mutating func encode(_ value: Int) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { items.item { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { items.item { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try items.item { [index] in try $0.write(value, parent: encoder, key: index) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        late().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { late().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { late() }

    private func late() -> ValueEncoder {
        let late = encoder.late(index)
        items.lateItem(late)
        return late
    }
}

/// An array item's place in a coding path.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

struct SingleWireContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var writer: WireWriter { encoder.writer }

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { writer.writeBool(value) }
    mutating func encode(_ value: String) throws { JSONValue.write(value, into: &writer.out) }
    mutating func encode(_ value: Double) throws { try writer.writeDouble(value, parent: encoder.parent, key: encoder.key) }
    mutating func encode(_ value: Float) throws { try writer.writeDouble(Double(value), parent: encoder.parent, key: encoder.key) }
    mutating func encode(_ value: Int) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.writeInteger(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.write(value, parent: encoder.parent, key: encoder.key) }
}
