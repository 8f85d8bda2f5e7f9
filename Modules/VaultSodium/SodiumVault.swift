import AmanaCore
import CSodium
import Vault

/// The libsodium implementation of ``Vault``.
///
/// Purpose keys are derived from the master key with `crypto_kdf`, one per use
/// and key version, so a leak of one (say the blind-index key) reveals nothing
/// about the others, and rotation derives a new set under a new version.
public final class SodiumVault: Vault {
    public let keyVersion: UInt32
    private let wrapKey: GuardedBytes
    private let indexKey: GuardedBytes
    private let sessionKey: GuardedBytes
    private let auditKey: GuardedBytes
    /// Where unwrapped case keys live while in use.
    private let caseKeys: CaseKeySlots

    /// Purpose contexts: exactly 8 bytes each, as `crypto_kdf` requires.
    enum Purpose: String, CaseIterable {
        case wrap = "amanawrp"
        case index = "amanabix"
        case session = "amanases"
        case audit = "amanaaud"
        /// Backups sealed under the install's own key (``BackupArchive``).
        case backup = "amanabkp"
    }

    public init(masterKey: GuardedBytes, keyVersion: UInt32 = 1) throws(AmanaError) {
        try Sodium.ensureReady()
        guard masterKey.count == Int(crypto_kdf_keybytes()) else {
            throw AmanaError.install("master-key-size", "The master key has the wrong size.")
        }
        self.keyVersion = keyVersion
        wrapKey = try Self.derive(.wrap, from: masterKey, version: keyVersion)
        indexKey = try Self.derive(.index, from: masterKey, version: keyVersion)
        sessionKey = try Self.derive(.session, from: masterKey, version: keyVersion)
        auditKey = try Self.derive(.audit, from: masterKey, version: keyVersion)
        caseKeys = try CaseKeySlots(count: 1024)
    }

    static func derive(_ purpose: Purpose, from master: GuardedBytes, version: UInt32) throws(AmanaError) -> GuardedBytes {
        let key = try GuardedBytes(count: 32)
        let status = key.withUnsafeMutableBytes { out in
            purpose.rawValue.withCString { context in
                crypto_kdf_derive_from_key(out.baseAddress!.assumingMemoryBound(to: UInt8.self), 32,
                                           UInt64(version), context, master.typedPointer)
            }
        }
        guard status == 0 else {
            throw AmanaError(.internalFailure, code: "key-derivation", "A purpose key could not be derived.")
        }
        return key
    }

    // MARK: Case data keys

    public func newCaseKey(for caseID: CaseID) throws(AmanaError) -> (wrapped: WrappedCaseKey, key: any CaseKey) {
        let dataKey = try caseKeys.take()
        randombytes_buf(dataKey.pointer, AEAD.keyBytes)
        let sealed = try AEAD.seal(
            UnsafeRawBufferPointer(start: dataKey.pointer, count: AEAD.keyBytes), key: wrapKey, associatedData: wrapContext(caseID, keyVersion), keyVersion: keyVersion)
        return (WrappedCaseKey(bytes: sealed, keyVersion: keyVersion), SodiumCaseKey(caseID: caseID, bytes: dataKey))
    }

    public func unwrap(_ wrapped: WrappedCaseKey, for caseID: CaseID) throws(AmanaError) -> any CaseKey {
        guard wrapped.keyVersion == keyVersion else {
            throw AmanaError(.internalFailure, code: "key-version", "This case's key was sealed under key version \(wrapped.keyVersion), which this install does not hold.")
        }
        let dataKey = try caseKeys.take()
        try AEAD.open(wrapped.bytes, key: wrapKey, associatedData: wrapContext(caseID, wrapped.keyVersion), into: dataKey)
        return SodiumCaseKey(caseID: caseID, bytes: dataKey)
    }

    private func wrapContext(_ caseID: CaseID, _ version: UInt32) -> [UInt8] {
        Array("amana.case-key.v1".utf8) + [0] + Array(caseID.rawValue.utf8) + bigEndian(version)
    }

    // MARK: Fields

    public func seal(_ plaintext: [UInt8], with key: any CaseKey, field: FieldContext) throws(AmanaError) -> [UInt8] {
        let dataKey = try sodiumKey(key, for: field)
        let sealed = plaintext.withUnsafeBytes { raw in
            Result { () throws(AmanaError) in
                try AEAD.seal(raw, key: dataKey.bytes, associatedData: fieldContext(field, keyVersion), keyVersion: keyVersion)
            }
        }
        return try sealed.get()
    }

    public func open(_ ciphertext: [UInt8], with key: any CaseKey, field: FieldContext) throws(AmanaError) -> [UInt8] {
        let dataKey = try sodiumKey(key, for: field)
        guard let version = AEAD.keyVersion(of: ciphertext) else { throw AEAD.refused }
        return try AEAD.open(ciphertext, key: dataKey.bytes, associatedData: fieldContext(field, version))
    }

    private func sodiumKey(_ key: any CaseKey, for field: FieldContext) throws(AmanaError) -> SodiumCaseKey {
        guard let key = key as? SodiumCaseKey, key.caseID == field.caseID else { throw AEAD.refused }
        return key
    }

    /// Associated data: format version, case id, field id and key version.
    private func fieldContext(_ field: FieldContext, _ version: UInt32) -> [UInt8] {
        var out = Array("amana.field".utf8) + [AEAD.formatVersion]
        out += [0] + Array(field.caseID.rawValue.utf8)
        out += [0] + Array(field.fieldID.utf8)
        out += [0] + bigEndian(version)
        return out
    }

    // MARK: Hashes and randomness

    public func blindIndex(_ value: String, field: String) -> [UInt8] {
        let normalised = SearchNormaliser.normalise(value)
        return Sodium.keyedHash([Array(field.utf8), [0], Array(normalised.utf8)], key: indexKey)
    }

    public func randomBytes(_ count: Int) -> [UInt8] { Sodium.random(count) }

    public func sealWithPassphrase(_ plaintext: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        try PassphraseSeal.seal(plaintext, passphrase: passphrase)
    }

    public func openWithPassphrase(_ sealed: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        try PassphraseSeal.open(sealed, passphrase: passphrase)
    }

    /// The same, without an install: what a recipient of an export runs.
    public static func openWithPassphrase(_ sealed: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8] {
        try PassphraseSeal.open(sealed, passphrase: passphrase)
    }

    public func tokenDigest(_ token: [UInt8]) -> [UInt8] { Sodium.keyedHash([token], key: sessionKey) }

    public func auditLink(previous: [UInt8], entry: [UInt8]) -> [UInt8] {
        Sodium.keyedHash([previous, entry], key: auditKey)
    }
}

/// An unwrapped case data key in guarded memory.
final class SodiumCaseKey: CaseKey {
    let caseID: CaseID
    let bytes: DataKey

    init(caseID: CaseID, bytes: DataKey) {
        self.caseID = caseID
        self.bytes = bytes
    }
}

func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}
