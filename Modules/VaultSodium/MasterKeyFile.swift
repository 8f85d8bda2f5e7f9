import AmanaCore
import CSodium
import Foundation

/// The install's master key: 32 random bytes, stored hex-encoded in a file that
/// only its owner may read (mode 0600). Every other key is derived from it or
/// wrapped under it.
public enum MasterKeyFile {
    public static let keyBytes = 32

    /// Creates a new random master key file; refuses to overwrite one.
    public static func create(at path: String) throws(AmanaError) {
        let key = try GuardedBytes.random(count: keyBytes)
        let hexLength = keyBytes * 2 + 1
        let hex = try GuardedBytes(count: hexLength)
        key.withUnsafeBytes { k in
            hex.withUnsafeMutableBytes { h in
                _ = sodium_bin2hex(h.baseAddress!.assumingMemoryBound(to: CChar.self), hexLength,
                                   k.baseAddress!.assumingMemoryBound(to: UInt8.self), keyBytes)
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AmanaError.install("key-file-create", "Cannot create the master key file at \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(fd) }
        let written = hex.withUnsafeBytes { write(fd, $0.baseAddress, keyBytes * 2) }
        guard written == keyBytes * 2, write(fd, "\n", 1) == 1, fsync(fd) == 0 else {
            throw AmanaError.install("key-file-write", "Could not write the master key file at \(path).")
        }
    }

    /// Writes `bytes` to a new owner-only file (never over an existing one), synced to disk.
    static func writeNew(_ bytes: [UInt8], at path: String) throws(AmanaError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw AmanaError.install("key-file-create", "Cannot create \(path): \(String(cString: strerror(errno))).") }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, bytes.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw AmanaError.install("key-file-write", "Could not write \(path).") }
    }

    /// Makes a rename or an unlink in `directory` durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Overwrites a retired key file with zeros, syncs, then removes it: what the
    /// file system still holds of it afterwards is zeros (on disks that write in place).
    static func destroy(at path: String) throws(AmanaError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd >= 0 {
            let zeros = [UInt8](repeating: 0, count: keyBytes * 2 + 1)
            _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, zeros.count) }
            fsync(fd)
            close(fd)
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw AmanaError.install("key-file-remove", "Could not remove the retired key file \(path): \(String(cString: strerror(errno))).")
        }
    }

    /// Reads the master key into guarded memory, refusing a file that group or
    /// others could read or write, or whose content is not a 32-byte hex key.
    public static func load(from path: String) throws(AmanaError) -> GuardedBytes {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AmanaError.install("key-file-missing", "The master key file \(path) is missing: is this an Amana data directory? Create one with `amana init`.")
        }
        guard info.st_mode & 0o077 == 0 else {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw AmanaError.install(
                "key-file-mode",
                "Refusing to start: the master key file \(path) has mode \(mode); it must be readable by its owner only (chmod 600 \(path)).")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw AmanaError.install("key-file-read", "Cannot read the master key file \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(fd) }
        let capacity = keyBytes * 2 + 8
        let hex = try GuardedBytes(count: capacity)
        let length = hex.withUnsafeMutableBytes { read(fd, $0.baseAddress, capacity) }
        let key = try GuardedBytes(count: keyBytes)
        var decoded = 0
        let status = hex.withUnsafeBytes { h in
            key.withUnsafeMutableBytes { k in
                sodium_hex2bin(k.baseAddress!.assumingMemoryBound(to: UInt8.self), keyBytes,
                               h.baseAddress!.assumingMemoryBound(to: CChar.self), max(0, length),
                               " \n\r\t", &decoded, nil)
            }
        }
        guard length > 0, status == 0, decoded == keyBytes else {
            throw AmanaError.install("key-file-invalid", "The master key file \(path) does not hold a 32-byte hex key.")
        }
        return key
    }
}
