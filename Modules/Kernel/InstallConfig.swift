import AmanaCore
import Foundation
import Store
import YAMLSupport

/// Where an install keeps its records.
public enum StoreLocation: Sendable, Equatable {
    /// `amana.sqlite` in the data directory (the default).
    case embedded
    /// A PostgreSQL database, shared by every server of the install.
    case postgres(PostgresConnectionURL)
}

/// The settings in an install's `config.yaml`. Every key is optional; a
/// missing key keeps the default shown in ``template``.
public struct InstallConfig: Sendable, Equatable {
    /// A session ends after this long without a request.
    public var sessionIdle: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, whatever the activity.
    public var sessionAbsolute: TimeInterval = 12 * 3600
    /// Failed sign-ins before a username is locked.
    public var lockoutFailures = 5
    /// How long a lock lasts.
    public var lockoutDuration: TimeInterval = 15 * 60
    /// The largest request body the API accepts.
    public var maxBodyBytes = 1 << 20
    /// Requests a minute one signed-in person may make through the API (half of it at once).
    public var requestsPerMinutePerUser = 600
    /// Requests a minute from one network address, signed in or not (half of it at once).
    public var requestsPerMinutePerAddress = 1200
    /// The largest attachment a case accepts (from any front end).
    public var maxAttachmentBytes = 10 << 20
    /// Argon2id hashes allowed at once (64 MiB each).
    public var maxConcurrentPasswordHashes = 2
    /// Programme (case type) -> years after closure when a case is due to be purged.
    /// A programme not listed keeps its closed cases until someone asks for a purge.
    public var retentionYears: [String: Int] = [:]
    /// Where the records are: `store: postgres://...` in the file, or the embedded SQLite file.
    public var store: StoreLocation = .embedded

    public init() {}

    /// What `amana init` writes: every setting with its default, explained.
    public static let template = """
        # Amana install settings. Remove a line to go back to its default.
        # store: sqlite           # or postgres://USER@HOST:5432/DATABASE (docs/deployment-postgres.md)
        sessions:
          idle_minutes: 30        # sign out after this long without activity
          absolute_hours: 12      # and in any case this long after signing in
        lockout:
          max_failures: 5         # failed sign-ins before the username is locked
          lock_minutes: 15
        http:
          max_body_bytes: 1048576 # larger requests get 413
          requests_per_minute_per_user: 600     # more get 429 with Retry-After
          requests_per_minute_per_address: 1200 # behind a proxy every client shares its address
        attachments:
          max_bytes: 10485760     # larger files are refused (413 in the API)
        passwords:
          max_concurrent_hashes: 2 # Argon2id uses 64 MiB per hash
        # Closed cases due to be purged (crypto-shredded, with a supervisor's approval)
        # this many years after closure, per programme; set by your data protection
        # policy and national law. None listed: nothing is ever due.
        retention: []
          # - {programme: gbv, closed_years: 5}

        """

    /// `text` (a config.yaml) with its `store:` line (or the template's commented one) saying
    /// `address`, or one added at the top; the rest stays as written.
    static func settingStore(_ address: String, in text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        let line = "store: \(address)"
        if let index = lines.firstIndex(where: { $0.hasPrefix("store:") || $0.hasPrefix("# store:") }) {
            lines[index] = line
        } else {
            lines.insert(line, at: 0)
        }
        return lines.joined(separator: "\n")
    }

    /// Points the `config.yaml` at `path` to the store at `address` (``settingStore(_:in:)``), replacing the file whole.
    static func setStore(_ address: String, in path: String) throws(AmanaError) {
        let updated = settingStore(address, in: (try? String(contentsOfFile: path, encoding: .utf8)) ?? template)
        guard FileManager.default.createFile(atPath: path + ".new", contents: Data(updated.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .install("config-write", "Cannot write \(path).")
        }
        // rename(2): the file is the old one or the new one, never half of each.
        guard rename(path + ".new", path) == 0 else {
            try? FileManager.default.removeItem(atPath: path + ".new")
            throw .install("config-write", "Cannot write \(path).")
        }
    }

    /// Reads `path`; every problem is reported with its line and column.
    public static func load(path: String) throws(AmanaError) -> InstallConfig {
        try parse(YAMLDocument.load(path: path, maxBytes: 256 * 1024, allowEmpty: true))
    }

    static func parse(_ document: YAMLDocument) throws(AmanaError) -> InstallConfig {
        var reader = YAMLReader(file: document.file)
        var config = InstallConfig()
        if YAMLReader.isNull(document.root) { return config }
        if let top = reader.mapping(document.root, what: "config.yaml", allowed: ["store", "sessions", "lockout", "http", "attachments", "passwords", "retention"]) {
            if let node = top["store"], !YAMLReader.isNull(node), let text = reader.string(node, what: "store") {
                if text == "sqlite" {
                    config.store = .embedded
                } else {
                    do {
                        config.store = .postgres(try PostgresConnectionURL(text))
                    } catch {
                        reader.report(node, "CFG002", "store: \(error.message) (or 'sqlite' for the embedded database)")
                    }
                }
            }
            if let node = top["sessions"], !YAMLReader.isNull(node), let s = reader.mapping(node, what: "sessions", allowed: ["idle_minutes", "absolute_hours"]) {
                if let v = s["idle_minutes"].flatMap({ reader.int($0, what: "idle_minutes", range: 1...24 * 60) }) { config.sessionIdle = TimeInterval(v * 60) }
                if let v = s["absolute_hours"].flatMap({ reader.int($0, what: "absolute_hours", range: 1...24 * 7) }) { config.sessionAbsolute = TimeInterval(v * 3600) }
            }
            if let node = top["lockout"], !YAMLReader.isNull(node), let l = reader.mapping(node, what: "lockout", allowed: ["max_failures", "lock_minutes"]) {
                if let v = l["max_failures"].flatMap({ reader.int($0, what: "max_failures", range: 1...100) }) { config.lockoutFailures = v }
                if let v = l["lock_minutes"].flatMap({ reader.int($0, what: "lock_minutes", range: 1...24 * 60) }) { config.lockoutDuration = TimeInterval(v * 60) }
            }
            if let node = top["http"], !YAMLReader.isNull(node), let h = reader.mapping(node, what: "http", allowed: ["max_body_bytes", "requests_per_minute_per_user", "requests_per_minute_per_address"]) {
                if let v = h["max_body_bytes"].flatMap({ reader.int($0, what: "max_body_bytes", range: 1024...(256 << 20)) }) { config.maxBodyBytes = v }
                if let v = h["requests_per_minute_per_user"].flatMap({ reader.int($0, what: "requests_per_minute_per_user", range: 10...10_000_000) }) {
                    config.requestsPerMinutePerUser = v
                }
                if let v = h["requests_per_minute_per_address"].flatMap({ reader.int($0, what: "requests_per_minute_per_address", range: 10...10_000_000) }) {
                    config.requestsPerMinutePerAddress = v
                }
            }
            if let node = top["attachments"], !YAMLReader.isNull(node), let a = reader.mapping(node, what: "attachments", allowed: ["max_bytes"]) {
                if let v = a["max_bytes"].flatMap({ reader.int($0, what: "max_bytes", range: 1024...(256 << 20)) }) { config.maxAttachmentBytes = v }
            }
            if let node = top["passwords"], !YAMLReader.isNull(node), let p = reader.mapping(node, what: "passwords", allowed: ["max_concurrent_hashes"]) {
                if let v = p["max_concurrent_hashes"].flatMap({ reader.int($0, what: "max_concurrent_hashes", range: 1...16) }) { config.maxConcurrentPasswordHashes = v }
            }
            if let node = top["retention"], !YAMLReader.isNull(node), let rules = reader.sequence(node, what: "retention") {
                for rule in rules {
                    guard let r = reader.mapping(rule, what: "a retention rule", allowed: ["programme", "closed_years"], required: ["programme", "closed_years"]),
                          let programme = r["programme"].flatMap({ reader.string($0, what: "programme") }),
                          let years = r["closed_years"].flatMap({ reader.int($0, what: "closed_years", range: 1...100) })
                    else { continue }
                    if config.retentionYears[programme] != nil { reader.report(rule, "CFG001", "the programme '\(programme)' has two retention rules") }
                    config.retentionYears[programme] = years
                }
            }
        }
        guard !reader.hasErrors else { throw AmanaError.definition(reader.diagnostics) }
        return config
    }
}
