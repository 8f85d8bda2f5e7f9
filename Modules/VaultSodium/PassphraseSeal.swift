import AmanaCore
import CSodium

/// A file sealed for someone outside Amana with a passphrase: the key is derived
/// with Argon2id (libsodium's moderate limits) from the passphrase and a random
/// salt, then the content is sealed with XChaCha20-Poly1305.
/// Layout: `AMANA-SEALED-1\n` | salt (16) | the AEAD envelope (its header authenticated with the magic).
enum PassphraseSeal {
    static let magic = Array("AMANA-SEALED-1\n".utf8)
    static let saltBytes = Int(crypto_pwhash_saltbytes())

    static func key(_ passphrase: String, salt: [UInt8]) throws(AmanaError) -> GuardedBytes {
        let key = try GuardedBytes(count: AEAD.keyBytes)
        let utf8 = Array(passphrase.utf8)
        let ops = crypto_pwhash_opslimit_moderate()
        let mem = crypto_pwhash_memlimit_moderate()
        let status = key.withUnsafeMutableBytes { out in
            passphrase.withCString { chars in
                crypto_pwhash(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(AEAD.keyBytes), chars, UInt64(utf8.count), salt, UInt64(ops), mem,
                    crypto_pwhash_alg_argon2id13())
            }
        }
        guard status == 0 else { throw AmanaError(.internalFailure, code: "key-derivation", "The passphrase could not be turned into a key (not enough memory?).") }
        return key
    }

    static func seal(_ plaintext: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        let salt = Sodium.random(saltBytes)
        let key = try key(passphrase, salt: salt)
        let sealed = plaintext.withUnsafeBytes { bytes in
            Result { () throws(AmanaError) in try AEAD.seal(bytes, key: key, associatedData: magic + salt, keyVersion: 0) }
        }
        return magic + salt + (try sealed.get())
    }

    static func open(_ sealed: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        guard sealed.count > magic.count + saltBytes, Array(sealed.prefix(magic.count)) == magic else {
            throw AmanaError.invalid("not-sealed", "This is not a file sealed by Amana.")
        }
        let salt = Array(sealed[magic.count..<(magic.count + saltBytes)])
        let key = try key(passphrase, salt: salt)
        do {
            return try AEAD.open(Array(sealed.dropFirst(magic.count + saltBytes)), key: key, associatedData: magic + salt)
        } catch {
            throw AmanaError.invalid("wrong-passphrase", "The passphrase does not open this file (or the file was changed).")
        }
    }
}
