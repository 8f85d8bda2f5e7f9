import AmanaCore
import CSodium
import Foundation
import Synchronization
import Vault

/// The libsodium implementation of ``Vault``.
///
/// Purpose keys are derived from the master key with `crypto_kdf`, one per use
/// and key version, so a leak of one (say the blind-index key) reveals nothing
/// about the others. A rotation makes a new master key version, whose wrapping
/// key wraps the case keys from then on; the blind-index, session and audit keys
/// are carried over in its keyring (``MasterKeyRing``), so they never change.
public final class SodiumVault: Vault {
    private let indexKey: GuardedBytes
    private let sessionKey: GuardedBytes
    private let auditKey: GuardedBytes
    /// Where unwrapped case keys live while in use.
    private let caseKeys: CaseKeySlots
    /// The master keys' wrapping keys by version, and the current version; reloaded
    /// from the key ring when another process (`amana keys rotate`) changes it.
    private let wrapping: Mutex<Wrapping>
    private let ring: MasterKeyRing?

    struct Wrapping {
        var current: UInt32
        var keys: [UInt32: GuardedBytes]
        var stamp: Int
    }

    /// Purpose contexts: exactly 8 bytes each, as `crypto_kdf` requires.
    enum Purpose: String, CaseIterable {
        case wrap = "amanawrp"
        case index = "amanabix"
        case session = "amanases"
        case audit = "amanaaud"
        /// Backups sealed under the install's own key (``BackupArchive``).
        case backup = "amanabkp"
    }

    /// One master key, not from files (tests and benchmarks): every key derived from it.
    public init(masterKey: GuardedBytes, keyVersion: UInt32 = 1) throws(AmanaError) {
        try Sodium.ensureReady()
        try Self.checkSize(masterKey)
        indexKey = try Self.derive(.index, from: masterKey, version: keyVersion)
        sessionKey = try Self.derive(.session, from: masterKey, version: keyVersion)
        auditKey = try Self.derive(.audit, from: masterKey, version: keyVersion)
        caseKeys = try CaseKeySlots(count: 1024)
        wrapping = Mutex(Wrapping(current: keyVersion, keys: [keyVersion: try Self.derive(.wrap, from: masterKey, version: keyVersion)], stamp: 0))
        ring = nil
    }

    /// The install's key ring in `keys/` (``MasterKeyRing``): every master key present,
    /// the highest current, the purpose keys from its keyring (or, never rotated, from `master.key`).
    public init(keys directory: String) throws(AmanaError) {
        try Sodium.ensureReady()
        let ring = MasterKeyRing(directory: directory)
        let stamp = ring.stamp()
        let versions = ring.versions()
        guard let current = versions.last else {
            _ = try MasterKeyFile.load(from: ring.path(of: 1))  // the clear "key file missing" error
            throw AmanaError.install("key-file-missing", "No master key in \(directory).")
        }
        var keys: [UInt32: GuardedBytes] = [:]
        for version in versions { keys[version] = try Self.derive(.wrap, from: try MasterKeyFile.load(from: ring.path(of: version)), version: version) }
        let purposes: [GuardedBytes]
        if FileManager.default.fileExists(atPath: ring.keyringPath(of: current)) {
            purposes = try Self.openKeyring(at: ring.keyringPath(of: current), version: current, wrap: keys[current]!)
        } else if current == 1 {
            let master = try MasterKeyFile.load(from: ring.path(of: 1))
            purposes = [try Self.derive(.index, from: master, version: 1), try Self.derive(.session, from: master, version: 1), try Self.derive(.audit, from: master, version: 1)]
        } else {
            throw AmanaError.install("keyring-missing", "\(ring.keyringPath(of: current)) is missing: master key version \(current) cannot be used without it. Restore keys/ from a backup.")
        }
        (indexKey, sessionKey, auditKey) = (purposes[0], purposes[1], purposes[2])
        caseKeys = try CaseKeySlots(count: 1024)
        wrapping = Mutex(Wrapping(current: current, keys: keys, stamp: stamp))
        self.ring = ring
    }

    static func checkSize(_ masterKey: GuardedBytes) throws(AmanaError) {
        guard masterKey.count == Int(crypto_kdf_keybytes()) else {
            throw AmanaError.install("master-key-size", "The master key has the wrong size.")
        }
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

    /// The current master key version: new case keys are wrapped under it.
    public var keyVersion: UInt32 {
        refresh()
        return wrapping.withLock { $0.current }
    }

    // MARK: Case data keys

    public func newCaseKey(for caseID: CaseID) throws(AmanaError) -> (wrapped: WrappedCaseKey, key: any CaseKey) {
        // A rotation started by another process makes its new version current here too.
        refresh()
        let (version, wrapKey) = wrapping.withLock { ($0.current, $0.keys[$0.current]!) }
        let dataKey = try caseKeys.take()
        randombytes_buf(dataKey.pointer, AEAD.keyBytes)
        let sealed = try AEAD.seal(
            UnsafeRawBufferPointer(start: dataKey.pointer, count: AEAD.keyBytes), key: wrapKey, associatedData: wrapContext(caseID, version), keyVersion: version)
        return (WrappedCaseKey(bytes: sealed, keyVersion: version), SodiumCaseKey(caseID: caseID, bytes: dataKey))
    }

    public func unwrap(_ wrapped: WrappedCaseKey, for caseID: CaseID) throws(AmanaError) -> any CaseKey {
        let dataKey = try caseKeys.take()
        try AEAD.open(wrapped.bytes, key: try wrapKey(wrapped.keyVersion), associatedData: wrapContext(caseID, wrapped.keyVersion), into: dataKey)
        return SodiumCaseKey(caseID: caseID, bytes: dataKey)
    }

    public func rewrap(_ wrapped: WrappedCaseKey, for caseID: CaseID) throws(AmanaError) -> WrappedCaseKey {
        let key = try unwrap(wrapped, for: caseID)
        guard let dataKey = key as? SodiumCaseKey else { throw AEAD.refused }
        let (version, wrapKey) = wrapping.withLock { ($0.current, $0.keys[$0.current]!) }
        let sealed = try AEAD.seal(
            UnsafeRawBufferPointer(start: dataKey.bytes.pointer, count: AEAD.keyBytes), key: wrapKey, associatedData: wrapContext(caseID, version), keyVersion: version)
        return WrappedCaseKey(bytes: sealed, keyVersion: version)
    }

    /// The wrapping key of `version`, looking at the key ring again if it is not known yet.
    private func wrapKey(_ version: UInt32) throws(AmanaError) -> GuardedBytes {
        if let key = wrapping.withLock({ $0.keys[version] }) { return key }
        refresh(force: true)
        guard let key = wrapping.withLock({ $0.keys[version] }) else {
            throw AmanaError(.internalFailure, code: "key-version", "This case's key was sealed under key version \(version), which this install does not hold.")
        }
        return key
    }

    private func wrapContext(_ caseID: CaseID, _ version: UInt32) -> [UInt8] {
        Array("amana.case-key.v1".utf8) + [0] + Array(caseID.rawValue.utf8) + bigEndian(version)
    }

    // MARK: Rotation

    /// Loads the master keys added since, and forgets those retired since (another
    /// process's rotation). Cheap when nothing changed: one `stat` of `keys/`.
    private func refresh(force: Bool = false) {
        guard let ring else { return }
        let stamp = ring.stamp()
        guard force || wrapping.withLock({ $0.stamp != stamp }) else { return }
        let versions = ring.versions()
        var loaded: [UInt32: GuardedBytes] = [:]
        for version in versions where wrapping.withLock({ $0.keys[version] == nil }) {
            guard let master = try? MasterKeyFile.load(from: ring.path(of: version)),
                  let key = try? Self.derive(.wrap, from: master, version: version) else { continue }
            loaded[version] = key
        }
        wrapping.withLock { state in
            state.keys.merge(loaded) { old, _ in old }
            if let highest = versions.last, state.keys[highest] != nil { state.current = max(state.current, highest) }
            state.stamp = stamp
        }
    }

    public func beginKeyRotation() throws(AmanaError) -> UInt32 {
        guard let ring else { throw AmanaError.install("key-ring", "This vault has no key files to rotate.") }
        refresh(force: true)
        let next = wrapping.withLock { $0.current } + 1
        let keyPath = ring.path(of: next)
        let keyringPath = ring.keyringPath(of: next)
        // The key is written under a name the ring ignores, then its keyring, then renamed into
        // place: no process ever sees version `next` without the keyring it needs. A crash
        // before the rename leaves leftovers that were never current: cleared here.
        let pending = keyPath + ".new"
        for leftover in [pending, keyringPath] { try? FileManager.default.removeItem(atPath: leftover) }
        try MasterKeyFile.create(at: pending)
        let wrapKey = try Self.derive(.wrap, from: try MasterKeyFile.load(from: pending), version: next)
        var purposes = [UInt8]()
        for key in [indexKey, sessionKey, auditKey] { key.withUnsafeBytes { purposes += $0 } }
        defer { sodium_memzero(&purposes, purposes.count) }
        let sealed = try purposes.withUnsafeBytes { bytes in
            Result { () throws(AmanaError) in try AEAD.seal(bytes, key: wrapKey, associatedData: Self.keyringContext(next), keyVersion: next) }
        }.get()
        try MasterKeyFile.writeNew(sealed, at: keyringPath)
        guard rename(pending, keyPath) == 0 else {
            throw AmanaError.install("key-file-create", "Could not put the new master key in place: \(String(cString: strerror(errno))).")
        }
        MasterKeyFile.syncDirectory(ring.directory)
        wrapping.withLock { state in
            state.keys[next] = wrapKey
            state.current = next
        }
        return next
    }

    public func retireKeys(below version: UInt32) throws(AmanaError) {
        guard let ring else { return }
        for old in ring.versions() where old < version {
            try MasterKeyFile.destroy(at: ring.path(of: old))
            try? FileManager.default.removeItem(atPath: ring.keyringPath(of: old))
        }
        MasterKeyFile.syncDirectory(ring.directory)
        wrapping.withLock { state in state.keys = state.keys.filter { $0.key >= version } }
    }

    public var keyVersionsHeld: [UInt32] {
        refresh()
        return ring?.versions() ?? wrapping.withLock { $0.keys.keys.sorted() }
    }

    static func keyringContext(_ version: UInt32) -> [UInt8] { Array("amana.keyring.v1".utf8) + [0] + bigEndian(version) }

    static func openKeyring(at path: String, version: UInt32, wrap: GuardedBytes) throws(AmanaError) -> [GuardedBytes] {
        guard let sealed = FileManager.default.contents(atPath: path) else {
            throw AmanaError.install("keyring-missing", "Cannot read \(path).")
        }
        let plain = try AEAD.open([UInt8](sealed), key: wrap, associatedData: keyringContext(version))
        var copy = plain
        defer { sodium_memzero(&copy, copy.count) }
        guard plain.count == 96 else { throw AmanaError.install("keyring-invalid", "\(path) is not a key ring of this install.") }
        var keys: [GuardedBytes] = []
        for index in 0..<3 {
            let key = try GuardedBytes(count: 32)
            key.withUnsafeMutableBytes { out in
                copy.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[(index * 32)..<(index * 32 + 32)])) }
            }
            keys.append(key)
        }
        return keys
    }

    // MARK: Fields

    public func seal(_ plaintext: [UInt8], with key: any CaseKey, field: FieldContext) throws(AmanaError) -> [UInt8] {
        let dataKey = try sodiumKey(key, for: field)
        // The version in a field's envelope is the master key's when it was sealed; the data key itself never changes.
        let version = wrapping.withLock { $0.current }
        let sealed = plaintext.withUnsafeBytes { raw in
            Result { () throws(AmanaError) in
                try AEAD.seal(raw, key: dataKey.bytes, associatedData: fieldContext(field, version), keyVersion: version)
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
