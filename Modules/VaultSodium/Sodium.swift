import AmanaCore
import CSodium

/// libsodium's one-time initialisation, done before any other call.
enum Sodium {
    /// `sodium_init()` is idempotent and thread-safe; a static `let` runs it once.
    static let ready: Bool = sodium_init() >= 0

    static func ensureReady() throws(AmanaError) {
        guard ready else {
            throw AmanaError(.internalFailure, code: "sodium-init", "libsodium could not be initialised.")
        }
    }

    static func random(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return out
    }

    /// Keyed BLAKE2b (crypto_generichash) of `parts` concatenated, `length` bytes out.
    static func keyedHash(_ parts: [[UInt8]], key: GuardedBytes, length: Int = 32) -> [UInt8] {
        // The state struct is 64-byte aligned in C, which Swift imports as opaque:
        // allocate it by size and alignment.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: crypto_generichash_statebytes(), alignment: 64)
        defer {
            sodium_memzero(raw, crypto_generichash_statebytes())
            raw.deallocate()
        }
        let state = OpaquePointer(raw)
        var out = [UInt8](repeating: 0, count: length)
        _ = crypto_generichash_init(state, key.typedPointer, key.count, length)
        for part in parts {
            part.withUnsafeBufferPointer { p in
                _ = crypto_generichash_update(state, p.baseAddress, UInt64(p.count))
            }
        }
        _ = crypto_generichash_final(state, &out, length)
        return out
    }
}
