import AmanaCore
import Foundation

/// The install's master keys by version, as files in `keys/`: `master.key` is
/// version 1 (every install starts with it), `master.v2.key` version 2, and so
/// on. The highest version present is the current one: new case keys are
/// wrapped under it. Older versions exist only while a rotation
/// (`amana keys rotate`) re-wraps the case keys still under them.
///
/// `keyring.vN` holds the install's purpose keys (blind index, sessions, audit
/// chain) sealed under version N's wrapping key. Those keys never change, so
/// search, sessions and the audit chain survive every rotation; an install that
/// was never rotated has no keyring and derives them from `master.key`.
public struct MasterKeyRing: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func path(of version: UInt32) -> String {
        version == 1 ? directory + "/master.key" : directory + "/master.v\(version).key"
    }

    public func keyringPath(of version: UInt32) -> String { directory + "/keyring.v\(version)" }

    /// The versions whose master key file is present, lowest first.
    public func versions() -> [UInt32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap(Self.version(ofKeyFile:)).sorted()
    }

    /// Every file of the ring (master keys and keyrings), for backups.
    public func files() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { Self.version(ofKeyFile: $0) != nil || $0.hasPrefix("keyring.v") }.sorted()
    }

    /// The highest version a set of ring file names names (1 when only `master.key`).
    public static func highestVersion(in names: [String]) -> UInt32 {
        names.compactMap { name -> UInt32? in
            let base = (name as NSString).lastPathComponent
            if base.hasPrefix("keyring.v") { return UInt32(base.dropFirst("keyring.v".count)) }
            return version(ofKeyFile: base)
        }.max() ?? 1
    }

    static func version(ofKeyFile name: String) -> UInt32? {
        if name == "master.key" { return 1 }
        guard name.hasPrefix("master.v"), name.hasSuffix(".key") else { return nil }
        return UInt32(name.dropFirst("master.v".count).dropLast(".key".count)).flatMap { $0 >= 2 ? $0 : nil }
    }

    /// A stamp that changes when a key file is added or removed (the directory's mtime).
    func stamp() -> Int {
        var info = stat()
        guard stat(directory, &info) == 0 else { return 0 }
        return Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
    }
}
