import AmanaCore
import CSodium
import Foundation

/// An install's public identity for transfers between installs: an X25519 key
/// that packages are sealed to, and an Ed25519 key its packages and receipts
/// are signed with. Written as one line of text to pass to the other install
/// (`amana keys show-public`); its fingerprint is read aloud to check it.
public struct InstallPublicKey: Sendable, Equatable, Hashable {
    public let boxKey: [UInt8]
    public let signKey: [UInt8]

    static let prefix = "amana-install-v1:"

    public init?(boxKey: [UInt8], signKey: [UInt8]) {
        guard boxKey.count == Int(crypto_box_publickeybytes()), signKey.count == Int(crypto_sign_publickeybytes()) else { return nil }
        self.boxKey = boxKey
        self.signKey = signKey
    }

    /// Reads the text form; surrounding spaces and line breaks are ignored.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(Self.prefix), let bytes = Base64URL.decode(String(trimmed.dropFirst(Self.prefix.count))), bytes.count == 64 else { return nil }
        self.init(boxKey: Array(bytes[0..<32]), signKey: Array(bytes[32..<64]))
    }

    public var text: String { Self.prefix + Base64URL.encode(boxKey + signKey) }

    /// 16 bytes of BLAKE2b over both keys, as eight groups of four hex digits: short enough to read over the phone.
    public var fingerprint: String {
        var digest = [UInt8](repeating: 0, count: 16)
        let keys = boxKey + signKey
        _ = crypto_generichash(&digest, 16, keys, UInt64(keys.count), nil, 0)
        let hex = digest.map { String(format: "%02x", $0) }.joined()
        return stride(from: 0, to: hex.count, by: 4).map { i in
            String(hex[hex.index(hex.startIndex, offsetBy: i)..<hex.index(hex.startIndex, offsetBy: i + 4)])
        }.joined(separator: "-")
    }
}

/// The install's own key pairs, derived from a random seed kept in a key file
/// beside the master key (same format, same mode 0600). Secret keys live in
/// guarded memory only.
public final class InstallIdentity: Sendable {
    public let publicKey: InstallPublicKey
    private let boxSecret: GuardedBytes
    private let signSecret: GuardedBytes

    /// Loads the install's identity, creating its seed file the first time.
    public static func loadOrCreate(at path: String) throws(AmanaError) -> InstallIdentity {
        if !FileManager.default.fileExists(atPath: path) { try MasterKeyFile.create(at: path) }
        return try InstallIdentity(seed: try MasterKeyFile.load(from: path))
    }

    init(seed: GuardedBytes) throws(AmanaError) {
        let boxSeed = try Self.derive("amanabox", from: seed), signSeed = try Self.derive("amanasig", from: seed)
        var boxPublic = [UInt8](repeating: 0, count: Int(crypto_box_publickeybytes()))
        var signPublic = [UInt8](repeating: 0, count: Int(crypto_sign_publickeybytes()))
        boxSecret = try GuardedBytes(count: Int(crypto_box_secretkeybytes()))
        signSecret = try GuardedBytes(count: Int(crypto_sign_secretkeybytes()))
        guard crypto_box_seed_keypair(&boxPublic, boxSecret.mutablePointer, boxSeed.typedPointer) == 0,
              crypto_sign_seed_keypair(&signPublic, signSecret.mutablePointer, signSeed.typedPointer) == 0,
              let key = InstallPublicKey(boxKey: boxPublic, signKey: signPublic)
        else { throw AmanaError(.internalFailure, code: "identity-keys", "The install's transfer keys could not be made.") }
        publicKey = key
    }

    static func derive(_ context: String, from seed: GuardedBytes) throws(AmanaError) -> GuardedBytes {
        let key = try GuardedBytes(count: 32)
        let status = context.withCString { crypto_kdf_derive_from_key(key.mutablePointer, 32, 1, $0, seed.typedPointer) }
        guard status == 0 else { throw AmanaError(.internalFailure, code: "key-derivation", "A transfer key could not be derived.") }
        return key
    }

    /// Seals `plaintext` so that only `recipient`'s install can open it (libsodium sealed box).
    public static func seal(_ plaintext: [UInt8], to recipient: InstallPublicKey) throws(AmanaError) -> [UInt8] {
        try Sodium.ensureReady()
        var sealed = [UInt8](repeating: 0, count: plaintext.count + Int(crypto_box_sealbytes()))
        guard crypto_box_seal(&sealed, plaintext, UInt64(plaintext.count), recipient.boxKey) == 0 else {
            throw AmanaError(.internalFailure, code: "seal", "The package could not be sealed.")
        }
        return sealed
    }

    /// Opens a sealed box addressed to this install; nil when it was not, or was changed.
    public func open(_ sealed: [UInt8]) -> [UInt8]? {
        let overhead = Int(crypto_box_sealbytes())
        guard sealed.count >= overhead else { return nil }
        var plain = [UInt8](repeating: 0, count: sealed.count - overhead)
        guard crypto_box_seal_open(&plain, sealed, UInt64(sealed.count), publicKey.boxKey, boxSecret.typedPointer) == 0 else { return nil }
        return plain
    }

    /// An Ed25519 signature of `message` by this install.
    public func sign(_ message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: Int(crypto_sign_bytes()))
        _ = crypto_sign_detached(&signature, nil, message, UInt64(message.count), signSecret.typedPointer)
        return signature
    }

    /// Whether `signature` is `signer`'s signature of exactly `message`.
    public static func verify(_ signature: [UInt8], of message: [UInt8], by signer: InstallPublicKey) -> Bool {
        guard Sodium.ready, signature.count == Int(crypto_sign_bytes()) else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), signer.signKey) == 0
    }
}

extension InstallIdentity {
    /// BLAKE2b-256 of `bytes`, in hex: what a receipt names the package by.
    public static func digest(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        _ = crypto_generichash(&out, 32, bytes, UInt64(bytes.count), nil, 0)
        return out.map { String(format: "%02x", $0) }.joined()
    }
}
