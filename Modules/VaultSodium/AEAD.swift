import AmanaCore
import CSodium

/// XChaCha20-Poly1305 with the envelope Amana stores:
/// `format version (1) | key version (4, big-endian) | nonce (24) | ciphertext + tag (16)`.
/// The header is also part of the associated data, so it cannot be altered.
enum AEAD {
    static let formatVersion: UInt8 = 1
    static let keyBytes = Int(crypto_aead_xchacha20poly1305_ietf_keybytes())
    static let nonceBytes = Int(crypto_aead_xchacha20poly1305_ietf_npubbytes())
    static let tagBytes = Int(crypto_aead_xchacha20poly1305_ietf_abytes())
    static let headerBytes = 1 + 4 + nonceBytes

    /// The one answer to every failed open: no detail on why, which would help an attacker.
    static let refused = AmanaError(.internalFailure, code: "decryption-refused", "A protected value could not be decrypted: it was altered or does not belong here.")

    static func keyVersion(of envelope: [UInt8]) -> UInt32? {
        guard envelope.count >= headerBytes + tagBytes, envelope[0] == formatVersion else { return nil }
        return envelope[1...4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func seal(_ plaintext: UnsafeRawBufferPointer, key: some KeyMaterial, associatedData: [UInt8], keyVersion: UInt32) throws(AmanaError) -> [UInt8] {
        let header = [formatVersion] + bigEndian(keyVersion) + Sodium.random(nonceBytes)
        let ad = header + associatedData
        var out = [UInt8](repeating: 0, count: plaintext.count + tagBytes)
        var outLength: UInt64 = 0
        let status = header.withUnsafeBufferPointer { h in
            crypto_aead_xchacha20poly1305_ietf_encrypt(
                &out, &outLength,
                plaintext.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(plaintext.count),
                ad, UInt64(ad.count), nil,
                h.baseAddress! + 5, key.keyPointer)
        }
        guard status == 0 else {
            throw AmanaError(.internalFailure, code: "encryption-failed", "A value could not be encrypted.")
        }
        return header + out[0..<Int(outLength)]
    }

    /// Opens a field value. The plaintext goes straight into the returned array:
    /// it becomes a Swift value for the caller anyway, so a guarded scratch buffer
    /// (an mmap and mprotect per call) would cost much and protect nothing.
    static func open(_ envelope: [UInt8], key: some KeyMaterial, associatedData: [UInt8]) throws(AmanaError) -> [UInt8] {
        let length = envelope.count - headerBytes - tagBytes
        guard length >= 0 else { throw refused }
        // One spare byte so that an empty plaintext still has a valid buffer to write to.
        var out = [UInt8](repeating: 0, count: length + 1)
        let result = out.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(AmanaError) in
                try decrypt(envelope, key: key, associatedData: associatedData, into: buffer.baseAddress!)
            }
        }
        try result.get()
        out.removeLast()
        return out
    }

    /// Opens a wrapped key straight into guarded memory.
    static func open(_ envelope: [UInt8], key: some KeyMaterial, associatedData: [UInt8], into target: DataKey) throws(AmanaError) {
        guard envelope.count - headerBytes - tagBytes == keyBytes else { throw refused }
        try decrypt(envelope, key: key, associatedData: associatedData, into: target.pointer)
    }

    private static func decrypt(_ envelope: [UInt8], key: some KeyMaterial, associatedData: [UInt8], into out: UnsafeMutablePointer<UInt8>) throws(AmanaError) {
        guard envelope.count >= headerBytes + tagBytes, envelope[0] == formatVersion else { throw refused }
        let ad = Array(envelope[0..<headerBytes]) + associatedData
        var outLength: UInt64 = 0
        let status = envelope.withUnsafeBufferPointer { e in
            crypto_aead_xchacha20poly1305_ietf_decrypt(
                out, &outLength, nil,
                e.baseAddress! + headerBytes, UInt64(envelope.count - headerBytes),
                ad, UInt64(ad.count),
                e.baseAddress! + 5, key.keyPointer)
        }
        guard status == 0 else { throw refused }
    }
}
