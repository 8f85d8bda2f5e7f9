import Synchronization
import Vault

/// A hash of a random password, verified against when the username is unknown,
/// so an unknown username costs as much time as a wrong password and the
/// answer cannot be told apart.
final class DummyPasswordHash: Sendable {
    private let cached = Mutex<String?>(nil)

    func value(using hasher: any PasswordHasher, random: [UInt8]) async -> String {
        if let hash = cached.withLock({ $0 }) { return hash }
        let hash = (try? await hasher.hash(random.map { String($0, radix: 16) }.joined())) ?? ""
        cached.withLock { $0 = hash }
        return hash
    }
}
