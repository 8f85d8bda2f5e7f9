import AmanaCore
import Foundation
import Store
import Vault

/// What `amana keys rotate` did.
public struct KeyRotationReport: Sendable, Equatable {
    /// The master key version now current.
    public var version: UInt32
    /// Whether it went on with a rotation that had been interrupted.
    public var resumed: Bool
    public var rewrapped: Int
    /// The versions destroyed at the end.
    public var retired: [UInt32]
}

extension Kernel {
    /// Replaces the master key while the install keeps serving: a new version is made
    /// current (new cases are wrapped under it at once, in every process: each looks
    /// at `keys/` before wrapping), every data key still under an older version is
    /// re-wrapped under it, batch by batch, and the older versions are destroyed.
    /// Until then they still unwrap, so nothing is unreadable at any moment.
    ///
    /// Interrupted (a crash, Ctrl-C), it is run again and goes on where it stopped:
    /// with more than one version present, no new one is made. Field contents are
    /// not re-encrypted (their data keys do not change), nor are blind indexes,
    /// sessions or the audit chain, whose keys are carried in the key ring.
    public func rotateKeys(batch: Int = 500, settle: Duration = .seconds(2), requestID: String, progress: @Sendable (Int) -> Void = { _ in })
        async throws(AmanaError) -> KeyRotationReport
    {
        try await run {
            let held = vault.keyVersionsHeld
            let resumed = held.count > 1
            let target = resumed ? held.last! : try vault.beginKeyRotation()
            try await store.appendAudit(audit("operator", "keys.rotate", "install", requestID: requestID, detail: resumed ? "resumed version=\(target)" : "started version=\(target)"))
            var rewrapped = 0
            // Twice empty, a pause apart: a process that wrapped a new case key under the old
            // version just before it saw the new one has committed it by the second look.
            var emptyLooks = 0
            while emptyLooks < 2 {
                let keys = try await store.wrappedKeys(below: target, limit: batch)
                if keys.isEmpty {
                    emptyLooks += 1
                    if emptyLooks < 2 { try await Task.sleep(for: settle) }
                    continue
                }
                emptyLooks = 0
                var pairs: [(old: StoredWrappedKey, new: StoredWrappedKey)] = []
                for key in keys {
                    let bound = CaseID(key.holder == .supervision ? "supervision:" + key.id : key.id)
                    let new = try vault.rewrap(WrappedCaseKey(bytes: key.bytes, keyVersion: key.keyVersion), for: bound)
                    pairs.append((key, StoredWrappedKey(holder: key.holder, id: key.id, bytes: new.bytes, keyVersion: new.keyVersion)))
                }
                rewrapped += try await store.replaceWrappedKeys(pairs, audit: audit("operator", "keys.rewrap", "install", requestID: requestID, detail: "keys=\(pairs.count) version=\(target)"))
                progress(rewrapped)
            }
            let retired = vault.keyVersionsHeld.filter { $0 < target }
            try vault.retireKeys(below: target)
            try await store.appendAudit(audit("operator", "keys.rotate", "install", requestID: requestID, detail: "finished version=\(target) rewrapped=\(rewrapped)"))
            return KeyRotationReport(version: target, resumed: resumed, rewrapped: rewrapped, retired: retired)
        }
    }
}
