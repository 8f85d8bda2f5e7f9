import Foundation

/// Property names as Foundation's `convertToSnakeCase` turns them into keys: a word starts at
/// each capital; a run of capitals is one word, except its last capital when a lower-case
/// letter follows (`caseNumber` → `case_number`, `userID` → `user_id`).
enum SnakeCaseKey {
    /// Appends `key` as a JSON string if it is already snake_case and needs no escape (most
    /// keys: `id`, `state`, `version`); false, with nothing written, otherwise.
    static func writeUnchanged(_ key: String, into out: inout [UInt8]) -> Bool {
        var key = key
        return key.withUTF8 { bytes in
            for byte in bytes {
                guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), !isUpper(byte) else { return false }
            }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
    }

    /// Appends `key`, converted, as a JSON string: an ASCII key byte by byte, anything else
    /// through ``converted(_:)``.
    static func write(_ key: String, into out: inout [UInt8]) {
        var key = key
        let written: Bool = key.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x80 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) else { return false }
            out.append(UInt8(ascii: "\""))
            var first = true
            words(count: bytes.count, isUpper: { isUpper(bytes[$0]) }, isLower: { isLower(bytes[$0]) }) { word in
                if !first { out.append(UInt8(ascii: "_")) }
                first = false
                for byte in bytes[word] { out.append(isUpper(byte) ? byte + 32 : byte) }
            }
            out.append(UInt8(ascii: "\""))
            return true
        }
        if !written { JSONValue.write(converted(key), into: &out) }
    }

    /// `key` converted, for any text (letters beyond ASCII are upper or lower case as Unicode says).
    static func converted(_ key: String) -> String {
        let scalars = Array(key.unicodeScalars)
        var parts: [String] = []
        words(
            count: scalars.count, isUpper: { CharacterSet.uppercaseLetters.contains(scalars[$0]) },
            isLower: { CharacterSet.lowercaseLetters.contains(scalars[$0]) }
        ) { word in
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[word])
            parts.append(String(text).lowercased())
        }
        return parts.joined(separator: "_")
    }

    /// The words of a key of `count` characters, in order, by Foundation's rule.
    private static func words(count: Int, isUpper: (Int) -> Bool, isLower: (Int) -> Bool, _ word: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        var wordStart = 0
        var search = 1
        while let upper = (search..<count).first(where: isUpper) {
            word(wordStart..<upper)
            guard let lower = (upper..<count).first(where: isLower) else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                word(upper..<(lower - 1))
                wordStart = lower - 1
            }
            search = lower + 1
        }
        word(wordStart..<count)
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    private static func isLower(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
}
