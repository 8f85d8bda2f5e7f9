import AmanaCore
import CSodium
import Dispatch
import Vault

/// Argon2id password hashing at libsodium's INTERACTIVE limits (64 MiB, ~0.1 s).
///
/// Hashes run on a dispatch queue, not the cooperative pool, and at most
/// `maxConcurrent` at a time, so a burst of logins cannot starve the server
/// of threads or memory.
public final class ArgonPasswordHasher: PasswordHasher {
    private let limiter: AsyncLimiter
    private let queue = DispatchQueue(label: "amana.argon2id", attributes: .concurrent)
    private let opsLimit: UInt64
    private let memLimit: Int

    /// - Parameter fastForTests: MIN limits; only for test suites that hash many passwords.
    public init(maxConcurrent: Int = 2, fastForTests: Bool = false) {
        limiter = AsyncLimiter(limit: maxConcurrent)
        _ = Sodium.ready
        opsLimit = UInt64(fastForTests ? crypto_pwhash_opslimit_min() : crypto_pwhash_opslimit_interactive())
        memLimit = fastForTests ? Int(crypto_pwhash_memlimit_min()) : crypto_pwhash_memlimit_interactive()
    }

    public func hash(_ password: String) async throws(AmanaError) -> String {
        let (ops, mem, queue) = (opsLimit, memLimit, queue)
        let result: String? = await limiter.run {
            await withCheckedContinuation { continuation in
                queue.async {
                    var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
                    let utf8 = Array(password.utf8CString.dropLast())
                    let status = crypto_pwhash_str_alg(&out, utf8, UInt64(utf8.count), ops, mem, crypto_pwhash_alg_argon2id13())
                    continuation.resume(returning: status == 0 ? String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil)
                }
            }
        }
        guard let result else {
            throw AmanaError(.internalFailure, code: "password-hash", "The password could not be hashed (out of memory?).")
        }
        return result
    }

    public func verify(_ password: String, against stored: String) async -> Bool {
        let queue = queue
        return await limiter.run {
            await withCheckedContinuation { continuation in
                queue.async {
                    let utf8 = Array(password.utf8CString.dropLast())
                    let ok = stored.withCString { crypto_pwhash_str_verify($0, utf8, UInt64(utf8.count)) == 0 }
                    continuation.resume(returning: ok)
                }
            }
        }
    }
}
