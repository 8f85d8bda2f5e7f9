import Foundation

/// Base64 with the URL alphabet and no padding: safe in a file name, a URL or a terminal line
/// (transfer packages, receipts, session tokens).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Written by hand: a session token is written at every sign-in and read at every request,
    /// and Foundation's route (standard base64, then three replacements) cost more than the rest.
    public static func encode(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count * 4 + 2) / 3)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8 | UInt32(byte)) & 0xFFFF
            bits += 8
            while bits >= 6 {
                bits -= 6
                text.append(alphabet[Int(buffer >> UInt32(bits) & 0x3F)])
            }
        }
        if bits > 0 { text.append(alphabet[Int(buffer << UInt32(6 - bits) & 0x3F)]) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of `text`, padded or not, as Foundation's decoder reads them.
    public static func decode(_ text: String) -> [UInt8]? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base).map { Array($0) }
    }

    /// Exactly `byteCount` bytes, from exactly what ``encode(_:)`` writes for them, or nil:
    /// another length, another character, padding, or stray bits in the last character.
    public static func decode(_ text: String, byteCount: Int) -> [UInt8]? {
        var text = text
        return text.withUTF8 { characters -> [UInt8]? in
            guard characters.count == (byteCount * 4 + 2) / 3 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(byteCount)
            var buffer: UInt32 = 0
            var bits = 0
            for character in characters {
                guard let value = sextet(character) else { return nil }
                buffer = (buffer << 6 | value) & 0x3FFF
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    bytes.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                }
            }
            // The bits left over in the last character are padding, zero in what encode writes.
            guard buffer & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
            return bytes
        }
    }

    private static func sextet(_ character: UInt8) -> UInt32? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(character - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(character - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
