import Foundation
import Synchronization

/// Writes an `Encodable` value in the ``WireJSON`` format — snake_case keys, sorted, dates as
/// `2026-11-25T09:30:00Z`, no escaped slashes — byte for byte what `WireJSON.encoder()` writes,
/// at a fraction of its cost.
///
/// Property names become snake_case; a dictionary's keys are written as they are (as
/// Foundation does). Foundation's encoder re-converts every key and sorts every object on each
/// call: a page of 50 case summaries took about a millisecond, more than reading them. Here
/// the value is gathered in a small tree (key conversions cached) and written with
/// ``JSONValue/encoded()``'s writer. Tests hold the two encoders to the same bytes.
public enum WireJSONEncoder {
    /// `value` as compact wire JSON.
    public static func encode(_ value: some Encodable) throws -> Data {
        let node = TreeNode()
        try node.store(value, codingPath: [])
        var out: [UInt8] = []
        out.reserveCapacity(4_096)
        node.write(into: &out)
        return Data(out)
    }

    private static let snakeKeys = SnakeCaseKeys()

    static func snakeCase(_ key: String) -> String { snakeKeys.converted(key) }
}

/// Converted keys, remembered: API types have a few hundred keys between them.
private final class SnakeCaseKeys: Sendable {
    private let cache = Mutex<[String: String]>([:])

    func converted(_ key: String) -> String {
        if let known = cache.withLock({ $0[key] }) { return known }
        let snake = Self.convert(key)
        cache.withLock { table in
            // Dictionary keys (form field ids) are bounded by the definitions; a flood is not kept.
            if table.count < 10_000 { table[key] = snake }
        }
        return snake
    }

    /// Foundation's `convertToSnakeCase`: a word starts at each capital; a run of capitals is
    /// one word, except its last capital when a lower-case letter follows (`URLValue` -> `url_value`).
    static func convert(_ key: String) -> String {
        guard key.unicodeScalars.contains(where: { CharacterSet.uppercaseLetters.contains($0) }) else { return key }
        let scalars = Array(key.unicodeScalars)
        func isUpper(_ index: Int) -> Bool { CharacterSet.uppercaseLetters.contains(scalars[index]) }
        func isLower(_ index: Int) -> Bool { CharacterSet.lowercaseLetters.contains(scalars[index]) }
        var words: [Range<Int>] = []
        var wordStart = 0
        var search = 1
        while let upper = (search..<scalars.count).first(where: isUpper) {
            words.append(wordStart..<upper)
            guard let lower = (upper..<scalars.count).first(where: isLower) else {
                wordStart = upper
                search = scalars.count
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            search = lower + 1
        }
        words.append(wordStart..<scalars.count)
        return words.map { range in
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[range])
            return String(word).lowercased()
        }.joined(separator: "_")
    }
}

/// One value being encoded: a scalar, or an object or array still being filled in. Written
/// straight to bytes, members sorted by key: no dictionaries to hash on the way.
private final class TreeNode {
    var scalar: JSONValue?
    var members: [(key: String, node: TreeNode)]?
    var items: [TreeNode]?

    func member(_ key: String) -> TreeNode {
        if let found = members?.first(where: { $0.key == key }) { return found.node }
        let made = TreeNode()
        members?.append((key, made))
        return made
    }

    func write(into out: inout [UInt8]) {
        if let members {
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.write(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.node.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        } else if let items {
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        } else {
            (scalar ?? .object([:])).write(into: &out)
        }
    }

    func store(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let json as JSONValue: scalar = json
        case let date as Date: scalar = .string(InternetDateTime.format(date))
        case let data as Data: scalar = .string(data.base64EncodedString())
        case let url as URL: scalar = .string(url.absoluteString)
        case let decimal as Decimal: scalar = .number(NSDecimalNumber(decimal: decimal).doubleValue)
        case let dictionary as [String: any Encodable]:
            // A dictionary's keys (form answers, counts by code) are data: written as they are, as Foundation does.
            var members: [(key: String, node: TreeNode)] = []
            members.reserveCapacity(dictionary.count)
            for (key, member) in dictionary {
                let node = TreeNode()
                try node.store(member, codingPath: codingPath)
                members.append((key, node))
            }
            self.members = members
        default: try value.encode(to: TreeEncoder(node: self, codingPath: codingPath))
        }
    }
}

private struct TreeEncoder: Encoder {
    let node: TreeNode
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.members == nil { node.members = [] }
        return KeyedEncodingContainer(KeyedTree<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.items == nil { node.items = [] }
        return UnkeyedTree(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(node: node, codingPath: codingPath) }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: TreeNode
    var codingPath: [any CodingKey]

    private func child(_ key: Key) -> TreeNode { node.member(WireJSONEncoder.snakeCase(key.stringValue)) }

    mutating func encodeNil(forKey key: Key) throws { child(key).scalar = .null }
    mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).scalar = .bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { child(key).scalar = .string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { child(key).scalar = try WireNumber.double(value, codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { child(key).scalar = .number(Double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { child(key).scalar = try WireNumber.double(Double(value), codingPath + [key]) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try child(key).store(value, codingPath: codingPath + [key]) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(node: child(Key(stringValue: "super")!), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(node: child(key), codingPath: codingPath + [key]) }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let node: TreeNode
    var codingPath: [any CodingKey]
    var count: Int { node.items?.count ?? 0 }

    private func next() -> TreeNode {
        let made = TreeNode()
        node.items?.append(made)
        return made
    }

    mutating func encodeNil() throws { next().scalar = .null }
    mutating func encode(_ value: Bool) throws { next().scalar = .bool(value) }
    mutating func encode(_ value: String) throws { next().scalar = .string(value) }
    mutating func encode(_ value: Double) throws { next().scalar = try WireNumber.double(value, codingPath) }
    mutating func encode(_ value: Int) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: Int8) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: Int16) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: Int32) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: Int64) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt8) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt16) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt32) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt64) throws { next().scalar = .number(Double(value)) }
    mutating func encode(_ value: Float) throws { next().scalar = try WireNumber.double(Double(value), codingPath) }
    mutating func encode<T: Encodable>(_ value: T) throws { try next().store(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(node: next(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { TreeEncoder(node: next(), codingPath: codingPath).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { TreeEncoder(node: next(), codingPath: codingPath) }
}

private struct SingleTree: SingleValueEncodingContainer {
    let node: TreeNode
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.scalar = .null }
    mutating func encode(_ value: Bool) throws { node.scalar = .bool(value) }
    mutating func encode(_ value: String) throws { node.scalar = .string(value) }
    mutating func encode(_ value: Double) throws { node.scalar = try WireNumber.double(value, codingPath) }
    mutating func encode(_ value: Int) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: Int8) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: Int16) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: Int32) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: Int64) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt8) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt16) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt32) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: UInt64) throws { node.scalar = .number(Double(value)) }
    mutating func encode(_ value: Float) throws { node.scalar = try WireNumber.double(Double(value), codingPath) }
    mutating func encode<T: Encodable>(_ value: T) throws { try node.store(value, codingPath: codingPath) }
}

/// Numbers as Foundation's encoder takes them: no infinities or NaN.
private enum WireNumber {
    static func double(_ value: Double, _ codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: codingPath, debugDescription: "JSON has no infinities or NaN."))
        }
        return .number(value)
    }
}
