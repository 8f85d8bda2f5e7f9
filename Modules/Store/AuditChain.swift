import Foundation

/// Computes the next link of the chain: keyed BLAKE2b(previous hash || entry bytes).
/// Supplied by the vault, so a person who can edit the database but does not
/// hold the install's key cannot forge a consistent chain.
public typealias AuditLinker = @Sendable (_ previous: [UInt8], _ entry: [UInt8]) -> [UInt8]

/// The canonical bytes of an entry: each part length-prefixed, so no choice of
/// text can make two different entries encode the same. Every store links its
/// chain from these bytes, so a chain moved from one store to another verifies.
public enum AuditEncoding {
    /// The previous hash of the first entry.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func bytes(sequence: Int64, _ d: AuditDraft) -> [UInt8] {
        var out: [UInt8] = []
        for part in [String(sequence), String(millis(d.at)), d.actor, d.action, d.object, d.outcome.rawValue, d.requestID, d.detail] {
            let utf8 = Array(part.utf8)
            let n = UInt32(utf8.count)
            out += [UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
            out += utf8
        }
        return out
    }
}

/// Times are stored as integer milliseconds since 1970: exact, sortable, and
/// identical when read back (the audit chain hashes them).
func millis(_ date: Date) -> Int64 { date.storedMillis }

func date(millis: Int64) -> Date { Date(storedMillis: millis) }

extension Date {
    /// The time as every store keeps it: whole milliseconds since 1970.
    public var storedMillis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    /// A time read back from a store.
    public init(storedMillis: Int64) { self.init(timeIntervalSince1970: Double(storedMillis) / 1000) }
}
