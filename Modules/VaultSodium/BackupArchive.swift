import AmanaCore
import CSodium
import Foundation

/// How a backup is sealed: under a key derived from the install's master key
/// (restoring needs that key file, kept elsewhere), or under a passphrase
/// (Argon2id), in which case the archive carries the master key too and is
/// enough, with the passphrase, to rebuild the install on another machine.
public enum BackupSealing: Sendable {
    case masterKey(path: String)
    case passphrase(String)

    var mode: UInt8 {
        switch self {
        case .masterKey: 1
        case .passphrase: 2
        }
    }
}

/// One file in a backup: its name inside the install (`amana.sqlite`,
/// `plugins/acme/forms/x.yaml`) and where to read it from now.
public struct BackupFile: Sendable {
    public var name: String
    public var source: String
    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// A backup file: the install's files, streamed through libsodium's
/// secretstream (XChaCha20-Poly1305) in 1 MiB chunks, so that a large database
/// is never held in memory, any change to a chunk is refused, and a file cut
/// short (a copy that stopped) is told apart from a whole one: the last chunk
/// carries the FINAL tag.
///
/// Layout: `AMANA-BACKUP-1\n` | mode (1 master key, 2 passphrase) | salt (16) |
/// stream header (24) | chunks, each `length (4, big-endian) | ciphertext`.
/// The bytes before the stream header are authenticated with the first chunk.
/// Inside: for each file `F | name length (2) | name | size (8) | bytes`, then `E`.
public enum BackupArchive {
    static let magic = Array("AMANA-BACKUP-1\n".utf8)
    static let chunkBytes = 1 << 20
    static let saltBytes = 16
    static let streamHeaderBytes = Int(crypto_secretstream_xchacha20poly1305_headerbytes())
    static let tagBytes = Int(crypto_secretstream_xchacha20poly1305_abytes())

    /// Writes `files` into a new archive at `destination` (mode 0600); returns its size.
    public static func write(_ files: [BackupFile], to destination: String, sealing: BackupSealing) throws(AmanaError) -> Int {
        try Sodium.ensureReady()
        let salt = sealing.mode == 2 ? Sodium.random(saltBytes) : [UInt8](repeating: 0, count: saltBytes)
        let key = try streamKey(sealing, salt: salt)
        let preamble = magic + [sealing.mode] + salt
        guard let out = OutputFile(creating: destination) else {
            throw AmanaError.invalid("backup-unwritable", "Cannot create \(destination) (it may exist already).")
        }
        var written = false
        defer {
            out.close()
            if !written { unlink(destination) }
        }
        var writer = ChunkWriter(key: key, preamble: preamble, out: out)
        try out.write(preamble + writer.header)
        for file in files {
            guard let input = FileHandle(forReadingAtPath: file.source) else {
                throw AmanaError.invalid("backup-unreadable", "Cannot read \(file.name) for the backup.")
            }
            defer { try? input.close() }
            let size = (try? FileManager.default.attributesOfItem(atPath: file.source)[.size] as? Int) ?? 0
            let name = Array(file.name.utf8)
            try writer.append([UInt8(ascii: "F")] + bigEndian16(name.count) + name + bigEndian64(size))
            var copied = 0
            while copied < size {
                guard let piece = try? input.read(upToCount: min(chunkBytes, size - copied)), !piece.isEmpty else {
                    throw AmanaError.invalid("backup-unreadable", "\(file.name) changed size while it was being backed up.")
                }
                try writer.append(Array(piece))
                copied += piece.count
            }
        }
        try writer.append([UInt8(ascii: "E")])
        try writer.finish()
        guard out.sync() else { throw AmanaError(.storageUnavailable, code: "backup-sync", "The backup could not be flushed to disk.") }
        written = true
        return out.offset
    }

    /// Reads the archive at `source` and writes its files under `directory`;
    /// returns their names. Refuses a wrong key or passphrase, a changed byte
    /// and an archive cut short; the caller removes what was written by then.
    public static func read(_ source: String, sealing: BackupSealing, into directory: String) throws(AmanaError) -> [String] {
        try Sodium.ensureReady()
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw AmanaError.invalid("backup-missing", "Cannot read \(source).")
        }
        defer { try? input.close() }
        let head = Array((try? input.read(upToCount: magic.count + 1 + saltBytes + streamHeaderBytes)) ?? Data())
        guard head.count == magic.count + 1 + saltBytes + streamHeaderBytes, Array(head.prefix(magic.count)) == magic else {
            throw AmanaError.invalid("not-a-backup", "\(source) is not an Amana backup.")
        }
        let mode = head[magic.count]
        guard mode == sealing.mode else {
            throw AmanaError.invalid(
                "backup-sealing", mode == 2 ? "This backup is sealed with a passphrase: give it on standard input." : "This backup is sealed with an install's master key: give its key file with --key.")
        }
        let salt = Array(head[(magic.count + 1)..<(magic.count + 1 + saltBytes)])
        let key = try streamKey(sealing, salt: salt)
        var reader = try ChunkReader(key: key, preamble: Array(head.prefix(magic.count + 1 + saltBytes)), header: Array(head.suffix(streamHeaderBytes)), input: input)
        var names: [String] = []
        while true {
            let kind = try reader.take(1)[0]
            if kind == UInt8(ascii: "E") { break }
            guard kind == UInt8(ascii: "F") else { throw damaged }
            let nameLength = Int(try reader.take(2).reduce(0) { $0 << 8 | Int($1) })
            guard let name = String(bytes: try reader.take(nameLength), encoding: .utf8), isSafe(name) else { throw damaged }
            let size = try reader.take(8).reduce(0) { $0 << 8 | Int($1) }
            guard size >= 0 else { throw damaged }
            let path = directory + "/" + name
            do {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw AmanaError.invalid("restore-unwritable", "Cannot create the folder for \(name).")
            }
            guard let out = OutputFile(creating: path) else { throw AmanaError.invalid("restore-unwritable", "Cannot create \(path).") }
            defer { out.close() }
            var left = size
            while left > 0 {
                let piece = try reader.take(min(left, chunkBytes))
                try out.write(piece)
                left -= piece.count
            }
            guard out.sync() else { throw AmanaError(.storageUnavailable, code: "restore-sync", "\(name) could not be flushed to disk.") }
            names.append(name)
        }
        try reader.expectEnd()
        return names
    }

    static let damaged = AmanaError.invalid(
        "backup-damaged", "The backup does not open: wrong key or passphrase, changed, or cut short. Nothing in it can be trusted.")

    /// Relative, no `..`, no absolute path: an archive cannot write outside the new install.
    static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
            && !name.unicodeScalars.contains(where: { $0.value < 0x20 })
    }

    static func streamKey(_ sealing: BackupSealing, salt: [UInt8]) throws(AmanaError) -> GuardedBytes {
        switch sealing {
        case .passphrase(let passphrase):
            return try PassphraseSeal.key(passphrase, salt: salt)
        case .masterKey(let path):
            let master = try MasterKeyFile.load(from: path)
            // A purpose of its own: a backup key reveals nothing about the keys that wrap cases.
            return try SodiumVault.derive(.backup, from: master, version: 1)
        }
    }
}

/// Plaintext in, sealed 1 MiB chunks out.
private struct ChunkWriter {
    var state = crypto_secretstream_xchacha20poly1305_state()
    let header: [UInt8]
    var pending: [UInt8] = []
    var preamble: [UInt8]?
    let out: OutputFile

    init(key: GuardedBytes, preamble: [UInt8], out: OutputFile) {
        var header = [UInt8](repeating: 0, count: BackupArchive.streamHeaderBytes)
        _ = crypto_secretstream_xchacha20poly1305_init_push(&state, &header, key.typedPointer)
        self.header = header
        self.preamble = preamble
        self.out = out
    }

    mutating func append(_ bytes: [UInt8]) throws(AmanaError) {
        pending += bytes
        while pending.count >= BackupArchive.chunkBytes {
            try push(Array(pending.prefix(BackupArchive.chunkBytes)), final: false)
            pending.removeFirst(BackupArchive.chunkBytes)
        }
    }

    mutating func finish() throws(AmanaError) {
        try push(pending, final: true)
        pending = []
        sodium_memzero(&state, MemoryLayout.size(ofValue: state))
    }

    private mutating func push(_ plain: [UInt8], final: Bool) throws(AmanaError) {
        var sealed = [UInt8](repeating: 0, count: plain.count + BackupArchive.tagBytes)
        var length: UInt64 = 0
        let ad = preamble ?? []
        let tag = final ? crypto_secretstream_xchacha20poly1305_tag_final() : crypto_secretstream_xchacha20poly1305_tag_message()
        _ = crypto_secretstream_xchacha20poly1305_push(&state, &sealed, &length, plain, UInt64(plain.count), ad, UInt64(ad.count), tag)
        preamble = nil
        try out.write(bigEndian32(Int(length)) + sealed.prefix(Int(length)))
    }
}

/// Sealed chunks in, plaintext out, as many bytes at a time as asked.
private struct ChunkReader {
    var state = crypto_secretstream_xchacha20poly1305_state()
    var preamble: [UInt8]?
    let input: FileHandle
    var buffer: [UInt8] = []
    var position = 0
    var ended = false

    init(key: GuardedBytes, preamble: [UInt8], header: [UInt8], input: FileHandle) throws(AmanaError) {
        self.preamble = preamble
        self.input = input
        guard crypto_secretstream_xchacha20poly1305_init_pull(&state, header, key.typedPointer) == 0 else { throw BackupArchive.damaged }
    }

    mutating func take(_ count: Int) throws(AmanaError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if position == buffer.count { try pull() }
            let n = min(count - out.count, buffer.count - position)
            out += buffer[position..<(position + n)]
            position += n
        }
        return out
    }

    /// After `E`: the chunk that held it was the final one, and nothing follows.
    mutating func expectEnd() throws(AmanaError) {
        guard ended, position == buffer.count, ((try? input.read(upToCount: 1)) ?? Data()).isEmpty else { throw BackupArchive.damaged }
        sodium_memzero(&state, MemoryLayout.size(ofValue: state))
    }

    private mutating func pull() throws(AmanaError) {
        guard !ended, let lengthBytes = try? input.read(upToCount: 4), lengthBytes.count == 4 else { throw BackupArchive.damaged }
        let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
        guard (BackupArchive.tagBytes...(BackupArchive.chunkBytes + BackupArchive.tagBytes)).contains(length),
              let sealed = try? input.read(upToCount: length), sealed.count == length else { throw BackupArchive.damaged }
        var plain = [UInt8](repeating: 0, count: length - BackupArchive.tagBytes)
        var plainLength: UInt64 = 0
        var tag: UInt8 = 0
        let ad = preamble ?? []
        let status = Array(sealed).withUnsafeBufferPointer { c in
            crypto_secretstream_xchacha20poly1305_pull(&state, &plain, &plainLength, &tag, c.baseAddress, UInt64(length), ad, UInt64(ad.count))
        }
        guard status == 0 else { throw BackupArchive.damaged }
        preamble = nil
        ended = tag == crypto_secretstream_xchacha20poly1305_tag_final()
        buffer = Array(plain.prefix(Int(plainLength)))
        position = 0
    }
}

/// A new file, owner-only from its first byte, written with plain `write(2)`.
private final class OutputFile {
    let fd: Int32
    var offset = 0

    init?(creating path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
    }

    func write(_ bytes: [UInt8]) throws(AmanaError) {
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw AmanaError(
                    .storageUnavailable, code: errno == ENOSPC ? "store-full" : "backup-write", "Could not write the file: \(String(cString: strerror(errno))).")
            }
            done += n
        }
        offset += bytes.count
    }

    func sync() -> Bool { fsync(fd) == 0 }
    func close() { Foundation.close(fd) }
}

private func bigEndian16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
private func bigEndian32(_ value: Int) -> [UInt8] { (0..<4).reversed().map { UInt8(value >> ($0 * 8) & 0xff) } }
private func bigEndian64(_ value: Int) -> [UInt8] { (0..<8).reversed().map { UInt8(value >> ($0 * 8) & 0xff) } }
