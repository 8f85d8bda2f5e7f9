import Foundation

/// Where an install keeps its things: one data directory.
///
/// ```
/// amana-data/
///   amana.sqlite     the store (WAL: also amana.sqlite-wal, -shm)
///   keys/master.key  the master key, mode 0600 (after `amana keys rotate`:
///                    master.vN.key and keyring.vN, see MasterKeyRing)
///   plugins/         the organisation's own plugins and overlays
///   config.yaml      settings
/// ```
public struct InstallLayout: Sendable {
    public let directory: String

    /// The default: `AMANA_DATA`, else `./amana-data`.
    public static func resolve(_ explicit: String?) -> InstallLayout {
        let path = explicit ?? ProcessInfo.processInfo.environment["AMANA_DATA"] ?? "amana-data"
        return InstallLayout(directory: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    public init(directory: String) { self.directory = directory }

    public var database: String { directory + "/amana.sqlite" }
    public var keysDirectory: String { directory + "/keys" }
    public var masterKey: String { keysDirectory + "/master.key" }
    /// The seed of the install's transfer keys (`amana keys show-public`), made on first use.
    public var identityKey: String { keysDirectory + "/install-identity.key" }
    public var pluginsDirectory: String { directory + "/plugins" }
    public var config: String { directory + "/config.yaml" }

    /// The entries whose presence means an install already lives here.
    var markers: [String] { [database, keysDirectory, config] }
}
