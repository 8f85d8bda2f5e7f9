import AmanaCore
import CSodium

/// Secret bytes in libsodium-guarded memory: `sodium_malloc` places them between
/// guard pages, locks them out of swap, and `sodium_free` wipes them when the
/// last reference goes. Keys live only here, never in a Swift `Array`.
public final class GuardedBytes: @unchecked Sendable {
    // Written once at allocation and only read afterwards, so sharing across tasks is safe.
    private let pointer: UnsafeMutableRawPointer
    public let count: Int

    /// Allocates `count` zeroed guarded bytes.
    public init(count: Int) throws(AmanaError) {
        try Sodium.ensureReady()
        guard let p = sodium_malloc(count) else {
            throw AmanaError(.internalFailure, code: "guarded-alloc", "Could not allocate protected memory for a key.")
        }
        sodium_memzero(p, count)
        pointer = p
        self.count = count
    }

    /// Fresh random key material.
    public static func random(count: Int) throws(AmanaError) -> GuardedBytes {
        let bytes = try GuardedBytes(count: count)
        randombytes_buf(bytes.pointer, count)
        return bytes
    }

    deinit { sodium_free(pointer) }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func withUnsafeMutableBytes<R, E: Error>(_ body: (UnsafeMutableRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
    }

    var typedPointer: UnsafePointer<UInt8> { UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self)) }
    var mutablePointer: UnsafeMutablePointer<UInt8> { pointer.assumingMemoryBound(to: UInt8.self) }
}
