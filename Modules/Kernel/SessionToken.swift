/// Session tokens on the wire: 32 random bytes, base64url without padding (43 characters).
///
/// Read on every request, so read by hand: Foundation's route (swapping characters into
/// standard base64 and back) was a twentieth of a case read's work on the request threads.
enum SessionToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
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

    /// The token's 32 bytes, or nil for anything that is not exactly what ``encode(_:)``
    /// writes (a wrong length, another character, stray bits in the last character).
    static func decode(_ token: String) -> [UInt8]? {
        var token = token
        return token.withUTF8 { characters -> [UInt8]? in
            guard characters.count == 43 else { return nil }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(32)
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
            // 43 characters carry 258 bits: the last 2 are padding and must be zero.
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
