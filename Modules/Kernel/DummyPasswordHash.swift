import Synchronization
import Vault

/// A hash of a random password, verified against when the username is unknown,
/// so an unknown username costs as much time as a wrong password and the
/// answer cannot be told apart.
final class DummyPasswordHash: Sendable {
    private let cached = Mutex<String?>(nil)

    /// Costs one Argon2id operation: the first time, making the hash is that
    /// operation; afterwards, verifying against it is.
    func spendVerificationCost(using hasher: any PasswordHasher, random: [UInt8]) async {
        if let hash = cached.withLock({ $0 }) {
            _ = await hasher.verify(random.map { String($0, radix: 16) }.joined(), against: hash)
            return
        }
        guard let hash = try? await hasher.hash(random.map { String($0, radix: 16) }.joined()) else { return }
        cached.withLock { $0 = hash }
    }
}
