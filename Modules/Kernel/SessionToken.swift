import AmanaCore

/// Session tokens on the wire: 32 random bytes, base64url without padding (43 characters).
/// Read at every request: only the exact text ``encode(_:)`` writes is a token.
enum SessionToken {
    static func encode(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes) }

    /// The token's 32 bytes, or nil for anything that is not exactly what ``encode(_:)``
    /// writes (a wrong length, another character, stray bits in the last character).
    static func decode(_ token: String) -> [UInt8]? { Base64URL.decode(token, byteCount: 32) }
}
