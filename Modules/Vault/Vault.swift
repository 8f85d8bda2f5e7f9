import AmanaCore

/// Where a sealed field belongs. Both parts are bound into the ciphertext as
/// associated data, so a ciphertext moved to another case or field fails to open.
public struct FieldContext: Sendable, Equatable {
    public var caseID: CaseID
    public var fieldID: String

    public init(caseID: CaseID, fieldID: String) {
        self.caseID = caseID
        self.fieldID = fieldID
    }
}

/// A case's data key, unwrapped and held in guarded memory by the implementation.
///
/// Opaque on purpose: callers pass it back to the vault and never see the bytes.
/// The memory is wiped when the last reference goes.
public protocol CaseKey: AnyObject, Sendable {
    var caseID: CaseID { get }
}

/// A case's data key as stored: encrypted under the install's wrapping key.
public struct WrappedCaseKey: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The version of the master-derived wrapping key that sealed it (for rotation).
    public var keyVersion: UInt32

    public init(bytes: [UInt8], keyVersion: UInt32) {
        self.bytes = bytes
        self.keyVersion = keyVersion
    }
}

/// The key hierarchy and every cryptographic operation the kernel needs.
///
/// master key -> purpose keys (one per use, derived) -> one random data key per
/// case, wrapped. Implemented by `VaultSodium` with libsodium.
public protocol Vault: Sendable {
    /// The key version new material is sealed with.
    var keyVersion: UInt32 { get }

    /// A fresh random data key for a new case, returned wrapped (for storage)
    /// and unwrapped (for the fields written with the case).
    func newCaseKey(for caseID: CaseID) throws(AmanaError) -> (wrapped: WrappedCaseKey, key: any CaseKey)

    /// Unwraps a stored data key; fails if it was wrapped for another case.
    func unwrap(_ wrapped: WrappedCaseKey, for caseID: CaseID) throws(AmanaError) -> any CaseKey

    /// The same data key wrapped under the current master key version (key rotation).
    func rewrap(_ wrapped: WrappedCaseKey, for caseID: CaseID) throws(AmanaError) -> WrappedCaseKey

    /// Makes a new master key version current (its file written, the purpose keys
    /// sealed under it); the older versions still unwrap until they are retired.
    func beginKeyRotation() throws(AmanaError) -> UInt32

    /// Destroys the master keys older than `version` (once nothing is wrapped under them).
    func retireKeys(below version: UInt32) throws(AmanaError)

    /// The master key versions present, lowest first (more than one: a rotation is under way).
    var keyVersionsHeld: [UInt32] { get }

    /// Encrypts one field value (XChaCha20-Poly1305, bound to case, field and key version).
    func seal(_ plaintext: [UInt8], with key: any CaseKey, field: FieldContext) throws(AmanaError) -> [UInt8]

    /// Decrypts one field value; fails for a wrong key, a tampered ciphertext,
    /// or a ciphertext that belongs to another case or field.
    func open(_ ciphertext: [UInt8], with key: any CaseKey, field: FieldContext) throws(AmanaError) -> [UInt8]

    /// A keyed hash of the normalised value for exact search without decrypting.
    /// Distinct per field, so equal values in two fields do not match.
    func blindIndex(_ value: String, field: String) -> [UInt8]

    /// `count` cryptographically random bytes.
    func randomBytes(_ count: Int) -> [UInt8]

    /// A keyed digest of a session token: only digests are stored.
    func tokenDigest(_ token: [UInt8]) -> [UInt8]

    /// The next link of the audit chain: keyed BLAKE2b(previous || entry).
    func auditLink(previous: [UInt8], entry: [UInt8]) -> [UInt8]

    /// Seals a file for someone outside Amana with a passphrase (Argon2id, then
    /// XChaCha20-Poly1305): an export of case records.
    func sealWithPassphrase(_ plaintext: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8]
    /// Opens what ``sealWithPassphrase(_:passphrase:)`` sealed; a wrong passphrase or a changed byte is refused.
    func openWithPassphrase(_ sealed: [UInt8], passphrase: String) throws(AmanaError) -> [UInt8]
}

/// Password hashing (Argon2id in the libsodium implementation).
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws(AmanaError) -> String
    func verify(_ password: String, against stored: String) async -> Bool
}
